using DePinChain.Store.Backend;
using DePinChain.Store.Cache;
using static DePinChain.Store.Tests.Bytes;

namespace DePinChain.Store.Tests.Cache;

public class CacheKVStoreTests
{
    [Fact]
    public void Reads_see_the_branch_own_writes_and_deletes()
    {
        var parent = new ModelStore();
        parent.Set(Of("a"), Of("1"));
        parent.Set(Of("b"), Of("2"));
        var cache = new CacheKVStore(parent);

        cache.Set(Of("a"), Of("10"));
        cache.Delete(Of("b"));
        cache.Set(Of("c"), Of("3"));

        Assert.Equal("10", Str(cache.Get(Of("a"))));
        Assert.Null(cache.Get(Of("b")));
        Assert.False(cache.Has(Of("b")));
        Assert.Equal("3", Str(cache.Get(Of("c"))));
        Assert.True(cache.Has(Of("c")));
    }

    [Fact]
    public void Nothing_reaches_the_parent_until_write()
    {
        var parent = new ModelStore();
        parent.Set(Of("a"), Of("1"));
        var cache = new CacheKVStore(parent);
        cache.Set(Of("a"), Of("2"));
        cache.Delete(Of("a"));
        cache.Set(Of("z"), Of("3"));

        Assert.Equal("1", Str(parent.Get(Of("a"))));
        Assert.Null(parent.Get(Of("z")));

        cache.Write();

        Assert.Null(parent.Get(Of("a")));
        Assert.Equal("3", Str(parent.Get(Of("z"))));
        Assert.Equal(0, cache.PendingCount);
    }

    [Fact]
    public void Write_applies_changes_to_the_parent_in_ascending_key_order()
    {
        var parent = new ModelStore();
        var cache = new CacheKVStore(parent);
        foreach (var k in new[] { "m", "b", "z", "a", "bb", "c" }) cache.Set(Of(k), Of("v"));
        cache.Delete(Of("c"));
        parent.Log.Clear();

        cache.Write();

        Assert.Equal(["set a", "set b", "set bb", "delete c", "set m", "set z"], parent.Log.Select(e => e.Op + " " + Str(e.Key)));
    }

    [Fact]
    public void Discarded_changes_never_reach_the_parent()
    {
        var parent = new ModelStore();
        var cache = new CacheKVStore(parent);
        cache.Set(Of("a"), Of("1"));
        cache.Discard();
        cache.Write();
        Assert.Empty(parent.Data);
        Assert.Null(cache.Get(Of("a")));
    }

    [Fact]
    public void Iteration_merges_pending_changes_with_the_parent_in_both_directions_within_bounds()
    {
        var parent = new ModelStore();
        foreach (var k in new[] { "a", "c", "e", "g" }) parent.Set(Of(k), Of("p" + k));
        var cache = new CacheKVStore(parent);
        cache.Set(Of("b"), Of("cb"));
        cache.Set(Of("c"), Of("cc"));
        cache.Delete(Of("e"));
        cache.Set(Of("h"), Of("ch"));
        cache.Delete(Of("x")); // deleting a key the parent does not have

        string Keys(byte[]? s, byte[]? e, bool rev) => string.Join(",", cache.Iterate(s, e, rev).Select(kv => Str(kv.Key) + "=" + Str(kv.Value)));

        Assert.Equal("a=pa,b=cb,c=cc,g=pg,h=ch", Keys(null, null, false));
        Assert.Equal("h=ch,g=pg,c=cc,b=cb,a=pa", Keys(null, null, true));
        Assert.Equal("b=cb,c=cc", Keys(Of("b"), Of("e"), false));
        Assert.Equal("c=cc,b=cb", Keys(Of("b"), Of("e"), true));
        Assert.Equal("c=cc,g=pg", Keys(Of("c"), Of("h"), false)); // end is exclusive
        Assert.Equal("g=pg,h=ch", Keys(Of("d"), null, false));
        Assert.Equal("c=cc,b=cb,a=pa", Keys(null, Of("d"), true));
        Assert.Equal("", Keys(Of("e"), Of("b"), false));
        Assert.Equal("", Keys(Of("c"), Of("c"), false));
    }

