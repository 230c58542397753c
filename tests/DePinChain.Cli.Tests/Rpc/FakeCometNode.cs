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
/// Stands in for CometBFT: answers the RPC endpoints the CLI uses (status, abci_query, broadcast_tx_sync, tx, block)
/// with CometBFT v0.38's JSON shapes, and drives the real app over a real ABCI socket through <see cref="AbciDriver"/>.
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

    private FakeCometNode(AbciSocketServer server, AbciDriver driver, string chainId, byte[] proposer, byte[] appHash)
    {
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

    public long Height => _blocks.Count;

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
        var node = new FakeCometNode(server, driver, chainId, proposer, answer.AppHash.ToByteArray());
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
                    ["node_info"] = new JsonObject { ["network"] = _chainId, ["moniker"] = "fake", ["version"] = "0.38.25" },
                    ["sync_info"] = new JsonObject
                    {
                        ["latest_block_hash"] = Convert.ToHexString(_blocks[^1].Hash),
                        ["latest_app_hash"] = Convert.ToHexString(_appHash),
                        ["latest_block_height"] = Height.ToString(CultureInfo.InvariantCulture),
                        ["latest_block_time"] = _blocks[^1].Time.ToString("o", CultureInfo.InvariantCulture),
                        ["catching_up"] = false,
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
                var events = new JsonArray();
                foreach (Event e in found.Result.Events)
                {
                    var attributes = new JsonArray();
                    foreach (EventAttribute a in e.Attributes)
                        attributes.Add(new JsonObject { ["key"] = a.Key, ["value"] = a.Value, ["index"] = a.Index });
                    events.Add(new JsonObject { ["type"] = e.Type, ["attributes"] = attributes });
                }
                return Result(new JsonObject
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
                });
            }
            case "block":
            {
                long height = args["height"] is { } h ? long.Parse(h, CultureInfo.InvariantCulture) : Height;
                if (height < 1 || height > Height)
                    return Error(-32603, "Internal error", $"height {height} must be less than or equal to the current blockchain height {Height}");
                var block = _blocks[(int)height - 1];
                return Result(new JsonObject
                {
                    ["block_id"] = new JsonObject { ["hash"] = Convert.ToHexString(block.Hash), ["parts"] = new JsonObject { ["total"] = 1, ["hash"] = "" } },
                    ["block"] = new JsonObject
                    {
                        ["header"] = new JsonObject
                        {
                            ["chain_id"] = _chainId,
                            ["height"] = height.ToString(CultureInfo.InvariantCulture),
                            ["time"] = block.Time.ToString("o", CultureInfo.InvariantCulture),
                            ["app_hash"] = Convert.ToHexString(block.AppHash),
                            ["proposer_address"] = Convert.ToHexString(_proposer),
                        },
                        ["data"] = new JsonObject { ["txs"] = new JsonArray(block.Txs.Select(t => (JsonNode)Convert.ToBase64String(t)).ToArray()) },
                        ["evidence"] = new JsonObject { ["evidence"] = new JsonArray() },
                    },
                });
            }
            default:
                return Error(-32601, "Method not found", "");
        }
    }

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
