using System.Buffers;

namespace DePinChain.Store.Iavl;

/// <summary>
/// The stored form of a node (the value under its node key; see README.md in this folder):
/// <code>
/// leaf:  0x00 ‖ uvarint(len key) ‖ key ‖ uvarint(len value) ‖ value
/// inner: height ‖ uvarint(size) ‖ uvarint(len key) ‖ key ‖ left ‖ right
///        where a child is uvarint(version) ‖ uvarint(nonce) ‖ height ‖ uvarint(size) ‖ hash(32)
/// </code>
/// A node's version is its node key's version; a node's own hash lives in its parent (or the root record),
/// so a new parent over an unchanged child hashes, resizes and rebalances without loading the child.
/// </summary>
internal static class NodeCodec
{
    private const int MaxHeight = 127;

    public static int MaxEncodedSize(Node node)
        => 1 + 10 + 10 + node.Key.Length + (node.IsLeaf ? 10 + node.Value!.Length : 2 * (10 + 5 + 1 + 10 + NodeHasher.HashSize));

    public static int Encode(Node node, Span<byte> destination)
    {
        destination[0] = (byte)node.Height;
        var n = 1;
        if (!node.IsLeaf) n += NodeHasher.PutUvarint(destination[n..], (ulong)node.Size);
        n += NodeHasher.PutUvarint(destination[n..], (ulong)node.Key.Length);
        node.Key.CopyTo(destination[n..]);
        n += node.Key.Length;
        if (node.IsLeaf)
        {
            n += NodeHasher.PutUvarint(destination[n..], (ulong)node.Value!.Length);
            node.Value.CopyTo(destination[n..]);
            return n + node.Value.Length;
        }
        n += EncodeChild(node.Left!, destination[n..]);
        n += EncodeChild(node.Right!, destination[n..]);
        return n;
    }

    private static int EncodeChild(Node child, Span<byte> destination)
    {
        var key = child.NodeKey;
        if (!key.IsSaved) throw new InvalidOperationException("a node's record is written before its children are saved");
        var n = NodeHasher.PutUvarint(destination, (ulong)key.Version);
        n += NodeHasher.PutUvarint(destination[n..], key.Nonce);
        destination[n++] = (byte)child.Height;
        n += NodeHasher.PutUvarint(destination[n..], (ulong)child.Size);
        child.Hash.CopyTo(destination[n..]);
        return n + NodeHasher.HashSize;
    }

    /// <exception cref="StoreCorruptedException">The bytes are not a node.</exception>
    public static Node Decode(NodeKey nodeKey, ReadOnlySpan<byte> hash, ReadOnlySpan<byte> data)
    {
        var reader = new Reader(data, nodeKey);
        int height = reader.Byte();
        if (height > MaxHeight) throw reader.Corrupt("height out of range");
        if (height == 0)
        {
            var key = reader.Bytes();
            var value = reader.Bytes();
            reader.End();
            return Node.Loaded(nodeKey, hash, key, value, 0, 1);
        }
        var size = (long)reader.Uvarint();
        if (size < 2) throw reader.Corrupt("inner node size below 2");
        var innerKey = reader.Bytes();
        var node = Node.Loaded(nodeKey, hash, innerKey, null, height, size);
        var left = reader.Child();
        var right = reader.Child();
        reader.End();
        node.Left = left;
        node.Right = right;
        if (Math.Max(left.Height, right.Height) + 1 != height || left.Size + right.Size != size)
            throw reader.Corrupt("children disagree with height or size");
        return node;
    }

    private ref struct Reader(ReadOnlySpan<byte> data, NodeKey nodeKey)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public byte Byte()
        {
            if (_position >= _data.Length) throw Corrupt("truncated");
            return _data[_position++];
        }

        public ulong Uvarint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Byte();
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80) return value;
            }
            throw Corrupt("varint too long");
        }

        public byte[] Bytes()
        {
            var length = Uvarint();
            if (length > (ulong)(_data.Length - _position)) throw Corrupt("length past the end");
            var bytes = _data.Slice(_position, (int)length).ToArray();
            _position += (int)length;
            return bytes;
        }

        /// <summary>A child reference, as a stub node.</summary>
        public Node Child()
        {
            var version = Uvarint();
            var nonce = Uvarint();
            if (version == 0 || version > long.MaxValue || nonce == 0 || nonce > uint.MaxValue) throw Corrupt("bad child key");
            int height = Byte();
            if (height > MaxHeight) throw Corrupt("child height out of range");
            var childSize = Uvarint();
            if (childSize == 0 || childSize > long.MaxValue) throw Corrupt("bad child size");
            if (_data.Length - _position < NodeHasher.HashSize) throw Corrupt("truncated child hash");
            var hash = _data.Slice(_position, NodeHasher.HashSize);
            _position += NodeHasher.HashSize;
            return Node.Stub(new NodeKey((long)version, (uint)nonce), hash, height, (long)childSize);
        }

        public readonly void End()
        {
            if (_position != _data.Length) throw Corrupt("trailing bytes");
        }

        public readonly StoreCorruptedException Corrupt(string what) => new($"iavl node {nodeKey} is damaged: {what}");
    }

    /// <summary>Encodes into a pooled buffer; dispose the result to return it.</summary>
    public static PooledBytes EncodePooled(Node node)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxEncodedSize(node));
        var length = Encode(node, buffer);
        return new PooledBytes(buffer, length);
    }

    public readonly struct PooledBytes(byte[] buffer, int length) : IDisposable
    {
        public ReadOnlySpan<byte> Span => buffer.AsSpan(0, length);

        public void Dispose() => ArrayPool<byte>.Shared.Return(buffer);
    }
}
