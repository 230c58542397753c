using DePinChain.Abci;
using DePinChain.Protos.Abci;

namespace DePinChain.Node;

/// <summary>
/// TEST-ONLY fault hook: when <c>DEPINCHAIN_CRASH_POINT=&lt;point&gt;:&lt;height&gt;</c> is set at startup, the process
/// dies (<see cref="Environment.FailFast(string)"/>, no cleanup, like kill -9) at that point of that height, so the
/// crash-recovery tests can hit the narrow windows that random kill timing rarely reaches. Points:
/// <c>after-finalize</c> (block executed, response not sent), <c>before-commit-write</c> (Commit received, nothing
/// persisted), <c>after-commit-write</c> (Commit done, response not sent; with write-behind its synced write may still be running). Unset: the app is served unwrapped.
/// </summary>
internal sealed class CrashPointApplication(IAbciApplication inner, string point, long height) : IAbciApplication
{
    public const string EnvironmentVariable = "DEPINCHAIN_CRASH_POINT";

    private long _lastFinalized;

    public static IAbciApplication WrapFromEnvironment(IAbciApplication app)
    {
        string? setting = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrEmpty(setting)) return app;
        int colon = setting.LastIndexOf(':');
        string point = colon > 0 ? setting[..colon] : "";
        if (point is not ("after-finalize" or "before-commit-write" or "after-commit-write")
            || !long.TryParse(setting.AsSpan(colon + 1), out long height) || height <= 0)
        {
            throw new FormatException($"{EnvironmentVariable} must be after-finalize|before-commit-write|after-commit-write:<height>, not \"{setting}\"");
        }
        return new CrashPointApplication(app, point, height);
    }

    private void CrashAt(string here, long at)
    {
        if (here == point && at == height) Environment.FailFast($"{EnvironmentVariable}: crashing at {point}:{height}");
    }

    public ResponseFinalizeBlock FinalizeBlock(RequestFinalizeBlock request)
    {
        var response = inner.FinalizeBlock(request);
        _lastFinalized = request.Height;
        CrashAt("after-finalize", request.Height);
        return response;
    }

    public ResponseCommit Commit(RequestCommit request)
    {
        CrashAt("before-commit-write", _lastFinalized);
        var response = inner.Commit(request);
        CrashAt("after-commit-write", _lastFinalized);
        return response;
    }

    public ResponseInfo Info(RequestInfo request) => inner.Info(request);
    public ResponseQuery Query(RequestQuery request) => inner.Query(request);
    public ResponseCheckTx CheckTx(RequestCheckTx request) => inner.CheckTx(request);
    public ResponseInitChain InitChain(RequestInitChain request) => inner.InitChain(request);
    public ResponsePrepareProposal PrepareProposal(RequestPrepareProposal request) => inner.PrepareProposal(request);
    public ResponseProcessProposal ProcessProposal(RequestProcessProposal request) => inner.ProcessProposal(request);
    public ResponseExtendVote ExtendVote(RequestExtendVote request) => inner.ExtendVote(request);
    public ResponseVerifyVoteExtension VerifyVoteExtension(RequestVerifyVoteExtension request) => inner.VerifyVoteExtension(request);
    public ResponseListSnapshots ListSnapshots(RequestListSnapshots request) => inner.ListSnapshots(request);
    public ResponseOfferSnapshot OfferSnapshot(RequestOfferSnapshot request) => inner.OfferSnapshot(request);
    public ResponseLoadSnapshotChunk LoadSnapshotChunk(RequestLoadSnapshotChunk request) => inner.LoadSnapshotChunk(request);
    public ResponseApplySnapshotChunk ApplySnapshotChunk(RequestApplySnapshotChunk request) => inner.ApplySnapshotChunk(request);
}
