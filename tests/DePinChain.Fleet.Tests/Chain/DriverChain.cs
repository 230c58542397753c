using System.Text;
using System.Text.Json.Nodes;
using DePinChain.Abci;
using DePinChain.App;
using DePinChain.App.Tests;
using DePinChain.Crypto;
using DePinChain.Fleet.Sim;
using DePinChain.Protos.Abci;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging.Abstractions;

namespace DePinChain.Fleet.Tests.Chain;

/// <summary>
/// The real app behind a real ABCI socket (the in-repo driver), as the simulator sees a node: CheckTx into a mempool,
/// and a block (FinalizeBlock + Commit with every mempool tx) when a result is asked for a tx not yet included or a
/// height is waited for. Block hashes and times follow from the height, so the same txs give the same chain.
/// </summary>
internal sealed class DriverChain : IFleetChain, IAsyncDisposable
{
    public const string ChainId = "depin-fleet-test";
    private static readonly DateTime GenesisTime = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly AbciSocketServer _server;
    private readonly AbciDriver _driver;
    private readonly List<byte[]> _mempool = [];
    private readonly Dictionary<string, TxOutcome> _results = new(StringComparer.Ordinal);
    private readonly List<byte[]> _hashes = [];
    private byte[] _appHash = [];

    private DriverChain(AbciSocketServer server, AbciDriver driver)
    {
        _server = server;
        _driver = driver;
    }

    public long Height => _hashes.Count;

    public byte[] AppHash => _appHash;

    /// <summary>Starts the app from <paramref name="appState"/> and commits block 1.</summary>
    public static async Task<DriverChain> StartAsync(JsonObject appState)
    {
        var app = new DePinApp(new TestCommitMultiStore(AppModules.AllStoreNames));
        var server = new AbciSocketServer("tcp://127.0.0.1:0", app, NullLogger<AbciSocketServer>.Instance, e => throw e);
        server.Start();
        var driver = await AbciDriver.ConnectAsync(server.ListenAddress);
        var validator = Ed25519.PublicKeyFromSeed(Hashes.Sha256("fleet-validator"u8));
        var init = new RequestInitChain
        {
            ChainId = ChainId,
            InitialHeight = 1,
            Time = Timestamp.FromDateTime(GenesisTime),
            AppStateBytes = ByteString.CopyFromUtf8(appState.ToJsonString()),
            ConsensusParams = new Protos.Types.ConsensusParams { Block = new() { MaxBytes = 22020096, MaxGas = -1 } },
            Validators = { new ValidatorUpdate { Power = 10, PubKey = new Protos.Crypto.PublicKey { Ed25519 = ByteString.CopyFrom(validator) } } },
        };
        var answer = await driver.InitChainAsync(init);
        var chain = new DriverChain(server, driver) { _appHash = answer.AppHash.ToByteArray() };
        await chain.CommitBlockAsync();
        return chain;
    }

    private static DateTime TimeOf(long height) => GenesisTime.AddSeconds(2 * height);

    public async Task CommitBlockAsync()
    {
        var height = Height + 1;
        var txs = _mempool.ToList();
        _mempool.Clear();
        var hash = Hashes.Sha256(Encoding.UTF8.GetBytes($"{ChainId}/{height}"));
        var request = new RequestFinalizeBlock
        {
            Height = height, Time = Timestamp.FromDateTime(TimeOf(height)), Hash = ByteString.CopyFrom(hash),
            ProposerAddress = ByteString.CopyFrom(new byte[20]),
        };
        foreach (var tx in txs) request.Txs.Add(ByteString.CopyFrom(tx));
        var (finalize, _) = await _driver.FinalizeAndCommitAsync(request);
        _hashes.Add(hash);
        for (var i = 0; i < txs.Count; i++)
        {
            var r = finalize.TxResults[i];
            _results[Convert.ToHexString(Hashes.Sha256(txs[i]))] = new TxOutcome(height, r.Code, r.Codespace, r.Log);
        }
        _appHash = finalize.AppHash.ToByteArray();
    }

    public Task<ChainHead> HeadAsync(CancellationToken cancel) =>
        Task.FromResult(new ChainHead(ChainId, Height, _hashes[^1], new DateTimeOffset(TimeOf(Height)).ToUnixTimeMilliseconds(), _appHash));

    public async Task<ChainHead> WaitForHeightAsync(long height, CancellationToken cancel)
    {
        while (Height < height) await CommitBlockAsync();
        return await HeadAsync(cancel);
    }

    public Task<byte[]> BlockHashAsync(long height, CancellationToken cancel) => Task.FromResult(_hashes[(int)height - 1]);

    public async Task<QueryAnswer> QueryAsync(string path, byte[] data, CancellationToken cancel)
    {
        var answer = await _driver.QueryAsync(new RequestQuery { Path = path, Data = ByteString.CopyFrom(data) }, cancel);
        return new QueryAnswer(answer.Code, answer.Codespace, answer.Log, answer.Value.ToByteArray());
    }

    public async Task<CheckOutcome> BroadcastAsync(byte[] tx, CancellationToken cancel)
    {
        var check = await _driver.CheckTxAsync(new RequestCheckTx { Tx = ByteString.CopyFrom(tx), Type = CheckTxType.New }, cancellationToken: cancel);
        if (check.Code == 0) _mempool.Add(tx);
        return new CheckOutcome(check.Code, check.Codespace, check.Log, Convert.ToHexString(Hashes.Sha256(tx)));
    }

    public async Task<TxOutcome?> TxResultAsync(string hash, CancellationToken cancel)
    {
        if (_results.TryGetValue(hash, out var outcome)) return outcome;
        if (_mempool.Count > 0) await CommitBlockAsync();
        return _results.GetValueOrDefault(hash);
    }

    public async ValueTask DisposeAsync()
    {
        await _driver.DisposeAsync();
        await _server.DisposeAsync();
    }
}
