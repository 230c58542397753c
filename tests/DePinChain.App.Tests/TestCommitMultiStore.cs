using System.Security.Cryptography;
using DePinChain.Store;
using DePinChain.Store.Backend;
using DePinChain.Store.Cache;

namespace DePinChain.App.Tests;

/// <summary>
/// A versioned in-memory multistore for app tests: every commit keeps a full copy, the hash is SHA-256 over all
/// entries. No Merkle proofs (Query returns no proof ops).
/// </summary>
internal sealed class TestCommitMultiStore : ICommitMultiStore
{
    private readonly string[] _names;
    private readonly Dictionary<string, SortedDictionary<byte[], byte[]>> _working;
    private readonly List<Dictionary<string, SortedDictionary<byte[], byte[]>>> _versions = [];
    private readonly object _lock = new();

    public TestCommitMultiStore(IReadOnlyList<string> names)
    {
        _names = [.. names];
        _working = _names.ToDictionary(n => n, _ => new SortedDictionary<byte[], byte[]>(ByteArrayComparer.Instance));
        LastCommitId = new CommitId(0, SHA256.HashData([]));
    }

    public int CommitCount => _versions.Count;

    public IReadOnlyList<string> StoreNames => _names;

    public CommitId LastCommitId { get; private set; }

    public CommitTimings LastCommitTimings => default;

    public void Flush()
    {
    }

    public long EarliestVersion => 1;

    public IKVStore GetStore(string name) => new MapStore(_working[name], readOnly: false);

    public ICacheMultiStore Branch() => new CacheMultiStore(this);

    public byte[] WorkingHash() => Hash(_working);

    public CommitId Commit()
    {
        lock (_lock)
        {
            _versions.Add(Copy(_working));
            LastCommitId = new CommitId(_versions.Count, Hash(_working));
            return LastCommitId;
        }
    }

    /// <summary>Forgets uncommitted writes, as a process restart would.</summary>
    public void DropWorkingState()
    {
        var last = _versions.Count == 0 ? _names.ToDictionary(n => n, _ => new SortedDictionary<byte[], byte[]>(ByteArrayComparer.Instance)) : Copy(_versions[^1]);
        foreach (var n in _names) _working[n] = last[n];
    }

    public IMultiStore ViewAt(long version)
    {
        lock (_lock)
        {
            if (version < 1 || version > _versions.Count) throw new VersionNotFoundException(version, "not committed");
            return new View(_names, _versions[(int)version - 1]);
        }
    }

    public StoreQueryResult Query(string storeName, ReadOnlySpan<byte> key, long version, bool prove)
    {
        long v = version == 0 ? LastCommitId.Version : version;
        var store = (View)ViewAt(v);
        return new StoreQueryResult(v, key.ToArray(), store.GetStore(storeName).Get(key), []);
    }

    public void Dispose()
    {
    }

    private static Dictionary<string, SortedDictionary<byte[], byte[]>> Copy(Dictionary<string, SortedDictionary<byte[], byte[]>> source)
        => source.ToDictionary(kv => kv.Key, kv => new SortedDictionary<byte[], byte[]>(kv.Value, ByteArrayComparer.Instance));

    private static byte[] Hash(Dictionary<string, SortedDictionary<byte[], byte[]>> stores)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in stores.Keys.Order(StringComparer.Ordinal))
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(name));
            foreach (var (k, v) in stores[name])
            {
                sha.AppendData(BitConverter.GetBytes(k.Length));
                sha.AppendData(k);
                sha.AppendData(BitConverter.GetBytes(v.Length));
                sha.AppendData(v);
            }
        }
        return sha.GetHashAndReset();
    }

    private sealed class View(string[] names, Dictionary<string, SortedDictionary<byte[], byte[]>> data) : IMultiStore
    {
        public IReadOnlyList<string> StoreNames => names;

        public IKVStore GetStore(string name) => new MapStore(data[name], readOnly: true);

        public ICacheMultiStore Branch() => new CacheMultiStore(this);
    }

    private sealed class MapStore(SortedDictionary<byte[], byte[]> data, bool readOnly) : IKVStore
    {
        public byte[]? Get(ReadOnlySpan<byte> key) => data.TryGetValue(key.ToArray(), out var v) ? v : null;

        public bool Has(ReadOnlySpan<byte> key) => data.ContainsKey(key.ToArray());

        public void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        {
            if (readOnly) throw new InvalidOperationException("read-only view");
            data[key.ToArray()] = value.ToArray();
        }

        public void Delete(ReadOnlySpan<byte> key)
        {
            if (readOnly) throw new InvalidOperationException("read-only view");
            data.Remove(key.ToArray());
        }

        public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(byte[]? start, byte[]? end, bool reverse = false)
        {
            var cmp = ByteArrayComparer.Instance;
            var items = data.Where(kv => (start is null || cmp.Compare(kv.Key, start) >= 0) && (end is null || cmp.Compare(kv.Key, end) < 0)).ToList();
            if (reverse) items.Reverse();
            return items;
        }
    }
}
