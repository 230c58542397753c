using DePinChain.Store.Backend;
using DePinChain.Store.Iavl;
using DePinChain.Store.Proofs;
using DePinChain.Store.Tests.Proofs;
using Google.Protobuf;
using static DePinChain.Store.Tests.Iavl.TreeTestKit;

namespace DePinChain.Store.Tests.Iavl;

public class IavlImportTests
{
    private static List<KeyValuePair<byte[], byte[]>> SortedEntries(int n, int seed)
    {
        var random = new Random(seed);
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        while (keys.Count < n) keys.Add($"k{random.Next(1_000_000):D6}");
        return keys.Select(k => new KeyValuePair<byte[], byte[]>(B(k), B($"v-{k}-{random.Next(1000)}"))).ToList();
    }

    /// <summary>The root hash of the balanced shape, hashed byte by byte by the tests' own iavl hash.</summary>
    private static (byte[] Hash, int Height) ExpectedBalanced(List<KeyValuePair<byte[], byte[]>> entries, int from, int n)
    {
        if (n == 1) return (IavlHash.Leaf(entries[from].Key, entries[from].Value, 1), 0);
        var leftCount = (n + 1) / 2;
        var left = ExpectedBalanced(entries, from, leftCount);
        var right = ExpectedBalanced(entries, from + leftCount, n - leftCount);
        var height = Math.Max(left.Height, right.Height) + 1;
        return (IavlHash.Inner(height, n, 1, left.Hash, right.Hash), height);
    }

    private static IavlTree Imported(MemoryKeyValueStore db, List<KeyValuePair<byte[], byte[]>> entries, int cache = 1000)
    {
        var tree = Open(db, cache: cache);
        tree.Import(entries, entries.Count);
        tree.Commit(db);
        return tree;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(1000)]
    [InlineData(1025)]
    public void An_imported_tree_is_balanced_and_hashes_like_iavl_at_version_1(int n)
    {
        var entries = SortedEntries(n, n);
        var db = new MemoryKeyValueStore();
        var tree = Imported(db, entries);
        Assert.Equal(1, tree.Version);
        Assert.Equal(ExpectedBalanced(entries, 0, n).Hash, tree.GetImmutable(1).RootHash);
        AssertWellFormed(tree.Store, tree.WorkingRoot);
        Assert.Equal(entries.Select(e => (S(e.Key), S(e.Value))), All(tree.Iterate(null, null)));
    }

    [Fact]
    public void Imported_and_inserted_trees_of_the_same_keys_answer_alike_and_both_prove_under_both_verifiers()
    {
        var entries = SortedEntries(300, 5);
        var importedDb = new MemoryKeyValueStore();
        var imported = Imported(importedDb, entries).GetImmutable(1);
        var insertedDb = new MemoryKeyValueStore();
        var insertedTree = Open(insertedDb);
        foreach (var (k, v) in entries.OrderBy(_ => Guid.NewGuid())) insertedTree.Set(k, v);
        insertedTree.Commit(insertedDb);
        var inserted = insertedTree.GetImmutable(1);

        // Same content; the roots differ only because the shapes do (insertion order decides the shape).
        Assert.Equal(All(inserted.Iterate(null, null)), All(imported.Iterate(null, null)));
        Assert.NotEqual(inserted.RootHash, imported.RootHash);

        var cases = new List<ReferenceProofCase>();
        foreach (var view in new[] { imported, inserted })
        {
            foreach (var (k, v) in entries.Where((_, i) => i % 10 == 0))
            {
                var proof = view.GetProof(k);
                Assert.True(Ics23Verifier.VerifyMembership(ProofSpecs.Iavl, view.RootHash, proof, k, v).IsValid);
                cases.Add(ReferenceProofCase.Iavl(view.RootHash, proof.ToByteArray(), k, v));
            }
            foreach (var absent in new[] { "a", "k5000000", "zz" })
            {
                var proof = view.GetProof(B(absent));
                Assert.True(Ics23Verifier.VerifyNonMembership(ProofSpecs.Iavl, view.RootHash, proof, B(absent)).IsValid);
                cases.Add(ReferenceProofCase.Iavl(view.RootHash, proof.ToByteArray(), B(absent), null));
            }
        }
        Assert.All(ReferenceIcs23Verifier.VerifyWithReasons(cases), r => Assert.True(r.Ok, r.Error));
    }

