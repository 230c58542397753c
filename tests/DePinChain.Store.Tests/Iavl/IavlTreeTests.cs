using DePinChain.Store.Backend;
using DePinChain.Store.Iavl;
using static DePinChain.Store.Tests.Iavl.TreeTestKit;

namespace DePinChain.Store.Tests.Iavl;

public class IavlTreeTests
{
    [Fact]
    public void Set_get_update_and_delete_act_on_the_working_state()
    {
        var tree = Open(new MemoryKeyValueStore());
        Assert.Null(tree.Get(B("a")));
        tree.Set(B("a"), B("1"));
        tree.Set(B("b"), B("2"));
        Assert.Equal(B("1"), tree.Get(B("a")));
        Assert.True(tree.Has(B("b")));
        tree.Set(B("a"), B("10"));
        Assert.Equal(B("10"), tree.Get(B("a")));
        tree.Delete(B("a"));
        tree.Delete(B("zz")); // absent: no-op
        Assert.Null(tree.Get(B("a")));
        Assert.False(tree.Has(B("a")));
        Assert.Equal(1, tree.Size);
        tree.Set(B("e"), []);
        Assert.Equal([], tree.Get(B("e"))!);
    }

    [Fact]
    public void Returned_and_given_arrays_are_copies()
    {
        var tree = Open(new MemoryKeyValueStore());
        var value = B("v1");
        tree.Set(B("k"), value);
        value[1] = (byte)'2';
        var read = tree.Get(B("k"))!;
        Assert.Equal(B("v1"), read);
        read[0] = 0;
        Assert.Equal(B("v1"), tree.Get(B("k")));
    }

    [Fact]
    public void Empty_or_oversized_keys_and_oversized_values_are_rejected()
    {
        var tree = Open(new MemoryKeyValueStore());
        Assert.Throws<ArgumentException>(() => tree.Set([], B("v")));
        Assert.Throws<ArgumentException>(() => tree.Get([]));
        Assert.Throws<ArgumentException>(() => tree.Delete([]));
        Assert.Throws<ArgumentException>(() => tree.Set(new byte[IavlTree.MaxKeyLength + 1], B("v")));
        Assert.Throws<ArgumentException>(() => tree.Set(B("k"), new byte[IavlTree.MaxValueLength + 1]));
        tree.Set(new byte[IavlTree.MaxKeyLength], B("v"));
        Assert.Equal(B("v"), tree.Get(new byte[IavlTree.MaxKeyLength]));
    }

    [Fact]
    public void Saved_versions_stay_readable_after_later_changes()
    {
        var db = new MemoryKeyValueStore();
        var tree = Open(db);
        tree.Set(B("a"), B("1"));
        tree.Set(B("b"), B("1"));
        var h1 = tree.Commit(db);
        tree.Set(B("a"), B("2"));
        tree.Delete(B("b"));
        tree.Set(B("c"), B("2"));
        var h2 = tree.Commit(db);
        tree.Set(B("a"), B("3"));

        Assert.Equal(2, tree.Version);
        var v1 = tree.GetImmutable(1);
        var v2 = tree.GetImmutable(2);
        Assert.Equal(h1, v1.RootHash);
        Assert.Equal(h2, v2.RootHash);
        Assert.Equal([("a", "1"), ("b", "1")], All(v1.Iterate(null, null)));
        Assert.Equal([("a", "2"), ("c", "2")], All(v2.Iterate(null, null)));
        Assert.Equal(B("3"), tree.Get(B("a")));
        Assert.Throws<VersionNotFoundException>(() => tree.GetImmutable(3));
        Assert.Throws<VersionNotFoundException>(() => tree.GetImmutable(0));
    }

    [Fact]
    public void Point_reads_of_every_version_see_that_versions_value_across_later_sets_deletes_and_reopens()
    {
        var db = new MemoryKeyValueStore();
        var tree = Open(db);
        var history = new Dictionary<long, Dictionary<string, string?>>();
        var random = new Random(7);
        var model = new Dictionary<string, string?>();
        for (var v = 1; v <= 12; v++)
        {
            for (var i = 0; i < 30; i++)
            {
                var key = $"k{random.Next(20):D2}";
                if (random.Next(3) == 0)
                {
                    tree.Delete(B(key));
                    model[key] = null;
                }
                else
                {
                    tree.Set(B(key), B($"{v}.{i}"));
                    model[key] = $"{v}.{i}";
                }
            }
            // The working state answers unsaved changes, then the saved state.
            foreach (var (key, value) in model) Assert.Equal(value, tree.Get(B(key)) is { } got ? S(got) : null);
            tree.Commit(db);
            history[v] = new Dictionary<string, string?>(model);
            if (v == 6) tree = Open(db, 6);
        }
        void CheckAll(IavlTree t)
        {
            foreach (var (v, expected) in history)
            {
                var view = t.GetImmutable(v);
                foreach (var (key, value) in expected) Assert.Equal(value, view.Get(B(key)) is { } got ? S(got) : null);
                Assert.Null(view.Get(B("never")));
            }
        }
        CheckAll(tree);
        CheckAll(Open(db, 12));
        var older = Open(db, 4); // the fast index is ahead of this base: reads must walk the tree
        foreach (var (key, value) in history[4]) Assert.Equal(value, older.Get(B(key)) is { } got ? S(got) : null);
        CheckAll(older);
    }

