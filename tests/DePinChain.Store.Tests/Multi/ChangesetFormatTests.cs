using DePinChain.Store.Backend;
using DePinChain.Store.Iavl;
using DePinChain.Store.Proofs;
using static DePinChain.Store.Tests.Bytes;

namespace DePinChain.Store.Tests.Multi;

/// <summary>
/// The changeset format (<see cref="StoreFormat.Changesets"/>) against the node-record format: same operations, same
/// roots and proofs; snapshots, replay, cleanup and damage.
/// </summary>
public sealed class ChangesetFormatTests : IDisposable
{
    private static readonly string[] Names = ["acc", "bank", "devices"];
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "depin-changesets-" + Guid.NewGuid().ToString("N"));

    private string Snapshots => Path.Combine(_dir, "snapshots");

    private MultiStoreOptions Changesets(long interval = 10, long memoryVersions = 100, PruningOptions? pruning = null, bool writeBehind = false, bool create = true) => new()
    {
        Format = StoreFormat.Changesets,
        PinnedHeight = 0,
        SnapshotDirectory = Snapshots,
        SnapshotInterval = interval,
        MemoryVersions = memoryVersions,
        Pruning = pruning ?? PruningOptions.Nothing,
        WriteBehind = writeBehind,
        CreateIfEmpty = create,
    };

    private static MultiStoreOptions Nodes(PruningOptions? pruning = null, bool create = true)
        => new() { Pruning = pruning ?? PruningOptions.Nothing, CreateIfEmpty = create };

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A block of random sets and deletes over a small key space (so overwrites and deletes of present keys are common).</summary>
    private static void RandomBlock(MultiStore store, Random rng, IReadOnlyList<string> names)
    {
        var ops = rng.Next(0, 60);
        for (var i = 0; i < ops; i++)
        {
            var tree = store.GetStore(names[rng.Next(names.Count)]);
            var key = new[] { (byte)'k', (byte)rng.Next(0, 200) };
            if (rng.Next(5) == 0) tree.Delete(key);
            else tree.Set(key, [(byte)rng.Next(256), (byte)rng.Next(256)]);
        }
    }

    private static void AssertSameContents(MultiStore expected, MultiStore actual, string what)
    {
        foreach (var name in expected.StoreNames)
            Assert.True(Dump(expected.GetStore(name).Iterate(null, null)) == Dump(actual.GetStore(name).Iterate(null, null)), $"{what}: store {name} differs");
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    [InlineData(4, true)]
    public void Random_histories_give_the_same_commit_ids_in_both_formats_every_version_and_after_reopening(int seed, bool writeBehind)
    {
        var rng = new Random(seed);
        var nodesDb = new MemoryKeyValueStore();
        var changesetDb = new MemoryKeyValueStore();
        var names = new List<string>(Names);
        var pruning = new PruningOptions(KeepRecent: 6, KeepEvery: 0);
        var nodes = MultiStore.Open(nodesDb, names, Nodes(pruning));
        var changesets = MultiStore.Open(changesetDb, names, Changesets(interval: 7, memoryVersions: 4, pruning, writeBehind));
        try
        {
            for (var version = 1; version <= 120; version++)
            {
                if (rng.Next(8) == 0)
                {
                    // Mutations then a rollback of the working state: they must not reach the changeset.
                    RandomBlock(changesets, rng, names);
                    foreach (var name in names) ((IVersionedTree)changesets.GetStore(name)).Rollback();
                }
                var state = rng.Next();
                RandomBlock(nodes, new Random(state), names);
                RandomBlock(changesets, new Random(state), names);
                Assert.Equal(nodes.WorkingHash(), changesets.WorkingHash());
                var expected = nodes.Commit();
                var actual = changesets.Commit();
                Assert.Equal(expected.Version, actual.Version);
                Assert.True(expected.Hash.AsSpan().SequenceEqual(actual.Hash), $"seed {seed}: version {version} differs");

                if (version == 50) names.Add("late"); // a store added after genesis (version offset 50)
                if (version == 50 || rng.Next(10) == 0)
                {
                    if (rng.Next(2) == 0) changesets.WaitForSnapshot();
                    nodes.Dispose();
                    changesets.Dispose();
                    nodes = MultiStore.Open(nodesDb, names, Nodes(pruning, create: false));
                    changesets = MultiStore.Open(changesetDb, names, Changesets(interval: 7, memoryVersions: 4, pruning, writeBehind, create: false));
                    Assert.Equal(nodes.LastCommitId.Hash, changesets.LastCommitId.Hash);
                    Assert.Equal(nodes.LastCommitId.Version, changesets.LastCommitId.Version);
                    AssertSameContents(nodes, changesets, $"seed {seed}, reopened at {version}");
                    // Kept: the last 4 versions, but after a restart none below the snapshot it started from.
                    Assert.Equal(Math.Max(Math.Max(1, version - 3), changesets.SnapshotVersion), changesets.EarliestVersion);
                }
            }
        }
        finally
        {
            nodes.Dispose();
            changesets.Dispose();
        }
    }

    [Fact]
    public void A_commit_writes_one_changeset_record_per_store_plus_the_commit_record_and_latest()
    {
        var db = new MemoryKeyValueStore();
        using var store = MultiStore.Open(db, Names, Changesets(interval: 1000));
        for (var i = 0; i < 500; i++) store.GetStore("bank").Set([(byte)(i >> 8), (byte)i], [1, 2, 3]);
        store.GetStore("acc").Delete([1]); // absent: no mutation, but the store still gets its (empty) changeset
        store.Commit();
        Assert.Equal(Names.Length + 2, store.LastCommitTimings.Records);
        var treeKeys = db.Iterate([(byte)'t'], [(byte)'u']).Select(e => e.Key).ToList();
        Assert.Equal(Names.Length, treeKeys.Count);
        Assert.All(treeKeys, key => Assert.Equal((byte)'c', key[2 + key[1]]));
    }

    [Fact]
    public void Snapshots_replace_older_snapshots_changesets_and_commit_records_and_reopening_replays_from_the_newest()
    {
        var db = new MemoryKeyValueStore();
        CommitId last;
        using (var store = MultiStore.Open(db, Names, Changesets(interval: 10, memoryVersions: 3)))
        {
            var rng = new Random(7);
            for (var version = 1; version <= 25; version++)
            {
                RandomBlock(store, rng, Names);
                store.Commit();
                if (version % 10 == 0) store.WaitForSnapshot();
            }
            Assert.Equal(20, store.SnapshotVersion);
            last = store.LastCommitId;
        }
        Assert.Equal(["00000000000000000020"], Directory.GetDirectories(Snapshots).Select(Path.GetFileName));
        Assert.Equal(Names, Directory.GetFiles(Path.Combine(Snapshots, "00000000000000000020")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var name in Names)
        {
            var prefix = MultiStore.TreePrefix(name);
            var versions = db.Iterate([.. prefix, (byte)'c'], [.. prefix, (byte)'d']).Select(e => System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(e.Key.AsSpan(prefix.Length + 1))).ToList();
            Assert.Equal([21, 22, 23, 24, 25], versions);
        }
        // Commit records: those of the versions kept when snapshot 20 was recorded (18..20: views read them) and
        // later ones (replay verifies against them); older ones are gone.
        var records = db.Iterate("mci"u8.ToArray(), "mcj"u8.ToArray()).Select(e => System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(e.Key.AsSpan(3))).ToList();
        Assert.Equal(Enumerable.Range(18, 8).Select(v => (long)v), records);

        using var reopened = MultiStore.Open(db, Names, Changesets(interval: 10, memoryVersions: 3, create: false));
        Assert.Equal(last.Version, reopened.LastCommitId.Version);
        Assert.Equal(last.Hash, reopened.LastCommitId.Hash);
        Assert.Equal(23, reopened.EarliestVersion);
        Assert.Equal(20, reopened.SnapshotVersion);
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    [InlineData("delete")]
    public void A_damaged_snapshot_is_refused(string damage)
    {
        var db = new MemoryKeyValueStore();
        using (var store = MultiStore.Open(db, Names, Changesets(interval: 5)))
        {
            var rng = new Random(3);
            for (var version = 1; version <= 6; version++)
            {
                RandomBlock(store, rng, Names);
                store.Commit();
            }
            store.WaitForSnapshot();
            Assert.Equal(5, store.SnapshotVersion);
        }
        var file = Path.Combine(Snapshots, "00000000000000000005", "bank");
        var bytes = File.ReadAllBytes(file);
        switch (damage)
        {
            case "flip":
                bytes[bytes.Length / 2] ^= 0x10;
                File.WriteAllBytes(file, bytes);
                break;
            case "truncate":
                File.WriteAllBytes(file, bytes[..(bytes.Length - 40)]);
                break;
            default:
                File.Delete(file);
                break;
        }
        var e = Assert.Throws<StoreCorruptedException>(() => MultiStore.Open(db, Names, Changesets(interval: 5, create: false)));
        Assert.Contains("snapshot", e.Message);
    }

    [Fact]
    public void A_snapshot_left_by_a_crash_before_it_was_recorded_is_removed_and_the_recorded_one_used()
    {
        var db = new MemoryKeyValueStore();
        CommitId last;
        using (var store = MultiStore.Open(db, Names, Changesets(interval: 4)))
        {
            var rng = new Random(11);
            for (var version = 1; version <= 9; version++)
            {
                RandomBlock(store, rng, Names);
                store.Commit();
                store.WaitForSnapshot();
            }
            last = store.LastCommitId;
        }
        // A crash mid-write leaves a temporary directory; one after the rename but before the record, a complete one.
        Directory.CreateDirectory(Path.Combine(Snapshots, "tmp-12"));
        File.WriteAllText(Path.Combine(Snapshots, "tmp-12", "bank"), "torn");
        Directory.CreateDirectory(Path.Combine(Snapshots, "00000000000000000012"));
        File.WriteAllText(Path.Combine(Snapshots, "00000000000000000012", "bank"), "unrecorded");
        using var reopened = MultiStore.Open(db, Names, Changesets(interval: 4, create: false));
        Assert.Equal(last.Hash, reopened.LastCommitId.Hash);
        Assert.Equal(8, reopened.SnapshotVersion);
        Assert.Equal(["00000000000000000008"], Directory.GetDirectories(Snapshots).Select(Path.GetFileName));
    }

    [Fact]
    public void Queries_and_proofs_of_kept_versions_match_the_node_format_and_older_versions_answer_pruned()
    {
        var pruning = new PruningOptions(KeepRecent: 10, KeepEvery: 0);
        using var nodes = MultiStore.Open(new MemoryKeyValueStore(), Names, Nodes(pruning));
        using var changesets = MultiStore.Open(new MemoryKeyValueStore(), Names, Changesets(interval: 5, memoryVersions: 4, pruning));
        var hashes = new Dictionary<long, byte[]>();
        for (var version = 1; version <= 12; version++)
        {
            foreach (var store in new[] { nodes, changesets })
                for (var i = 0; i < 20; i++) store.GetStore("bank").Set(Of($"key{(version * 7 + i) % 40:D3}"), Of($"v{version}-{i}"));
            nodes.Commit();
            hashes[version] = changesets.Commit().Hash;
        }
        for (var version = 9L; version <= 12; version++)
        {
            foreach (var key in new[] { "key000", "key013", "key039", "absent" })
            {
                var expected = nodes.Query("bank", Of(key), version, prove: true);
                var actual = changesets.Query("bank", Of(key), version, prove: true);
                Assert.Equal(expected.Value, actual.Value);
                Assert.Equal(expected.ProofOps.Select(op => Convert.ToHexString(op.Data)), actual.ProofOps.Select(op => Convert.ToHexString(op.Data)));
                Assert.True(Ics23Verifier.VerifyChain(actual.ProofOps, hashes[version], "bank", Of(key), actual.Value).IsValid);
            }
            Assert.Equal(Dump(nodes.ViewAt(version).GetStore("bank").Iterate(null, null)), Dump(changesets.ViewAt(version).GetStore("bank").Iterate(null, null)));
        }
        Assert.Equal(9, changesets.EarliestVersion);
        Assert.Throws<VersionNotFoundException>(() => changesets.Query("bank", Of("key000"), 8, prove: true));
        Assert.Throws<VersionNotFoundException>(() => changesets.ViewAt(8));
        Assert.NotNull(nodes.Query("bank", Of("key000"), 8, prove: true)); // the node format keeps the whole window
    }

    [Fact]
    public void An_imported_state_is_snapshotted_in_its_commit_and_reopens_with_the_node_formats_root()
    {
        var entries = Enumerable.Range(0, 1000).Select(i => new KeyValuePair<byte[], byte[]>(Of($"key{i:D5}"), Of($"value{i}"))).ToList();
        using var nodes = MultiStore.Open(new MemoryKeyValueStore(), Names, Nodes());
        nodes.Import("bank", entries, entries.Count);
        var expected = nodes.Commit();

        var db = new MemoryKeyValueStore();
        using (var store = MultiStore.Open(db, Names, Changesets(interval: 100, writeBehind: true)))
        {
            store.Import("bank", entries, entries.Count);
            Assert.Equal(expected.Hash, store.Commit().Hash);
            store.GetStore("bank").Set(Of("key00001"), Of("changed"));
            nodes.GetStore("bank").Set(Of("key00001"), Of("changed"));
            Assert.Equal(nodes.Commit().Hash, store.Commit().Hash);
            store.Flush();
            Assert.Equal(1, store.SnapshotVersion);
        }
        using var reopened = MultiStore.Open(db, Names, Changesets(interval: 100, create: false));
        Assert.Equal(nodes.LastCommitId.Hash, reopened.LastCommitId.Hash);
        Assert.Equal(Of("changed"), reopened.GetStore("bank").Get(Of("key00001")));
        Assert.Equal(1000, reopened.GetStore("bank").Iterate(null, null).Count());
    }

    [Fact]
    public void Values_larger_than_the_snapshot_buffer_survive_a_snapshot()
    {
        var db = new MemoryKeyValueStore();
        var big = new byte[3 << 20];
        new Random(5).NextBytes(big);
        CommitId last;
        using (var store = MultiStore.Open(db, Names, Changesets(interval: 2)))
        {
            store.GetStore("bank").Set(Of("big"), big);
            store.GetStore("bank").Set(Of("small"), Of("x"));
            store.Commit();
            store.GetStore("acc").Set(Of("a"), Of("b"));
            last = store.Commit();
            store.WaitForSnapshot();
            Assert.Equal(2, store.SnapshotVersion);
        }
        using var reopened = MultiStore.Open(db, Names, Changesets(interval: 2, create: false));
        Assert.Equal(last.Hash, reopened.LastCommitId.Hash);
        Assert.Equal(big, reopened.GetStore("bank").Get(Of("big")));
    }

    [Fact]
    public void Bad_option_combinations_and_a_database_of_the_other_format_are_refused_clearly()
    {
        var pinned = Assert.Throws<ArgumentException>(() => MultiStore.Open(new MemoryKeyValueStore(), Names, Changesets() with { PinnedHeight = 8 }));
        Assert.Contains("pinned height 0", pinned.Message);
        var noDir = Assert.Throws<ArgumentException>(() => MultiStore.Open(new MemoryKeyValueStore(), Names, Changesets() with { SnapshotDirectory = null }));
        Assert.Contains("snapshot directory", noDir.Message);
        Assert.Throws<ArgumentException>(() => MultiStore.Open(new MemoryKeyValueStore(), Names, Changesets() with { SnapshotInterval = 0 }));

        var db = new MemoryKeyValueStore();
        using (var store = MultiStore.Open(db, Names, Nodes())) store.Commit();
        var wrong = Assert.Throws<StoreCorruptedException>(() => MultiStore.Open(db, Names, Changesets(create: false)));
        Assert.Contains("node-record format", wrong.Message);
        var other = new MemoryKeyValueStore();
        using (var store = MultiStore.Open(other, Names, Changesets())) store.Commit();
        Assert.Contains("changeset format", Assert.Throws<StoreCorruptedException>(() => MultiStore.Open(other, Names, Nodes(create: false))).Message);
    }

    [Fact]
    public void A_changeset_that_does_not_give_the_committed_root_is_refused()
    {
        var db = new MemoryKeyValueStore();
        using (var store = MultiStore.Open(db, Names, Changesets(interval: 100)))
        {
            store.GetStore("bank").Set([1], [1]);
            store.Commit();
            store.GetStore("bank").Set([2], [2]);
            store.Commit();
        }
        var key = new TreeKeys(MultiStore.TreePrefix("bank")).Changeset(2);
        var record = db.Get(key)!;
        record[^1] ^= 1; // the value of the set
        db.Put(key, record);
        var e = Assert.Throws<StoreCorruptedException>(() => MultiStore.Open(db, Names, Changesets(interval: 100, create: false)));
        Assert.Contains("commit record says", e.Message);
        db.Delete(key);
        Assert.Contains("is missing", Assert.Throws<StoreCorruptedException>(() => MultiStore.Open(db, Names, Changesets(interval: 100, create: false))).Message);
    }
}
