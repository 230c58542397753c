using DePinChain.Store.Iavl;

namespace DePinChain.Store.Tests.Iavl;

public class NodeKeyOrderTests
{
    [Fact]
    public void Comparing_through_the_key_prefix_orders_keys_exactly_like_their_bytes()
    {
        // Short keys, zero bytes and shared prefixes are where a zero-padded prefix could mislead.
        var random = new Random(17);
        byte[][] edges = [[0], [0, 0], [1], [1, 0], [1, 0, 0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0, 0, 0], [0xff], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1]];
        var keys = new List<byte[]>(edges);
        for (var i = 0; i < 300; i++)
        {
            var key = new byte[random.Next(1, 12)];
            for (var j = 0; j < key.Length; j++) key[j] = (byte)(random.Next(3) == 0 ? 0 : random.Next(3));
            keys.Add(key);
        }
        foreach (var a in keys)
        {
            var node = Node.NewLeaf(a, [], 1);
            foreach (var b in keys)
                Assert.Equal(Math.Sign(b.AsSpan().SequenceCompareTo(a)), Math.Sign(node.CompareKey(b, Node.PrefixOf(b))));
        }
    }
}
