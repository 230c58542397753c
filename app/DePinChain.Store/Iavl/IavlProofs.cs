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
                ChildHash(inner, left: false).CopyTo(suffix, 1);
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

    private static byte[] ChildHash(Node inner, bool left)
        => left ? inner.LeftHash ?? inner.LeftNode!.Hash! : inner.RightHash ?? inner.RightNode!.Hash!;

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
