using DePinChain.Store;
using DePinChain.Store.Backend;
using DePinChain.Store.Backend.LevelDb;

namespace DePinChain.Store.CrashWriter;

public static class CrashStores
{
    public static MultiStore OpenLevelDb(string dir, bool writeBehind = false)
        => MultiStore.OpenOwning(LevelDbStore.Open(dir, LevelDbOptions.CreateNew with { BlockCacheBytes = 8L << 20, WriteBufferBytes = 4L << 20 }), CrashWorkload.StoreNames,
            new MultiStoreOptions { Pruning = CrashWorkload.Pruning, CreateIfEmpty = true, NodeCacheSize = 10_000, WriteBehind = writeBehind });
}
