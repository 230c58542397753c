using System.Runtime.CompilerServices;

namespace DePinChain.Store.Iavl;

public sealed partial class IavlTree
{
    // ---- hashing and sealing: the version becomes immutable and readable in memory ----

    public byte[] WorkingHash()
    {
        if (_root is null) return (byte[])NodeHasher.EmptyTreeHash.Clone();
        EnsureHashOnAllCores(_root);
        return _root.Hash.ToArray();
    }

    /// <summary>
    /// Hashes the unsaved nodes under <paramref name="node"/> (each once: a hash stays until the node changes again),
    /// and counts them into <see cref="Node.UnsavedCount"/>, which lets a save number them before it starts.
    /// </summary>
    private static void EnsureHash(Node node)
    {
        if (node.HasHash) return;
        var count = 1;
        if (!node.IsLeaf)
        {
            var left = node.Left!;
            if (!left.IsSaved)
            {
                EnsureHash(left);
                count += left.UnsavedCount;
            }
            var right = node.Right!;
            if (!right.IsSaved)
            {
                EnsureHash(right);
                count += right.UnsavedCount;
            }
        }
        node.UnsavedCount = count;
        NodeHasher.Hash(node);
    }

    /// <summary>
    /// <see cref="EnsureHash"/> with the two sides of the top <see cref="ParallelDepth"/> levels hashed at once
    /// where both are unsaved: the sides are disjoint subtrees, and each node's hash depends on its own subtree only.
    /// </summary>
    private static void EnsureHashOnAllCores(Node node, int depth = ParallelDepth)
    {
        if (node.HasHash) return;
        if (depth == 0 || node.Size < ParallelSaveNodes || node.Left!.IsSaved || node.Right!.IsSaved)
        {
            EnsureHash(node);
            return;
        }
        var (left, right) = (node.Left, node.Right);
        Parallel.Invoke(() => EnsureHashOnAllCores(left, depth - 1), () => EnsureHashOnAllCores(right, depth - 1));
        EnsureHash(node); // both sides are hashed now: this counts and hashes the node itself
    }

    public byte[] SaveVersion(IWriteBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var sealedVersion = SealVersion();
        sealedVersion.Stage(batch);
        return (byte[])sealedVersion.RootHash.Clone();
    }

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
            hash = _root.Hash.ToArray();
            rootRecord = new byte[NodeKey.Size + NodeHasher.HashSize];
            _root.NodeKey.WriteTo(rootRecord);
            hash.CopyTo(rootRecord, NodeKey.Size);
        }

        // Orphans stay cached: unreferenced, they are the cache's first victims, and pruning removes them with
        // their version (removing them here too cost a cache miss per orphan per block).
        // Changeset format: no orphan records (nothing to delete from the database; the GC frees unreferenced nodes).
        var orphans = _changesetLog ? [] : _orphans.ToArray();
        _orphans.Clear();
        var changes = _changes;
        var mutations = _mutations;
        var sealedVersion = new SealedVersion(this, version, _version, hash, rootRecord, newNodes, orphans, changes, _changesetLog ? mutations : null);
        _importPending = false;
        _version = version;
        _saved = new SavedVersion(version, _root, hash, _changesetLog ? null : changes);
        _changes = new(ByteArrayComparer.Instance);
        _mutations = [];
        lock (_versionsLock)
        {
            _versions.Add(version);
            if (_changesetLog) _memoryVersions[version] = _saved;
        }
        _unstaged = sealedVersion;
        return sealedVersion;
    }

    /// <summary>
    /// Changeset format, opening: applies a stored changeset to the working state and seals it as the next version
    /// (nothing to stage: the record is in the database already). Returns the new root hash.
    /// </summary>
    internal byte[] ReplayVersion(ReadOnlySpan<byte> changeset, string what)
    {
        if (!_changesetLog) throw new InvalidOperationException("only a tree in the changeset format replays changesets");
        Changeset.Apply(changeset, this, what);
        var sealedVersion = SealVersion();
        _unstaged = null;
        return sealedVersion.RootHash;
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
        foreach (var (node, nonce) in tops) Number(node, new NodeKey(version, nonce), result);
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
            if (!node.Left!.IsSaved)
            {
                Cut(node.Left, next, depth - 1);
                next += (uint)node.Left.UnsavedCount;
            }
            if (!node.Right!.IsSaved)
            {
                Cut(node.Right, next, depth - 1);
                next += (uint)node.Right.UnsavedCount;
            }
            tops.Add((node, checked(next + 1)));
        }
    }

    private void NumberNode(Node node, long version, ref uint nonce, List<Node> numbered)
    {
        if (!node.IsLeaf)
        {
            if (!node.Left!.IsSaved) NumberNode(node.Left, version, ref nonce, numbered);
            if (!node.Right!.IsSaved) NumberNode(node.Right, version, ref nonce, numbered);
        }
        Number(node, new NodeKey(version, checked(++nonce)), numbered);
    }

    /// <summary>Gives a node hashed by <see cref="NumberUnsaved"/> its key: from now on it is saved (immutable).</summary>
    private void Number(Node node, NodeKey nodeKey, List<Node> numbered)
    {
        node.MarkSaved(nodeKey);
        if (_store.ReachedThroughCache(node)) _store.Cache.Add(node);
        numbered.Add(node);
    }
}
