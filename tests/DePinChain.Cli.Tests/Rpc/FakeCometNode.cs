using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using DePinChain.Abci;
using DePinChain.App;
using DePinChain.App.Tests;
using DePinChain.Crypto;
using DePinChain.Protos.Abci;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging.Abstractions;

namespace DePinChain.Cli.Tests.Rpc;

/// <summary>
/// Stands in for CometBFT: answers the RPC endpoints the CLI and the gRPC server use (status, abci_query,
/// broadcast_tx_sync/async, tx, tx_search, block) with CometBFT v0.38's JSON shapes, and drives the real app over a real ABCI socket through <see cref="AbciDriver"/>.
/// A broadcast tx goes through CheckTx into a mempool; the next `tx` lookup first answers "not found" (as a node
/// does before inclusion) and then commits a block with the mempool's txs (FinalizeBlock + Commit).
/// </summary>
internal sealed class FakeCometNode : IAsyncDisposable
{
    private readonly HttpListener _http = new();
    private readonly AbciSocketServer _server;
    private readonly AbciDriver _driver;
    private readonly string _chainId;
    private readonly byte[] _proposer;
    private readonly List<byte[]> _mempool = [];
    private readonly Dictionary<string, (long Height, int Index, ExecTxResult Result, byte[] Tx)> _txs = new(StringComparer.Ordinal);
    private readonly List<(byte[] Hash, byte[] AppHash, DateTime Time, List<byte[]> Txs)> _blocks = [];
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private byte[] _appHash;
    // CometBFT's validator set per height: the genesis set at heights 1 and 2, then each block's validator_updates from
    // height H+2 on. Every validator of height H-1 votes for block H-1 (decided_last_commit of block H).
    private readonly Dictionary<long, SortedDictionary<string, long>> _sets = [];
    private readonly DateTime _genesisTime = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private FakeCometNode(DePinApp app, AbciSocketServer server, AbciDriver driver, string chainId, byte[] proposer, byte[] appHash)
    {
        App = app;
        _server = server;
        _driver = driver;
        _chainId = chainId;
        _proposer = proposer;
        _appHash = appHash;
        int port = FreePort();
        Url = $"http://127.0.0.1:{port}";
        _http.Prefixes.Add(Url + "/");
        _http.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    /// <summary>The app this node drives (committed state for servers that read it beside CometBFT, like the gRPC API).</summary>
    public DePinApp App { get; }

    public long Height => _blocks.Count;

    /// <summary>The node id `status` reports (node_info.id).</summary>
    public const string NodeId = "e9721b46244f44aa1ff50e1538797c163fde16fc";

    /// <summary>What `status` reports as sync_info.catching_up.</summary>
    public bool CatchingUp { get; set; }

    /// <summary>Every `status` call first commits a block (with the mempool's txs): a chain that moves on while a client polls it (the fleet simulator).</summary>
    public bool BlockOnStatus { get; set; }

    /// <summary>Starts the app from a genesis.json written by `init` (CometBFT fields + app_state) and commits block 1.</summary>
    public static async Task<FakeCometNode> StartAsync(string genesisPath)
    {
        JsonNode genesis = JsonNode.Parse(File.ReadAllText(genesisPath))!;
        string chainId = (string)genesis["chain_id"]!;
        var app = new DePinApp(new TestCommitMultiStore(AppModules.AllStoreNames));
        var server = new AbciSocketServer("tcp://127.0.0.1:0", app, NullLogger<AbciSocketServer>.Instance, e => throw e);
        server.Start();
        AbciDriver driver = await AbciDriver.ConnectAsync(server.ListenAddress);

        var init = new RequestInitChain
        {
            ChainId = chainId,
            InitialHeight = 1,
            Time = Timestamp.FromDateTime(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
            AppStateBytes = ByteString.CopyFromUtf8(genesis["app_state"]!.ToJsonString()),
            ConsensusParams = new DePinChain.Protos.Types.ConsensusParams { Block = new() { MaxBytes = 22020096, MaxGas = -1 } },
        };
        byte[] proposer = new byte[20];
        foreach (JsonNode? v in genesis["validators"]!.AsArray())
        {
            byte[] key = Convert.FromBase64String((string)v!["pub_key"]!["value"]!);
            init.Validators.Add(new ValidatorUpdate { Power = long.Parse((string)v["power"]!, CultureInfo.InvariantCulture), PubKey = new DePinChain.Protos.Crypto.PublicKey { Ed25519 = ByteString.CopyFrom(key) } });
            proposer = Ed25519.Address(key);
        }
        ResponseInitChain answer = await driver.InitChainAsync(init);
        var set = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var v in answer.Validators.Count > 0 ? answer.Validators : init.Validators)
            set[Convert.ToHexString(v.PubKey.Ed25519.Span)] = v.Power;
        if (answer.Validators.Count > 0) proposer = Ed25519.Address(Convert.FromHexString(set.Keys.First()));
        var node = new FakeCometNode(app, server, driver, chainId, proposer, answer.AppHash.ToByteArray());
        node._sets[1] = set;
        node._sets[2] = new SortedDictionary<string, long>(set, StringComparer.Ordinal);
        await node.CommitBlockAsync();
        return node;
    }

    private async Task CommitBlockAsync()
    {
        long height = _blocks.Count + 1;
        var txs = _mempool.ToList();
        _mempool.Clear();
        DateTime time = _genesisTime.AddSeconds(height);
        byte[] blockHash = Hashes.Sha256(Encoding.UTF8.GetBytes($"{_chainId}/{height}"));
        var request = new RequestFinalizeBlock
        {
            Height = height,
            Time = Timestamp.FromDateTime(time),
            Hash = ByteString.CopyFrom(blockHash),
            ProposerAddress = ByteString.CopyFrom(_proposer),
        };
        foreach (byte[] tx in txs)
            request.Txs.Add(ByteString.CopyFrom(tx));
        var last = new DePinChain.Protos.Abci.CommitInfo();
        if (height > 1)
            foreach (var (key, power) in _sets[height - 1])
                last.Votes.Add(new DePinChain.Protos.Abci.VoteInfo
                {
                    Validator = new DePinChain.Protos.Abci.Validator { Address = ByteString.CopyFrom(Ed25519.Address(Convert.FromHexString(key))), Power = power },
                    BlockIdFlag = DePinChain.Protos.Types.BlockIDFlag.Commit,
                });
        request.DecidedLastCommit = last;
        var (finalize, _) = await _driver.FinalizeAndCommitAsync(request);
        var next = new SortedDictionary<string, long>(_sets[height + 1], StringComparer.Ordinal);
        foreach (var update in finalize.ValidatorUpdates)
        {
            string key = Convert.ToHexString(update.PubKey.Ed25519.Span);
            if (update.Power == 0) next.Remove(key);
            else next[key] = update.Power;
        }
        _sets[height + 2] = next;
        _blocks.Add((blockHash, _appHash, time, txs));
        for (int i = 0; i < txs.Count; i++)
            _txs[Convert.ToHexString(Hashes.Sha256(txs[i]))] = (height, i, finalize.TxResults[i], txs[i]);
        _appHash = finalize.AppHash.ToByteArray();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _http.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            JsonObject reply;
            await _lock.WaitAsync();
            try
            {
                reply = await HandleAsync(context.Request.Url!.AbsolutePath.Trim('/'), context.Request.QueryString);
            }
            catch (Exception e)
            {
                reply = Error(-32603, "Internal error", e.Message);
            }
            finally
            {
                _lock.Release();
            }
            byte[] body = Encoding.UTF8.GetBytes(reply.ToJsonString());
            context.Response.StatusCode = reply.ContainsKey("error") ? 500 : 200;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    private async Task<JsonObject> HandleAsync(string method, System.Collections.Specialized.NameValueCollection args)
    {
        switch (method)
        {
            case "status":
                if (BlockOnStatus)
                    await CommitBlockAsync();
                return Result(new JsonObject
                {
                    ["node_info"] = new JsonObject
                    {
                        ["protocol_version"] = new JsonObject { ["p2p"] = "8", ["block"] = "11", ["app"] = "1" },
                        ["id"] = NodeId,
                        ["listen_addr"] = "tcp://127.0.0.1:26656",
                        ["network"] = _chainId,
                        ["version"] = "0.38.25",
                        ["channels"] = "40202122233038606100",
                        ["moniker"] = "fake",
                        ["other"] = new JsonObject { ["tx_index"] = "on", ["rpc_address"] = "tcp://" + Url["http://".Length..] },
                    },
                    ["sync_info"] = new JsonObject
                    {
                        ["latest_block_hash"] = Convert.ToHexString(_blocks[^1].Hash),
                        ["latest_app_hash"] = Convert.ToHexString(_appHash),
                        ["latest_block_height"] = Height.ToString(CultureInfo.InvariantCulture),
                        ["latest_block_time"] = _blocks[^1].Time.ToString("o", CultureInfo.InvariantCulture),
                        ["catching_up"] = CatchingUp,
                    },
                });
            case "abci_query":
            {
                var request = new RequestQuery
                {
                    Path = Unquote(args["path"]),
                    Data = ByteString.CopyFrom(Hex(args["data"])),
                    Height = long.Parse(args["height"] ?? "0", CultureInfo.InvariantCulture),
                };
                ResponseQuery answer = await _driver.QueryAsync(request);
                return Result(new JsonObject
                {
                    ["response"] = new JsonObject
                    {
                        ["code"] = answer.Code,
                        ["log"] = answer.Log,
                        ["info"] = answer.Info,
                        ["index"] = answer.Index.ToString(CultureInfo.InvariantCulture),
                        ["key"] = answer.Key.IsEmpty ? null : answer.Key.ToBase64(),
                        ["value"] = answer.Value.IsEmpty ? null : answer.Value.ToBase64(),
                        ["proofOps"] = null,
                        ["height"] = answer.Height.ToString(CultureInfo.InvariantCulture),
                        ["codespace"] = answer.Codespace,
                    },
                });
            }
            case "broadcast_tx_async":
            {
                // CometBFT answers before CheckTx has run; here it runs first, the answer is the same.
                byte[] tx = Hex(args["tx"]);
                ResponseCheckTx check = await _driver.CheckTxAsync(new RequestCheckTx { Tx = ByteString.CopyFrom(tx), Type = CheckTxType.New });
                if (check.Code == 0)
                    _mempool.Add(tx);
                return Result(new JsonObject { ["code"] = 0, ["data"] = "", ["log"] = "", ["codespace"] = "", ["hash"] = Convert.ToHexString(Hashes.Sha256(tx)) });
            }
            case "broadcast_tx_sync":
            {
                byte[] tx = Hex(args["tx"]);
                ResponseCheckTx check = await _driver.CheckTxAsync(new RequestCheckTx { Tx = ByteString.CopyFrom(tx), Type = CheckTxType.New });
                if (check.Code == 0)
                    _mempool.Add(tx);
                return Result(new JsonObject
                {
                    ["code"] = check.Code,
                    ["data"] = check.Data.ToBase64(),
                    ["log"] = check.Log,
                    ["codespace"] = check.Codespace,
                    ["hash"] = Convert.ToHexString(Hashes.Sha256(tx)),
                });
            }
            case "tx":
            {
                string hash = Convert.ToHexString(Hex(args["hash"]));
                if (!_txs.TryGetValue(hash, out var found))
                {
                    if (_mempool.Count > 0)
                        await CommitBlockAsync();
                    return Error(-32603, "Internal error", $"tx ({hash}) not found");
                }
                return Result(TxJson(hash, found));
            }
            case "tx_search":
            {
                var conditions = ParseQuery(Unquote(args["query"]));
                if (conditions is null)
                    return Error(-32603, "Internal error", $"failed to parse query: {args["query"]}");
                int page = int.Parse(args["page"] ?? "1", CultureInfo.InvariantCulture);
                int perPage = int.Parse(args["per_page"] ?? "30", CultureInfo.InvariantCulture);
                bool descending = args["order_by"] is { } order && Unquote(order) == "desc";
                var matches = _txs.Where(t => conditions.All(c => Matches(c, t.Key, t.Value)))
                    .OrderBy(t => t.Value.Height).ThenBy(t => t.Value.Index).ToList();
                if (descending)
                    matches.Reverse();
                int pages = Math.Max(1, (matches.Count + perPage - 1) / perPage);
                if (page < 1 || page > pages)
                    return Error(-32603, "Internal error", $"page should be within [1, {pages}] range, given {page}");
                var txs = new JsonArray(matches.Skip((page - 1) * perPage).Take(perPage).Select(t => (JsonNode)TxJson(t.Key, t.Value)).ToArray());
                return Result(new JsonObject { ["txs"] = txs, ["total_count"] = matches.Count.ToString(CultureInfo.InvariantCulture) });
            }
            case "validators":
            {
                // CometBFT's validators: the set at a height (default latest), paged (per_page default 30, at most 100).
                long height = args["height"] is { } vh ? long.Parse(vh, CultureInfo.InvariantCulture) : Height;
                if (height < 1 || height > Height)
                    return Error(-32603, "Internal error", $"height {height} must be less than or equal to the current blockchain height {Height}");
                var set = _sets[height].ToList();
                int perPage = Math.Clamp(int.Parse(args["per_page"] ?? "30", CultureInfo.InvariantCulture), 1, 100);
                int pages = Math.Max(1, (set.Count + perPage - 1) / perPage);
                int page = int.Parse(args["page"] ?? "1", CultureInfo.InvariantCulture);
                if (page < 1 || page > pages)
                    return Error(-32603, "Internal error", $"page should be within [1, {pages}] range, given {page}");
                var validators = new JsonArray(set.Skip((page - 1) * perPage).Take(perPage).Select(v => (JsonNode)new JsonObject
                {
                    ["address"] = Convert.ToHexString(Ed25519.Address(Convert.FromHexString(v.Key))),
                    ["pub_key"] = new JsonObject { ["type"] = "tendermint/PubKeyEd25519", ["value"] = Convert.ToBase64String(Convert.FromHexString(v.Key)) },
                    ["voting_power"] = v.Value.ToString(CultureInfo.InvariantCulture),
                    ["proposer_priority"] = "0",
                }).ToArray());
                return Result(new JsonObject
                {
                    ["block_height"] = height.ToString(CultureInfo.InvariantCulture), ["validators"] = validators,
                    ["count"] = validators.Count.ToString(CultureInfo.InvariantCulture), ["total"] = set.Count.ToString(CultureInfo.InvariantCulture),
                });
            }
            case "block":
            {
                long height = args["height"] is { } h ? long.Parse(h, CultureInfo.InvariantCulture) : Height;
                if (height < 1 || height > Height)
                    return Error(-32603, "Internal error", $"height {height} must be less than or equal to the current blockchain height {Height}");
                var block = _blocks[(int)height - 1];
                JsonObject BlockId(long h) => h < 1
                    ? new JsonObject { ["hash"] = "", ["parts"] = new JsonObject { ["total"] = 0, ["hash"] = "" } }
                    : new JsonObject { ["hash"] = Convert.ToHexString(_blocks[(int)h - 1].Hash), ["parts"] = new JsonObject { ["total"] = 1, ["hash"] = Convert.ToHexString(Hashes.Sha256(_blocks[(int)h - 1].Hash)) } };
                var signatures = new JsonArray();
                if (height > 1)
                    foreach (var key in _sets[height - 1].Keys)
                        signatures.Add(new JsonObject
                        {
                            ["block_id_flag"] = 2,
                            ["validator_address"] = Convert.ToHexString(Ed25519.Address(Convert.FromHexString(key))),
                            ["timestamp"] = Rfc3339(block.Time),
                            ["signature"] = Convert.ToBase64String(new byte[64]),
                        });
                string empty = Convert.ToHexString(Hashes.Sha256([]));
                return Result(new JsonObject
                {
                    ["block_id"] = BlockId(height),
                    ["block"] = new JsonObject
                    {
                        ["header"] = new JsonObject
                        {
                            ["version"] = new JsonObject { ["block"] = "11", ["app"] = "1" },
                            ["chain_id"] = _chainId,
                            ["height"] = height.ToString(CultureInfo.InvariantCulture),
                            ["time"] = Rfc3339(block.Time),
                            ["last_block_id"] = BlockId(height - 1),
                            ["last_commit_hash"] = empty,
                            ["data_hash"] = empty,
                            ["validators_hash"] = empty,
                            ["next_validators_hash"] = empty,
                            ["consensus_hash"] = empty,
                            ["app_hash"] = Convert.ToHexString(block.AppHash),
                            ["last_results_hash"] = empty,
                            ["evidence_hash"] = empty,
                            ["proposer_address"] = Convert.ToHexString(_proposer),
                        },
                        ["data"] = new JsonObject { ["txs"] = new JsonArray(block.Txs.Select(t => (JsonNode)Convert.ToBase64String(t)).ToArray()) },
                        ["evidence"] = new JsonObject { ["evidence"] = new JsonArray() },
                        ["last_commit"] = new JsonObject
                        {
                            ["height"] = (height - 1).ToString(CultureInfo.InvariantCulture),
                            ["round"] = 0,
                            ["block_id"] = BlockId(height - 1),
                            ["signatures"] = signatures,
                        },
                    },
                });
            }
            default:
                return Error(-32601, "Method not found", "");
        }
    }

    /// <summary>An included tx as `tx` and `tx_search` write it.</summary>
    private static JsonObject TxJson(string hash, (long Height, int Index, ExecTxResult Result, byte[] Tx) found)
    {
        var events = new JsonArray();
        foreach (Event e in found.Result.Events)
        {
            var attributes = new JsonArray();
            foreach (EventAttribute a in e.Attributes)
                attributes.Add(new JsonObject { ["key"] = a.Key, ["value"] = a.Value, ["index"] = a.Index });
            events.Add(new JsonObject { ["type"] = e.Type, ["attributes"] = attributes });
        }
        return new JsonObject
        {
            ["hash"] = hash,
            ["height"] = found.Height.ToString(CultureInfo.InvariantCulture),
            ["index"] = found.Index,
            ["tx_result"] = new JsonObject
            {
                ["code"] = found.Result.Code,
                ["data"] = found.Result.Data.ToBase64(),
                ["log"] = found.Result.Log,
                ["info"] = found.Result.Info,
                ["gas_wanted"] = found.Result.GasWanted.ToString(CultureInfo.InvariantCulture),
                ["gas_used"] = found.Result.GasUsed.ToString(CultureInfo.InvariantCulture),
                ["events"] = events,
                ["codespace"] = found.Result.Codespace,
            },
            ["tx"] = Convert.ToBase64String(found.Tx),
        };
    }

    /// <summary>The part of CometBFT's query language tx_search needs here: conditions `key='value'` or `key=number`
    /// joined by AND; null when the query is not of that form.</summary>
    private static List<(string Key, string Value)>? ParseQuery(string query)
    {
        var conditions = new List<(string, string)>();
        foreach (string part in query.Split(" AND ", StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                return null;
            string value = part[(eq + 1)..].Trim();
            if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
                value = value[1..^1];
            else if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                return null;
            conditions.Add((part[..eq].Trim(), value));
        }
        return conditions;
    }

    private static bool Matches((string Key, string Value) condition, string hash, (long Height, int Index, ExecTxResult Result, byte[] Tx) found)
    {
        if (condition.Key == "tx.height")
            return found.Height.ToString(CultureInfo.InvariantCulture) == condition.Value;
        if (condition.Key == "tx.hash")
            return string.Equals(hash, condition.Value, StringComparison.OrdinalIgnoreCase);
        int dot = condition.Key.LastIndexOf('.');
        return dot > 0 && found.Result.Events.Any(e => e.Type == condition.Key[..dot]
            && e.Attributes.Any(a => a.Index && a.Key == condition.Key[(dot + 1)..] && a.Value == condition.Value));
    }

    private static string Rfc3339(DateTime time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Result(JsonObject result) => new() { ["jsonrpc"] = "2.0", ["id"] = -1, ["result"] = result };

    private static JsonObject Error(int code, string message, string data) =>
        new() { ["jsonrpc"] = "2.0", ["id"] = -1, ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["data"] = data } };

    private static string Unquote(string? text) =>
        text is { Length: >= 2 } && text[0] == '"' && text[^1] == '"' ? text[1..^1] : throw new FormatException($"expected a quoted string, got {text}");

    private static byte[] Hex(string? text) =>
        text is not null && text.StartsWith("0x", StringComparison.Ordinal) ? Convert.FromHexString(text[2..]) : throw new FormatException($"expected 0x-hex, got {text}");

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
        _stop.Cancel();
        // Close alone: after Stop, the managed listener's Close binds the port again to remove its prefixes, and fails
        // "address already in use" when another test's server took that port in between.
        _http.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
        }
        await _driver.DisposeAsync();
        await _server.DisposeAsync();
    }
}
