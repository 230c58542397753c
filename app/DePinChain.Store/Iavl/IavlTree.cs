using System.Buffers.Binary;
using DePinChain.Store.Backend;

namespace DePinChain.Store.Iavl;

/// <summary>
/// A versioned AVL+ Merkle tree that hashes, balances and versions its nodes exactly like cosmos/iavl, so the
/// same operations give the same root hash and proofs verify under ICS-23 IavlSpec. The working state is
/// copy-on-write over the last saved version; saved nodes never change, so <see cref="GetImmutable"/> views
/// can be read from other threads while this tree is written and saved. Mutations, saves, deletes and
/// rollbacks must come from one thread at a time. Storage layout: README.md in this folder.
/// </summary>
public sealed class IavlTree : IVersionedTree
{
    /// <summary>Keys are 1 to 65,536 bytes.</summary>
    public const int MaxKeyLength = 64 * 1024;

    /// <summary>Values are 0 to 4 MiB.</summary>
    public const int MaxValueLength = 4 * 1024 * 1024;

    private readonly IKeyValueStore _db;
    private readonly TreeKeys _keys;
    private readonly NodeStore _store;

    private Node? _root;
    private long _version;
    private volatile SavedVersion _saved;

    // Saved nodes this working state replaced or dropped; recorded as orphans of _version on save.
    private readonly List<NodeKey> _orphans = [];

    // Nodes of the last save keep their child references until the next save: until the caller has written
    // that batch, a child evicted from the cache could not be read back from the database.
    private readonly List<Node> _lastSaved = [];

    private readonly Lock _versionsLock = new();
    private readonly List<long> _versions; // saved and not deleted, ascending

    // Orphan entries staged (added / removed) since the last save, whose batch may not be written yet.
    private readonly Dictionary<long, HashSet<NodeKey>> _stagedOrphans = [];
    private readonly HashSet<(long ToVersion, NodeKey Node)> _stagedOrphanRemovals = [];

    private IavlTree(IKeyValueStore db, TreeKeys keys, NodeStore store, List<long> versions, SavedVersion saved)
    {
        _db = db;
        _keys = keys;
        _store = store;
        _versions = versions;
        _saved = saved;
        _root = saved.Root;
        _version = saved.Version;
    }

    /// <summary>
    /// Opens the tree stored under <paramref name="keyPrefix"/> with saved version <paramref name="version"/> as the
    /// working base (0 = an empty tree). Only the root node is read; the rest loads on demand.
    /// </summary>
    /// <exception cref="VersionNotFoundException">That version is not saved.</exception>
    public static IavlTree Open(IKeyValueStore db, ReadOnlySpan<byte> keyPrefix, long version, IavlTreeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        options ??= IavlTreeOptions.Default;
        var keys = new TreeKeys(keyPrefix.ToArray());
        var store = new NodeStore(db, keys, new NodeCache(options.NodeCacheCapacity), options.PinnedHeight);
        var versions = ReadVersions(db, keys);
        var saved = version == 0
            ? new SavedVersion(0, null, NodeHasher.EmptyTreeHash)
            : LoadRoot(db, keys, store, version) ?? throw new VersionNotFoundException(version, "no such saved version of this tree");
        return new IavlTree(db, keys, store, versions, saved);
    }

    /// <summary>The newest saved version of the tree under <paramref name="keyPrefix"/>, or 0 when there is none.</summary>
    public static long LatestVersion(IKeyValueReader db, ReadOnlySpan<byte> keyPrefix)
    {
        var keys = new TreeKeys(keyPrefix.ToArray());
        foreach (var entry in db.Iterate(keys.RootsStart(), keys.RootsEnd(), reverse: true))
            return keys.VersionOfRoot(entry.Key);
        return 0;
    }

    public long Version => _version;

    /// <summary>Saved versions that are not deleted, ascending.</summary>
    public IReadOnlyList<long> AvailableVersions()
    {
        lock (_versionsLock) return [.. _versions];
    }

    public bool VersionExists(long version)
    {
        lock (_versionsLock) return _versions.BinarySearch(version) >= 0;
    }

    /// <summary>Number of keys in the working state.</summary>
    public long Size => _root?.Size ?? 0;

    internal Node? WorkingRoot => _root;

    internal NodeStore Store => _store;

