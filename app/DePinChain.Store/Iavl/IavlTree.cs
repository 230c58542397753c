using DePinChain.Store.Backend;

namespace DePinChain.Store.Iavl;

/// <summary>
/// A versioned AVL+ Merkle tree that hashes, balances and versions its nodes exactly like cosmos/iavl, so the
/// same operations give the same root hash and proofs verify under ICS-23 IavlSpec. The working state is
/// copy-on-write over the last saved version; saved nodes never change, so <see cref="GetImmutable"/> views
/// can be read from other threads while this tree is written and saved. Mutations, saves, deletes and
/// rollbacks must come from one thread at a time. Storage layout: README.md in this folder.
/// <para>
/// The class is split by what it does: <c>IavlTree.cs</c> (state, opening, reads, views of saved versions),
/// <c>IavlTree.Mutation.cs</c> (Set/Delete/Rollback: iavl's copy-on-write insert, remove and rebalancing),
/// <c>IavlTree.Sealing.cs</c> (hashing, and sealing a version: numbering its new nodes in memory),
/// <c>IavlTree.Staging.cs</c> (putting a sealed version's records into a write batch),
/// <c>IavlTree.Import.cs</c> (building an empty tree from sorted entries) and
/// <c>IavlTree.Pruning.cs</c> (orphan records and deleting a version).
/// </para>
/// </summary>
public sealed partial class IavlTree : IVersionedTree
{
    /// <summary>Keys are 1 to 65,536 bytes.</summary>
    public const int MaxKeyLength = 64 * 1024;

    /// <summary>Values are 0 to 4 MiB.</summary>
    public const int MaxValueLength = 4 * 1024 * 1024;

    private readonly IKeyValueStore _db;
    private readonly TreeKeys _keys;
    private readonly NodeStore _store;
    private readonly FastIndex _fast;

    // Keys set (value) or deleted (null) since the last save; the fast index learns them on save (node format only).
    private Dictionary<byte[], byte[]?> _changes = new(ByteArrayComparer.Instance);

    // Changeset format: the whole tree is in memory, a save stages the mutations since the last save in the order
    // received, and the saved versions not deleted yet keep their roots here (nothing else could read them back).
    private readonly bool _changesetLog;
    private List<TreeMutation> _mutations = [];
    private readonly Dictionary<long, SavedVersion> _memoryVersions = [];

    // The working tree may answer from the fast index only while its base is the newest saved version.
    private readonly bool _fastIndexIsCurrent;

    private Node? _root;
    private long _version;

    // An import wrote version 1's nodes and fast index; until that version is saved, reads walk the tree.
    private bool _importPending;

    // An import failed part-way: some of its nodes or fast-index records may be in the database already.
    private bool _importFailed;
    private volatile SavedVersion _saved;

    // Saved nodes this working state replaced or dropped; recorded as orphans of _version on save.
    private readonly List<NodeKey> _orphans = [];

    private readonly Lock _versionsLock = new();
    private readonly List<long> _versions; // saved and not deleted, ascending

    // What went into the batch being staged, which may not be written yet: orphan records (to, from) → nonces
    // (null = deleted), and the nodes saved into it, which keep their child references until it is written.
    private IWriteBatch? _stagingBatch;
    private readonly List<Node> _lastSaved = [];
    private readonly Dictionary<(long To, long From), List<uint>?> _stagedOrphans = [];

    // The sealed version whose records are not staged yet (at most one).
    private volatile SealedVersion? _unstaged;

    /// <summary>Levels at the top of the tree where hashing and saving fork onto other cores.</summary>
    private const int ParallelDepth = 4;

    /// <summary>A subtree with fewer unsaved nodes than this is saved by one thread: forking would cost more.</summary>
    private const int ParallelSaveNodes = 2048;

    /// <summary>Nodes per batch when a big save encodes its records on all cores.</summary>
    private const int StageChunkNodes = 8192;

    /// <summary>Entries per write batch during <see cref="Import"/>.</summary>
    private const int ImportBatchEntries = 50_000;

    private IavlTree(IKeyValueStore db, TreeKeys keys, NodeStore store, List<long> versions, SavedVersion saved, bool changesetLog = false)
    {
        _db = db;
        _fast = new FastIndex(db, keys);
        _changesetLog = changesetLog;
        _fastIndexIsCurrent = !changesetLog && (versions.Count == 0 || versions[^1] == saved.Version);
        if (changesetLog && saved.Version != 0) _memoryVersions[saved.Version] = saved;
        _keys = keys;
        _store = store;
        _versions = versions;
        _saved = saved;
        _root = saved.Root;
        _version = saved.Version;
    }

    /// <summary>
    /// Opens the tree stored under <paramref name="keyPrefix"/> with saved version <paramref name="version"/> as the
    /// working base (0 = an empty tree). Lists the saved versions and reads the root node; the rest loads on demand.
    /// </summary>
    /// <exception cref="VersionNotFoundException">That version is not saved.</exception>
    public static IavlTree Open(IKeyValueStore db, ReadOnlySpan<byte> keyPrefix, long version, IavlTreeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        options ??= IavlTreeOptions.Default;
        ArgumentOutOfRangeException.ThrowIfNegative(options.PinnedHeight);
        if (options.Format == StoreFormat.Changesets)
        {
            if (version != 0) throw new ArgumentException("a tree in the changeset format is opened from its snapshot (OpenInMemory), not from node records", nameof(version));
            return OpenInMemory(db, keyPrefix, 0, null, options);
        }
        var keys = new TreeKeys(keyPrefix.ToArray());
        var store = new NodeStore(db, keys, new NodeCache(options.NodeCacheCapacity), options.PinnedHeight);
        var versions = ReadVersions(db, keys);
        var saved = version == 0
            ? new SavedVersion(0, null, NodeHasher.EmptyTreeHash, null)
            : LoadRoot(db, keys, store, version) ?? throw new VersionNotFoundException(version, "no such saved version of this tree");
        return new IavlTree(db, keys, store, versions, saved);
    }