    [Fact]
    public void Rollback_returns_the_working_state_to_the_last_saved_version()
    {
        var db = new MemoryKeyValueStore();
        var tree = Open(db);
        tree.Set(B("a"), B("1"));
        var h1 = tree.Commit(db);
        tree.Set(B("a"), B("2"));
        tree.Set(B("b"), B("2"));
        Assert.NotEqual(h1, tree.WorkingHash());
        tree.Rollback();
        Assert.Equal(h1, tree.WorkingHash());
        Assert.Equal(B("1"), tree.Get(B("a")));
        Assert.Null(tree.Get(B("b")));

        // Nothing of the dropped changes reaches the database: an unchanged save adds only a root record.
        var nodes = CountKeys(db, 'n');
        Assert.Equal(h1, tree.Commit(db));
        Assert.Equal(nodes, CountKeys(db, 'n'));
        Assert.Equal(0, CountKeys(db, 'o'));
    }

    [Fact]
    public void Reopening_from_the_database_gives_the_same_hash_and_contents()
    {
        var db = new MemoryKeyValueStore();
        var tree = Open(db);
        for (var i = 0; i < 200; i++) tree.Set(B($"key{i:D4}"), B($"value{i}"));
        var h1 = tree.Commit(db);
        for (var i = 0; i < 200; i += 3) tree.Delete(B($"key{i:D4}"));
        var h2 = tree.Commit(db);

        Assert.Equal(2, IavlTree.LatestVersion(db, Prefix));
        var reopened = Open(db, 2, cache: 10);
        Assert.Equal(2, reopened.Version);
        Assert.Equal(h2, reopened.WorkingHash());
        Assert.Equal(All(tree.Iterate(null, null)), All(reopened.Iterate(null, null)));
        Assert.Equal(h1, reopened.GetImmutable(1).RootHash);
        Assert.Equal(200, reopened.GetImmutable(1).Size);
        AssertWellFormed(reopened.Store, reopened.WorkingRoot);

        var older = Open(db, 1);
        Assert.Equal(h1, older.WorkingHash());
        Assert.Equal(B("value0"), older.Get(B("key0000")));
        older.Set(B("x"), B("y"));
        Assert.Throws<InvalidOperationException>(() => older.SaveVersion(db.CreateBatch()));
    }

    [Fact]
    public void Opening_a_version_that_was_never_saved_throws()
    {
        var db = new MemoryKeyValueStore();
        Assert.Throws<VersionNotFoundException>(() => Open(db, 3));
        Assert.Equal(0, IavlTree.LatestVersion(db, Prefix));
    }

    [Fact]
    public void Trees_under_different_prefixes_share_one_database_without_mixing()
    {
        var db = new MemoryKeyValueStore();
        var a = IavlTree.Open(db, "a/"u8, 0);
        var b = IavlTree.Open(db, "b/"u8, 0);
        a.Set(B("k"), B("from a"));
        b.Set(B("k"), B("from b"));
        using (var batch = db.CreateBatch())
        {
            a.SaveVersion(batch);
            b.SaveVersion(batch);
            db.Write(batch, sync: false);
        }
        Assert.Equal(B("from a"), IavlTree.Open(db, "a/"u8, 1).Get(B("k")));
        Assert.Equal(B("from b"), IavlTree.Open(db, "b/"u8, 1).Get(B("k")));
        Assert.All(db.Iterate(null, null), e => Assert.True(e.Key[0] is (byte)'a' or (byte)'b'));
    }

