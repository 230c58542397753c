using DePinChain.Store.Backend;
using DePinChain.Store.Iavl;

namespace DePinChain.Store.Tests.Iavl;

public class IavlCachingTests
{
    private static byte[] Key(int i) => [(byte)(i >> 8), (byte)i, 0x6b];

    private static byte[] Value(int i, int round) => [(byte)i, (byte)round];

    private static void Save(IavlTree tree, MemoryKeyValueStore db)
    {
        var batch = db.CreateBatch();
        tree.SaveVersion(batch);
        db.Write(batch, sync: false);
    }

    [Fact]
    public void Older_versions_read_their_own_values_after_newer_saves_replaced_every_node()
    {
        var db = new MemoryKeyValueStore();
        // A tiny cache, so most reads of version 1 must come back from the database after later saves.
        var tree = IavlTree.Open(db, "c/"u8, 0, new IavlTreeOptions(NodeCacheCapacity: 8) { PinnedHeight = 3 });
        for (var i = 0; i < 300; i++) tree.Set(Key(i), Value(i, 1));
        Save(tree, db);
        for (var round = 2; round <= 4; round++)
        {
            for (var i = 0; i < 300; i++) tree.Set(Key(i), Value(i, round));
            Save(tree, db);
        }
        var first = tree.GetImmutable(1);
        var latest = tree.GetImmutable(4);
        for (var i = 0; i < 300; i++)
        {
            Assert.Equal(Value(i, 1), first.Get(Key(i)));
            Assert.Equal(Value(i, 4), latest.Get(Key(i)));
            Assert.Equal(Value(i, 4), tree.Get(Key(i)));
        }
        Assert.Null(first.Get([0xff, 0xff, 0xff]));
        Assert.Null(tree.Get([0xff, 0xff, 0xff]));
    }

    [Fact]
    public void A_reopened_tree_reads_the_same_values_from_memory_and_from_the_database()
    {
        var db = new MemoryKeyValueStore();
        var tree = IavlTree.Open(db, "c/"u8, 0);
        for (var i = 0; i < 500; i++) tree.Set(Key(i), Value(i, 1));
        tree.Delete(Key(7));
        Save(tree, db);
        var warm = tree.GetImmutable(1);
        var cold = IavlTree.Open(db, "c/"u8, 1, new IavlTreeOptions(NodeCacheCapacity: 1)).GetImmutable(1);
        for (var i = 0; i < 500; i++)
        {
            var expected = i == 7 ? null : Value(i, 1);
            Assert.Equal(expected, warm.Get(Key(i)));
            Assert.Equal(expected, cold.Get(Key(i)));
        }
    }
}
