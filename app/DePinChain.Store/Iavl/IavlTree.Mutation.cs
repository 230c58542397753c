namespace DePinChain.Store.Iavl;

public sealed partial class IavlTree
{
    // ---- writes (iavl's recursiveSet / recursiveRemove / balance, node for node) ----

    public void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        ValidateKey(key);
        if (value.Length > MaxValueLength)
            throw new ArgumentException($"value is {value.Length} bytes; at most {MaxValueLength} are allowed", nameof(value));
        var k = key.ToArray();
        var v = value.ToArray();
        if (_changesetLog) _mutations.Add(new TreeMutation(k, v));
        else _changes[k] = v;
        _root = _root is null ? Node.NewLeaf(k, v, NextVersion) : Set(_root, k, Node.PrefixOf(k), v, keyIsHere: false, out _);
    }

    public void Delete(ReadOnlySpan<byte> key)
    {
        ValidateKey(key);
        if (_root is null) return;
        var newRoot = Remove(_root, key, out _, out var removed);
        if (!removed) return;
        _root = newRoot;
        if (_changesetLog) _mutations.Add(new TreeMutation(key.ToArray(), null));
        else _changes[key.ToArray()] = null;
    }

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
            if (keyIsHere && node.Left!.IsSaved && node.Left.IsLeaf)
            {
                // Updating an existing key whose saved leaf is the left child: no need to read that leaf.
                _orphans.Add(node.Left.NodeKey);
                node.Left = Node.NewLeaf(key, value, version);
                updated = true;
                return node;
            }
            node.Left = Set(_store.Left(node), key, prefix, value, keyIsHere, out updated);
        }
        else
        {
            keyIsHere |= order2 == 0;
            if (keyIsHere && node.Right!.IsSaved && node.Right.IsLeaf)
            {
                _orphans.Add(node.Right.NodeKey);
                node.Right = Node.NewLeaf(key, value, version);
                updated = true;
                return node;
            }
            node.Right = Set(_store.Right(node), key, prefix, value, keyIsHere, out updated);
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
            node.Left = newLeft;
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
            node.Right = newRight;
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
            node.InvalidateHash();
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
        node.Height = Math.Max(node.Left!.Height, node.Right!.Height) + 1;
        node.Size = node.Left.Size + node.Right.Size;
    }

    private static int BalanceOf(Node node) => node.Left!.Height - node.Right!.Height;

    private Node Balance(Node node)
    {
        var balance = BalanceOf(node);
        if (balance > 1)
        {
            if (BalanceOf(_store.Left(node)) >= 0) return RotateRight(node);
            node.Left = RotateLeft(_store.Left(node));
            return RotateRight(node);
        }
        if (balance < -1)
        {
            if (BalanceOf(_store.Right(node)) <= 0) return RotateLeft(node);
            node.Right = RotateRight(_store.Right(node));
            return RotateLeft(node);
        }
        return node;
    }

    private Node RotateRight(Node node)
    {
        node = Clone(node);
        var newTop = Clone(_store.Left(node));
        node.Left = newTop.Right;
        newTop.Right = node;
        UpdateHeightAndSize(node);
        UpdateHeightAndSize(newTop);
        return newTop;
    }

    private Node RotateLeft(Node node)
    {
        node = Clone(node);
        var newTop = Clone(_store.Right(node));
        node.Right = newTop.Left;
        newTop.Left = node;
        UpdateHeightAndSize(node);
        UpdateHeightAndSize(newTop);
        return newTop;
    }

    public void Rollback()
    {
        if (_importPending)
            throw new InvalidOperationException("an import cannot be rolled back: its nodes are written already; save it, or start again on an empty database");
        _root = _saved.Root;
        _orphans.Clear();
        _changes.Clear();
        _mutations.Clear();
    }
}
