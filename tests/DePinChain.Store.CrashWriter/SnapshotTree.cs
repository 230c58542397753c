using System.Buffers.Binary;
using System.Security.Cryptography;
using DePinChain.Protos.Ics23;
using DePinChain.Store;
using DePinChain.Store.Backend;
using DePinChain.Store.Iavl;

namespace DePinChain.Store.CrashWriter;

/// <summary>
/// TEMPORARY stand-in for IavlTree until it lands: each version is one blob of the whole sorted map.
/// Hash = SHA-256 of the blob (empty map: SHA-256 of nothing). No proofs.
/// </summary>
public sealed class SnapshotTree : IVersionedTree
{
    private readonly IKeyValueStore _db;
    private readonly byte[] _prefix;
    private SortedDictionary<byte[], byte[]> _working = new(ByteArrayComparer.Instance);

    public SnapshotTree(IKeyValueStore db, byte[] prefix, long version)
    {
        _db = db;
        _prefix = prefix;
        if (version > 0)
        {
            var blob = db.Get(VersionKey(version)) ?? throw new VersionNotFoundException(version, "no snapshot");
            _working = Decode(blob);
            Version = version;
        }
    }

    public static void Install() => MultiStore.TreeOpener = (db, prefix, version, _) => new SnapshotTree(db, prefix, version);

    public long Version { get; private set; }

    private byte[] VersionKey(long v)
    {
        var key = new byte[_prefix.Length + 8];
        _prefix.CopyTo(key, 0);
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(_prefix.Length), v);
        return key;
    }

    public byte[]? Get(ReadOnlySpan<byte> key) => _working.TryGetValue(key.ToArray(), out var v) ? v : null;
    public bool Has(ReadOnlySpan<byte> key) => _working.ContainsKey(key.ToArray());
    public void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) { StoreKeys.ValidateKey(key); _working[key.ToArray()] = value.ToArray(); }
    public void Delete(ReadOnlySpan<byte> key) { StoreKeys.ValidateKey(key); _working.Remove(key.ToArray()); }
    public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(byte[]? start, byte[]? end, bool reverse = false) => Range(_working, start, end, reverse);

    public byte[] WorkingHash() => SHA256.HashData(Encode(_working));

    public byte[] SaveVersion(IWriteBatch batch)
    {
        var blob = Encode(_working);
        Version++;
        batch.Put(VersionKey(Version), blob);
        _working = new(_working, ByteArrayComparer.Instance);
        return SHA256.HashData(blob);
    }

    public IReadOnlyTree GetImmutable(long version)
    {
        var blob = _db.Get(VersionKey(version)) ?? throw new VersionNotFoundException(version, "no snapshot");
        return new View(version, Decode(blob), SHA256.HashData(blob));
    }

    public void DeleteVersion(long version, IWriteBatch batch) => batch.Delete(VersionKey(version));

    public void Rollback() => _working = Version == 0 ? new(ByteArrayComparer.Instance) : Decode(_db.Get(VersionKey(Version))!);

    private static IEnumerable<KeyValuePair<byte[], byte[]>> Range(SortedDictionary<byte[], byte[]> map, byte[]? start, byte[]? end, bool reverse)
    {
        var cmp = ByteArrayComparer.Instance;
        var items = map.Where(kv => (start is null || cmp.Compare(kv.Key, start) >= 0) && (end is null || cmp.Compare(kv.Key, end) < 0)).ToList();
        if (reverse) items.Reverse();
        return items;
    }

    private static byte[] Encode(SortedDictionary<byte[], byte[]> map)
    {
        if (map.Count == 0) return [];
        var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        foreach (var (k, v) in map) { w.Write(k.Length); w.Write(k); w.Write(v.Length); w.Write(v); }
        return ms.ToArray();
    }

    private static SortedDictionary<byte[], byte[]> Decode(byte[] blob)
    {
        var map = new SortedDictionary<byte[], byte[]>(ByteArrayComparer.Instance);
        var r = new BinaryReader(new MemoryStream(blob));
        while (r.BaseStream.Position < blob.Length) map[r.ReadBytes(r.ReadInt32())] = r.ReadBytes(r.ReadInt32());
        return map;
    }

    private sealed class View(long version, SortedDictionary<byte[], byte[]> map, byte[] hash) : IReadOnlyTree
    {
        public long Version => version;
        public byte[] RootHash => hash;
        public long Size => map.Count;
        public byte[]? Get(ReadOnlySpan<byte> key) => map.TryGetValue(key.ToArray(), out var v) ? v : null;
        public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(byte[]? start, byte[]? end, bool reverse = false) => Range(map, start, end, reverse);
        public CommitmentProof GetProof(ReadOnlySpan<byte> key) => throw new NotSupportedException();
    }
}