    // ---- reads of the working state ----

    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        ValidateKey(key);
        var leaf = TreeReader.FindLeaf(_store, _root, key);
        return leaf is null ? null : (byte[])leaf.Value!.Clone();
    }

    public bool Has(ReadOnlySpan<byte> key)
    {
        ValidateKey(key);
        return TreeReader.FindLeaf(_store, _root, key) is not null;
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(byte[]? start, byte[]? end, bool reverse = false)
        => TreeReader.Entries(_store, _root, start, end, reverse);

    // ---- writes (iavl's recursiveSet / recursiveRemove / balance, node for node) ----

    public void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        ValidateKey(key);
        if (value.Length > MaxValueLength)
            throw new ArgumentException($"value is {value.Length} bytes; at most {MaxValueLength} are allowed", nameof(value));
        var k = key.ToArray();
        var v = value.ToArray();
        _root = _root is null ? Node.NewLeaf(k, v, NextVersion) : Set(_root, k, v, out _);
    }

    public void Delete(ReadOnlySpan<byte> key)
    {
        ValidateKey(key);
        if (_root is null) return;
        var newRoot = Remove(_root, key, out _, out var removed);
        if (removed) _root = newRoot;
    }

    private long NextVersion => _version + 1;

    private Node Set(Node node, byte[] key, byte[] value, out bool updated)
    {
        var version = NextVersion;
        if (node.IsLeaf)
        {
            var order = key.AsSpan().SequenceCompareTo(node.Key);
            updated = order == 0;
            if (order < 0) return Node.NewInner(node.Key, Node.NewLeaf(key, value, version), node, version);
            if (order > 0) return Node.NewInner(key, node, Node.NewLeaf(key, value, version), version);
            Orphan(node);
            return Node.NewLeaf(key, value, version);
        }

        node = Clone(node);
        if (key.AsSpan().SequenceCompareTo(node.Key) < 0) node.SetLeft(Set(_store.Left(node), key, value, out updated));
        else node.SetRight(Set(_store.Right(node), key, value, out updated));
        if (updated) return node; // same shape: heights and sizes stand
        UpdateHeightAndSize(node);
        return Balance(node);
    }

    /// <returns>The subtree without the key (null when the subtree was that leaf).</returns>
    /// <param name="newLeftmostKey">Set when the subtree's smallest key changed, so an ancestor's key must follow.</param>
    private Node? Remove(Node node, ReadOnlySpan<byte> key, out byte[]? newLeftmostKey, out bool removed)
    {
        newLeftmostKey = null;
        if (node.IsLeaf)
        {
            removed = node.Key.AsSpan().SequenceEqual(key);
            if (!removed) return node;
            Orphan(node);
            return null;
        }

        if (key.SequenceCompareTo(node.Key) < 0)
        {
            var newLeft = Remove(_store.Left(node), key, out newLeftmostKey, out removed);
            if (!removed) return node;
            if (newLeft is null)
            {
                // The left child was the leaf: the right subtree replaces this node, and its smallest key
                // (this node's key) becomes the smallest key of the whole subtree.
                var right = _store.Right(node);
                newLeftmostKey = node.Key;
                Orphan(node);
                return right;
            }
            node = Clone(node);
            node.SetLeft(newLeft);
            UpdateHeightAndSize(node);
            return Balance(node);
        }
        else
        {
            var newRight = Remove(_store.Right(node), key, out var newKey, out removed);
            if (!removed) return node;
            if (newRight is null)
            {
                var left = _store.Left(node);
                Orphan(node);
                return left;
            }
            node = Clone(node);
            node.SetRight(newRight);
            if (newKey is not null) node.Key = newKey;
            UpdateHeightAndSize(node);
            return Balance(node);
        }
    }

    /// <summary>iavl's clone: a saved node is copied for the next version (and orphaned); an unsaved one is edited in place.</summary>
    private Node Clone(Node node)
    {
        if (!node.IsSaved)
        {
            node.Hash = null;
            return node;
        }
        Orphan(node);
        return node.CloneForVersion(NextVersion);
    }

    private void Orphan(Node node)
    {
        if (node.IsSaved) _orphans.Add(node.NodeKey);
    }

    private void UpdateHeightAndSize(Node node)
    {
        var left = _store.Left(node);
        var right = _store.Right(node);
        node.Height = Math.Max(left.Height, right.Height) + 1;
        node.Size = left.Size + right.Size;
    }

    private int BalanceOf(Node node) => _store.Left(node).Height - _store.Right(node).Height;

    private Node Balance(Node node)
    {
        var balance = BalanceOf(node);
        if (balance > 1)
        {
            if (BalanceOf(_store.Left(node)) >= 0) return RotateRight(node);
            node.SetLeft(RotateLeft(_store.Left(node)));
            return RotateRight(node);
        }
        if (balance < -1)
        {
            if (BalanceOf(_store.Right(node)) <= 0) return RotateLeft(node);
            node.SetRight(RotateRight(_store.Right(node)));
            return RotateLeft(node);
        }
        return node;
    }

    private Node RotateRight(Node node)
    {
        node = Clone(node);
        var newTop = Clone(_store.Left(node));
        node.TakeLeftFromRightOf(newTop);
        newTop.SetRight(node);
        UpdateHeightAndSize(node);
        UpdateHeightAndSize(newTop);
        return newTop;
    }

    private Node RotateLeft(Node node)
    {
        node = Clone(node);
        var newTop = Clone(_store.Right(node));
        node.TakeRightFromLeftOf(newTop);
        newTop.SetLeft(node);
        UpdateHeightAndSize(node);
        UpdateHeightAndSize(newTop);
        return newTop;
    }

    // ---- hashing and versions ----

    public byte[] WorkingHash()
    {
        if (_root is null) return (byte[])NodeHasher.EmptyTreeHash.Clone();
        return (byte[])EnsureHash(_root).Clone();
    }

    private static byte[] EnsureHash(Node node)
    {
        if (node.Hash is not null) return node.Hash;
        if (!node.IsLeaf)
        {
            if (node.LeftHash is null) EnsureHash(node.LeftNode!);
            if (node.RightHash is null) EnsureHash(node.RightNode!);
        }
        return node.Hash = NodeHasher.Hash(node);
    }

    public byte[] SaveVersion(IWriteBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var version = NextVersion;
        lock (_versionsLock)
        {
            if (_versions.BinarySearch(version) >= 0)
                throw new InvalidOperationException($"version {version} of this tree is already saved; open the latest version to continue writing");
        }

        // Whatever earlier calls staged has been written by now (the caller writes each batch before the next save).
        foreach (var node in _lastSaved)
        {
            if (node.Height < _store.PinnedHeight)
            {
                node.LeftNode = null;
                node.RightNode = null;
            }
        }
        _lastSaved.Clear();
        _stagedOrphans.Clear();
        _stagedOrphanRemovals.Clear();

        byte[] rootRecord;
        byte[] hash;
        if (_root is null)
        {
            rootRecord = [];
            hash = NodeHasher.EmptyTreeHash;
        }
        else
        {
            uint nonce = 0;
            if (!_root.IsSaved) SaveNode(_root, version, batch, ref nonce);
            hash = _root.Hash!;
            rootRecord = new byte[NodeKey.Size + NodeHasher.HashSize];
            _root.NodeKey.WriteTo(rootRecord);
            hash.CopyTo(rootRecord, NodeKey.Size);
        }
        batch.Put(_keys.Root(version), rootRecord);

        if (_orphans.Count > 0)
        {
            var staged = StagedOrphansEndingAt(_version);
            foreach (var orphan in _orphans)
            {
                batch.Put(_keys.Orphan(_version, orphan), []);
                staged.Add(orphan);
            }
            _orphans.Clear();
        }

        _version = version;
        _saved = new SavedVersion(version, _root, hash);
        lock (_versionsLock) _versions.Add(version);
        return (byte[])hash.Clone();
    }

    private void SaveNode(Node node, long version, IWriteBatch batch, ref uint nonce)
    {
        if (!node.IsLeaf)
        {
            if (node.LeftHash is null)
            {
                var left = node.LeftNode!;
                SaveNode(left, version, batch, ref nonce);
                node.LeftKey = left.NodeKey;
                node.LeftHash = left.Hash;
            }
            if (node.RightHash is null)
            {
                var right = node.RightNode!;
                SaveNode(right, version, batch, ref nonce);
                node.RightKey = right.NodeKey;
                node.RightHash = right.Hash;
            }
        }
        node.Hash ??= NodeHasher.Hash(node);
        node.NodeKey = new NodeKey(version, checked(++nonce));
        var keyLength = _keys.NodeKeyLength;
        Span<byte> dbKey = keyLength <= 256 ? stackalloc byte[keyLength] : new byte[keyLength];
        _keys.WriteNode(node.NodeKey, dbKey);
        using (var encoded = NodeCodec.EncodePooled(node)) batch.Put(dbKey, encoded.Span);
        _store.Cache.Add(node);
        _lastSaved.Add(node);
    }

    public void Rollback()
    {
        _root = _saved.Root;
        _orphans.Clear();
    }

    public IReadOnlyTree GetImmutable(long version)
    {
        var saved = _saved;
        if (version == saved.Version && version != 0)
            return new ImmutableTree(_store, saved.Root, saved.Version, saved.Hash, VersionExists);
        if (!VersionExists(version)) throw new VersionNotFoundException(version, "not saved, or deleted");
        var loaded = LoadRoot(_db, _keys, _store, version) ?? throw new VersionNotFoundException(version, "deleted");
        return new ImmutableTree(_store, loaded.Root, version, loaded.Hash, VersionExists);
    }

    public void DeleteVersion(long version, IWriteBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (version >= _version)
            throw new InvalidOperationException($"cannot delete version {version}: only versions older than the working base {_version} can be deleted");
        long predecessor;
        lock (_versionsLock)
        {
            var index = _versions.BinarySearch(version);
            if (index < 0) throw new VersionNotFoundException(version, "not saved, or already deleted");
            _versions.RemoveAt(index);
            predecessor = index > 0 ? _versions[index - 1] : 0;
        }
        batch.Delete(_keys.Root(version));

        // A node orphaned at `version` lives in versions [node.Version, version]. If no kept version is in that
        // range any more, nothing needs it: delete it. Otherwise its lifetime now ends at the predecessor.
        foreach (var orphan in OrphansEndingAt(version))
        {
            batch.Delete(_keys.Orphan(version, orphan));
            _stagedOrphanRemovals.Add((version, orphan));
            if (predecessor < orphan.Version)
            {
                batch.Delete(_keys.Node(orphan));
                _store.Cache.Remove(orphan);
            }
            else
            {
                batch.Put(_keys.Orphan(predecessor, orphan), []);
                _stagedOrphanRemovals.Remove((predecessor, orphan));
                StagedOrphansEndingAt(predecessor).Add(orphan);
            }
        }
        _stagedOrphans.Remove(version);
    }

    private List<NodeKey> OrphansEndingAt(long version)
    {
        var result = new List<NodeKey>();
        var (start, end) = _keys.OrphansEndingAt(version);
        foreach (var entry in _db.Iterate(start, end))
        {
            var node = _keys.NodeOfOrphan(entry.Key);
            if (!_stagedOrphanRemovals.Contains((version, node))) result.Add(node);
        }
        if (_stagedOrphans.TryGetValue(version, out var staged))
        {
            foreach (var node in staged)
                if (!result.Contains(node)) result.Add(node);
        }
        return result;
    }

    private HashSet<NodeKey> StagedOrphansEndingAt(long version)
    {
        if (!_stagedOrphans.TryGetValue(version, out var set)) _stagedOrphans[version] = set = [];
        return set;
    }

    // ---- loading ----

    private static List<long> ReadVersions(IKeyValueReader db, TreeKeys keys)
    {
        var versions = new List<long>();
        foreach (var entry in db.Iterate(keys.RootsStart(), keys.RootsEnd()))
        {
            if (entry.Key.Length != keys.Prefix.Length + 9)
                throw new StoreCorruptedException($"iavl root record key of unexpected length {entry.Key.Length}");
            versions.Add(keys.VersionOfRoot(entry.Key));
        }
        return versions;
    }

    private static SavedVersion? LoadRoot(IKeyValueReader db, TreeKeys keys, NodeStore store, long version)
    {
        var record = db.Get(keys.Root(version));
        if (record is null) return null;
        if (record.Length == 0) return new SavedVersion(version, null, NodeHasher.EmptyTreeHash);
        if (record.Length != NodeKey.Size + NodeHasher.HashSize)
            throw new StoreCorruptedException($"iavl root record of version {version} has {record.Length} bytes");
        var rootKey = NodeKey.ReadFrom(record);
        var hash = record.AsSpan(NodeKey.Size).ToArray();
        try
        {
            return new SavedVersion(version, store.Load(rootKey, hash), hash);
        }
        catch (NodeMissingException e)
        {
            throw new StoreCorruptedException($"root node {rootKey} of version {version} is missing", e);
        }
    }

    private static void ValidateKey(ReadOnlySpan<byte> key)
    {
        if (key.IsEmpty) throw new ArgumentException("key must not be empty", nameof(key));
        if (key.Length > MaxKeyLength)
            throw new ArgumentException($"key is {key.Length} bytes; at most {MaxKeyLength} are allowed", nameof(key));
    }

    private sealed record SavedVersion(long Version, Node? Root, byte[] Hash);
}