    [Fact]
    public void Empty_and_oversized_keys_are_rejected_with_the_limit_named()
    {
        var cache = new CacheKVStore(new ModelStore());
        Assert.Throws<ArgumentException>(() => cache.Set([], Of("v")));
        Assert.Throws<ArgumentException>(() => cache.Get([]));
        var ex = Assert.Throws<ArgumentException>(() => cache.Set(new byte[StoreKeys.MaxKeyLength + 1], Of("v")));
        Assert.Contains(StoreKeys.MaxKeyLength.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message);
        cache.Set(new byte[StoreKeys.MaxKeyLength], []); // the limit itself is fine, as is an empty value
        Assert.Equal(0, cache.Get(new byte[StoreKeys.MaxKeyLength])?.Length);
    }

    [Fact]
    public void Nested_branches_match_a_model_under_random_operations()
    {
        // parent ← block branch ← tx branch; each layer is checked against a plain map of what it should show.
        var rng = new Random(20261122);
        var root = new ModelStore();
        var block = new CacheKVStore(root);
        var tx = new CacheKVStore(block);
        var rootModel = new SortedDictionary<byte[], byte[]>(ByteArrayComparer.Instance);
        var blockModel = new SortedDictionary<byte[], byte[]>(ByteArrayComparer.Instance);
        var txModel = new SortedDictionary<byte[], byte[]>(ByteArrayComparer.Instance);
        byte[] RandomKey() => [(byte)rng.Next(0, 4), (byte)rng.Next(0, 24)];

        for (var step = 0; step < 4000; step++)
        {
            var op = rng.Next(100);
            if (op < 45)
            {
                var k = RandomKey();
                var v = new byte[rng.Next(0, 3)];
                rng.NextBytes(v);
                tx.Set(k, v);
                txModel[k] = v;
            }
            else if (op < 65)
            {
                var k = RandomKey();
                tx.Delete(k);
                txModel.Remove(k);
            }
            else if (op < 72)
            {
                tx.Write();
                blockModel = new(txModel, ByteArrayComparer.Instance);
            }
            else if (op < 76)
            {
                tx = new CacheKVStore(block); // drop the tx branch
                txModel = new(blockModel, ByteArrayComparer.Instance);
            }
            else if (op < 78)
            {
                tx.Write();
                block.Write();
                rootModel = new(txModel, ByteArrayComparer.Instance);
                blockModel = new(txModel, ByteArrayComparer.Instance);
            }
            else if (op < 90)
            {
                var k = RandomKey();
                Assert.Equal(txModel.GetValueOrDefault(k), tx.Get(k));
                Assert.Equal(blockModel.GetValueOrDefault(k), block.Get(k));
                Assert.Equal(txModel.ContainsKey(k), tx.Has(k));
            }
            else
            {
                byte[]? start = rng.Next(4) == 0 ? null : RandomKey();
                byte[]? end = rng.Next(4) == 0 ? null : RandomKey();
                var reverse = rng.Next(2) == 0;
                Assert.Equal(Dump(ModelRange(txModel, start, end, reverse)), Dump(tx.Iterate(start, end, reverse)));
                Assert.Equal(Dump(ModelRange(blockModel, start, end, reverse)), Dump(block.Iterate(start, end, reverse)));
            }
            Assert.Equal(Dump(rootModel), Dump(root.Data));
        }
    }

    private static IEnumerable<KeyValuePair<byte[], byte[]>> ModelRange(SortedDictionary<byte[], byte[]> model, byte[]? start, byte[]? end, bool reverse)
    {
        var cmp = ByteArrayComparer.Instance;
        var items = model.Where(kv => (start is null || cmp.Compare(kv.Key, start) >= 0) && (end is null || cmp.Compare(kv.Key, end) < 0)).ToList();
        if (reverse) items.Reverse();
        return items;
    }
}
