using DePinChain.Store;
using DePinChain.Store.Backend;
using DePinChain.Store.Backend.LevelDb;

namespace DePinChain.Store.CrashWriter;

public static class CrashStores
{
    /// <summary>Changeset format: a snapshot every few versions, so kills often land while one is being written.</summary>
    public const long SnapshotInterval = 4;

    public static MultiStore OpenLevelDb(string dir, bool writeBehind = false, StoreFormat format = StoreFormat.Nodes)
        => MultiStore.OpenOwning(LevelDbStore.Open(dir, LevelDbOptions.CreateNew with { BlockCacheBytes = 8L << 20, WriteBufferBytes = 4L << 20 }), CrashWorkload.StoreNames,
            Options(dir, format) with { CreateIfEmpty = true, WriteBehind = writeBehind });

    /// <summary>The options of the writer's store (and of the check that reopens it): format, pruning and where snapshots go.</summary>
    public static MultiStoreOptions Options(string dir, StoreFormat format) => format == StoreFormat.Changesets
        ? new MultiStoreOptions { Pruning = CrashWorkload.Pruning, Format = format, PinnedHeight = 0, SnapshotDirectory = SnapshotDirectory(dir), SnapshotInterval = SnapshotInterval }
        : new MultiStoreOptions { Pruning = CrashWorkload.Pruning, NodeCacheSize = 10_000 };

    public static string SnapshotDirectory(string dir) => dir.TrimEnd('/') + ".snapshots";
}
