using System.Buffers;

namespace DePinChain.Store.Iavl;

/// <summary>
/// The stored form of a node (the value under its node key; see README.md in this folder):
/// <code>
/// leaf:  0x00 ‖ uvarint(len key) ‖ key ‖ uvarint(len value) ‖ value
/// inner: height ‖ uvarint(size) ‖ uvarint(len key) ‖ key ‖ left ‖ right
///        where a child is uvarint(version) ‖ uvarint(nonce) ‖ hash(32)
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
        n += EncodeChild(node.LeftKey, node.LeftHeight, node.LeftSize, node.LeftHash!, destination[n..]);
        n += EncodeChild(node.RightKey, node.RightHeight, node.RightSize, node.RightHash!, destination[n..]);
        return n;
    }

    private static int EncodeChild(NodeKey key, int height, long size, byte[] hash, Span<byte> destination)
    {
        var n = NodeHasher.PutUvarint(destination, (ulong)key.Version);
        n += NodeHasher.PutUvarint(destination[n..], key.Nonce);
        destination[n++] = (byte)height;
        n += NodeHasher.PutUvarint(destination[n..], (ulong)size);
        hash.CopyTo(destination[n..]);
        return n + NodeHasher.HashSize;
    }

    /// <exception cref="StoreCorruptedException">The bytes are not a node.</exception>
    public static Node Decode(NodeKey nodeKey, byte[] hash, ReadOnlySpan<byte> data)
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
        node.LeftKey = reader.Child(out node.LeftHash, out node.LeftHeight, out node.LeftSize);
        node.RightKey = reader.Child(out node.RightHash, out node.RightHeight, out node.RightSize);
        reader.End();
        if (Math.Max(node.LeftHeight, node.RightHeight) + 1 != height || node.LeftSize + node.RightSize != size)
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

        public NodeKey Child(out byte[] hash, out int height, out long size)
        {
            var version = Uvarint();
            var nonce = Uvarint();
            if (version == 0 || version > long.MaxValue || nonce > uint.MaxValue) throw Corrupt("bad child key");
            height = Byte();
            var childSize = Uvarint();
            if (childSize == 0 || childSize > long.MaxValue) throw Corrupt("bad child size");
            size = (long)childSize;
            if (_data.Length - _position < NodeHasher.HashSize) throw Corrupt("truncated child hash");
            hash = _data.Slice(_position, NodeHasher.HashSize).ToArray();
            _position += NodeHasher.HashSize;
            return new NodeKey((long)version, (uint)nonce);
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
