using DePinChain.Store;

namespace DePinChain.Store.CrashWriter;

/// <summary>
/// The writes of each block, a pure function of the height, so any version's state can be recomputed by
/// replaying heights 1..v. A small key space makes overwrites and deletes of existing keys common.
/// </summary>
public static class CrashWorkload
{
    public static readonly string[] StoreNames = ["acc", "bank", "devices"];

    public static readonly PruningOptions Pruning = new(KeepRecent: 4, KeepEvery: 0);

    public static void ApplyBlock(IMultiStore store, long height)
    {
        var rng = new SplitMix64((ulong)height * 0x9E3779B97F4A7C15UL + 1);
        var ops = 20 + (int)(rng.Next() % 200);
        for (var i = 0; i < ops; i++)
        {
            var kv = store.GetStore(StoreNames[rng.Next() % (ulong)StoreNames.Length]);
            var keyId = rng.Next() % 3000;
            byte[] key = [(byte)'k', (byte)(keyId >> 8), (byte)keyId];
            if (rng.Next() % 10 == 0)
            {
                kv.Delete(key);
                continue;
            }
            var value = new byte[1 + (int)(rng.Next() % 48)];
            for (var j = 0; j < value.Length; j++) value[j] = (byte)rng.Next();
            kv.Set(key, value);
        }
    }

    /// <summary>splitmix64: tiny, fast and the same everywhere (System.Random's seeded sequence is not a contract).</summary>
    private struct SplitMix64(ulong state)
    {
        public ulong Next()
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
