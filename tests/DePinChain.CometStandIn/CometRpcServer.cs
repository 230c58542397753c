using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using DePinChain.Crypto;
using DePinChain.Protos.Abci;

namespace DePinChain.CometStandIn;

/// <summary>
/// CometBFT v0.38's RPC for a <see cref="StandInNode"/>: JSON-RPC 2.0 over HTTP, as a URI (GET /method?name=value,
/// errors with status 500) or a POST body (<c>{"jsonrpc","id","method","params"}</c>, errors with status 200, the id
/// echoed). Methods: health, status, abci_info, abci_query, broadcast_tx_sync/async/commit, tx, tx_search, block,
/// block_results, commit, validators, header, genesis, num_unconfirmed_txs, unconfirmed_txs.
/// </summary>
public sealed class CometRpcServer : IAsyncDisposable
{
    /// <summary>The node id `status` reports (node_info.id).</summary>
    public const string NodeId = "e9721b46244f44aa1ff50e1538797c163fde16fc";

    private readonly StandInNode _node;
    private readonly HttpListener _http = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    internal CometRpcServer(StandInNode node)
    {
        _node = node;
        // A probe port can be taken between the probe and the bind: retry on a fresh one.
        for (int attempt = 0; ; attempt++)
        {
            Url = $"http://127.0.0.1:{FreePort()}";
            _http.Prefixes.Clear();
            _http.Prefixes.Add(Url + "/");
            try
            {
                _http.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    /// <summary>What `status` reports as sync_info.catching_up.</summary>
    public bool CatchingUp { get; set; }

    /// <summary>Every `status` call first commits a block: a chain that moves on while a client polls it.</summary>
    public bool BlockOnStatus { get; set; }

    /// <summary>A `tx` lookup that misses while txs wait in the mempool commits a block after answering "not found" (a
    /// client polling for inclusion sees the tx appear on its next try, as on a live node).</summary>
    public bool BlockOnTxNotFound { get; set; }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _http.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        JsonNode? id = -1;
        bool post = context.Request.HttpMethod == "POST";
        JsonObject reply;
        try
        {
            string method;
            RpcArgs args;
            if (post)
            {
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                JsonNode body = JsonNode.Parse(await reader.ReadToEndAsync().ConfigureAwait(false)) ?? throw new RpcException("empty request", -32700);
                id = body["id"]?.DeepClone();
                method = (string?)body["method"] ?? throw new RpcException("no method", -32600);
                args = RpcArgs.FromJson(body["params"]);
            }
            else
            {
                method = context.Request.Url!.AbsolutePath.Trim('/');
                args = RpcArgs.FromUri(context.Request.QueryString);
            }
            reply = Result(id, await HandleAsync(method, args).ConfigureAwait(false));
        }
        catch (RpcException e)
        {
            reply = Error(id, e.Code, e.Code == -32601 ? "Method not found" : e.Code == -32700 ? "Parse error" : "Internal error", e.Message);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or DePinChain.Abci.AbciApplicationException or TxInCacheException or System.Text.Json.JsonException)
        {
            reply = Error(id, -32603, "Internal error", e.Message);
        }
        byte[] bytes = Encoding.UTF8.GetBytes(reply.ToJsonString());
        try
        {
            context.Response.StatusCode = reply.ContainsKey("error") && !post ? 500 : 200;
            context.Response.ContentType = "application/json";
            // A known length: the headers and body go out in one write and Close sends nothing more. Chunked, the final
            // empty chunk is a second small segment that Nagle holds until the client's delayed ACK (~40 ms per call).
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
        }
    }

    private async Task<JsonObject> HandleAsync(string method, RpcArgs args)
    {
        switch (method)
        {
            case "health":
                return [];
            case "status":
                if (BlockOnStatus) await _node.ProduceBlockAsync().ConfigureAwait(false);
                return Status();
            case "abci_info":
            {
                ResponseInfo info = await _node.InfoAsync().ConfigureAwait(false);
                return new JsonObject
                {
                    ["response"] = new JsonObject
                    {
                        ["data"] = info.Data,
                        ["version"] = info.Version,
                        ["app_version"] = RpcJson.Int((long)info.AppVersion),
                        ["last_block_height"] = RpcJson.Int(info.LastBlockHeight),
                        ["last_block_app_hash"] = info.LastBlockAppHash.ToBase64(),
                    },
                };
            }
            case "abci_query":
            {
                ResponseQuery answer = await _node.QueryAsync(args.String("path") ?? "", args.HexBytes("data"),
                    args.Int("height") ?? 0, args.Bool("prove")).ConfigureAwait(false);
                JsonNode? proofOps = answer.ProofOps is { Ops.Count: > 0 } ops
                    ? new JsonObject
                    {
                        ["ops"] = new JsonArray(ops.Ops.Select(o => (JsonNode)new JsonObject
                        {
                            ["type"] = o.Type,
                            ["key"] = o.Key.ToBase64(),
                            ["data"] = o.Data.ToBase64(),
                        }).ToArray()),
                    }
                    : null;
                return new JsonObject
                {
                    ["response"] = new JsonObject
                    {
                        ["code"] = answer.Code,
                        ["log"] = answer.Log,
                        ["info"] = answer.Info,
                        ["index"] = RpcJson.Int(answer.Index),
                        ["key"] = answer.Key.IsEmpty ? null : answer.Key.ToBase64(),
                        ["value"] = answer.Value.IsEmpty ? null : answer.Value.ToBase64(),
                        ["proofOps"] = proofOps,
                        ["height"] = RpcJson.Int(answer.Height),
                        ["codespace"] = answer.Codespace,
                    },
                };
            }
            case "broadcast_tx_async":
            case "broadcast_tx_sync":
            {
                byte[] tx = args.Bytes("tx");
                ResponseCheckTx check = await _node.BroadcastAsync(tx).ConfigureAwait(false);
                // CometBFT's async answer comes before CheckTx; the stand-in has run it already, and answers code 0 as async does.
                bool async = method == "broadcast_tx_async";
                return new JsonObject
                {
                    ["code"] = async ? 0 : check.Code,
                    ["data"] = async ? "" : Convert.ToHexString(check.Data.Span),
                    ["log"] = async ? "" : check.Log,
                    ["codespace"] = async ? "" : check.Codespace,
                    ["hash"] = Convert.ToHexString(Hashes.Sha256(tx)),
                };
            }
            case "broadcast_tx_commit":
            {
                byte[] tx = args.Bytes("tx");
                ResponseCheckTx check = await _node.BroadcastAsync(tx).ConfigureAwait(false);
                var answer = new JsonObject { ["check_tx"] = RpcJson.CheckTx(check), ["tx_result"] = RpcJson.TxResult(new ExecTxResult()), ["hash"] = Convert.ToHexString(Hashes.Sha256(tx)), ["height"] = "0" };
                if (check.Code != 0) return answer;
                if (_node.FindTx(Hashes.Sha256(tx)) is null) await _node.ProduceBlockAsync().ConfigureAwait(false);
                var (block, index) = _node.FindTx(Hashes.Sha256(tx)) ?? throw new RpcException("the tx was not included in the next block");
                answer["tx_result"] = RpcJson.TxResult(block.Results.TxResults[index]);
                answer["height"] = RpcJson.Int(block.Height);
                return answer;
            }
            case "tx":
            {
                byte[] hash = args.Bytes("hash");
                if (_node.FindTx(hash) is not { } found)
                {
                    if (BlockOnTxNotFound && _node.MempoolSize > 0) await _node.ProduceBlockAsync().ConfigureAwait(false);
                    throw new RpcException($"tx ({Convert.ToHexString(hash)}) not found");
                }
                return TxJson(found.Block, found.Index);
            }
            case "tx_search":
            {
                TxQuery query = TxQuery.Parse(args.String("query") ?? "");
                var matches = _node.AllTxs().Where(t => query.Matches(t.Block.Height,
                    Convert.ToHexString(Hashes.Sha256(t.Block.Block.Data.Txs[t.Index].Span)), t.Block.Results.TxResults[t.Index].Events)).ToList();
                if (args.String("order_by") == "desc") matches.Reverse();
                var (skip, take) = Page(args, matches.Count);
                return new JsonObject
                {
                    ["txs"] = new JsonArray(matches.Skip(skip).Take(take).Select(t => (JsonNode)TxJson(t.Block, t.Index)).ToArray()),
                    ["total_count"] = RpcJson.Int(matches.Count),
                };
            }
            case "block":
            {
                StandInBlock block = _node.BlockAt(Height(args));
                return new JsonObject { ["block_id"] = RpcJson.BlockId(block.BlockId), ["block"] = RpcJson.Block(block.Block) };
            }
            case "header":
                return new JsonObject { ["header"] = RpcJson.Header(_node.BlockAt(Height(args)).Block.Header) };
            case "block_results":
            {
                StandInBlock block = _node.BlockAt(Height(args));
                ResponseFinalizeBlock results = block.Results;
                return new JsonObject
                {
                    ["height"] = RpcJson.Int(block.Height),
                    ["txs_results"] = results.TxResults.Count == 0 ? null : new JsonArray(results.TxResults.Select(r => (JsonNode)RpcJson.TxResult(r)).ToArray()),
                    ["finalize_block_events"] = RpcJson.Events(results.Events),
                    ["validator_updates"] = RpcJson.ValidatorUpdates(results.ValidatorUpdates),
                    ["consensus_param_updates"] = RpcJson.ConsensusParams(results.ConsensusParamUpdates),
                    ["app_hash"] = results.AppHash.ToBase64(),
                };
            }
            case "commit":
            {
                StandInBlock block = _node.BlockAt(Height(args));
                return new JsonObject
                {
                    ["signed_header"] = new JsonObject { ["header"] = RpcJson.Header(block.Block.Header), ["commit"] = RpcJson.Commit(block.Commit) },
                    // The latest height's commit is the node's seen commit; older ones are canonical (from the next block).
                    ["canonical"] = block.Height < _node.Height,
                };
            }
            case "validators":
            {
                long height = Height(args);
                var set = _node.BlockAt(height).Validators.Validators;
                var (skip, take) = Page(args, set.Count);
                var page = set.Skip(skip).Take(take).Select(v => (JsonNode)RpcJson.Validator(v)).ToArray();
                return new JsonObject
                {
                    ["block_height"] = RpcJson.Int(height),
                    ["validators"] = new JsonArray(page),
                    ["count"] = RpcJson.Int(page.Length),
                    ["total"] = RpcJson.Int(set.Count),
                };
            }
            case "genesis":
                return new JsonObject { ["genesis"] = _node.Genesis.ToJson() };
            case "num_unconfirmed_txs":
            case "unconfirmed_txs":
            {
                var txs = _node.MempoolTxs;
                var answer = new JsonObject
                {
                    ["n_txs"] = RpcJson.Int(txs.Count),
                    ["total"] = RpcJson.Int(txs.Count),
                    ["total_bytes"] = RpcJson.Int(txs.Sum(t => (long)t.Length)),
                    ["txs"] = null,
                };
                if (method == "unconfirmed_txs") answer["txs"] = new JsonArray(txs.Take((int)(args.Int("limit") ?? 30)).Select(t => (JsonNode)Convert.ToBase64String(t)).ToArray());
                return answer;
            }
            default:
                throw new RpcException("", -32601);
        }
    }

    private JsonObject Status()
    {
        StandInBlock latest = _node.LatestBlock;
        StandInBlock earliest = _node.BlockAt(_node.EarliestHeight);
        var self = latest.Validators.Validators[0];
        return new JsonObject
        {
            ["node_info"] = new JsonObject
            {
                ["protocol_version"] = new JsonObject { ["p2p"] = "8", ["block"] = "11", ["app"] = "1" },
                ["id"] = NodeId,
                ["listen_addr"] = "tcp://127.0.0.1:26656",
                ["network"] = _node.ChainId,
                ["version"] = "0.38.25",
                ["channels"] = "40202122233038606100",
                ["moniker"] = _node.Options.Moniker,
                ["other"] = new JsonObject { ["tx_index"] = "on", ["rpc_address"] = "tcp://" + Url["http://".Length..] },
            },
            ["sync_info"] = new JsonObject
            {
                ["latest_block_hash"] = RpcJson.Hex(latest.BlockId.Hash),
                ["latest_app_hash"] = RpcJson.Hex(_node.AppHash),
                ["latest_block_height"] = RpcJson.Int(latest.Height),
                ["latest_block_time"] = RpcJson.Time(latest.Block.Header.Time),
                ["earliest_block_hash"] = RpcJson.Hex(earliest.BlockId.Hash),
                ["earliest_app_hash"] = RpcJson.Hex(earliest.Block.Header.AppHash),
                ["earliest_block_height"] = RpcJson.Int(earliest.Height),
                ["earliest_block_time"] = RpcJson.Time(earliest.Block.Header.Time),
                ["catching_up"] = CatchingUp,
            },
            ["validator_info"] = new JsonObject
            {
                ["address"] = RpcJson.Hex(self.Address),
                ["pub_key"] = RpcJson.PubKey(self.PubKey.Ed25519.ToByteArray()),
                ["voting_power"] = RpcJson.Int(self.VotingPower),
            },
        };
    }

    private static JsonObject TxJson(StandInBlock block, int index) => new()
    {
        ["hash"] = Convert.ToHexString(Hashes.Sha256(block.Block.Data.Txs[index].Span)),
        ["height"] = RpcJson.Int(block.Height),
        ["index"] = index,
        ["tx_result"] = RpcJson.TxResult(block.Results.TxResults[index]),
        ["tx"] = block.Block.Data.Txs[index].ToBase64(),
    };

    private long Height(RpcArgs args)
    {
        long height = args.Int("height") ?? 0;
        if (height == 0) return _node.Height;
        if (height < 0) throw new RpcException($"height must be greater than zero (requested height: {height})");
        if (height > _node.Height) throw new RpcException($"height {height} must be less than or equal to the current blockchain height {_node.Height}");
        if (height < _node.EarliestHeight) throw new RpcException($"height {height} is not available, lowest height is {_node.EarliestHeight}");
        return height;
    }

    /// <summary>CometBFT's pagination: per_page default 30, at most 100; page from 1, within the pages there are.</summary>
    private static (int Skip, int Take) Page(RpcArgs args, int total)
    {
        int perPage = (int)(args.Int("per_page") ?? 30);
        if (perPage < 1) perPage = 30;
        perPage = Math.Min(perPage, 100);
        int pages = Math.Max(1, (total + perPage - 1) / perPage);
        long page = args.Int("page") ?? 1;
        if (page < 1 || page > pages) throw new RpcException($"page should be within [1, {pages}] range, given {page}");
        return ((int)(page - 1) * perPage, perPage);
    }

    private static JsonObject Result(JsonNode? id, JsonObject result) => new() { ["jsonrpc"] = "2.0", ["id"] = id, ["result"] = result };

    private static JsonObject Error(JsonNode? id, int code, string message, string data) =>
        new() { ["jsonrpc"] = "2.0", ["id"] = id, ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["data"] = data } };

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        // Close alone: after Stop, the managed listener's Close binds the port again to remove its prefixes, and fails
        // "address already in use" when another test's server took that port in between.
        _http.Close();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
        }
        _stop.Dispose();
    }
}