    /// <summary>
    /// A tree in the changeset format (<see cref="IavlTreeOptions.Format"/>) whose working base is saved version
    /// <paramref name="version"/> with root <paramref name="root"/> (hashed and saved: a loaded snapshot), or empty at 0.
    /// </summary>
    internal static IavlTree OpenInMemory(IKeyValueStore db, ReadOnlySpan<byte> keyPrefix, long version, Node? root, IavlTreeOptions options)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        if (options.PinnedHeight != 0)
            throw new ArgumentException($"the changeset format keeps whole trees in memory: it needs pinned height 0, not {options.PinnedHeight}", nameof(options));
        var keys = new TreeKeys(keyPrefix.ToArray());
        var store = new NodeStore(db, keys, new NodeCache(1), 0);
        var hash = root is null ? NodeHasher.EmptyTreeHash : root.Hash.ToArray();
        var saved = new SavedVersion(version, root, hash, null);
        return new IavlTree(db, keys, store, version == 0 ? [] : [version], saved, changesetLog: true);
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

    private long NextVersion => _version + 1;

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

    /// <summary>The working state was imported and not saved yet (a changeset cannot express an import: its save needs a snapshot).</summary>
    internal bool ImportPending => _importPending;

    internal NodeStore Store => _store;

    // ---- reads of the working state ----

    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        ValidateKey(key);
        if (TryGetQuickly(key, out var value)) return value is null ? null : (byte[])value.Clone();
        var leaf = TreeReader.FindLeaf(_store, _root, key);
        return leaf is null ? null : (byte[])leaf.Value!.Clone();
    }

    public bool Has(ReadOnlySpan<byte> key)
    {
        ValidateKey(key);
        if (TryGetQuickly(key, out var value)) return value is not null;
        return TreeReader.FindLeaf(_store, _root, key) is not null;
    }

    /// <summary>Unsaved changes, then the last save's changes (its batch may be unwritten), then the tree as far as it is in memory, then the fast index.</summary>
    private bool TryGetQuickly(ReadOnlySpan<byte> key, out byte[]? value)
    {
        var lookup = _changes.GetAlternateLookup<ReadOnlySpan<byte>>();
        if (lookup.TryGetValue(key, out value)) return true;
        var saved = _saved;
        if (saved.Changes is not null && saved.Changes.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(key, out value)) return true;
        if (TreeReader.TryFindLeafInMemory(_store, _root, key, out var leaf))
        {
            value = leaf?.Value;
            return true;
        }
        if (!_fastIndexIsCurrent || _importPending) return false;
        if (_fast.TryGet(key, saved.Version, out value) == FastIndex.Lookup.Found) return true;
        // Every key of the newest saved version has a record: no record and no change means absent.
        value = null;
        return true;
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(byte[]? start, byte[]? end, bool reverse = false)
        => TreeReader.Entries(_store, _root, start, end, reverse);

    public IReadOnlyTree GetImmutable(long version)
    {
        var saved = _saved;
        if (version == saved.Version && version != 0)
            return new ImmutableTree(_store, _fast, saved.Root, saved.Version, saved.Hash, saved.Changes, VersionExists);
        if (!VersionExists(version)) throw new VersionNotFoundException(version, "not saved, or deleted");
        if (_changesetLog)
        {
            SavedVersion? kept;
            lock (_versionsLock) _memoryVersions.TryGetValue(version, out kept);
            if (kept is null) throw new VersionNotFoundException(version, "deleted");
            return new ImmutableTree(_store, _fast, kept.Root, version, kept.Hash, null, VersionExists);
        }
        var loaded = LoadRoot(_db, _keys, _store, version) ?? throw new VersionNotFoundException(version, "deleted");
        return new ImmutableTree(_store, _fast, loaded.Root, version, loaded.Hash, null, VersionExists);
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
        if (record.Length == 0) return new SavedVersion(version, null, NodeHasher.EmptyTreeHash, null);
        if (record.Length != NodeKey.Size + NodeHasher.HashSize)
            throw new StoreCorruptedException($"iavl root record of version {version} has {record.Length} bytes");
        var rootKey = NodeKey.ReadFrom(record);
        var hash = record.AsSpan(NodeKey.Size).ToArray();
        try
        {
            return new SavedVersion(version, store.Load(rootKey, hash), hash, null);
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

    /// <summary>The root node of a saved version read through <see cref="GetImmutable"/> (a snapshot's input).</summary>
    internal static Node? RootOf(IReadOnlyTree view) => ((ImmutableTree)view).Root;

    /// <param name="Changes">The keys this version changed, while its batch may still be unwritten (newest version only).</param>
    private sealed record SavedVersion(long Version, Node? Root, byte[] Hash, Dictionary<byte[], byte[]?>? Changes);
}
