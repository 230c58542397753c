using DePinChain.Store;
using DePinChain.Store.Backend;

namespace DePinChain.Sdk.Tests;

/// <summary>A context over a fresh in-memory multistore with one store, "test".</summary>
internal static class TestContext
{
    public const string Store = "test";

    public static Context New(GasMeter? gas = null)
    {
        var store = MultiStore.OpenOwning(new MemoryKeyValueStore(), [Store], new MultiStoreOptions { CreateIfEmpty = true });
        return new Context(store.Branch(), new BlockHeader("test-chain", 1, DateTimeOffset.UnixEpoch), ExecMode.Finalize,
            gas ?? GasMeter.Infinite(), new EventManager());
    }
}
