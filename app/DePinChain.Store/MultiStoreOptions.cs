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

    public ILogger Logger { get; init; } = NullLogger.Instance;
}
