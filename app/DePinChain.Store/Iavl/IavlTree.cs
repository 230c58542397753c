using System.Buffers.Binary;
using System.Runtime.CompilerServices;
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
    private readonly FastIndex _fast;

    // Keys set (value) or deleted (null) since the last save; the fast index learns them on save.
    private Dictionary<byte[], byte[]?> _changes = new(ByteArrayComparer.Instance);

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

    private readonly List<Node> _lastSaved = [];

    private readonly Lock _versionsLock = new();
    private readonly List<long> _versions; // saved and not deleted, ascending

    // What went into the batch being staged, which may not be written yet: orphan records (to, from) → nonces
    // (null = deleted), and the nodes saved into it, which keep their child references until it is written.
    private IWriteBatch? _stagingBatch;
    private readonly Dictionary<(long To, long From), List<uint>?> _stagedOrphans = [];

    private IavlTree(IKeyValueStore db, TreeKeys keys, NodeStore store, List<long> versions, SavedVersion saved)
    {
        _db = db;
        _fast = new FastIndex(db, keys);
        _fastIndexIsCurrent = versions.Count == 0 || versions[^1] == saved.Version;
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
        var keys = new TreeKeys(keyPrefix.ToArray());
        var store = new NodeStore(db, keys, new NodeCache(options.NodeCacheCapacity), options.PinnedHeight);
        var versions = ReadVersions(db, keys);
        var saved = version == 0
            ? new SavedVersion(0, null, NodeHasher.EmptyTreeHash, null)
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

    // ---- writes (iavl's recursiveSet / recursiveRemove / balance, node for node) ----

    public void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        ValidateKey(key);
        if (value.Length > MaxValueLength)
            throw new ArgumentException($"value is {value.Length} bytes; at most {MaxValueLength} are allowed", nameof(value));
        var k = key.ToArray();
        var v = value.ToArray();
        _changes[k] = v;
        _root = _root is null ? Node.NewLeaf(k, v, NextVersion) : Set(_root, k, Node.PrefixOf(k), v, keyIsHere: false, out _);
    }

    public void Delete(ReadOnlySpan<byte> key)
    {
        ValidateKey(key);
        if (_root is null) return;
        var newRoot = Remove(_root, key, out _, out var removed);
        if (!removed) return;
        _root = newRoot;
        _changes[key.ToArray()] = null;
    }

    private long NextVersion => _version + 1;

    /// <param name="keyIsHere">An ancestor's key equals <paramref name="key"/>, so the leaf at the end of the path is that key.</param>
    private Node Set(Node node, byte[] key, ulong prefix, byte[] value, bool keyIsHere, out bool updated)
    {
        var version = NextVersion;
        if (node.IsLeaf)
        {
            var order = node.CompareKey(key, prefix);
            updated = order == 0;
            if (order < 0) return Node.NewInner(node.Key, Node.NewLeaf(key, value, version), node, version);
            if (order > 0) return Node.NewInner(key, node, Node.NewLeaf(key, value, version), version);
            Orphan(node);
            return Node.NewLeaf(key, value, version);
        }

        node = Clone(node);
        var order2 = node.CompareKey(key, prefix);
        if (order2 < 0)
        {
            if (keyIsHere && node.LeftHash is not null && node.LeftHeight == 0)
            {
                // Updating an existing key whose saved leaf is the left child: no need to read that leaf.
                _orphans.Add(node.LeftKey);
                node.SetLeft(Node.NewLeaf(key, value, version));
                updated = true;
                return node;
            }
            node.SetLeft(Set(_store.Left(node), key, prefix, value, keyIsHere, out updated));
        }
        else
        {
            keyIsHere |= order2 == 0;
            if (keyIsHere && node.RightHash is not null && node.RightHeight == 0)
            {
                _orphans.Add(node.RightKey);
                node.SetRight(Node.NewLeaf(key, value, version));
                updated = true;
                return node;
            }
            node.SetRight(Set(_store.Right(node), key, prefix, value, keyIsHere, out updated));
        }
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

    private static void UpdateHeightAndSize(Node node)
    {
        node.Height = Math.Max(node.LeftChildHeight, node.RightChildHeight) + 1;
        node.Size = node.LeftChildSize + node.RightChildSize;
    }

    private static int BalanceOf(Node node) => node.LeftChildHeight - node.RightChildHeight;

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
        return (byte[])EnsureHashOnAllCores(_root).Clone();
    }

    /// <summary>
    /// Hashes the unsaved nodes under <paramref name="node"/> (each once: a hash stays until the node changes again),
    /// and counts them into <see cref="Node.UnsavedCount"/>, which lets a save number them before it starts.
    /// </summary>
    private static byte[] EnsureHash(Node node)
    {
        if (node.Hash is not null) return node.Hash;
        var count = 1;
        if (!node.IsLeaf)
        {
            if (node.LeftHash is null)
            {
                EnsureHash(node.LeftNode!);
                count += node.LeftNode!.UnsavedCount;
            }
            if (node.RightHash is null)
            {
                EnsureHash(node.RightNode!);
                count += node.RightNode!.UnsavedCount;
            }
        }
        node.UnsavedCount = count;
        return node.Hash = NodeHasher.Hash(node);
    }

    /// <summary>Levels at the top of the tree where hashing and saving fork onto other cores.</summary>
    private const int ParallelDepth = 4;

    /// <summary>A subtree with fewer unsaved nodes than this is saved by one thread: forking would cost more.</summary>
    private const int ParallelSaveNodes = 2048;

    /// <summary>
    /// <see cref="EnsureHash"/> with the two sides of the top <see cref="ParallelDepth"/> levels hashed at once
    /// where both are unsaved: the sides are disjoint subtrees, and each node's hash depends on its own subtree only.
    /// </summary>
    private static byte[] EnsureHashOnAllCores(Node node, int depth = ParallelDepth)
    {
        if (node.Hash is not null) return node.Hash;
        if (depth == 0 || node.Size < ParallelSaveNodes || node.LeftHash is not null || node.RightHash is not null) return EnsureHash(node);
        var (left, right) = (node.LeftNode!, node.RightNode!);
        Parallel.Invoke(() => EnsureHashOnAllCores(left, depth - 1), () => EnsureHashOnAllCores(right, depth - 1));
        return EnsureHash(node); // both sides are hashed now: this counts and hashes the node itself
    }

    public byte[] SaveVersion(IWriteBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var sealedVersion = SealVersion();
        sealedVersion.Stage(batch);
        return (byte[])sealedVersion.RootHash.Clone();
    }

    // The sealed version whose records are not staged yet (at most one).
    private volatile SealedVersion? _unstaged;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per block: tier-0 code would run its loops
    public ISealedVersion SealVersion()
    {
        ThrowIfImportFailed();
        if (_unstaged is { } pending)
            throw new InvalidOperationException($"version {pending.Version} of this tree is sealed but not staged; stage it (and write its batch) before sealing the next");
        var version = NextVersion;
        lock (_versionsLock)
        {
            if (_versions.BinarySearch(version) >= 0)
                throw new InvalidOperationException($"version {version} of this tree is already saved; open the latest version to continue writing");
        }

        byte[] rootRecord;
        byte[] hash;
        List<Node> newNodes = [];
        if (_root is null)
        {
            rootRecord = [];
            hash = NodeHasher.EmptyTreeHash;
        }
        else
        {
            if (!_root.IsSaved) newNodes = NumberUnsaved(_root, version);
            hash = _root.Hash!;
            rootRecord = new byte[NodeKey.Size + NodeHasher.HashSize];
            _root.NodeKey.WriteTo(rootRecord);
            hash.CopyTo(rootRecord, NodeKey.Size);
        }

        // Orphans stay cached: unreferenced, they are the cache's first victims, and pruning removes them with
        // their version (removing them here too cost a cache miss per orphan per block).
        var orphans = _orphans.ToArray();
        _orphans.Clear();
        var changes = _changes;
        var sealedVersion = new SealedVersion(this, version, _version, hash, rootRecord, newNodes, orphans, changes);
        _importPending = false;
        _version = version;
        _saved = new SavedVersion(version, _root, hash, changes);
        _changes = new(ByteArrayComparer.Instance);
        lock (_versionsLock) _versions.Add(version);
        _unstaged = sealedVersion;
        return sealedVersion;
    }

    /// <summary>A sealed version's records: its new nodes (numbered already), root record, orphan records and fast-index changes.</summary>
    private sealed class SealedVersion(IavlTree tree, long version, long previous, byte[] hash, byte[] rootRecord, List<Node> newNodes, NodeKey[] orphans, Dictionary<byte[], byte[]?> changes)
        : ISealedVersion
    {
        private int _staged;

        public long Version => version;

        public byte[] RootHash => hash;

        public void Stage(IWriteBatch batch)
        {
            ArgumentNullException.ThrowIfNull(batch);
            if (Interlocked.Exchange(ref _staged, 1) != 0) throw new InvalidOperationException($"version {version} is staged already");
            tree.StageSealed(batch, version, previous, rootRecord, newNodes, orphans, changes);
            tree._unstaged = null;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per block: tier-0 code would run its loops
    private void StageSealed(IWriteBatch batch, long version, long previous, byte[] rootRecord, List<Node> newNodes, NodeKey[] orphans, Dictionary<byte[], byte[]?> changes)
    {
        BeginStaging(batch);
        StageNodes(newNodes, batch);
        foreach (var node in newNodes)
        {
            // Only nodes below the pinned height let go of their children once the batch is written (BeginStaging).
            if (node.Height < _store.PinnedHeight) _lastSaved.Add(node);
        }
        batch.Put(_keys.Root(version), rootRecord);

        // One orphan record per creating version: the nodes of `from` that are in versions [from, previous] only.
        Array.Sort(orphans);
        for (var start = 0; start < orphans.Length;)
        {
            var from = orphans[start].Version;
            var end = start;
            while (end < orphans.Length && orphans[end].Version == from) end++;
            var nonces = new List<uint>(end - start);
            for (var i = start; i < end; i++) nonces.Add(orphans[i].Nonce);
            batch.Put(_keys.Orphans(previous, from), EncodeNonces(nonces));
            _stagedOrphans[(previous, from)] = nonces;
            start = end;
        }

        _fast.Stage(batch, version, changes);
    }

    /// <summary>
    /// A different batch than last time means the last one has been written (the caller writes a batch before
    /// starting the next; a save and deletions may share one): what was staged into it is now in the database.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per block: tier-0 code would run its loops
    private void BeginStaging(IWriteBatch batch)
    {
        if (ReferenceEquals(batch, _stagingBatch)) return;
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
        _stagingBatch = batch;
    }

    /// <summary>
    /// Gives the unsaved nodes under <paramref name="root"/> node keys (version, 1…n) in post-order and returns them in
    /// the order their records are staged. Big saves run on all cores: the unsaved top of the tree is cut into
    /// subtrees whose first nonces follow from the unsaved counts beside them, so every node gets the key a
    /// one-thread walk would give it.
    /// </summary>
    private List<Node> NumberUnsaved(Node root, long version)
    {
        EnsureHashOnAllCores(root);
        if (root.UnsavedCount < 2 * ParallelSaveNodes)
        {
            var all = new List<Node>(root.UnsavedCount);
            uint nonce = 0;
            NumberNode(root, version, ref nonce, all);
            return all;
        }

        var subtrees = new List<(Node Root, uint NoncesBefore)>();
        var tops = new List<(Node Node, uint Nonce)>(); // post-order: children before parents
        Cut(root, 0, ParallelDepth);
        var numbered = new List<Node>[subtrees.Count];
        ParallelStores.For(subtrees.Count, i =>
        {
            numbered[i] = new List<Node>(subtrees[i].Root.UnsavedCount);
            var nonce = subtrees[i].NoncesBefore;
            NumberNode(subtrees[i].Root, version, ref nonce, numbered[i]);
        });
        var result = new List<Node>(root.UnsavedCount);
        foreach (var part in numbered) result.AddRange(part);
        foreach (var (node, nonce) in tops)
        {
            if (node.LeftHash is null) node.SetLeft(node.LeftNode!);
            if (node.RightHash is null) node.SetRight(node.RightNode!);
            Number(node, new NodeKey(version, nonce), result);
        }
        return result;

        // Nonces are numbered like the one-thread walk: a node's left unsaved subtree, then its right, then itself.
        void Cut(Node node, uint before, int depth)
        {
            if (depth == 0 || node.IsLeaf || node.UnsavedCount < 2 * ParallelSaveNodes)
            {
                subtrees.Add((node, before));
                return;
            }
            var next = before;
            if (node.LeftHash is null)
            {
                Cut(node.LeftNode!, next, depth - 1);
                next += (uint)node.LeftNode!.UnsavedCount;
            }
            if (node.RightHash is null)
            {
                Cut(node.RightNode!, next, depth - 1);
                next += (uint)node.RightNode!.UnsavedCount;
            }
            tops.Add((node, checked(next + 1)));
        }
    }

    private void NumberNode(Node node, long version, ref uint nonce, List<Node> numbered)
    {
        if (!node.IsLeaf)
        {
            if (node.LeftHash is null)
            {
                var left = node.LeftNode!;
                NumberNode(left, version, ref nonce, numbered);
                node.SetLeft(left);
            }
            if (node.RightHash is null)
            {
                var right = node.RightNode!;
                NumberNode(right, version, ref nonce, numbered);
                node.SetRight(right);
            }
        }
        Number(node, new NodeKey(version, checked(++nonce)), numbered);
    }

    /// <summary>Gives a node hashed by <see cref="NumberUnsaved"/> its key: from now on it is saved (immutable).</summary>
    private void Number(Node node, NodeKey nodeKey, List<Node> numbered)
    {
        node.NodeKey = nodeKey;
        if (_store.ReachedThroughCache(node)) _store.Cache.Add(node);
        numbered.Add(node);
    }

    /// <summary>Nodes per batch when a big save encodes its records on all cores.</summary>
    private const int StageChunkNodes = 8192;

    /// <summary>Puts the records of numbered nodes into <paramref name="batch"/> in order; big saves encode on all cores into batches of their own, appended in order.</summary>
    private void StageNodes(List<Node> nodes, IWriteBatch batch)
    {
        if (nodes.Count < 2 * StageChunkNodes)
        {
            PutNodes(nodes, 0, nodes.Count, batch);
            return;
        }
        var chunks = (nodes.Count + StageChunkNodes - 1) / StageChunkNodes;
        var batches = new IWriteBatch[chunks];
        try
        {
            ParallelStores.For(chunks, i =>
            {
                batches[i] = _db.CreateBatch();
                var from = i * StageChunkNodes;
                PutNodes(nodes, from, Math.Min(nodes.Count, from + StageChunkNodes), batches[i]);
            });
            foreach (var part in batches) batch.Append(part);
        }
        finally
        {
            foreach (var part in batches) part?.Dispose();
        }
    }

    private void PutNodes(List<Node> nodes, int from, int to, IWriteBatch batch)
    {
        var keyLength = _keys.NodeKeyLength;
        Span<byte> dbKey = keyLength <= 256 ? stackalloc byte[keyLength] : new byte[keyLength];
        for (var i = from; i < to; i++)
        {
            var node = nodes[i];
            _keys.WriteNode(node.NodeKey, dbKey);
            using var encoded = NodeCodec.EncodePooled(node);
            batch.Put(dbKey, encoded.Span);
        }
    }

    // ---- import (genesis, state sync, benchmarks) ----

    /// <summary>Entries per write batch during <see cref="Import"/>.</summary>
    private const int ImportBatchEntries = 50_000;

    /// <summary>
    /// Builds the working state of an empty, never saved tree from <paramref name="count"/> entries in strictly
    /// ascending key order, in O(n) time and O(log n) memory, as iavl's importer does for state sync: a balanced
    /// tree (each inner node splits its keys ⌈n/2⌉ | ⌊n/2⌋, so the AVL rule holds) whose nodes all have version 1,
    /// hashed, balanced and proven exactly like any other iavl tree. Its root hash is that of this shape, which
    /// may differ from the shape the same keys get when set one by one. The nodes and the fast index are written
    /// to the database now, in unsynced batches and in key order (nodes first, then the fast index, so LevelDB
    /// stores sequential runs instead of compacting interleaved ones); <paramref name="sortedEntries"/> is
    /// enumerated twice for that and must give the same entries both times. The next
    /// <see cref="SaveVersion"/> (version 1) writes the root record, whose synced write makes the import
    /// durable. An import interrupted before that leaves nodes without a root: start again on an empty database.
    /// An import that fails part-way may have written some of its data, so the tree then refuses further imports
    /// and saves.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tree has a saved version or unsaved changes.</exception>
    /// <exception cref="ArgumentException">Keys not strictly ascending, a key or value out of limits, a count mismatch, or a second enumeration that differs.</exception>
    public void Import(IEnumerable<KeyValuePair<byte[], byte[]>> sortedEntries, long count)
    {
        ArgumentNullException.ThrowIfNull(sortedEntries);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_versionsLock)
        {
            if (_version != 0 || _versions.Count > 0)
                throw new InvalidOperationException("only a tree without saved versions can import");
        }
        ThrowIfImportFailed();
        if (_root is not null || _changes.Count > 0 || _importPending)
            throw new InvalidOperationException("only an empty tree without unsaved changes can import");
        if (count == 0) return;
        try
        {
            ImportEntries(sortedEntries, count);
        }
        catch
        {
            _root = null;
            _importFailed = true;
            throw;
        }
        _importPending = true;
    }

    private void ThrowIfImportFailed()
    {
        if (_importFailed)
            throw new InvalidOperationException("an import into this tree failed part-way and wrote some of its data: start again on an empty database");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ImportEntries(IEnumerable<KeyValuePair<byte[], byte[]>> sortedEntries, long count)
    {
        using var importer = new Importer(this, NextVersion, count);
        using (var entries = sortedEntries.GetEnumerator())
        {
            var root = importer.Build(entries, count, out _);
            if (entries.MoveNext()) throw new ArgumentException($"the entries hold more than the {count} announced", nameof(sortedEntries));
            importer.Flush();
            _root = root;
        }
        var firstPass = importer.Checksum;

        // The fast index: every key, set at the imported version.
        importer.ResetChecksum();
        var chunk = new List<KeyValuePair<byte[], byte[]?>>(ImportBatchEntries);
        long seen = 0;
        foreach (var (key, value) in sortedEntries)
        {
            importer.Mix(key, value);
            chunk.Add(new(key, value));
            seen++;
            if (chunk.Count == ImportBatchEntries)
            {
                importer.StageFast(chunk);
                chunk.Clear();
            }
        }
        importer.StageFast(chunk);
        if (seen != count || importer.Checksum != firstPass)
        {
            throw new ArgumentException("the second enumeration of the entries differs from the first; the fast index may be wrong: start again on an empty database", nameof(sortedEntries));
        }
    }

    /// <summary>Writes the nodes of an import post-order (node keys ascend with the writes) in batches of its own.</summary>
    private sealed class Importer(IavlTree tree, long version, long count) : IDisposable
    {
        private IWriteBatch? _batch;
        private uint _nonce;
        private byte[]? _previousKey;
        private long _read;
        public ulong Checksum { get; private set; } = 14695981039346656037UL;

        public void ResetChecksum() => Checksum = 14695981039346656037UL;

        /// <summary>A cheap 64-bit fingerprint of the entries, to catch a second enumeration that differs from the first.</summary>
        public void Mix(byte[] key, byte[] value)
        {
            var h = Checksum;
            foreach (var part in (ReadOnlySpan<byte[]>)[key, value])
            {
                h = (h ^ (ulong)part.Length) * 1099511628211UL;
                foreach (var b in part) h = (h ^ b) * 1099511628211UL;
            }
            Checksum = h;
        }

        /// <summary>The balanced subtree of the next <paramref name="n"/> entries; <paramref name="smallestKey"/> is its first key.</summary>
        public Node Build(IEnumerator<KeyValuePair<byte[], byte[]>> entries, long n, out byte[] smallestKey)
        {
            if (n == 1)
            {
                if (!entries.MoveNext()) throw new ArgumentException($"the entries end after {_read} of the {count} announced");
                var (key, value) = entries.Current;
                ArgumentNullException.ThrowIfNull(key);
                ArgumentNullException.ThrowIfNull(value);
                ValidateKey(key);
                if (value.Length > MaxValueLength) throw new ArgumentException($"the value of entry {_read} is {value.Length} bytes; at most {MaxValueLength} are allowed");
                if (_previousKey is not null && _previousKey.AsSpan().SequenceCompareTo(key) >= 0)
                    throw new ArgumentException($"entry {_read}: keys must be strictly ascending");
                _read++;
                Mix(key, value);
                smallestKey = (byte[])key.Clone();
                _previousKey = smallestKey;
                return Save(Node.NewLeaf(smallestKey, (byte[])value.Clone(), version));
            }
            var leftCount = (n + 1) / 2;
            var left = Build(entries, leftCount, out smallestKey);
            var right = Build(entries, n - leftCount, out var rightSmallest);
            var inner = Node.NewInner(rightSmallest, left, right, version);
            Save(inner);
            // Below the pinned height a saved node reaches its children through the cache (bounded memory).
            if (inner.Height < tree._store.PinnedHeight)
            {
                inner.LeftNode = null;
                inner.RightNode = null;
            }
            return inner;
        }

        private Node Save(Node node)
        {
            node.Hash = NodeHasher.Hash(node);
            node.NodeKey = new NodeKey(version, checked(++_nonce));
            var keyLength = tree._keys.NodeKeyLength;
            Span<byte> dbKey = keyLength <= 256 ? stackalloc byte[keyLength] : new byte[keyLength];
            tree._keys.WriteNode(node.NodeKey, dbKey);
            _batch ??= tree._db.CreateBatch();
            using (var encoded = NodeCodec.EncodePooled(node)) _batch.Put(dbKey, encoded.Span);
            if (tree._store.ReachedThroughCache(node)) tree._store.Cache.Add(node);
            if (_batch.Count >= ImportBatchEntries) Flush();
            return node;
        }

        public void StageFast(List<KeyValuePair<byte[], byte[]?>> entries)
        {
            _batch ??= tree._db.CreateBatch();
            tree._fast.Stage(_batch, version, entries);
            Flush();
        }

        public void Flush()
        {
            if (_batch is null) return;
            if (_batch.Count > 0) tree._db.Write(_batch, sync: false);
            _batch.Dispose();
            _batch = null;
        }

        public void Dispose()
        {
            _batch?.Dispose();
            _batch = null;
        }
    }

    public void Rollback()
    {
        if (_importPending)
            throw new InvalidOperationException("an import cannot be rolled back: its nodes are written already; save it, or start again on an empty database");
        _root = _saved.Root;
        _orphans.Clear();
        _changes.Clear();
    }

    public IReadOnlyTree GetImmutable(long version)
    {
        var saved = _saved;
        if (version == saved.Version && version != 0)
            return new ImmutableTree(_store, _fast, saved.Root, saved.Version, saved.Hash, saved.Changes, VersionExists);
        if (!VersionExists(version)) throw new VersionNotFoundException(version, "not saved, or deleted");
        var loaded = LoadRoot(_db, _keys, _store, version) ?? throw new VersionNotFoundException(version, "deleted");
        return new ImmutableTree(_store, _fast, loaded.Root, version, loaded.Hash, null, VersionExists);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per block: tier-0 code would run its loops
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
        BeginStaging(batch);
        batch.Delete(_keys.Root(version));

        // A node orphaned at `version` lives in versions [node's version, version]. If no kept version is in that
        // range any more, nothing needs it: delete it. Otherwise its lifetime now ends at the predecessor.
        foreach (var (from, nonces) in OrphansEndingAt(version))
        {
            batch.Delete(_keys.Orphans(version, from));
            _stagedOrphans[(version, from)] = null;
            if (predecessor < from)
            {
                var nodeDbKey = _keys.Node(default);
                foreach (var nonce in nonces)
                {
                    var node = new NodeKey(from, nonce);
                    _keys.WriteNode(node, nodeDbKey);
                    batch.Delete(nodeDbKey);
                    _store.Cache.Remove(node);
                }
            }
            else
            {
                var merged = OrphanRecord(predecessor, from) ?? [];
                merged.AddRange(nonces);
                batch.Put(_keys.Orphans(predecessor, from), EncodeNonces(merged));
                _stagedOrphans[(predecessor, from)] = merged;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per block: tier-0 code would run its loops
    private List<(long From, List<uint> Nonces)> OrphansEndingAt(long version)
    {
        var result = new List<(long, List<uint>)>();
        var (start, end) = _keys.OrphansEndingAt(version);
        foreach (var entry in _db.Iterate(start, end))
        {
            var from = _keys.FromVersionOfOrphans(entry.Key);
            if (_stagedOrphans.ContainsKey((version, from))) continue;
            result.Add((from, DecodeNonces(entry.Value, version, from)));
        }
        foreach (var ((to, from), nonces) in _stagedOrphans)
        {
            if (to == version && nonces is not null) result.Add((from, [.. nonces]));
        }
        return result;
    }

    private List<uint>? OrphanRecord(long to, long from)
    {
        if (_stagedOrphans.TryGetValue((to, from), out var staged)) return staged is null ? null : [.. staged];
        var stored = _db.Get(_keys.Orphans(to, from));
        return stored is null ? null : DecodeNonces(stored, to, from);
    }

    private static byte[] EncodeNonces(List<uint> nonces)
    {
        var bytes = new byte[nonces.Count * 4];
        for (var i = 0; i < nonces.Count; i++) BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(i * 4), nonces[i]);
        return bytes;
    }

    private static List<uint> DecodeNonces(byte[] bytes, long to, long from)
    {
        if (bytes.Length % 4 != 0) throw new StoreCorruptedException($"iavl orphan record ({to}, {from}) has {bytes.Length} bytes");
        var nonces = new List<uint>(bytes.Length / 4);
        for (var i = 0; i < bytes.Length; i += 4) nonces.Add(BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(i)));
        return nonces;
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

    /// <param name="Changes">The keys this version changed, while its batch may still be unwritten (newest version only).</param>
    private sealed record SavedVersion(long Version, Node? Root, byte[] Hash, Dictionary<byte[], byte[]?>? Changes);
}
