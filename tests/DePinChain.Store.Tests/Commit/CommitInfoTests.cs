using System.Security.Cryptography;
using System.Text;
using DePinChain.Protos.Ics23;

namespace DePinChain.Store.Tests.Commit;

public class CommitInfoTests
{
    private static byte[] Root(string seed) => SHA256.HashData(Encoding.UTF8.GetBytes(seed));

    private static CommitInfo Sample(int stores) =>
        new(7, Enumerable.Range(0, stores).Select(i => new StoreInfo("store" + (char)('z' - i), Root("r" + i))));

    [Fact]
    public void A_single_store_app_hash_is_the_leaf_hash_of_its_kv_pair()
    {
        var root = Root("bank");
        var info = new CommitInfo(1, [new StoreInfo("bank", root)]);
        byte[] leaf = [0x00, 4, .. "bank"u8, 32, .. SHA256.HashData(root)];
        Assert.Equal(SHA256.HashData(leaf), info.Hash());
    }

    [Fact]
    public void The_app_hash_is_the_simple_merkle_root_over_stores_sorted_by_name()
    {
        var a = Root("a");
        var b = Root("b");
        var c = Root("c");
        var info = new CommitInfo(3, [new StoreInfo("staking", c), new StoreInfo("acc", a), new StoreInfo("bank", b)]);
        byte[] Leaf(string name, byte[] r) => [0x00, (byte)name.Length, .. Encoding.ASCII.GetBytes(name), 32, .. SHA256.HashData(r)];
        byte[] Inner(byte[] l, byte[] r) => SHA256.HashData([0x01, .. l, .. r]);
        var expected = Inner(Inner(SHA256.HashData(Leaf("acc", a)), SHA256.HashData(Leaf("bank", b))), SHA256.HashData(Leaf("staking", c)));
        Assert.Equal(expected, info.Hash());
        Assert.Equal(["acc", "bank", "staking"], info.Stores.Select(s => s.Name));
    }

    [Fact]
    public void Each_store_proof_evaluates_to_the_app_hash()
    {
        for (var n = 1; n <= 9; n++)
        {
            var info = Sample(n);
            foreach (var store in info.Stores)
            {
                var proof = info.ProveStore(store.Name).Exist;
                Assert.Equal(Encoding.ASCII.GetBytes(store.Name), proof.Key.ToByteArray());
                Assert.Equal(store.RootHash, proof.Value.ToByteArray());
                Assert.Equal(info.Hash(), Evaluate(proof));
            }
        }
    }

    [Fact]
    public void Proving_an_unknown_store_throws()
        => Assert.Throws<KeyNotFoundException>(() => Sample(3).ProveStore("nope"));

    [Fact]
    public void Encoding_round_trips()
    {
        var info = Sample(5);
        var decoded = CommitInfo.Decode(info.Encode());
        Assert.Equal(info.Version, decoded.Version);
        Assert.Equal(info.Hash(), decoded.Hash());
        Assert.Equal(info.Stores.Select(s => s.Name), decoded.Stores.Select(s => s.Name));
    }

    [Fact]
    public void Damaged_records_are_rejected()
    {
        var bytes = Sample(3).Encode();
        Assert.Throws<FormatException>(() => CommitInfo.Decode([]));
        Assert.Throws<FormatException>(() => CommitInfo.Decode(bytes.AsSpan(0, bytes.Length - 1)));
        Assert.Throws<FormatException>(() => CommitInfo.Decode([.. bytes, 0]));
        var wrongFormat = (byte[])bytes.Clone();
        wrongFormat[0] = 9;
        Assert.Throws<FormatException>(() => CommitInfo.Decode(wrongFormat));
        Assert.Throws<FormatException>(() => CommitInfo.Decode("some other program's value"u8));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/")]
    public void Bad_store_names_are_rejected(string name)
        => Assert.Throws<ArgumentException>(() => new CommitInfo(1, [new StoreInfo(name, Root("x"))]));

    [Fact]
    public void Duplicate_store_names_and_bad_root_lengths_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new CommitInfo(1, [new StoreInfo("a", Root("x")), new StoreInfo("a", Root("y"))]));
        Assert.Throws<ArgumentException>(() => new CommitInfo(1, [new StoreInfo("a", new byte[31])]));
    }

    // The TendermintSpec leaf and inner operations, evaluated directly (the full ICS-23 verifier is tested elsewhere).
    private static byte[] Evaluate(ExistenceProof proof)
    {
        Assert.Equal(HashOp.Sha256, proof.Leaf.Hash);
        Assert.Equal(HashOp.NoHash, proof.Leaf.PrehashKey);
        Assert.Equal(HashOp.Sha256, proof.Leaf.PrehashValue);
        Assert.Equal(LengthOp.VarProto, proof.Leaf.Length);
        var key = proof.Key.ToByteArray();
        var value = SHA256.HashData(proof.Value.ToByteArray());
        var hash = SHA256.HashData([.. proof.Leaf.Prefix, (byte)key.Length, .. key, (byte)value.Length, .. value]);
        foreach (var step in proof.Path)
        {
            Assert.Equal(1, step.Prefix[0]);
            hash = SHA256.HashData([.. step.Prefix, .. hash, .. step.Suffix]);
        }
        return hash;
    }
}
