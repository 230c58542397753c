using DePinChain.Store.Backend;
using DePinChain.Store.Iavl;
using Google.Protobuf;
using static DePinChain.Store.Tests.Iavl.TreeTestKit;

namespace DePinChain.Store.Tests.Iavl;

public class ProofEncodingTests
{
    [Fact]
    public void Directly_written_existence_proofs_are_byte_for_byte_the_serialized_proof_messages()
    {
        // Empty, short and long values (multi-byte lengths), enough keys for sizes and versions past one varint byte.
        var db = new MemoryKeyValueStore();
        var tree = Open(db, cache: 50);
        var random = new Random(8);
        for (var v = 1; v <= 70; v++)
        {
            for (var i = 0; i < 40; i++)
            {
                var key = B($"key{random.Next(2000):D4}");
                var value = new byte[random.Next(4) switch { 0 => 0, 1 => 3, 2 => 200, _ => 20_000 }];
                random.NextBytes(value);
                tree.Set(key, value);
            }
            if (v % 9 == 0) tree.Delete(B($"key{random.Next(2000):D4}"));
            tree.Commit(db);
        }
        var view = (ImmutableTree)tree.GetImmutable(70);
        var checkedKeys = 0;
        foreach (var (key, value) in view.Iterate(null, null))
        {
            var direct = view.ExistenceProofBytes(key, out var directValue);
            Assert.NotNull(direct);
            Assert.Equal(value, directValue);
            Assert.Equal(view.GetProof(key).ToByteArray(), direct);
            checkedKeys++;
        }
        Assert.True(checkedKeys > 500);
        Assert.Null(view.ExistenceProofBytes(B("absent"), out var none));
        Assert.Null(none);
    }
}
