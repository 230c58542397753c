using DePinChain.Protos.Ics23;
using Google.Protobuf;

namespace DePinChain.Store.Iavl;

/// <summary>
/// ICS-23 proofs in iavl's layout (proof_ics23.go: <c>convertLeafOp</c> / <c>convertInnerOps</c>), verifiable
/// under <c>IavlSpec</c>:
/// leaf prefix = varint(0) ‖ varint(1) ‖ varint(leaf version); inner prefix = varint(height) ‖ varint(size) ‖
/// varint(version), then 0x20 ‖ leftHash ‖ 0x20 when the path goes right, or 0x20 with suffix 0x20 ‖ rightHash
/// when it goes left.
/// </summary>
internal static class IavlProofs
{
    public static CommitmentProof Create(NodeStore store, Node? root, ReadOnlySpan<byte> key)
    {
        var exist = Existence(store, root, key);
        if (exist is not null) return new CommitmentProof { Exist = exist };

        var nonexist = new NonExistenceProof { Key = ByteString.CopyFrom(key) };
        var keyArray = key.ToArray();
        foreach (var left in TreeReader.Leaves(store, root, null, keyArray, reverse: true))
        {
            nonexist.Left = Existence(store, root, left.Key);
            break;
        }
        foreach (var right in TreeReader.Leaves(store, root, keyArray, null, reverse: false))
        {
            nonexist.Right = Existence(store, root, right.Key);
            break;
        }
        return new CommitmentProof { Nonexist = nonexist };
    }

    /// <summary>The existence proof of <paramref name="key"/>, or null when the key is absent.</summary>
    public static ExistenceProof? Existence(NodeStore store, Node? root, ReadOnlySpan<byte> key)
    {
        if (root is null) return null;
        var path = new List<Node>(32);
        var wentLeftAt = new List<bool>(32);
        var node = root;
        var keyPrefix = Node.PrefixOf(key);
        while (!node.IsLeaf)
        {
            path.Add(node);
            var left = node.CompareKey(key, keyPrefix) < 0;
            wentLeftAt.Add(left);
            node = left ? store.Left(node) : store.Right(node);
        }
        if (!node.Key.AsSpan().SequenceEqual(key)) return null;

        var proof = new ExistenceProof
        {
            // Saved nodes never change, so their arrays can back the (immutable) byte strings directly.
            Key = UnsafeByteOperations.UnsafeWrap(node.Key),
            Value = UnsafeByteOperations.UnsafeWrap(node.Value),
            Leaf = LeafOp(node.Version),
        };
        Span<byte> prefix = stackalloc byte[3 * 10 + 2 + NodeHasher.HashSize];
        for (var i = path.Count - 1; i >= 0; i--)
        {
            var inner = path[i];
            var wentLeft = wentLeftAt[i];
            var n = NodeHasher.PutVarint(prefix, inner.Height);
            n += NodeHasher.PutVarint(prefix[n..], inner.Size);
            n += NodeHasher.PutVarint(prefix[n..], inner.Version);
            var op = new InnerOp { Hash = HashOp.Sha256 };
            if (wentLeft)
            {
                prefix[n++] = NodeHasher.HashSize;
                var suffix = new byte[1 + NodeHasher.HashSize];
                suffix[0] = NodeHasher.HashSize;
                ChildHash(inner, left: false).CopyTo(suffix.AsSpan(1));
                op.Suffix = UnsafeByteOperations.UnsafeWrap(suffix);
            }
            else
            {
                prefix[n++] = NodeHasher.HashSize;
                ChildHash(inner, left: true).CopyTo(prefix[n..]);
                n += NodeHasher.HashSize;
                prefix[n++] = NodeHasher.HashSize;
            }
            op.Prefix = ByteString.CopyFrom(prefix[..n]);
            proof.Path.Add(op);
        }
        return proof;
    }

