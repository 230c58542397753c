using DePinChain.Store.Cache;
using static DePinChain.Store.Tests.Bytes;

namespace DePinChain.Store.Tests.Cache;

public class CacheKVStoreReadCacheTests
{
    /// <summary>Counts the reads that reach the wrapped store.</summary>
    private sealed class CountingStore(IKVStore inner) : IKVStore
    {
        public int Gets { get; private set; }

        public int Hases { get; private set; }

        public byte[]? Get(ReadOnlySpan<byte> key)
        {
            Gets++;
            return inner.Get(key);
        }

        public bool Has(ReadOnlySpan<byte> key)
        {
            Hases++;
            return inner.Has(key);
        }

        public void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => inner.Set(key, value);

        public void Delete(ReadOnlySpan<byte> key) => inner.Delete(key);

        public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(byte[]? start, byte[]? end, bool reverse = false) =>
            inner.Iterate(start, end, reverse);
    }

    [Fact]
    public void Repeated_reads_of_a_key_reach_the_parent_once()
    {
        var model = new ModelStore();
        model.Set(Of("fee"), Of("100"));
        var parent = new CountingStore(model);
        var cache = new CacheKVStore(parent);

        for (var i = 0; i < 5; i++) Assert.Equal("100", Str(cache.Get(Of("fee"))));
        for (var i = 0; i < 5; i++) Assert.Null(cache.Get(Of("absent")));

        Assert.Equal(2, parent.Gets);
        Assert.True(cache.Has(Of("fee")));
        Assert.False(cache.Has(Of("absent")));
    }

    [Fact]
    public void Repeated_existence_checks_through_nested_branches_reach_the_parent_once_per_key()
    {
        var model = new ModelStore();
        model.Set(Of("collector"), Of("account"));
        var parent = new CountingStore(model);
        var block = new CacheKVStore(parent);

        for (var tx = 0; tx < 5; tx++)
        {
            var branch = new CacheKVStore(block);
            Assert.True(branch.Has(Of("collector")));
            Assert.False(branch.Has(Of("nobody")));
            branch.Set(Of("nobody"), Of("created"));
            Assert.True(branch.Has(Of("nobody")));
            // Dropped, not written: the block branch never sees the creation.
        }

        Assert.Equal(2, parent.Gets + parent.Hases);
        Assert.False(block.Has(Of("nobody")));
        Assert.Equal("account", Str(block.Get(Of("collector"))));
    }

    [Fact]
    public void Cached_reads_are_not_written_to_the_parent()
    {
        var parent = new ModelStore();
        parent.Set(Of("a"), Of("1"));
        var cache = new CacheKVStore(parent);
        cache.Get(Of("a"));
        cache.Get(Of("b"));
        parent.Log.Clear();

        Assert.Equal(0, cache.PendingCount);
        cache.Write();

        Assert.Empty(parent.Log);
    }

    [Fact]
    public void A_delete_after_a_cached_read_reaches_the_parent()
    {
        var parent = new ModelStore();
        parent.Set(Of("a"), Of("1"));
        var cache = new CacheKVStore(parent);
        Assert.Equal("1", Str(cache.Get(Of("a"))));

        cache.Delete(Of("a"));

        Assert.Null(cache.Get(Of("a")));
        Assert.Equal(1, cache.PendingCount);
        cache.Write();
        Assert.Null(parent.Get(Of("a")));
    }

    [Fact]
    public void A_write_after_a_cached_absent_read_is_seen_and_written()
    {
        var parent = new ModelStore();
        var cache = new CacheKVStore(parent);
        Assert.Null(cache.Get(Of("a")));

        cache.Set(Of("a"), Of("2"));

        Assert.Equal("2", Str(cache.Get(Of("a"))));
        cache.Write();
        Assert.Equal("2", Str(parent.Get(Of("a"))));
    }

    [Fact]
    public void Iteration_after_cached_reads_shows_the_parent_merged_with_pending_changes()
    {
        var parent = new ModelStore();
        foreach (var k in new[] { "a", "b", "c", "d" }) parent.Set(Of(k), Of(k + "0"));
        var cache = new CacheKVStore(parent);
        foreach (var k in new[] { "a", "b", "c", "x" }) cache.Get(Of(k));
        cache.Delete(Of("b"));
        cache.Set(Of("c"), Of("c1"));
        cache.Set(Of("e"), Of("e1"));

        Assert.Equal(["a=a0", "c=c1", "d=d0", "e=e1"], cache.Iterate(null, null).Select(kv => Str(kv.Key) + "=" + Str(kv.Value)));
        Assert.Equal(["e=e1", "d=d0", "c=c1", "a=a0"], cache.Iterate(null, null, reverse: true).Select(kv => Str(kv.Key) + "=" + Str(kv.Value)));
        Assert.Equal(["c=c1", "d=d0"], cache.Iterate(Of("b"), Of("e")).Select(kv => Str(kv.Key) + "=" + Str(kv.Value)));
    }

    [Fact]
    public void Mutating_a_read_value_does_not_change_later_reads()
    {
        var parent = new ModelStore();
        parent.Set(Of("a"), Of("1"));
        var cache = new CacheKVStore(parent);

        cache.Get(Of("a"))![0] = (byte)'9';

        Assert.Equal("1", Str(cache.Get(Of("a"))));
    }

    [Fact]
    public void Mutating_a_value_read_from_a_written_child_branch_does_not_change_the_parent_branch()
    {
        var root = new ModelStore();
        var block = new CacheKVStore(root);
        var tx = new CacheKVStore(block);
        tx.Set(Of("a"), Of("1"));
        var held = tx.Get(Of("a"))!;
        var iterated = tx.Iterate(null, null).Single().Value;
        tx.Set(Of("b"), Of("2"));
        tx.Write();

        held[0] = (byte)'9';
        iterated[0] = (byte)'8';

        Assert.Equal("1", Str(block.Get(Of("a"))));
        Assert.Equal("2", Str(block.Get(Of("b"))));
        Assert.Equal(2, block.PendingCount);
        block.Write();
        Assert.Equal("1", Str(root.Get(Of("a"))));
        Assert.Equal("2", Str(root.Get(Of("b"))));
    }

    [Fact]
    public void A_child_branch_write_over_a_cached_read_in_the_parent_branch_is_seen_and_written()
    {
        var root = new ModelStore();
        root.Set(Of("a"), Of("1"));
        var block = new CacheKVStore(root);
        Assert.Equal("1", Str(block.Get(Of("a"))));
        var tx = new CacheKVStore(block);
        Assert.Equal("1", Str(tx.Get(Of("a"))));
        tx.Set(Of("a"), Of("2"));
        tx.Delete(Of("z"));
        tx.Write();

        Assert.Equal("2", Str(block.Get(Of("a"))));
        Assert.Equal(2, block.PendingCount);
        block.Write();
        Assert.Equal("2", Str(root.Get(Of("a"))));
    }
}
