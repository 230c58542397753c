using DePinChain.Store;
using DePinChain.Store.Backend;

namespace DePinChain.Store.CrashWriter;

public static class CrashStores
{
    public static MultiStore OpenLevelDb(string dir)
        => MultiStore.OpenOwning(LevelDbStore.Open(dir), CrashWorkload.StoreNames,
            new MultiStoreOptions { Pruning = CrashWorkload.Pruning, CreateIfEmpty = true, NodeCacheSize = 10_000 });
}
