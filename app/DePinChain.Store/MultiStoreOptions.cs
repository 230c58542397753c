using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DePinChain.Store;

public sealed record MultiStoreOptions
{
    /// <summary>Which versions stay readable after each commit.</summary>
    public PruningOptions Pruning { get; init; } = PruningOptions.Nothing;

    /// <summary>Tree nodes kept in memory per store.</summary>
    public int NodeCacheSize { get; init; } = 100_000;

    /// <summary>
    /// Tree nodes at least this high keep their children in memory once loaded (see
    /// <see cref="Iavl.IavlTreeOptions.PinnedHeight"/>). 0 keeps whole trees in memory: fastest, and about
    /// 300 bytes per node (2 nodes per key) with no bound, so only for a machine sized for its state.
    /// </summary>
    public int PinnedHeight { get; init; } = 8;

    /// <summary>
    /// Start a new store at version 0 when the database is empty. Off by default so that a node pointed at
    /// the wrong (or a wiped) directory stops instead of silently starting a fresh chain.
    /// </summary>
    public bool CreateIfEmpty { get; init; }

    /// <summary>
    /// Commit returns once the new version is sealed in memory (hashed, readable, proofs served); its one synced
    /// batch is staged and written on another thread while the caller executes the next block, and the next
    /// commit first waits for it, so at most one version is unwritten. A crash then leaves the store at the last
    /// commit or the one before it; CometBFT's handshake replays the block the app lacks. A failed write makes the
    /// next Commit (or Flush) throw. Off: Commit returns after the write.
    /// </summary>
    public bool WriteBehind { get; init; }

    /// <summary>
    /// How the trees are persisted. <see cref="StoreFormat.Changesets"/> needs <see cref="PinnedHeight"/> 0 (whole trees
    /// in memory) and a <see cref="SnapshotDirectory"/>; a database keeps the format it was created with.
    /// </summary>
    public StoreFormat Format { get; init; } = StoreFormat.Nodes;

    /// <summary>
    /// Changeset format: a snapshot of every tree is written every this many versions. Opening replays at most this
    /// many changesets after the newest snapshot, so it bounds restart time (1,000 blocks of 10k updates: about a
    /// minute of replay at 10M keys) against the snapshot's cost (a sequential write of the whole state, ≈ 1.4 GB
    /// at 10M keys, on a background thread: about 1.5 MB/s at one block per second).
    /// </summary>
    public long SnapshotInterval { get; init; } = 1_000;

    /// <summary>
    /// Changeset format: older versions stay readable (views, queries, proofs) only while their roots are in memory,
    /// at most this many versions back including the latest (and never more than <see cref="Pruning"/> keeps). Older
    /// ones answer <see cref="VersionNotFoundException"/> as pruned versions do.
    /// </summary>
    public long MemoryVersions { get; init; } = 100;

    /// <summary>Changeset format: the directory that holds the snapshots (created if missing); required in that format.</summary>
    public string? SnapshotDirectory { get; init; }

    public ILogger Logger { get; init; } = NullLogger.Instance;
}
