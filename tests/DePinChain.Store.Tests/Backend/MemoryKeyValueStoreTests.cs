using System.Text;
using DePinChain.Store.Backend;

namespace DePinChain.Store.Tests.Backend;

public class MemoryKeyValueStoreTests
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    [Fact]
    public void Iterates_in_unsigned_byte_order_both_ways_within_bounds()
    {
        using var store = new MemoryKeyValueStore();
        foreach (var k in new[] { "b", "a", "c", "ab", "d" }) store.Put(B(k), B(k));
        store.Put([0xFF], [1]);

        var forward = store.Iterate(B("ab"), B("d")).Select(kv => Encoding.ASCII.GetString(kv.Key)).ToList();
        var backward = store.Iterate(B("ab"), B("d"), reverse: true).Select(kv => Encoding.ASCII.GetString(kv.Key)).ToList();

        Assert.Equal(["ab", "b", "c"], forward);
        Assert.Equal(["c", "b", "ab"], backward);
        Assert.Equal(0xFF, store.Iterate(null, null).Last().Key[0]);
    }

    [Fact]
    public void Snapshot_does_not_see_later_writes()
    {
        using var store = new MemoryKeyValueStore();
        store.Put(B("k"), B("v1"));
        using var snapshot = store.GetSnapshot();
        store.Put(B("k"), B("v2"));
        store.Put(B("k2"), B("x"));

        Assert.Equal(B("v1"), snapshot.Get(B("k")));
        Assert.Null(snapshot.Get(B("k2")));
        Assert.Equal(B("v2"), store.Get(B("k")));
    }

    [Fact]
    public void Batch_applies_operations_in_order()
    {
        using var store = new MemoryKeyValueStore();
        store.Put(B("gone"), B("1"));
        using var batch = store.CreateBatch();
        batch.Put(B("a"), B("1"));
        batch.Delete(B("a"));
        batch.Delete(B("gone"));
        batch.Put(B("b"), B("2"));

        store.Write(batch, sync: true);

        Assert.Null(store.Get(B("a")));
        Assert.Null(store.Get(B("gone")));
        Assert.Equal(B("2"), store.Get(B("b")));
    }

    [Theory]
    [InlineData(new byte[] { 1, 2 }, new byte[] { 1, 3 })]
    [InlineData(new byte[] { 1, 0xFF }, new byte[] { 2 })]
    [InlineData(new byte[] { 0xFF, 0xFF }, null)]
    [InlineData(new byte[0], null)]
    public void Prefix_end_is_the_first_key_past_the_prefix(byte[] prefix, byte[]? expected)
        => Assert.Equal(expected, KeyRange.PrefixEnd(prefix));
}
