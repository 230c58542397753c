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
    public long LatestHeight => store.LastCommitVersion;

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

    // Block times of the recent commits, newest last. The SDK gives CheckTx, simulation and queries the last committed
    // header's time (and a query at an older height that height's commit time): IBC needs it there, since a light-client
    // update is refused when its header is too far ahead of "now". Kept in memory only: after a restart the time is
    // unknown (Unix epoch, as the SDK's empty check header) until the next block commits.
    private const int RecentBlockTimes = 10_000;
    private readonly Lock _timesLock = new();
    private readonly SortedList<long, DateTimeOffset> _times = [];

    /// <summary>Records the block time of a height just committed.</summary>
    public void RecordBlockTime(long height, DateTimeOffset time)
    {
        lock (_timesLock)
        {
            _times[height] = time;
            while (_times.Count > RecentBlockTimes) _times.RemoveAt(0);
        }
    }

    /// <summary>The block time of a committed height when it is one of the recent ones seen by this process; else the Unix epoch.</summary>
    public DateTimeOffset BlockTimeAt(long height)
    {
        lock (_timesLock)
        {
            return _times.TryGetValue(height, out var time) ? time : DateTimeOffset.UnixEpoch;
        }
    }
}
