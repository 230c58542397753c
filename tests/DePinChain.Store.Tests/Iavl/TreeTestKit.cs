using System.Text;
using DePinChain.Store.Backend;
using DePinChain.Store.Iavl;

namespace DePinChain.Store.Tests.Iavl;

internal static class TreeTestKit
{
    public static readonly byte[] Prefix = "t/"u8.ToArray();

    public static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    public static string S(byte[] b) => Encoding.ASCII.GetString(b);

    public static IavlTree Open(MemoryKeyValueStore db, long version = 0, int cache = 1000)
        => IavlTree.Open(db, Prefix, version, new IavlTreeOptions(cache) { PinnedHeight = 4 });

    public static byte[] Commit(this IavlTree tree, MemoryKeyValueStore db)
    {
        using var batch = db.CreateBatch();
        var hash = tree.SaveVersion(batch);
        db.Write(batch, sync: false);
        return hash;
    }

    public static void Delete(this IavlTree tree, MemoryKeyValueStore db, params long[] versions)
    {
        using var batch = db.CreateBatch();
        foreach (var v in versions) tree.DeleteVersion(v, batch);
        db.Write(batch, sync: false);
    }

    public static int CountKeys(MemoryKeyValueStore db, char tag) => db.IteratePrefix([.. Prefix, (byte)tag]).Count();

    public static List<(string, string)> All(IEnumerable<KeyValuePair<byte[], byte[]>> entries)
        => entries.Select(e => (S(e.Key), S(e.Value))).ToList();

    /// <summary>Checks the AVL invariants and iavl's key rule on every node of a subtree; returns its height.</summary>
    public static void AssertWellFormed(NodeStore store, Node? root)
    {
        if (root is null) return;
        Check(root);

        (byte[] Min, byte[] Max) Check(Node node)
        {
            if (node.IsLeaf)
            {
                Assert.Equal(1, node.Size);
                return (node.Key, node.Key);
            }
            var left = store.Left(node);
            var right = store.Right(node);
            Assert.InRange(left.Height - right.Height, -1, 1);
            Assert.Equal(Math.Max(left.Height, right.Height) + 1, node.Height);
            Assert.Equal(left.Size + right.Size, node.Size);
            var (lMin, lMax) = Check(left);
            var (rMin, rMax) = Check(right);
            Assert.Equal(rMin, node.Key); // inner key = smallest key of the right subtree
            Assert.True(lMax.AsSpan().SequenceCompareTo(rMin) < 0);
            return (lMin, rMax);
        }
    }
}