    /// <summary>
    /// The serialized <see cref="CommitmentProof"/> holding the existence proof of <paramref name="key"/>, byte for
    /// byte what <c>Create(...).ToByteArray()</c> gives (fields in number order, empty bytes and zero enums left
    /// out), written straight from the path instead of through a message object per step; null when the key is
    /// absent (the caller then builds the non-existence proof the usual way).
    /// </summary>
    public static byte[]? ExistenceBytes(NodeStore store, Node? root, ReadOnlySpan<byte> key, out byte[]? value)
    {
        value = null;
        if (root is null) return null;
        Span<Node> pathBuffer = new Node[64];
        var depth = 0;
        var node = root;
        var keyPrefix = Node.PrefixOf(key);
        while (!node.IsLeaf)
        {
            pathBuffer[depth++] = node;
            node = node.CompareKey(key, keyPrefix) < 0 ? store.Left(node) : store.Right(node);
        }
        if (!node.Key.AsSpan().SequenceEqual(key)) return null;
        var leafNode = node;
        value = leafNode.Value!;

        // Sizes first (every length-delimited field needs its length before its bytes).
        var leafPrefixLength = VarintSize(0) + VarintSize(1) + VarintSize(leafNode.Version);
        var leafOpLength = 2 + 2 + 2 + 1 + UvarintSize(leafPrefixLength) + leafPrefixLength; // hash, prehash_value, length, prefix
        var existLength = 1 + UvarintSize(key.Length) + key.Length
            + (value.Length == 0 ? 0 : 1 + UvarintSize(value.Length) + value.Length)
            + 1 + UvarintSize(leafOpLength) + leafOpLength;
        Span<int> opLengths = stackalloc int[depth];
        for (var i = 0; i < depth; i++)
        {
            var inner = pathBuffer[i];
            var headerLength = VarintSize(inner.Height) + VarintSize(inner.Size) + VarintSize(inner.Version);
            var wentLeft = inner.CompareKey(key, keyPrefix) < 0;
            // went left: prefix = header ‖ 0x20, suffix = 0x20 ‖ right hash; went right: prefix = header ‖ 0x20 ‖ left hash ‖ 0x20.
            var prefixLength = wentLeft ? headerLength + 1 : headerLength + 2 + NodeHasher.HashSize;
            var opLength = 2 + 1 + UvarintSize(prefixLength) + prefixLength;
            if (wentLeft) opLength += 1 + UvarintSize(1 + NodeHasher.HashSize) + 1 + NodeHasher.HashSize;
            opLengths[i] = opLength;
            existLength += 1 + UvarintSize(opLength) + opLength;
        }

        var bytes = new byte[1 + UvarintSize(existLength) + existLength];
        var w = 0;
        bytes[w++] = 0x0a; // CommitmentProof.exist
        w += NodeHasher.PutUvarint(bytes.AsSpan(w), (ulong)existLength);
        bytes[w++] = 0x0a; // ExistenceProof.key
        w += NodeHasher.PutUvarint(bytes.AsSpan(w), (ulong)key.Length);
        key.CopyTo(bytes.AsSpan(w));
        w += key.Length;
        if (value.Length > 0)
        {
            bytes[w++] = 0x12; // ExistenceProof.value
            w += NodeHasher.PutUvarint(bytes.AsSpan(w), (ulong)value.Length);
            value.CopyTo(bytes, w);
            w += value.Length;
        }
        bytes[w++] = 0x1a; // ExistenceProof.leaf
        w += NodeHasher.PutUvarint(bytes.AsSpan(w), (ulong)leafOpLength);
        bytes[w++] = 0x08; bytes[w++] = (byte)HashOp.Sha256;       // hash
        bytes[w++] = 0x18; bytes[w++] = (byte)HashOp.Sha256;       // prehash_value (prehash_key is NO_HASH = 0: omitted)
        bytes[w++] = 0x20; bytes[w++] = (byte)LengthOp.VarProto;   // length
        bytes[w++] = 0x2a;                                          // prefix
        w += NodeHasher.PutUvarint(bytes.AsSpan(w), (ulong)leafPrefixLength);
        w += NodeHasher.PutVarint(bytes.AsSpan(w), 0);
        w += NodeHasher.PutVarint(bytes.AsSpan(w), 1);
        w += NodeHasher.PutVarint(bytes.AsSpan(w), leafNode.Version);
        for (var i = depth - 1; i >= 0; i--)
        {
            var inner = pathBuffer[i];
            var wentLeft = inner.CompareKey(key, keyPrefix) < 0;
            var headerLength = VarintSize(inner.Height) + VarintSize(inner.Size) + VarintSize(inner.Version);
            var prefixLength = wentLeft ? headerLength + 1 : headerLength + 2 + NodeHasher.HashSize;
            bytes[w++] = 0x22; // ExistenceProof.path
            w += NodeHasher.PutUvarint(bytes.AsSpan(w), (ulong)opLengths[i]);
            bytes[w++] = 0x08; bytes[w++] = (byte)HashOp.Sha256; // InnerOp.hash
            bytes[w++] = 0x12;                                    // InnerOp.prefix
            w += NodeHasher.PutUvarint(bytes.AsSpan(w), (ulong)prefixLength);
            w += NodeHasher.PutVarint(bytes.AsSpan(w), inner.Height);
            w += NodeHasher.PutVarint(bytes.AsSpan(w), inner.Size);
            w += NodeHasher.PutVarint(bytes.AsSpan(w), inner.Version);
            bytes[w++] = NodeHasher.HashSize;
            if (wentLeft)
            {
                bytes[w++] = 0x1a; // InnerOp.suffix
                w += NodeHasher.PutUvarint(bytes.AsSpan(w), 1 + NodeHasher.HashSize);
                bytes[w++] = NodeHasher.HashSize;
                ChildHash(inner, left: false).CopyTo(bytes.AsSpan(w));
            }
            else
            {
                ChildHash(inner, left: true).CopyTo(bytes.AsSpan(w));
                w += NodeHasher.HashSize;
                bytes[w++] = NodeHasher.HashSize;
                continue;
            }
            w += NodeHasher.HashSize;
        }
        if (w != bytes.Length) throw new InvalidOperationException($"existence proof encoding wrote {w} of {bytes.Length} bytes");
        return bytes;
    }

    private static int VarintSize(long value) => NodeHasher.UvarintSize(value < 0 ? ~((ulong)value << 1) : (ulong)value << 1);

    private static int UvarintSize(int value) => NodeHasher.UvarintSize((ulong)value);

    private static ReadOnlySpan<byte> ChildHash(Node inner, bool left) => left ? inner.Left!.Hash : inner.Right!.Hash;

    public static LeafOp LeafOp(long version)
    {
        Span<byte> prefix = stackalloc byte[3 * 10];
        var n = NodeHasher.PutVarint(prefix, 0);
        n += NodeHasher.PutVarint(prefix[n..], 1);
        n += NodeHasher.PutVarint(prefix[n..], version);
        return new LeafOp
        {
            Hash = HashOp.Sha256,
            PrehashKey = HashOp.NoHash,
            PrehashValue = HashOp.Sha256,
            Length = LengthOp.VarProto,
            Prefix = ByteString.CopyFrom(prefix[..n]),
        };
    }
}
