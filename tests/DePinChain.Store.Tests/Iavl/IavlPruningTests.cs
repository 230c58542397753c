using DePinChain.Store.Backend;
using DePinChain.Store.Iavl;
using static DePinChain.Store.Tests.Iavl.TreeTestKit;

namespace DePinChain.Store.Tests.Iavl;

public class IavlPruningTests
{
    private static HashSet<string> NodesOf(IavlTree tree, long version)
    {
        var view = (ImmutableTree)tree.GetImmutable(version);
        var keys = new HashSet<string>();
        Walk(view.Root);
        return keys;

        void Walk(Node? node)
        {
            if (node is null) return;
            keys.Add(Convert.ToHexString(view.Store.Keys.Node(node.NodeKey)));
            if (node.IsLeaf) return;
            Walk(view.Store.Left(node));
            Walk(view.Store.Right(node));
        }
    }

    private static HashSet<string> StoredNodes(MemoryKeyValueStore db)
        => db.IteratePrefix([.. Prefix, (byte)'n']).Select(e => Convert.ToHexString(e.Key)).ToHashSet();

    /// <summary>Builds versions 1..count with random writes; returns each version's contents.</summary>
    private static Dictionary<long, List<(string, string)>> Build(IavlTree tree, MemoryKeyValueStore db, int count, int seed)
    {
        var random = new Random(seed);
        var model = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var contents = new Dictionary<long, List<(string, string)>>();
        for (var v = 1; v <= count; v++)
        {
            for (var i = 0; i < 40; i++)
            {
                var key = $"k{random.Next(120):D3}";
                if (random.Next(4) == 0)
                {
                    tree.Delete(B(key));
                    model.Remove(key);
                }
                else
                {
                    tree.Set(B(key), B($"{v}.{i}"));
                    model[key] = $"{v}.{i}";
                }
            }
            tree.Commit(db);
            contents[v] = model.Select(kv => (kv.Key, kv.Value)).ToList();
        }
        return contents;
    }

