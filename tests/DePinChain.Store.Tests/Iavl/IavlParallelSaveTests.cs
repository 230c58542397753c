using DePinChain.Store.Backend;
using DePinChain.Store.Iavl;
using static DePinChain.Store.Tests.Iavl.TreeTestKit;

namespace DePinChain.Store.Tests.Iavl;

/// <summary>
/// Saves with thousands of new nodes run on all cores (the unsaved top of the tree cut into subtrees). They must store
/// exactly what a one-thread post-order walk stores: iavl's hashes, and node keys (version, 1…n) in post-order.
/// </summary>
public class IavlParallelSaveTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void A_big_save_hashes_like_iavl_and_numbers_its_nodes_1_to_n_in_post_order(int pinnedHeight)
    {
        var db = new MemoryKeyValueStore();
        var tree = IavlTree.Open(db, Prefix, 0, new IavlTreeOptions(1_000_000) { PinnedHeight = pinnedHeight });
        var reference = new ReferenceIavl();
        var random = new Random(42);
        var keys = new List<byte[]>();

        for (var version = 1; version <= 4; version++)
        {
            // Version 1 inserts 20,000 keys; later versions update, insert and delete thousands (well above the
            // threshold where the save forks).
            var operations = version == 1 ? 20_000 : 6_000;
            for (var i = 0; i < operations; i++)
            {
                if (version > 1 && i % 10 == 0 && keys.Count > 0)
                {
                    var victim = keys[random.Next(keys.Count)];
                    tree.Delete(victim);
                    reference.Remove(victim);
                    keys.Remove(victim);
                    continue;
                }
                var key = version == 1 || i % 3 == 0 ? RandomKey(random) : keys[random.Next(keys.Count)];
                var value = BitConverter.GetBytes(random.NextInt64());
                tree.Set(key, value);
                reference.Set(key, value);
                if (version == 1 || i % 3 == 0) keys.Add(key);
            }
            keys = keys.Distinct(ByteArrayComparer.Instance).ToList();

            var hash = tree.Commit(db);
            Assert.Equal(reference.Save(), hash);

            // In memory: this version's nodes, walked in post-order, carry nonces 1, 2, 3, ...
            var nonces = new List<uint>();
            PostOrder(tree.Store, tree.WorkingRoot!, version, nonces);
            Assert.True(nonces.Count > 4_096, $"version {version} saved only {nonces.Count} nodes");
            Assert.Equal(Enumerable.Range(1, nonces.Count).Select(n => (uint)n), nonces);

            // In the database: exactly those node records.
            var nodesOfVersion = new TreeKeys(Prefix).Node(new NodeKey(version, 0))[..^sizeof(uint)];
            var stored = db.IteratePrefix(nodesOfVersion).Count();
            Assert.Equal(nonces.Count, stored);
        }

        // A fresh tree over the same database reads every key back and has the same root.
        var reopened = IavlTree.Open(db, Prefix, 4, new IavlTreeOptions(1_000));
        Assert.Equal(reference.Hash(), reopened.WorkingHash());
        foreach (var key in keys) Assert.NotNull(reopened.Get(key));
        AssertWellFormed(reopened.Store, reopened.WorkingRoot);
    }

    private static void PostOrder(NodeStore store, Node node, long version, List<uint> nonces)
    {
        if (node.NodeKey.Version != version) return;
        if (!node.IsLeaf)
        {
            PostOrder(store, store.Left(node), version, nonces);
            PostOrder(store, store.Right(node), version, nonces);
        }
        nonces.Add(node.NodeKey.Nonce);
    }

    private static byte[] RandomKey(Random random)
    {
        var key = new byte[random.Next(4, 20)];
        random.NextBytes(key);
        return key;
    }
}