    [Fact]
    public void An_imported_tree_takes_updates_deletes_pruning_and_reopening_like_any_other()
    {
        var entries = SortedEntries(500, 9);
        var db = new MemoryKeyValueStore();
        var tree = Imported(db, entries, cache: 16);
        var reference = entries.ToDictionary(e => S(e.Key), e => S(e.Value));
        var random = new Random(3);
        for (var v = 2; v <= 6; v++)
        {
            for (var i = 0; i < 80; i++)
            {
                var k = $"k{random.Next(1_000_000):D6}";
                if (random.Next(4) == 0) { tree.Delete(B(k)); reference.Remove(k); }
                else { tree.Set(B(k), B($"u{v}.{i}")); reference[k] = $"u{v}.{i}"; }
            }
            tree.Commit(db);
        }
        tree.Delete(db, 1, 2, 3);
        AssertWellFormed(tree.Store, tree.WorkingRoot);

        var reopened = Open(db, 6, cache: 16);
        var view = reopened.GetImmutable(6);
        Assert.Equal(reference.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, e.Value)), All(view.Iterate(null, null)));
        foreach (var (k, v) in reference.Take(50))
        {
            Assert.Equal(B(v), view.Get(B(k)));
            Assert.True(Ics23Verifier.VerifyMembership(ProofSpecs.Iavl, view.RootHash, view.GetProof(B(k)), B(k), B(v)).IsValid);
        }
        // Deleting every older version leaves exactly the nodes of version 6: nothing leaks, nothing is missing.
        reopened.Delete(db, 4, 5);
        AssertWellFormed(reopened.Store, reopened.WorkingRoot);
        Assert.Equal(2 * reference.Count - 1, CountKeys(db, 'n'));
    }

    [Fact]
    public void Before_its_save_an_import_reads_through_the_tree_and_cannot_be_rolled_back()
    {
        var entries = SortedEntries(50, 2);
        var db = new MemoryKeyValueStore();
        var tree = Open(db);
        tree.Import(entries, entries.Count);
        Assert.Equal(entries[7].Value, tree.Get(entries[7].Key));
        Assert.Null(tree.Get(B("absent")));
        Assert.Throws<InvalidOperationException>(tree.Rollback);
        tree.Set(B("k9999999"), B("late"));
        tree.Commit(db);
        Assert.Equal(B("late"), Open(db, 1).Get(B("k9999999")));
        Assert.Equal(entries[7].Value, Open(db, 1).Get(entries[7].Key));
    }

    [Fact]
    public void Import_refuses_bad_input_and_trees_that_are_not_empty()
    {
        var db = new MemoryKeyValueStore();
        var unsorted = new List<KeyValuePair<byte[], byte[]>> { new(B("b"), B("1")), new(B("a"), B("2")) };
        Assert.Contains("ascending", Assert.Throws<ArgumentException>(() => Open(db).Import(unsorted, 2)).Message);
        var duplicate = new List<KeyValuePair<byte[], byte[]>> { new(B("a"), B("1")), new(B("a"), B("2")) };
        Assert.Throws<ArgumentException>(() => Open(new MemoryKeyValueStore()).Import(duplicate, 2));
        var two = SortedEntries(2, 1);
        Assert.Contains("end after", Assert.Throws<ArgumentException>(() => Open(new MemoryKeyValueStore()).Import(two, 3)).Message);
        Assert.Contains("more than", Assert.Throws<ArgumentException>(() => Open(new MemoryKeyValueStore()).Import(two, 1)).Message);
        var emptyKey = new List<KeyValuePair<byte[], byte[]>> { new([], B("1")) };
        Assert.Throws<ArgumentException>(() => Open(new MemoryKeyValueStore()).Import(emptyKey, 1));

        // A second enumeration that differs from the first is caught.
        var calls = 0;
        IEnumerable<KeyValuePair<byte[], byte[]>> Changing()
        {
            calls++;
            yield return new(B("a"), B(calls == 1 ? "first" : "second"));
        }
        var failed = Open(new MemoryKeyValueStore());
        Assert.Contains("differs", Assert.Throws<ArgumentException>(() => failed.Import(Changing(), 1)).Message);
        // Its writes are in the database: the tree refuses to import again or to save on top of them.
        Assert.Throws<InvalidOperationException>(() => failed.Import(two, 2));
        Assert.Throws<InvalidOperationException>(() => failed.SaveVersion(new MemoryKeyValueStore().CreateBatch()));

        var saved = new MemoryKeyValueStore();
        var tree = Open(saved);
        tree.Set(B("x"), B("1"));
        Assert.Throws<InvalidOperationException>(() => tree.Import(two, 2));
        tree.Commit(saved);
        tree.Delete(B("x"));
        Assert.Throws<InvalidOperationException>(() => tree.Import(two, 2));
    }
}
