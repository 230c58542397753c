using System.Security.Cryptography;
using DePinChain.Protos.Ics23;
using DePinChain.Store.Backend;
using DePinChain.Store.Iavl;
using static DePinChain.Store.Tests.Iavl.TreeTestKit;

namespace DePinChain.Store.Tests.Iavl;

public class IavlProofTests
{
    /// <summary>ICS-23's existence-proof root computation, restricted to what IavlSpec uses.</summary>
    private static byte[] RootOf(ExistenceProof proof)
    {
        var leaf = proof.Leaf;
        Assert.Equal(HashOp.Sha256, leaf.Hash);
        Assert.Equal(HashOp.NoHash, leaf.PrehashKey);
        Assert.Equal(HashOp.Sha256, leaf.PrehashValue);
        Assert.Equal(LengthOp.VarProto, leaf.Length);
        var buf = new List<byte>(leaf.Prefix);
        IavlHash.Uvarint(buf, (ulong)proof.Key.Length);
        buf.AddRange(proof.Key);
        IavlHash.Uvarint(buf, 32);
        buf.AddRange(SHA256.HashData(proof.Value.Span));
        var hash = SHA256.HashData(buf.ToArray());
        foreach (var op in proof.Path)
        {
            Assert.Equal(HashOp.Sha256, op.Hash);
            Assert.InRange(op.Prefix.Length, 4, 12 + 33); // IavlSpec: 4..12 bytes of varints (+ a left sibling)
            hash = SHA256.HashData([.. op.Prefix, .. hash, .. op.Suffix]);
        }
        return hash;
    }

    private static (IavlTree Tree, MemoryKeyValueStore Db) TreeWith(IEnumerable<int> keys, int versions = 1)
    {
        var db = new MemoryKeyValueStore();
        var tree = Open(db, cache: 30);
        var list = keys.ToList();
        for (var v = 0; v < versions; v++)
        {
            foreach (var k in list.Where((_, i) => i % versions == v)) tree.Set(B($"key{k:D4}"), B($"value{k}.{v}"));
            tree.Commit(db);
        }
        return (tree, db);
    }

    [Fact]
    public void Every_present_key_has_an_existence_proof_that_rebuilds_the_root()
    {
        var (tree, _) = TreeWith(Enumerable.Range(0, 150).Select(i => i * 2), versions: 3);
        var view = tree.GetImmutable(3);
        foreach (var (key, value) in view.Iterate(null, null))
        {
            var proof = view.GetProof(key);
            Assert.Equal(CommitmentProof.ProofOneofCase.Exist, proof.ProofCase);
            Assert.Equal(key, proof.Exist.Key.ToByteArray());
            Assert.Equal(value, proof.Exist.Value.ToByteArray());
            Assert.Equal(view.RootHash, RootOf(proof.Exist));
        }
    }

    [Fact]
    public void Inner_ops_carry_the_sibling_on_the_side_iavl_puts_it()
    {
        var db = new MemoryKeyValueStore();
        var tree = Open(db);
        tree.Set(B("a"), B("1"));
        tree.Set(B("b"), B("2"));
        tree.Commit(db);
        var view = tree.GetImmutable(1);
        var leafA = IavlHash.Leaf(B("a"), B("1"), 1);
        var leafB = IavlHash.Leaf(B("b"), B("2"), 1);

        // a is the left child: prefix = varints(1, 2, 1) ‖ 0x20, suffix = 0x20 ‖ hash(b).
        var left = view.GetProof(B("a")).Exist.Path.Single();
        Assert.Equal([0x02, 0x04, 0x02, 0x20], left.Prefix.ToByteArray());
        Assert.Equal([0x20, .. leafB], left.Suffix.ToByteArray());
        // b is the right child: prefix = varints ‖ 0x20 ‖ hash(a) ‖ 0x20, no suffix.
        var right = view.GetProof(B("b")).Exist.Path.Single();
        Assert.Equal([0x02, 0x04, 0x02, 0x20, .. leafA, 0x20], right.Prefix.ToByteArray());
        Assert.True(right.Suffix.IsEmpty);
        Assert.Equal([0x00, 0x02, 0x02], view.GetProof(B("a")).Exist.Leaf.Prefix.ToByteArray());
    }

    [Fact]
    public void Absent_keys_get_non_existence_proofs_with_their_neighbours()
    {
        var (tree, _) = TreeWith(Enumerable.Range(1, 60).Select(i => i * 10), versions: 2);
        var view = tree.GetImmutable(2);
        foreach (var probe in new[] { "key0000", "key0005", "key0015", "key0301", "key0595", "key0601", "key9999", "a", "z" })
        {
            var proof = view.GetProof(B(probe));
            Assert.Equal(CommitmentProof.ProofOneofCase.Nonexist, proof.ProofCase);
            var nonexist = proof.Nonexist;
            Assert.Equal(probe, S(nonexist.Key.ToByteArray()));
            var expectedLeft = view.Iterate(null, B(probe), reverse: true).Select(e => S(e.Key)).FirstOrDefault();
            var expectedRight = view.Iterate(B(probe), null).Select(e => S(e.Key)).FirstOrDefault();
            Assert.Equal(expectedLeft, nonexist.Left is null ? null : S(nonexist.Left.Key.ToByteArray()));
            Assert.Equal(expectedRight, nonexist.Right is null ? null : S(nonexist.Right.Key.ToByteArray()));
            Assert.True(nonexist.Left is not null || nonexist.Right is not null);
            if (nonexist.Left is not null) Assert.Equal(view.RootHash, RootOf(nonexist.Left));
            if (nonexist.Right is not null) Assert.Equal(view.RootHash, RootOf(nonexist.Right));
        }
        Assert.Null(view.GetProof(B("a")).Nonexist.Left);   // before the first key
        Assert.Null(view.GetProof(B("z")).Nonexist.Right);  // after the last key
    }

    [Fact]
    public void An_empty_tree_proves_absence_without_neighbours()
    {
        var db = new MemoryKeyValueStore();
        var tree = Open(db);
        tree.Commit(db);
        var proof = tree.GetImmutable(1).GetProof(B("k"));
        Assert.Equal(CommitmentProof.ProofOneofCase.Nonexist, proof.ProofCase);
        Assert.Null(proof.Nonexist.Left);
        Assert.Null(proof.Nonexist.Right);
    }

    [Fact]
    public void Proofs_of_an_old_version_prove_against_that_versions_root()
    {
        var db = new MemoryKeyValueStore();
        var tree = Open(db);
        tree.Set(B("k"), B("old"));
        tree.Set(B("j"), B("x"));
        tree.Commit(db);
        tree.Set(B("k"), B("new"));
        tree.Commit(db);
        var v1 = tree.GetImmutable(1);
        var proof = v1.GetProof(B("k")).Exist;
        Assert.Equal(B("old"), proof.Value.ToByteArray());
        Assert.Equal(v1.RootHash, RootOf(proof));
        Assert.NotEqual(tree.GetImmutable(2).RootHash, RootOf(proof));
        Assert.Throws<ArgumentException>(() => v1.GetProof([]));
    }
}
