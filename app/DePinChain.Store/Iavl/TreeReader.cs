namespace DePinChain.Store.Iavl;

/// <summary>Read-only walks shared by the working tree and the immutable views.</summary>
internal static class TreeReader
{
    public static Node? FindLeaf(NodeStore store, Node? root, ReadOnlySpan<byte> key)
    {
        var node = root;
        if (node is null) return null;
        var prefix = Node.PrefixOf(key);
        while (!node.IsLeaf)
            node = node.CompareKey(key, prefix) < 0 ? store.Left(node) : store.Right(node);
        return node.Key.AsSpan().SequenceEqual(key) ? node : null;
    }

    /// <summary>
    /// Looks the key up through nodes in memory only: false when the path leaves memory (the caller then asks the
    /// fast index, one database read, rather than the tree, one read per missing level). True with a null leaf
    /// means absent.
    /// </summary>
    public static bool TryFindLeafInMemory(NodeStore store, Node? root, ReadOnlySpan<byte> key, out Node? leaf)
    {
        leaf = null;
        var node = root;
        if (node is null) return true;
        var prefix = Node.PrefixOf(key);
        while (!node.IsLeaf)
        {
            node = node.CompareKey(key, prefix) < 0 ? store.LeftInMemory(node) : store.RightInMemory(node);
            if (node is null) return false;
        }
        if (node.Key.AsSpan().SequenceEqual(key)) leaf = node;
        return true;
    }

    // An AVL tree of 100M keys is at most ~38 levels deep; deeper trees just grow the stack.
    private const int MaxExpectedDepth = 40;

    /// <summary>Leaves with start &lt;= key &lt; end in key order (or reverse), visiting only subtrees that overlap the range.</summary>
    public static IEnumerable<Node> Leaves(NodeStore store, Node? root, byte[]? start, byte[]? end, bool reverse)
    {
        if (root is null) yield break;
        if (start is not null && end is not null && start.AsSpan().SequenceCompareTo(end) >= 0) yield break;
        var stack = new Stack<Node>(MaxExpectedDepth);
        var node = root;
        while (true)
        {
            // Every key of an inner node's left subtree is < node.Key, every key of its right subtree >= node.Key.
            while (!node.IsLeaf)
            {
                if (!reverse)
                {
                    if (start is not null && start.AsSpan().SequenceCompareTo(node.Key) >= 0) node = store.Right(node);
                    else
                    {
                        stack.Push(node);
                        node = store.Left(node);
                    }
                }
                else
                {
                    if (end is not null && node.Key.AsSpan().SequenceCompareTo(end) >= 0) node = store.Left(node);
                    else
                    {
                        stack.Push(node);
                        node = store.Right(node);
                    }
                }
            }
            var afterStart = start is null || node.Key.AsSpan().SequenceCompareTo(start) >= 0;
            var beforeEnd = end is null || node.Key.AsSpan().SequenceCompareTo(end) < 0;
            if (afterStart && beforeEnd) yield return node;
            else if (!reverse && !beforeEnd) yield break;
            else if (reverse && !afterStart) yield break;

            if (stack.Count == 0) yield break;
            var parent = stack.Pop();
            if (!reverse)
            {
                if (end is not null && parent.Key.AsSpan().SequenceCompareTo(end) >= 0) yield break;
                node = store.Right(parent);
            }
            else
            {
                if (start is not null && parent.Key.AsSpan().SequenceCompareTo(start) <= 0) yield break;
                node = store.Left(parent);
            }
        }
    }

    public static IEnumerable<KeyValuePair<byte[], byte[]>> Entries(NodeStore store, Node? root, byte[]? start, byte[]? end, bool reverse)
    {
        foreach (var leaf in Leaves(store, root, start, end, reverse))
            yield return new KeyValuePair<byte[], byte[]>((byte[])leaf.Key.Clone(), (byte[])leaf.Value!.Clone());
    }
}
