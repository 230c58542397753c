using System.Text;
using DePinChain.Store.Backend;

namespace DePinChain.Store.Tests;

/// <summary>The obvious sorted-map store, as the model the branch layer is checked against; records every write.</summary>
internal sealed class ModelStore : IKVStore
{
    public SortedDictionary<byte[], byte[]> Data { get; } = new(ByteArrayComparer.Instance);

    public List<(string Op, byte[] Key)> Log { get; } = [];

    public byte[]? Get(ReadOnlySpan<byte> key) => Data.TryGetValue(key.ToArray(), out var v) ? v : null;

    public bool Has(ReadOnlySpan<byte> key) => Data.ContainsKey(key.ToArray());

    public void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        Data[key.ToArray()] = value.ToArray();
        Log.Add(("set", key.ToArray()));
    }

    public void Delete(ReadOnlySpan<byte> key)
    {
        Data.Remove(key.ToArray());
        Log.Add(("delete", key.ToArray()));
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(byte[]? start, byte[]? end, bool reverse = false)
    {
        var cmp = ByteArrayComparer.Instance;
        var items = Data.Where(kv => (start is null || cmp.Compare(kv.Key, start) >= 0) && (end is null || cmp.Compare(kv.Key, end) < 0)).ToList();
        if (reverse) items.Reverse();
        return items;
    }
}

/// <summary>A multistore of model stores.</summary>
internal sealed class ModelMultiStore(params string[] names) : IMultiStore
{
    public Dictionary<string, ModelStore> Stores { get; } = names.ToDictionary(n => n, _ => new ModelStore());

    public IReadOnlyList<string> StoreNames => names;

    public IKVStore GetStore(string name) => Stores[name];

    public ICacheMultiStore Branch() => new DePinChain.Store.Cache.CacheMultiStore(this);
}

internal static class Bytes
{
    public static byte[] Of(string s) => Encoding.UTF8.GetBytes(s);

    public static string Str(byte[]? b) => b is null ? "<null>" : Encoding.UTF8.GetString(b);

    public static string Dump(IEnumerable<KeyValuePair<byte[], byte[]>> items)
        => string.Join(",", items.Select(kv => Convert.ToHexString(kv.Key) + "=" + Convert.ToHexString(kv.Value)));
}
