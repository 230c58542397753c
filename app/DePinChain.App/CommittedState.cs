using DePinChain.Store;

namespace DePinChain.App;

/// <summary>
/// The committed versions of the state and nothing else: what the parts of the app that run beside a block (CheckTx,
/// Query, the signature checks made ahead of execution) are given, so they cannot reach the working state a block is
/// writing. Safe from any thread while the consensus thread executes and commits (the store's threading contract).
/// </summary>
internal sealed class CommittedState(ICommitMultiStore store)
{
    /// <summary>The last committed version and its app hash (version 0 before the first commit).</summary>
    public CommitId Last => store.LastCommitId;

    /// <summary>The last committed height (0 before the first commit).</summary>
    public long LatestHeight => store.LastCommitId.Version;

    public IReadOnlyList<string> StoreNames => store.StoreNames;

    // The view of the latest committed height, built once per height: the queries at the latest height (nearly all of
    // them) share it instead of each building a tree view per store (~2 KiB and a lock per query). A view is immutable
    // and readable from any thread, and the latest height is never pruned.
    private LatestView? _latest;

    private sealed record LatestView(long Height, IMultiStore View);

    /// <summary>A read-only view of the state committed at <paramref name="height"/>.</summary>
    /// <exception cref="VersionNotFoundException">Pruned or never committed.</exception>
    public IMultiStore ViewAt(long height)
    {
        if (height != LatestHeight) return store.ViewAt(height); // an older height: may be pruned by now, the store says
        if (Volatile.Read(ref _latest) is { } cached && cached.Height == height) return cached.View;
        var view = store.ViewAt(height);
        Volatile.Write(ref _latest, new LatestView(height, view));
        return view;
    }

    /// <summary>One key of one store at a committed height, with its proof chain when asked.</summary>
    /// <exception cref="VersionNotFoundException">Pruned or never committed.</exception>
    public StoreQueryResult Query(string storeName, ReadOnlySpan<byte> key, long height, bool prove)
        => store.Query(storeName, key, height, prove);
}