    private static void AssertExactlyKeptNodesRemain(IavlTree tree, MemoryKeyValueStore db, Dictionary<long, List<(string, string)>> contents)
    {
        var needed = new HashSet<string>();
        foreach (var v in tree.AvailableVersions())
        {
            Assert.Equal(contents[v], All(tree.GetImmutable(v).Iterate(null, null)));
            needed.UnionWith(NodesOf(tree, v));
        }
        Assert.Equal(needed.Order(), StoredNodes(db).Order());
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    [InlineData(23)]
    public void Deleting_versions_in_any_order_removes_exactly_the_nodes_no_kept_version_needs(int seed)
    {
        var db = new MemoryKeyValueStore();
        var tree = Open(db, cache: 40);
        var contents = Build(tree, db, 30, seed);
        var random = new Random(seed);
        var deletable = Enumerable.Range(1, 29).Select(v => (long)v).OrderBy(_ => random.Next()).ToList();
        foreach (var (version, i) in deletable.Take(20).Select((v, i) => (v, i)))
        {
            tree.Delete(db, version);
            Assert.Throws<VersionNotFoundException>(() => tree.GetImmutable(version));
            if (i % 4 == 3) AssertExactlyKeptNodesRemain(tree, db, contents);
        }
        foreach (var version in deletable.Skip(20)) tree.Delete(db, version);
        AssertExactlyKeptNodesRemain(tree, db, contents);
        Assert.Equal([30L], tree.AvailableVersions());
        Assert.Equal(0, CountKeys(db, 'o')); // with only the latest left, no orphan bookkeeping remains
        Assert.Equal(1, CountKeys(db, 'r'));
    }

    [Fact]
    public void Keep_every_pruning_deletes_five_but_keeps_four_and_ten()
    {
        var db = new MemoryKeyValueStore();
        var tree = Open(db);
        var contents = Build(tree, db, 12, seed: 5);
        tree.Delete(db, 5);
        tree.Delete(db, 1, 2, 3, 6, 7, 8, 9, 11); // several in one batch
        Assert.Equal([4L, 10L, 12L], tree.AvailableVersions());
        AssertExactlyKeptNodesRemain(tree, db, contents);

        var reopened = Open(db, 12);
        Assert.Equal([4L, 10L, 12L], reopened.AvailableVersions());
        Assert.Equal(contents[4], All(reopened.GetImmutable(4).Iterate(null, null)));
    }

    [Fact]
    public void A_version_deleted_in_the_same_batch_as_the_next_save_loses_exactly_its_own_nodes()
    {
        var db = new MemoryKeyValueStore();
        var tree = Open(db);
        var contents = Build(tree, db, 3, seed: 8);
        tree.Set(B("k000"), B("fresh"));
        using (var batch = db.CreateBatch())
        {
            tree.SaveVersion(batch);
            tree.DeleteVersion(3, batch); // its orphans were staged by this very save
            tree.DeleteVersion(2, batch);
            db.Write(batch, sync: false);
        }
        contents[4] = All(tree.Iterate(null, null));
        Assert.Equal([1L, 4L], tree.AvailableVersions());
        AssertExactlyKeptNodesRemain(tree, db, contents);
    }

    [Fact]
    public void Deletions_staged_before_a_save_in_the_same_batch_are_not_forgotten()
    {
        var db = new MemoryKeyValueStore();
        var tree = Open(db);
        var contents = Build(tree, db, 8, seed: 9);
        tree.Set(B("k001"), B("fresh"));
        using (var batch = db.CreateBatch())
        {
            tree.DeleteVersion(6, batch); // moves its orphans to version 5
            tree.SaveVersion(batch);
            tree.DeleteVersion(7, batch); // moves its orphans to version 5 too: must merge with the staged move
            db.Write(batch, sync: false);
        }
        contents[9] = All(tree.Iterate(null, null));
        tree.Delete(db, 1, 2, 3, 4, 5, 8);
        Assert.Equal([9L], tree.AvailableVersions());
        AssertExactlyKeptNodesRemain(tree, db, contents);
        Assert.Equal(0, CountKeys(db, 'o'));
    }

    [Fact]
    public void Two_saves_into_one_batch_stay_readable_with_a_tiny_cache()
    {
        var db = new MemoryKeyValueStore();
        var tree = Open(db, cache: 1);
        using (var batch = db.CreateBatch())
        {
            for (var i = 0; i < 50; i++) tree.Set(B($"k{i:D2}"), B("1"));
            tree.SaveVersion(batch);
            for (var i = 0; i < 50; i += 2) tree.Set(B($"k{i:D2}"), B("2"));
            tree.SaveVersion(batch);
            db.Write(batch, sync: false);
        }
        tree.Set(B("x"), B("3"));
        tree.Commit(db);
        Assert.Equal(25, tree.GetImmutable(2).Iterate(null, null).Count(e => S(e.Value) == "2"));
        Assert.All(tree.GetImmutable(1).Iterate(null, null), e => Assert.Equal("1", S(e.Value)));
    }

    [Fact]
    public void The_working_base_and_unknown_versions_cannot_be_deleted()
    {
        var db = new MemoryKeyValueStore();
        var tree = Open(db);
        Build(tree, db, 3, seed: 1);
        Assert.Throws<InvalidOperationException>(() => tree.DeleteVersion(3, db.CreateBatch()));
        Assert.Throws<InvalidOperationException>(() => tree.DeleteVersion(4, db.CreateBatch()));
        tree.Delete(db, 2);
        Assert.Throws<VersionNotFoundException>(() => tree.DeleteVersion(2, db.CreateBatch()));
    }

    [Fact]
    public void Reading_a_view_whose_version_was_deleted_meanwhile_says_so()
    {
        var db = new MemoryKeyValueStore();
        var tree = Open(db, cache: 1);
        for (var i = 0; i < 100; i++) tree.Set(B($"k{i:D3}"), B("1"));
        tree.Commit(db);
        var view = tree.GetImmutable(1);
        for (var i = 0; i < 100; i++) tree.Set(B($"k{i:D3}"), B("2"));
        tree.Commit(db);
        tree.Commit(db); // and flush the child references kept for the unwritten batch
        tree.Delete(db, 1);
        Assert.Throws<VersionNotFoundException>(() => view.Iterate(null, null).Count());
    }
}
