namespace DePinChain.Store.Iavl;

/// <summary>
/// One tree node. A saved node (<see cref="NodeKey"/> set) never changes again, except for the child
/// references <see cref="LeftNode"/>/<see cref="RightNode"/>, which only ever point at the node that
/// <see cref="LeftKey"/>/<see cref="RightKey"/> already name (a cache, safe to race on). Unsaved nodes belong
/// to the working tree alone and are edited in place.
/// </summary>
internal sealed class Node
{
    private byte[] _key;

    /// <summary>Leaf: its key. Inner: the smallest key of the right subtree (iavl's rule).</summary>
    public byte[] Key
    {
        get => _key;
        set
        {
            _key = value;
            KeyPrefix = PrefixOf(value);
        }
    }

    /// <summary>
    /// The key's first 8 bytes, big-endian, zero-padded: walks compare it before touching the key's array (another
    /// object, so another cache miss per level), and only equal prefixes need the full comparison.
    /// </summary>
    public ulong KeyPrefix { get; private set; }

    public static ulong PrefixOf(ReadOnlySpan<byte> key)
    {
        if (key.Length >= 8) return System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(key);
        Span<byte> padded = stackalloc byte[8];
        padded.Clear();
        key.CopyTo(padded);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(padded);
    }

    /// <summary>
    /// The order of <paramref name="key"/> (whose <see cref="PrefixOf"/> is <paramref name="prefix"/>) against this
    /// node's key: negative, zero or positive like <c>key.SequenceCompareTo(Key)</c>. Different zero-padded prefixes
    /// order the keys as their first differing byte does (a shorter key pads with 0, which is what makes it smaller).
    /// </summary>
    public int CompareKey(ReadOnlySpan<byte> key, ulong prefix)
        => prefix != KeyPrefix ? (prefix < KeyPrefix ? -1 : 1) : key.SequenceCompareTo(_key);

    /// <summary>Leaf only.</summary>
    public byte[]? Value;

    public int Height;
    public long Size;

    /// <summary>The version that created this node; equals NodeKey.Version once saved.</summary>
    public long Version;

    public NodeKey NodeKey;

    /// <summary>SHA-256 of the node as iavl hashes it; null while an unsaved node is dirty.</summary>
    public byte[]? Hash;

    /// <summary>
    /// Unsaved node with its hash computed: the number of unsaved nodes in its subtree, itself included (set with the
    /// hash, reset with it, since any change below a node makes its hash dirty too). Lets a save number them ahead.
    /// </summary>
    public int UnsavedCount;

    // Inner nodes: each side is a saved child (key, hash, height and size; object loaded on demand) or an
    // unsaved child (object only; hash null). Knowing a saved child's height and size lets a parent rebalance
    // and resize without loading it.
    public Node? LeftNode;
    public NodeKey LeftKey;
    public byte[]? LeftHash;
    public int LeftHeight;
    public long LeftSize;
    public Node? RightNode;
    public NodeKey RightKey;
    public byte[]? RightHash;
    public int RightHeight;
    public long RightSize;

    private Node(byte[] key, byte[]? value, int height, long size, long version)
    {
        _key = key;
        KeyPrefix = PrefixOf(key);
        Value = value;
        Height = height;
        Size = size;
        Version = version;
    }

    public bool IsLeaf => Height == 0;

    public bool IsSaved => NodeKey.IsSaved;

    public int LeftChildHeight => LeftHash is null ? LeftNode!.Height : LeftHeight;

    public int RightChildHeight => RightHash is null ? RightNode!.Height : RightHeight;

    public long LeftChildSize => LeftHash is null ? LeftNode!.Size : LeftSize;

    public long RightChildSize => RightHash is null ? RightNode!.Size : RightSize;

    public static Node NewLeaf(byte[] key, byte[] value, long version) => new(key, value, 0, 1, version);

    public static Node NewInner(byte[] key, Node left, Node right, long version)
    {
        var node = new Node(key, null, 0, 0, version);
        node.SetLeft(left);
        node.SetRight(right);
        node.Height = Math.Max(left.Height, right.Height) + 1;
        node.Size = left.Size + right.Size;
        return node;
    }

    /// <summary>A node read from the database.</summary>
    public static Node Loaded(NodeKey nodeKey, byte[] hash, byte[] key, byte[]? value, int height, long size)
        => new(key, value, height, size, nodeKey.Version) { NodeKey = nodeKey, Hash = hash };

    /// <summary>An unsaved copy, for the next version, of a saved node (children are shared, not copied).</summary>
    public Node CloneForVersion(long version) => new(Key, Value, Height, Size, version)
    {
        LeftNode = LeftNode,
        LeftKey = LeftKey,
        LeftHash = LeftHash,
        LeftHeight = LeftHeight,
        LeftSize = LeftSize,
        RightNode = RightNode,
        RightKey = RightKey,
        RightHash = RightHash,
        RightHeight = RightHeight,
        RightSize = RightSize,
    };

    public void SetLeft(Node child)
    {
        LeftNode = child;
        LeftKey = child.NodeKey;
        LeftHash = child.IsSaved ? child.Hash : null;
        LeftHeight = child.Height;
        LeftSize = child.Size;
    }

    public void SetRight(Node child)
    {
        RightNode = child;
        RightKey = child.NodeKey;
        RightHash = child.IsSaved ? child.Hash : null;
        RightHeight = child.Height;
        RightSize = child.Size;
    }

    /// <summary>Moves the right child reference of <paramref name="from"/> to the left side of this node, without loading it.</summary>
    public void TakeLeftFromRightOf(Node from)
    {
        LeftNode = from.RightNode;
        LeftKey = from.RightKey;
        LeftHash = from.RightHash;
        LeftHeight = from.RightHeight;
        LeftSize = from.RightSize;
    }

    public void TakeRightFromLeftOf(Node from)
    {
        RightNode = from.LeftNode;
        RightKey = from.LeftKey;
        RightHash = from.LeftHash;
        RightHeight = from.LeftHeight;
        RightSize = from.LeftSize;
    }
}
