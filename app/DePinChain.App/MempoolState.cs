using DePinChain.Protos.Abci;
using DePinChain.Sdk;
using DePinChain.Store;

namespace DePinChain.App;

/// <summary>
/// CheckTx and the mempool's view of the state: a branch of the last committed version on which each tx's ante
/// chain runs (fees and sequences accumulate, messages are not executed), replaced after every Commit. It is given
/// committed state only, so it never touches the state a block is writing; CheckTx calls are serialized by its own
/// lock, which no consensus call takes.
/// </summary>
internal sealed class MempoolState
{
    private readonly CommittedState _committed;
    private readonly TxRunner _runner;
    private readonly ChainSettings _chain;
    private readonly object _lock = new();
    private CheckState? _state;

    /// <summary>The mempool's view: a branch of the version committed at <paramref name="Height"/>.</summary>
    private sealed record CheckState(long Height, ICacheMultiStore Branch);

    public MempoolState(CommittedState committed, TxRunner runner, ChainSettings chain)
    {
        _committed = committed;
        _runner = runner;
        _chain = chain;
        if (committed.LatestHeight > 0) Reset();
    }

    public ResponseCheckTx CheckTx(RequestCheckTx request)
    {
        var mode = request.Type == CheckTxType.Recheck ? ExecMode.ReCheckTx : ExecMode.CheckTx;
        lock (_lock)
        {
            var state = Volatile.Read(ref _state);
            if (state is null)
                return Error(SdkErrors.InvalidRequest("the chain has no committed block yet; retry after the first block"));
            var header = new BlockHeader(_chain.ChainId, state.Height + 1, _committed.BlockTimeAt(state.Height));
            var outcome = _runner.Run(state.Branch, header, mode, AbciConvert.ArrayOf(request.Tx));
            return new ResponseCheckTx
            {
                Code = outcome.Code,
                Codespace = outcome.Codespace,
                Log = outcome.Log,
                GasWanted = (long)outcome.GasWanted,
                GasUsed = (long)outcome.GasUsed,
                Events = { outcome.Events },
            };
        }
    }

    /// <summary>
    /// Starts the mempool over from the last committed version (after each Commit; CometBFT then rechecks the txs it
    /// still holds). A CheckTx already running finishes on the view it started with.
    /// </summary>
    public void Reset()
    {
        long height = _committed.LatestHeight;
        var view = _committed.ViewAt(height);
        Volatile.Write(ref _state, new CheckState(height, view.Branch()));
    }

    private static ResponseCheckTx Error(SdkError e) => new() { Code = e.Code, Codespace = e.Codespace, Log = e.Message };
}
