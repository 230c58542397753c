using System.Runtime.CompilerServices;

namespace DePinChain.Store.Iavl;

/// <summary>A SHA-256 hash held inside its node (no array object of its own: one object less per node).</summary>
[InlineArray(NodeHasher.HashSize)]
internal struct Hash32
{
    private byte _element0;
}

/// <summary>
/// One tree node: one object holding its key and value arrays and its own hash inline, and referencing its two
/// children (inner nodes). A child that has not been read from the database is a <em>stub</em>: a node with the
/// node key, hash, height and size its parent's record gives (so the parent hashes, resizes and rebalances
/// without reading it) and no key; <see cref="NodeStore"/> reads it when a walk needs it. A saved node
/// (<see cref="IsSaved"/>) never changes again, except that a child reference may be swapped between a stub and
/// the loaded node it stands for (a cache, safe to race on: both say the same). Unsaved nodes belong to the
/// working tree alone and are edited in place.
/// </summary>
internal sealed class Node
{
    // Field sizes matter here: a 10M-key tree holds 20M of these. 4 references, 3 longs, the inline hash, the nonce
    // (saved) or unsaved count (unsaved) in one field, a height byte and two flags: 112 bytes with the object header.
    private byte[]? _key;
    private uint _nonceOrCount;
    private Hash32 _hash;
    private byte _height;
    private bool _hasHash;
    private bool _saved;

    /// <summary>Leaf: its key. Inner: the smallest key of the right subtree (iavl's rule). Not for a stub.</summary>
    public byte[] Key
    {
        get => _key!;
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

    /// <summary>Inner nodes: the children (loaded nodes, unsaved nodes or stubs); null for a leaf and a stub.</summary>
    public Node? Left;

    public Node? Right;

    public long Size;

    /// <summary>The version that created this node; the version of its node key once saved.</summary>
    public long Version;

    /// <summary>
    /// Unsaved node with its hash computed: the number of unsaved nodes in its subtree, itself included (set with the
    /// hash, reset with it, since any change below a node makes its hash dirty too). Lets a save number them ahead.
    /// Shares its field with the nonce, which a node gets only once it no longer needs the count.
    /// </summary>
    public int UnsavedCount
    {
        get => _saved ? throw new InvalidOperationException("a saved node has no unsaved count") : (int)_nonceOrCount;
        set
        {
            if (_saved) throw new InvalidOperationException("a saved node has no unsaved count");
            _nonceOrCount = (uint)value;
        }
    }

    public int Height
    {
        get => _height;
        set => _height = (byte)value;
    }

    /// <summary>Where the node is stored; the default (version 0) while it is unsaved.</summary>
    public NodeKey NodeKey => _saved ? new NodeKey(Version, _nonceOrCount) : default;

    public bool IsSaved => _saved;

    /// <summary>False for a stub: a saved node known only by what its parent's record says.</summary>
    public bool IsLoaded => _key is not null;

    /// <summary>Whether <see cref="Hash"/> is current: always for a saved node; for an unsaved one once hashed, until it changes.</summary>
    public bool HasHash => _hasHash;

    /// <summary>SHA-256 of the node as iavl hashes it (valid when <see cref="HasHash"/>). Points into the node.</summary>
    public ReadOnlySpan<byte> Hash => _hash;

    public void SetHash(ReadOnlySpan<byte> hash)
    {
        hash.CopyTo(_hash);
        _hasHash = true;
    }

    public void InvalidateHash() => _hasHash = false;

    /// <summary>Gives a hashed unsaved node its node key: from now on it is saved (immutable).</summary>
    public void MarkSaved(NodeKey nodeKey)
    {
        if (nodeKey.Version != Version || nodeKey.Nonce == 0 || !_hasHash)
            throw new InvalidOperationException($"node of version {Version} cannot be saved as {nodeKey}");
        _nonceOrCount = nodeKey.Nonce;
        _saved = true;
    }

    private Node(byte[]? key, byte[]? value, int height, long size, long version)
    {
        _key = key;
        if (key is not null) KeyPrefix = PrefixOf(key);
        Value = value;
        Height = height;
        Size = size;
        Version = version;
    }

    public bool IsLeaf => _height == 0;

    public static Node NewLeaf(byte[] key, byte[] value, long version) => new(key, value, 0, 1, version);

    public static Node NewInner(byte[] key, Node left, Node right, long version)
        => new(key, null, Math.Max(left.Height, right.Height) + 1, left.Size + right.Size, version) { Left = left, Right = right };

    /// <summary>A node read from the database (an inner node's children are stubs the caller sets).</summary>
    public static Node Loaded(NodeKey nodeKey, ReadOnlySpan<byte> hash, byte[] key, byte[]? value, int height, long size)
    {
        var node = new Node(key, value, height, size, nodeKey.Version) { _nonceOrCount = nodeKey.Nonce, _saved = true };
        node.SetHash(hash);
        return node;
    }

    /// <summary>A saved node not read yet: what its parent's record says about it.</summary>
    public static Node Stub(NodeKey nodeKey, ReadOnlySpan<byte> hash, int height, long size)
    {
        var node = new Node(null, null, height, size, nodeKey.Version) { _nonceOrCount = nodeKey.Nonce, _saved = true };
        node.SetHash(hash);
        return node;
    }

    /// <summary>A stub standing for this saved node, so a parent can let go of the node (and its subtree).</summary>
    public Node ToStub() => IsLoaded ? Stub(NodeKey, Hash, Height, Size) : this;

    /// <summary>An unsaved copy, for the next version, of a saved node (children are shared, not copied).</summary>
    public Node CloneForVersion(long version) => new(Key, Value, Height, Size, version) { Left = Left, Right = Right };
}
