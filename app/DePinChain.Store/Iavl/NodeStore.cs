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
        var child = parent.Left!;
        if (child.IsLoaded) return child;
        child = Load(child.NodeKey, child.Hash);
        if (!parent.IsSaved || parent.Height >= PinnedHeight) parent.Left = child;
        return child;
    }

    public Node Right(Node parent)
    {
        var child = parent.Right!;
        if (child.IsLoaded) return child;
        child = Load(child.NodeKey, child.Hash);
        if (!parent.IsSaved || parent.Height >= PinnedHeight) parent.Right = child;
        return child;
    }

    /// <summary>The left child when it is in memory (loaded, or in the cache); null when it would be read from the database.</summary>
    public Node? LeftInMemory(Node parent) => InMemory(parent.Left!);

    public Node? RightInMemory(Node parent) => InMemory(parent.Right!);

    private Node? InMemory(Node child)
        => child.IsLoaded ? child : Cache.TryGet(child.NodeKey, out var loaded) ? loaded : null;

    public Node Load(NodeKey key, ReadOnlySpan<byte> hash)
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
