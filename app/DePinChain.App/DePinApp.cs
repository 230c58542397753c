using DePinChain.Abci;
using DePinChain.Protos.Abci;
using DePinChain.Sdk;
using DePinChain.Store;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DePinChain.App;

/// <summary>
/// The ABCI application (the SDK's BaseApp), assembled from one part per lifecycle concern; this class only builds
/// them and hands each ABCI call to the part that owns it. What each part is given states the threading contract of
/// <see cref="IAbciApplication"/>:
/// <list type="bullet">
/// <item>Consensus connection, called one at a time: <see cref="AppGenesis"/> (InitChain), <see cref="Proposals"/>
/// (Prepare/ProcessProposal) and <see cref="BlockExecutor"/> (FinalizeBlock, Commit) are the only parts given the
/// working state (<see cref="ICommitMultiStore"/>).</item>
/// <item>Mempool connection: <see cref="MempoolState"/> (CheckTx) is given <see cref="CommittedState"/> only, and
/// keeps its own branch of the last committed version, replaced after each Commit.</item>
/// <item>Info/query connection: Info and the <see cref="QueryService"/> are given <see cref="CommittedState"/> only.</item>
/// </list>
/// The signature pipeline that prepares a block's txs on other cores reads committed state only as well.
/// </summary>
public sealed class DePinApp : IAbciApplication
{
    public const string AppName = "depinchain";
    public const ulong AppVersion = 1;

    private readonly CommittedState _committed;
    private readonly ChainSettings _chain;
    private readonly AppGenesis _genesis;
    private readonly Proposals _proposals;
    private readonly BlockExecutor _blocks;
    private readonly MempoolState _mempool;

    /// <param name="modules">The wired modules; null = <c>new AppModules()</c> (tests pass their own coverage/device sources).</param>
    public DePinApp(ICommitMultiStore store, AppOptions? options = null, ILogger<DePinApp>? logger = null, string version = "dev", AppModules? modules = null)
    {
        options ??= new AppOptions();
        var log = (ILogger?)logger ?? NullLogger.Instance;
        Version = version;
        Modules = modules ?? new AppModules();
        Modules.RegisterRoutes(MsgRouter, QueryRouter);

        _committed = new CommittedState(store);
        _chain = new ChainSettings(store);
        var ante = new AnteHandler(Modules.AccountKeeper, Modules.BankKeeper, options);
        var runner = new TxRunner(ante, MsgRouter, options.IndexEvents, log, Modules.MempoolChecks);
        _genesis = new AppGenesis(store, _committed, Modules, _chain, runner, log);
        _proposals = new Proposals(store, runner, MsgRouter, _chain, options, log);
        var signatures = new SignaturePipeline(_committed, _chain, ante, MsgRouter, Modules.AccountKeeper, options, log);
        _blocks = new BlockExecutor(store, _committed, Modules, runner, signatures, _chain, options, log);
        _mempool = new MempoolState(_committed, runner, _chain);
        Queries = new QueryService(_committed, QueryRouter, runner, _chain, version, log);
    }

    public AppModules Modules { get; }

    public string Version { get; }

    public string ChainId => _chain.ChainId;

    public MsgRouter MsgRouter { get; } = new();

    public QueryRouter QueryRouter { get; } = new();

    /// <summary>Every query the app answers, for any server (ABCI Query and the gRPC API server; the REST gateway will call it the same way).</summary>
    public QueryService Queries { get; }

    /// <summary>Exports every module's genesis from the latest committed state (the app_state JSON object).</summary>
    public string ExportAppState() => ExportAppState(0);

    /// <summary>Exports every module's genesis from the state committed at <paramref name="height"/> (0 = latest).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, or above the latest committed height.</exception>
    /// <exception cref="VersionNotFoundException">That height was pruned.</exception>
    public string ExportAppState(long height) => _genesis.Export(height);

    // ---------------------------------------------------------------- info/query connection (committed state only)

    public ResponseInfo Info(RequestInfo request)
    {
        var last = _committed.Last;
        return new ResponseInfo
        {
            Data = AppName,
            Version = Version,
            AppVersion = AppVersion,
            LastBlockHeight = last.Version,
            LastBlockAppHash = ByteString.CopyFrom(last.Version == 0 ? [] : last.Hash),
        };
    }

    public ResponseQuery Query(RequestQuery request)
    {
        var result = Queries.Query(new AppQuery(request.Path, request.Data, request.Height, request.Prove));
        var response = new ResponseQuery
        {
            Code = result.Code,
            Codespace = result.Codespace,
            Log = result.Log,
            Height = result.Height,
            Key = result.Key,
            Value = result.Value,
        };
        if (result.Proof is { } proof)
        {
            response.ProofOps = new Protos.Crypto.ProofOps();
            foreach (var op in proof)
                response.ProofOps.Ops.Add(new Protos.Crypto.ProofOp { Type = op.Type, Key = ByteString.CopyFrom(op.Key), Data = ByteString.CopyFrom(op.Data) });
        }
        return response;
    }

    // ---------------------------------------------------------------- mempool connection (committed state only)

    public ResponseCheckTx CheckTx(RequestCheckTx request) => _mempool.CheckTx(request);

    // ---------------------------------------------------------------- consensus connection (one call at a time)

    public ResponseInitChain InitChain(RequestInitChain request) => _genesis.InitChain(request);

    public ResponsePrepareProposal PrepareProposal(RequestPrepareProposal request) => _proposals.PrepareProposal(request);

    public ResponseProcessProposal ProcessProposal(RequestProcessProposal request) => _proposals.ProcessProposal(request);

    public ResponseExtendVote ExtendVote(RequestExtendVote request) => new();

    public ResponseVerifyVoteExtension VerifyVoteExtension(RequestVerifyVoteExtension request)
        => new() { Status = ResponseVerifyVoteExtension.Types.VerifyStatus.Accept };

    public ResponseFinalizeBlock FinalizeBlock(RequestFinalizeBlock request) => _blocks.FinalizeBlock(request);

    public ResponseCommit Commit(RequestCommit request)
    {
        var response = _blocks.Commit();
        // CometBFT rechecks its mempool against the new state next: CheckTx starts over from the version just committed.
        _mempool.Reset();
        return response;
    }

    // ---------------------------------------------------------------- snapshot connection (not offered)

    public ResponseListSnapshots ListSnapshots(RequestListSnapshots request) => new();

    public ResponseOfferSnapshot OfferSnapshot(RequestOfferSnapshot request)
        => new() { Result = ResponseOfferSnapshot.Types.Result.Reject };

    public ResponseLoadSnapshotChunk LoadSnapshotChunk(RequestLoadSnapshotChunk request) => new();

    public ResponseApplySnapshotChunk ApplySnapshotChunk(RequestApplySnapshotChunk request)
        => new() { Result = ResponseApplySnapshotChunk.Types.Result.Abort };
}
