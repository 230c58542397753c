using DePinChain.Sdk;
using DePinChain.Store;
using DePinChain.Store.Backend;
using DePinChain.Store.Cache;

namespace DePinChain.Modules.Tests;

/// <summary>A sorted in-memory store: the simplest IKVStore, for module tests.</summary>
internal sealed class SortedStore : IKVStore
{
    private readonly SortedDictionary<byte[], byte[]> _data = new(ByteArrayComparer.Instance);

    public byte[]? Get(ReadOnlySpan<byte> key) => _data.TryGetValue(key.ToArray(), out var v) ? v : null;

    public bool Has(ReadOnlySpan<byte> key) => _data.ContainsKey(key.ToArray());

    public void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => _data[key.ToArray()] = value.ToArray();

    public void Delete(ReadOnlySpan<byte> key) => _data.Remove(key.ToArray());

    public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(byte[]? start, byte[]? end, bool reverse = false)
    {
        var cmp = ByteArrayComparer.Instance;
        var items = _data.Where(kv => (start is null || cmp.Compare(kv.Key, start) >= 0) && (end is null || cmp.Compare(kv.Key, end) < 0)).ToList();
        if (reverse) items.Reverse();
        return items;
    }
}

internal sealed class SortedMultiStore(params string[] names) : IMultiStore
{
    private readonly Dictionary<string, SortedStore> _stores = names.ToDictionary(n => n, _ => new SortedStore());

    public IReadOnlyList<string> StoreNames => names;

    public IKVStore GetStore(string name) => _stores.TryGetValue(name, out var s) ? s : throw new KeyNotFoundException(name);

    public ICacheMultiStore Branch() => new CacheMultiStore(this);
}

internal static class TestState
{
    public static Context NewContext(params string[] stores)
        => new(new SortedMultiStore(stores), new BlockHeader("test-chain", 1, DateTimeOffset.UnixEpoch), ExecMode.Finalize,
            GasMeter.Infinite(), new EventManager());

    public static byte[] Address(byte seed) => Enumerable.Repeat(seed, 20).ToArray();
}