    [Fact]
    public void Iteration_follows_key_order_both_ways_within_bounds()
    {
        var db = new MemoryKeyValueStore();
        var tree = Open(db);
        foreach (var k in new[] { "d", "a", "c", "b", "f", "e" }) tree.Set(B(k), B(k.ToUpperInvariant()));
        string Keys(IEnumerable<KeyValuePair<byte[], byte[]>> e) => string.Concat(e.Select(x => S(x.Key)));

        Assert.Equal("abcdef", Keys(tree.Iterate(null, null)));
        Assert.Equal("fedcba", Keys(tree.Iterate(null, null, reverse: true)));
        Assert.Equal("bcd", Keys(tree.Iterate(B("b"), B("e"))));
        Assert.Equal("dcb", Keys(tree.Iterate(B("b"), B("e"), reverse: true)));
        Assert.Equal("cdef", Keys(tree.Iterate(B("bb"), null)));
        Assert.Equal("abc", Keys(tree.Iterate(null, B("cc"))));
        Assert.Equal("cba", Keys(tree.Iterate(null, B("cc"), reverse: true)));
        Assert.Equal("", Keys(tree.Iterate(B("e"), B("b"))));
        Assert.Equal("", Keys(tree.Iterate(B("g"), null)));
        Assert.Equal("", Keys(tree.Iterate(null, B("a"), reverse: true)));
        Assert.Equal("A", S(tree.Iterate(null, null).First().Value));

        tree.Commit(db);
        var view = tree.GetImmutable(1);
        Assert.Equal("edc", Keys(view.Iterate(B("c"), B("f"), reverse: true)));
        Assert.Equal("", Keys(Open(new MemoryKeyValueStore()).Iterate(null, null)));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void Random_operations_over_many_versions_match_a_sorted_dictionary(int seed)
    {
        var random = new Random(seed);
        var db = new MemoryKeyValueStore();
        var tree = Open(db, cache: 50);
        var model = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var snapshots = new Dictionary<long, List<(string, string)>>();
        for (var version = 1; version <= 30; version++)
        {
            for (var i = 0; i < 80; i++)
            {
                var key = $"k{random.Next(400):D3}";
                switch (random.Next(5))
                {
                    case 0:
                        tree.Delete(B(key));
                        model.Remove(key);
                        break;
                    case 1:
                        Assert.Equal(model.TryGetValue(key, out var expected) ? expected : null, tree.Get(B(key)) is { } got ? S(got) : null);
                        break;
                    default:
                        var value = $"v{version}.{i}";
                        tree.Set(B(key), B(value));
                        model[key] = value;
                        break;
                }
            }
            if (random.Next(6) == 0)
            {
                tree.Rollback();
                model = new SortedDictionary<string, string>(snapshots.GetValueOrDefault(version - 1, []).ToDictionary(x => x.Item1, x => x.Item2), StringComparer.Ordinal);
            }
            tree.Commit(db);
            snapshots[version] = model.Select(kv => (kv.Key, kv.Value)).ToList();

            Assert.Equal(model.Count, tree.Size);
            AssertWellFormed(tree.Store, tree.WorkingRoot);
            var lo = $"k{random.Next(400):D3}";
            var hi = $"k{random.Next(400):D3}";
            var inRange = model.Where(kv => string.CompareOrdinal(kv.Key, lo) >= 0 && string.CompareOrdinal(kv.Key, hi) < 0).Select(kv => (kv.Key, kv.Value)).ToList();
            Assert.Equal(inRange, All(tree.Iterate(B(lo), B(hi))));
            inRange.Reverse();
            Assert.Equal(inRange, All(tree.Iterate(B(lo), B(hi), reverse: true)));

            var past = random.Next(1, version + 1);
            Assert.Equal(snapshots[past], All(tree.GetImmutable(past).Iterate(null, null)));
            if (version % 10 == 0) tree = Open(db, version, cache: 50);
        }
    }

    [Fact]
    public void Sequential_inserts_stay_balanced()
    {
        var tree = Open(new MemoryKeyValueStore());
        for (var i = 0; i < 1000; i++) tree.Set(B($"{i:D5}"), [1]);
        for (var i = 0; i < 1000; i += 2) tree.Delete(B($"{i:D5}"));
        AssertWellFormed(tree.Store, tree.WorkingRoot);
        Assert.InRange(tree.WorkingRoot!.Height, 9, 13); // AVL: height < 1.44 log2(n + 2)
    }

    [Fact]
    public async Task An_immutable_version_reads_correctly_from_other_threads_while_the_tree_is_written_and_saved()
    {
        var db = new MemoryKeyValueStore();
        var tree = Open(db, cache: 100);
        for (var i = 0; i < 2000; i++) tree.Set(B($"key{i:D5}"), B($"v1-{i}"));
        var hash = tree.Commit(db);
        var view = tree.GetImmutable(1);

        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(() =>
        {
            var random = new Random(r);
            var reads = 0;
            while (!stop.IsCancellationRequested || reads < 1000)
            {
                var i = random.Next(2000);
                Assert.Equal($"v1-{i}", S(view.Get(B($"key{i:D5}"))!));
                if (reads++ % 500 == 0) Assert.Equal(2000, view.Iterate(null, null).Count());
            }
        })).ToArray();

        var random = new Random(99);
        for (var version = 2; version <= 20; version++)
        {
            for (var i = 0; i < 300; i++)
            {
                var k = random.Next(2000);
                if (random.Next(3) == 0) tree.Delete(B($"key{k:D5}"));
                else tree.Set(B($"key{k:D5}"), B($"v{version}-{k}"));
            }
            tree.Commit(db);
        }
        stop.Cancel();
        await Task.WhenAll(readers);
        Assert.Equal(hash, view.RootHash);
    }
}
