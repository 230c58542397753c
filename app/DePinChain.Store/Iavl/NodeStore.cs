using DePinChain.Store.Backend;

namespace DePinChain.Store.Iavl;

/// <summary>
/// Reads saved nodes of one tree: from the node cache, else from the database (then cached). Shared by the
/// working tree and every immutable view; safe for concurrent readers.
/// </summary>
internal sealed class NodeStore(IKeyValueReader db, TreeKeys keys, NodeCache cache, int pinnedHeight)
{
    public TreeKeys Keys { get; } = keys;

    public NodeCache Cache { get; } = cache;

    /// <summary>Saved nodes at least this high keep direct references to their children (hot upper levels).</summary>
    public int PinnedHeight { get; } = pinnedHeight;

    /// <summary>
    /// Whether a saved node's parents reach it through the cache. Every parent of a node is higher than it, so
    /// when the next height up is pinned the parents hold it directly and caching it would only cost time.
    /// </summary>
    public bool ReachedThroughCache(Node node) => node.Height + 1 < PinnedHeight;

    public Node Left(Node parent)
    {
        var child = parent.LeftNode;
        if (child is not null) return child;
        child = Load(parent.LeftKey, parent.LeftHash!);
        if (!parent.IsSaved || parent.Height >= PinnedHeight) parent.LeftNode = child;
        return child;
    }

    public Node Right(Node parent)
    {
        var child = parent.RightNode;
        if (child is not null) return child;
        child = Load(parent.RightKey, parent.RightHash!);
        if (!parent.IsSaved || parent.Height >= PinnedHeight) parent.RightNode = child;
        return child;
    }

    /// <summary>The left child when it is in memory (a direct reference or the cache); null when it would be read from the database.</summary>
    public Node? LeftInMemory(Node parent)
        => parent.LeftNode ?? (Cache.TryGet(parent.LeftKey, out var child) ? child : null);

    public Node? RightInMemory(Node parent)
        => parent.RightNode ?? (Cache.TryGet(parent.RightKey, out var child) ? child : null);

    public Node Load(NodeKey key, byte[] hash)
    {
        if (Cache.TryGet(key, out var node)) return node;
        var length = Keys.NodeKeyLength;
        Span<byte> dbKey = length <= 256 ? stackalloc byte[length] : new byte[length];
        Keys.WriteNode(key, dbKey);
        var data = db.Get(dbKey) ?? throw new NodeMissingException(key);
        node = NodeCodec.Decode(key, hash, data);
        Cache.Add(node);
        return node;
    }
}

/// <summary>A node that a version references is not in the database: the version was deleted meanwhile, or the store is damaged.</summary>
internal sealed class NodeMissingException(NodeKey key) : Exception($"iavl node {key} is missing from the database")
{
    public NodeKey Key { get; } = key;
}
