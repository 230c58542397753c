using DePinChain.Protos.Cosmos.Base.Abci.V1Beta1;
using DePinChain.Protos.Cosmos.Tx.V1Beta1;
using DePinChain.Sdk;
using DePinChain.Store;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace DePinChain.App;

/// <summary>A query as any server asks it: a path, the request's protobuf bytes, a height (0 = latest), and whether to prove.</summary>
/// <param name="Path">A gRPC method path (<c>/cosmos.bank.v1beta1.Query/Balance</c>), <c>store/&lt;name&gt;/key</c>, or <c>app/version</c>.</param>
/// <param name="Prove">Store queries only: add the ICS-23 proof chain.</param>
public sealed record AppQuery(string Path, ByteString Data, long Height = 0, bool Prove = false);

/// <summary>The answer to an <see cref="AppQuery"/>: code 0 and the response bytes, or the error's code, codespace and log.</summary>
/// <param name="Height">The height the answer is for (never 0).</param>
/// <param name="Key">Store queries: the key asked about.</param>
/// <param name="Proof">Store queries asked to prove: <c>ics23:iavl</c> then <c>ics23:simple</c>; otherwise null.</param>
public sealed record AppQueryResult(uint Code, string Codespace, string Log, long Height, ByteString Value, ByteString Key, IReadOnlyList<ProofOp>? Proof)
{
    public static AppQueryResult Ok(long height, ByteString value) => new(0, "", "", height, value, ByteString.Empty, null);

    public static AppQueryResult Error(SdkError e, long height) => new(e.Code, e.Codespace, e.Message, Math.Max(height, 1), ByteString.Empty, ByteString.Empty, null);
}

/// <summary>
/// Every query the app answers, on committed state only: the modules' gRPC methods (the <see cref="QueryRouter"/>),
/// the app's own paths (simulate, version) and raw store keys with proofs. Transport-neutral (path + request bytes +
/// height → result): ABCI Query and the gRPC API server (DePinChain.Api) call it, and the REST gateway will. Safe from any
/// thread, beside a block being executed or committed.
/// </summary>
public sealed class QueryService
{
    public const string SimulatePath = "/cosmos.tx.v1beta1.Service/Simulate";
    public const string VersionPath = "app/version";
    private const string StorePrefix = "store/";

    private readonly CommittedState _committed;
    private readonly QueryRouter _router;
    private readonly TxRunner _runner;
    private readonly ChainSettings _chain;
    private readonly ILogger _logger;
    private readonly Dictionary<string, Func<ByteString, long, AppQueryResult>> _appPaths;

    internal QueryService(CommittedState committed, QueryRouter router, TxRunner runner, ChainSettings chain, string version, ILogger logger)
    {
        _committed = committed;
        _router = router;
        _runner = runner;
        _chain = chain;
        _logger = logger;
        // The app's own paths, beside the modules' services: the SDK's tx service's Simulate (gas estimation for
        // clients) and the software version.
        _appPaths = new(StringComparer.Ordinal)
        {
            [SimulatePath] = Simulate,
            [VersionPath] = (_, height) => AppQueryResult.Ok(height, ByteString.CopyFromUtf8(version)),
        };
    }

    /// <summary>Answers one query; every rejection is a result with its code (an unknown path is code 6), never an exception.</summary>
    public AppQueryResult Query(AppQuery query)
    {
        long latest = _committed.LatestHeight;
        if (latest == 0) return AppQueryResult.Error(SdkErrors.InvalidRequest("no committed state yet; query after the first block"), 0);
        long height = query.Height == 0 ? latest : query.Height;
        if (height < 0 || height > latest)
            return AppQueryResult.Error(SdkErrors.InvalidRequest($"cannot query height {query.Height}; latest committed height is {latest}"), latest);
        try
        {
            if (query.Path.StartsWith(StorePrefix, StringComparison.Ordinal)) return QueryStore(query, height);
            if (_appPaths.TryGetValue(query.Path, out var answer)) return answer(query.Data, height);
            var route = _router.Find(query.Path);
            if (route is null) return AppQueryResult.Error(SdkErrors.UnknownRequest($"unknown query path {query.Path}"), height);
            var ctx = QueryContext(height);
            return AppQueryResult.Ok(height, ByteString.CopyFrom(route.Handle(ctx, query.Data)));
        }
        catch (SdkError e)
        {
            return AppQueryResult.Error(e, height);
        }
        catch (VersionNotFoundException e)
        {
            return AppQueryResult.Error(SdkErrors.InvalidRequest(e.Message), height);
        }
    }

    private Context QueryContext(long height)
        => new(_committed.ViewAt(height).Branch(), new BlockHeader(_chain.ChainId, height, _committed.BlockTimeAt(height)), ExecMode.Query,
            GasMeter.Infinite(), new EventManager(), _logger);

    private AppQueryResult QueryStore(AppQuery query, long height)
    {
        // store/<name>/key: raw value of one key, with an ICS-23 proof chain when asked.
        var parts = query.Path.Split('/');
        if (parts.Length != 3 || parts[2] != "key")
            return AppQueryResult.Error(SdkErrors.UnknownRequest($"unknown store query {query.Path}; use store/<name>/key"), height);
        if (!_committed.StoreNames.Contains(parts[1])) return AppQueryResult.Error(SdkErrors.UnknownRequest($"no store named {parts[1]}"), height);
        if (query.Data.IsEmpty) return AppQueryResult.Error(SdkErrors.InvalidRequest("store query needs a key in data"), height);
        var result = _committed.Query(parts[1], query.Data.Span, height, query.Prove);
        return new AppQueryResult(0, "", "", result.Version,
            result.Value is null ? ByteString.Empty : ByteString.CopyFrom(result.Value), ByteString.CopyFrom(result.Key),
            query.Prove ? result.ProofOps : null);
    }

    private AppQueryResult Simulate(ByteString data, long height)
    {
        SimulateRequest simulate;
        try { simulate = SimulateRequest.Parser.ParseFrom(data); }
        catch (InvalidProtocolBufferException e) { return AppQueryResult.Error(SdkErrors.InvalidRequest($"cannot decode SimulateRequest: {e.Message}"), height); }
#pragma warning disable CS0612 // The deprecated tx field: older clients still send it.
        byte[] bytes = !simulate.TxBytes.IsEmpty
            ? simulate.TxBytes.ToByteArray()
            : simulate.Tx is { } tx
                ? new TxRaw { BodyBytes = tx.Body?.ToByteString() ?? ByteString.Empty, AuthInfoBytes = tx.AuthInfo?.ToByteString() ?? ByteString.Empty, Signatures = { tx.Signatures } }.ToByteArray()
                : throw SdkErrors.InvalidRequest("empty tx");
#pragma warning restore CS0612
        var view = _committed.ViewAt(height);
        var outcome = _runner.Run(view.Branch(), new BlockHeader(_chain.ChainId, height + 1, _committed.BlockTimeAt(height)), ExecMode.Simulate, bytes);
        if (outcome.Code != 0) return new AppQueryResult(outcome.Code, outcome.Codespace, outcome.Log, height, ByteString.Empty, ByteString.Empty, null);
        var response = new SimulateResponse
        {
            GasInfo = new GasInfo { GasWanted = outcome.GasWanted, GasUsed = outcome.GasUsed },
            Result = outcome.Result,
        };
        return AppQueryResult.Ok(height, response.ToByteString());
    }
}
