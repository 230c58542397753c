using System.Security.Cryptography;
using DePinChain.Protos.Ics23;
using DePinChain.Store.Proofs;
using Google.Protobuf;

namespace DePinChain.Store.Tests.Proofs;

/// <summary>
/// A CometBFT simple Merkle tree over key/value leaves (what the multistore root is), with an ICS-23 existence
/// proof per leaf, written here from the format alone: leaf = SHA-256(0x00 ‖ varint(len k) ‖ k ‖ varint(32) ‖
/// SHA-256(v)), inner = SHA-256(0x01 ‖ left ‖ right), split at the largest power of two below the count.
/// </summary>
public sealed class SimpleMerkleTree
{
    private readonly List<(byte[] Key, byte[] Value)> _leaves;
    private readonly ExistenceProof[] _proofs;

    public SimpleMerkleTree(IEnumerable<(byte[] Key, byte[] Value)> leaves)
    {
        _leaves = leaves.OrderBy(l => l.Key, DePinChain.Store.Backend.ByteArrayComparer.Instance).ToList();
        _proofs = _leaves.Select(l => new ExistenceProof { Key = ByteString.CopyFrom(l.Key), Value = ByteString.CopyFrom(l.Value), Leaf = ProofSpecs.Tendermint.LeafSpec }).ToArray();
        Root = Build(0, _leaves.Count);
    }

    public byte[] Root { get; }

    public ExistenceProof ProofOf(int index) => _proofs[index].Clone();

    public CommitmentProof NonExistence(byte[] key, int? left, int? right) => new()
    {
        Nonexist = new NonExistenceProof
        {
            Key = ByteString.CopyFrom(key),
            Left = left is null ? null : ProofOf(left.Value),
            Right = right is null ? null : ProofOf(right.Value),
        },
    };

    private byte[] Build(int from, int count)
    {
        if (count == 1) return LeafHash(_leaves[from].Key, _leaves[from].Value);
        var split = 1;
        while (split * 2 < count) split *= 2;
        var left = Build(from, split);
        var right = Build(from + split, count - split);
        // Path steps are added bottom-up, so each proof's path ends at the root.
        for (var i = from; i < from + split; i++)
            _proofs[i].Path.Add(new InnerOp { Hash = HashOp.Sha256, Prefix = ByteString.CopyFrom(0x01), Suffix = ByteString.CopyFrom(right) });
        for (var i = from + split; i < from + count; i++)
            _proofs[i].Path.Add(new InnerOp { Hash = HashOp.Sha256, Prefix = ByteString.CopyFrom([0x01, .. left]) });
        return SHA256.HashData([0x01, .. left, .. right]);
    }

    private static byte[] LeafHash(byte[] key, byte[] value)
    {
        var valueHash = SHA256.HashData(value);
        return SHA256.HashData([0x00, .. Varint(key.Length), .. key, .. Varint(valueHash.Length), .. valueHash]);
    }

    private static byte[] Varint(int value)
    {
        var bytes = new List<byte>();
        var v = (uint)value;
        while (v >= 0x80)
        {
            bytes.Add((byte)(v | 0x80));
            v >>= 7;
        }
        bytes.Add((byte)v);
        return [.. bytes];
    }
}
