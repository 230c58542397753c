using System.Buffers.Binary;
using DePinChain.Store.Backend;
using static DePinChain.Store.Tests.Bytes;

namespace DePinChain.Store.Tests.Multi;

public class MultiStoreTests
{
    private static readonly string[] Names = ["bank", "acc", "devices"];

    private static MultiStore Create(IKeyValueStore db, PruningOptions? pruning = null, string[]? names = null)
        => MultiStore.Open(db, names ?? Names, new MultiStoreOptions { CreateIfEmpty = true, Pruning = pruning ?? PruningOptions.Nothing });

    private static MultiStore Reopen(IKeyValueStore db, string[]? names = null)
        => MultiStore.Open(db, names ?? Names, new MultiStoreOptions());

    [Fact]
    public void A_new_store_is_at_version_0_with_the_empty_hash()
    {
        using var store = Create(new MemoryKeyValueStore());
        Assert.Equal(0, store.LastCommitId.Version);
        Assert.Equal(Convert.FromHexString("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), store.LastCommitId.Hash);
        Assert.Equal(0, store.EarliestVersion);
        Assert.Equal(["acc", "bank", "devices"], store.StoreNames);
    }

    [Fact]
    public void LastCommitTimings_counts_the_records_of_the_commit_write()
    {
        var db = new MemoryKeyValueStore();
        using var store = Create(db, new PruningOptions(KeepRecent: 1, KeepEvery: 0));
        var before = db.Iterate(null, null).Count();
        for (var i = 0; i < 20; i++) store.GetStore(Names[0]).Set([(byte)i], [1]);
        store.GetStore(Names[1]).Set([1], [1]);
        store.Commit();
        // The first commit only adds records: each one is a new key in the database.
        Assert.Equal(db.Iterate(null, null).Count() - before, store.LastCommitTimings.Records);

        var afterFirst = Snapshot(db);
        store.GetStore(Names[0]).Set([3], [2]);
        store.Commit();
        // The second puts new nodes and deletes version 1's replaced ones: every key that appeared, vanished or
        // changed is at least one record.
        var afterSecond = Snapshot(db);
        var removed = afterFirst.Keys.Count(k => !afterSecond.ContainsKey(k));
        var changed = afterSecond.Count(e => !afterFirst.TryGetValue(e.Key, out var old) || old != e.Value);
        Assert.True(removed > 0, "version 1 was not pruned");
        Assert.InRange(store.LastCommitTimings.Records, removed + changed, 10 * (removed + changed));
    }

    private static Dictionary<string, string> Snapshot(MemoryKeyValueStore db)
        => db.Iterate(null, null).ToDictionary(e => Convert.ToHexString(e.Key), e => Convert.ToHexString(e.Value));

    [Fact]
    public void KeyCount_counts_the_working_keys_of_every_store()
    {
        var db = new MemoryKeyValueStore();
        using (var store = Create(db))
        {
            store.GetStore(Names[0]).Set([1], [1]);
            store.GetStore(Names[0]).Set([2], [2]);
            store.GetStore(Names[1]).Set([1], [1]);
            Assert.Equal(3, store.KeyCount);
            store.Commit();
            store.GetStore(Names[0]).Delete([2]);
            Assert.Equal(2, store.KeyCount);
            store.Commit();
        }
        using var reopened = Reopen(db);
        Assert.Equal(2, reopened.KeyCount);
    }

    [Fact]
    public void Opening_an_empty_database_without_asking_to_create_throws()
    {
        var ex = Assert.Throws<StoreCorruptedException>(() => MultiStore.Open(new MemoryKeyValueStore(), Names));
        Assert.Contains("CreateIfEmpty", ex.Message);
    }

    [Fact]
    public void Commit_persists_the_working_hash_as_the_next_version()
    {
        using var store = Create(new MemoryKeyValueStore());
        store.GetStore("bank").Set(Of("alice"), Of("100"));
        var working = store.WorkingHash();
        Assert.Equal(0, store.LastCommitId.Version); // WorkingHash persists nothing

        var id = store.Commit();

        Assert.Equal(1, id.Version);
        Assert.Equal(working, id.Hash);
        Assert.Equal(id.Hash, store.LastCommitId.Hash);
        Assert.Equal(id.Hash, store.GetCommitInfo(1).Hash());
        var second = store.Commit();
        Assert.Equal(2, second.Version);
        Assert.Equal(id.Hash, second.Hash); // no change, same state, same hash
    }

    [Fact]
    public void The_app_hash_is_the_commit_info_hash_over_the_store_roots()
    {
        using var store = Create(new MemoryKeyValueStore());
        store.GetStore("acc").Set(Of("a"), Of("1"));
        store.GetStore("devices").Set(Of("d"), Of("2"));
        var id = store.Commit();
        var info = store.GetCommitInfo(1);
        Assert.Equal(["acc", "bank", "devices"], info.Stores.Select(s => s.Name));
        Assert.Equal(new CommitInfo(1, info.Stores).Hash(), id.Hash);
        Assert.NotEqual(info.Stores[0].RootHash, info.Stores[1].RootHash);
    }

    [Fact]
    public void The_app_hash_does_not_depend_on_the_order_of_writes()
    {
        using var first = Create(new MemoryKeyValueStore());
        using var second = Create(new MemoryKeyValueStore());
        var pairs = Enumerable.Range(0, 50).Select(i => (Of("key" + i), Of("value" + i))).ToList();
        var b1 = first.Branch();
        foreach (var (k, v) in pairs) b1.GetStore("bank").Set(k, v);
        b1.Write();
        var b2 = second.Branch();
        foreach (var (k, v) in Enumerable.Reverse(pairs)) b2.GetStore("bank").Set(k, v);
        b2.Write();
        Assert.Equal(first.Commit().Hash, second.Commit().Hash);
    }

    [Fact]
    public void Reopening_gives_the_last_commit_and_its_data()
    {
        var db = new MemoryKeyValueStore();
        CommitId last;
        using (var store = Create(db))
        {
            for (var v = 1; v <= 5; v++)
            {
                store.GetStore("bank").Set(Of("height"), Of("h" + v));
                store.GetStore("acc").Set(Of("acct" + v), Of("x"));
                last = store.Commit();
            }
            store.GetStore("bank").Set(Of("uncommitted"), Of("lost"));
            last = store.LastCommitId;
        }
        using var reopened = Reopen(db);
        Assert.Equal(last.Version, reopened.LastCommitId.Version);
        Assert.Equal(last.Hash, reopened.LastCommitId.Hash);
        Assert.Equal("h5", Str(reopened.GetStore("bank").Get(Of("height"))));
        Assert.Null(reopened.GetStore("bank").Get(Of("uncommitted")));
        Assert.Equal(5, reopened.GetStore("acc").Iterate(null, null).Count());
        Assert.Equal(last.Hash, reopened.WorkingHash());
        Assert.Equal(6, reopened.Commit().Version);
    }

    [Fact]
    public void Views_of_past_versions_see_the_values_of_that_version_and_refuse_writes()
    {
        using var store = Create(new MemoryKeyValueStore());
        for (var v = 1; v <= 4; v++)
        {
            store.GetStore("bank").Set(Of("balance"), Of("b" + v));
            if (v == 3) store.GetStore("bank").Delete(Of("balance"));
            store.Commit();
        }
        store.GetStore("bank").Set(Of("balance"), Of("working"));

        Assert.Equal("b1", Str(store.ViewAt(1).GetStore("bank").Get(Of("balance"))));
        Assert.Equal("b2", Str(store.ViewAt(2).GetStore("bank").Get(Of("balance"))));
        Assert.Null(store.ViewAt(3).GetStore("bank").Get(Of("balance")));
        Assert.Equal("b4", Str(store.ViewAt(4).GetStore("bank").Get(Of("balance"))));

        var view = store.ViewAt(2).GetStore("bank");
        Assert.Throws<InvalidOperationException>(() => view.Set(Of("balance"), Of("x")));
        Assert.Throws<InvalidOperationException>(() => view.Delete(Of("balance")));
        var scratch = store.ViewAt(2).Branch();
        scratch.GetStore("bank").Set(Of("balance"), Of("simulated"));
        Assert.Equal("simulated", Str(scratch.GetStore("bank").Get(Of("balance"))));
        Assert.Throws<InvalidOperationException>(() => scratch.Write());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(-1)]
    public void Views_of_versions_never_committed_throw_version_not_found(long version)
    {
        using var store = Create(new MemoryKeyValueStore());
        store.Commit();
        store.Commit();
        Assert.Throws<VersionNotFoundException>(() => store.ViewAt(version));
    }

    [Fact]
    public void Pruning_keeps_the_recent_window_and_every_nth_version()
    {
        var db = new MemoryKeyValueStore();
        using var store = Create(db, new PruningOptions(KeepRecent: 3, KeepEvery: 5));
        for (var v = 1; v <= 12; v++)
        {
            store.GetStore("bank").Set(Of("v"), Of("v" + v));
            store.Commit();
        }
        var readable = Enumerable.Range(1, 12).Where(v =>
        {
            try { store.ViewAt(v); return true; }
            catch (VersionNotFoundException) { return false; }
        });
        Assert.Equal([5, 10, 11, 12], readable);
        Assert.Equal(5, store.EarliestVersion);
        Assert.Equal("v5", Str(store.ViewAt(5).GetStore("bank").Get(Of("v"))));
        Assert.Throws<VersionNotFoundException>(() => store.Query("bank", Of("v"), 4, prove: false));
    }

    [Fact]
    public void Pruned_versions_stay_pruned_after_reopening()
    {
        var db = new MemoryKeyValueStore();
        using (var store = Create(db, PruningOptions.Everything))
        {
            for (var v = 1; v <= 6; v++)
            {
                store.GetStore("acc").Set(Of("k" + v), Of("x"));
                store.Commit();
            }
        }
        using var reopened = Reopen(db);
        Assert.Equal(5, reopened.EarliestVersion);
        Assert.Throws<VersionNotFoundException>(() => reopened.ViewAt(4));
        Assert.Equal(6, reopened.ViewAt(6).GetStore("acc").Iterate(null, null).Count());
    }

    [Fact]
    public void A_database_with_foreign_keys_is_not_taken_for_ours()
    {
        var db = new MemoryKeyValueStore();
        db.Put(Of("LOCK-of-something-else"), Of("1"));
        var ex = Assert.Throws<StoreCorruptedException>(() => Create(db));
        Assert.Contains("not a DePinChain multistore", ex.Message);

        var ours = new MemoryKeyValueStore();
        using (var store = Create(ours)) store.Commit();
        ours.Put(Of("zzz"), Of("1"));
        Assert.Throws<StoreCorruptedException>(() => Reopen(ours));
    }

    [Fact]
    public void A_different_format_marker_is_rejected()
    {
        var db = new MemoryKeyValueStore();
        db.Put(Of("mformat"), Of("someone-else-v9"));
        var ex = Assert.Throws<StoreCorruptedException>(() => Create(db));
        Assert.Contains("someone-else-v9", ex.Message);
    }

    [Fact]
    public void A_damaged_latest_commit_record_stops_the_open()
    {
        var db = CommittedDb(3);
        db.Put(CommitInfoKey(3), [1, 2, 3]);
        var ex = Assert.Throws<StoreCorruptedException>(() => Reopen(db));
        Assert.Contains("version 3", ex.Message);
    }

    [Fact]
    public void A_missing_latest_commit_record_stops_the_open()
    {
        var db = CommittedDb(3);
        db.Delete(CommitInfoKey(3));
        Assert.Throws<StoreCorruptedException>(() => Reopen(db));
    }

    [Fact]
    public void A_latest_pointer_beyond_the_records_stops_the_open()
    {
        var db = CommittedDb(3);
        var latest = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(latest, 9);
        db.Put(Of("mlatest"), latest);
        Assert.Throws<StoreCorruptedException>(() => Reopen(db));
    }

    [Fact]
    public void A_commit_record_whose_root_differs_from_the_tree_stops_the_open()
    {
        var db = CommittedDb(2);
        var info = CommitInfo.Decode(db.Get(CommitInfoKey(2)));
        var forged = new CommitInfo(2, info.Stores.Select(s => s.Name == "bank" ? s with { RootHash = new byte[32] } : s));
        db.Put(CommitInfoKey(2), forged.Encode());
        var ex = Assert.Throws<StoreCorruptedException>(() => Reopen(db));
        Assert.Contains("bank", ex.Message);
    }

    [Fact]
    public void A_store_whose_tree_data_is_gone_stops_the_open()
    {
        var db = CommittedDb(2);
        foreach (var key in db.IteratePrefix(MultiStore.TreePrefix("acc")).Select(kv => kv.Key).ToList()) db.Delete(key);
        var ex = Assert.Throws<StoreCorruptedException>(() => Reopen(db));
        Assert.Contains("acc", ex.Message);
    }

    [Fact]
    public void A_committed_store_that_is_no_longer_mounted_is_an_error()
    {
        var db = CommittedDb(1);
        var ex = Assert.Throws<ArgumentException>(() => Reopen(db, ["acc", "bank"]));
        Assert.Contains("devices", ex.Message);
    }

    [Fact]
    public void A_new_store_can_be_added_and_starts_empty()
    {
        var db = CommittedDb(3);
        using var store = Reopen(db, [.. Names, "rewards"]);
        Assert.Null(store.GetStore("rewards").Get(Of("k")));
        Assert.Throws<KeyNotFoundException>(() => store.ViewAt(3).GetStore("rewards"));
        store.GetStore("rewards").Set(Of("k"), Of("v"));
        var id = store.Commit();
        Assert.Equal(4, id.Version);
        Assert.Equal("v", Str(store.ViewAt(4).GetStore("rewards").Get(Of("k"))));
        Assert.Equal(4, store.GetCommitInfo(4).Stores.Count);
        Assert.Equal(3, store.GetCommitInfo(3).Stores.Count);
        store.Dispose();
        using var again = Reopen(db, [.. Names, "rewards"]);
        Assert.Equal(id.Hash, again.LastCommitId.Hash);
    }

    [Fact]
    public void Bad_store_names_are_rejected_at_open()
    {
        Assert.Throws<ArgumentException>(() => Create(new MemoryKeyValueStore(), names: ["bank", "bank"]));
        Assert.Throws<ArgumentException>(() => Create(new MemoryKeyValueStore(), names: ["with/slash"]));
        Assert.Throws<ArgumentException>(() => Create(new MemoryKeyValueStore(), names: []));
    }

    [Fact]
    public void An_unknown_store_throws_key_not_found()
    {
        using var store = Create(new MemoryKeyValueStore());
        Assert.Throws<KeyNotFoundException>(() => store.GetStore("nope"));
    }

    [Fact]
    public async Task Views_read_consistently_on_other_threads_while_commits_go_on()
    {
        using var store = Create(new MemoryKeyValueStore());
        for (var i = 0; i < 200; i++) store.GetStore("bank").Set(Of("k" + i), Of("v1"));
        store.Commit();
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            var reads = 0;
            while (!stop.IsCancellationRequested || reads == 0)
            {
                var view = store.ViewAt(1).GetStore("bank");
                for (var i = 0; i < 200; i++) Assert.Equal("v1", Str(view.Get(Of("k" + i))));
                Assert.Equal(200, view.Iterate(null, null).Count());
                reads++;
            }
            return reads;
        });
        for (var v = 2; v <= 40; v++)
        {
            for (var i = 0; i < 200; i += 3) store.GetStore("bank").Set(Of("k" + i), Of("v" + v));
            store.GetStore("bank").Delete(Of("k" + v));
            store.Commit();
        }
        stop.Cancel();
        Assert.True(await reader > 0);
    }

    [Fact]
    public void Branch_writes_reach_the_working_state_only_on_write()
    {
        using var store = Create(new MemoryKeyValueStore());
        var block = store.Branch();
        var tx = block.Branch();
        tx.GetStore("bank").Set(Of("a"), Of("1"));
        tx.Write();
        Assert.Null(store.GetStore("bank").Get(Of("a")));
        var before = store.WorkingHash();
        block.Write();
        Assert.Equal("1", Str(store.GetStore("bank").Get(Of("a"))));
        Assert.NotEqual(before, store.WorkingHash());
    }

    private static MemoryKeyValueStore CommittedDb(int versions)
    {
        var db = new MemoryKeyValueStore();
        using var store = Create(db);
        for (var v = 1; v <= versions; v++)
        {
            foreach (var name in Names) store.GetStore(name).Set(Of("key" + v), Of(name + v));
            store.Commit();
        }
        return db;
    }

    private static byte[] CommitInfoKey(long version)
    {
        var key = new byte[3 + 8];
        "mci"u8.CopyTo(key);
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(3), version);
        return key;
    }
}

public sealed class MultiStoreOnLevelDbTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "depin-ms-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void A_leveldb_of_another_program_is_refused_and_left_untouched()
    {
        using (var other = DePinChain.Store.Backend.LevelDb.LevelDbStore.Open(_dir, DePinChain.Store.Backend.LevelDb.LevelDbOptions.CreateNew))
        {
            other.Put(Of("config"), Of("{}"));
            other.Put(Of("blocks/1"), Of("..."));
        }
        var db = DePinChain.Store.Backend.LevelDb.LevelDbStore.Open(_dir);
        Assert.Throws<StoreCorruptedException>(() => MultiStore.OpenOwning(db, ["bank"], new MultiStoreOptions { CreateIfEmpty = true }));
        using var again = DePinChain.Store.Backend.LevelDb.LevelDbStore.Open(_dir);
        Assert.Equal(2, again.Iterate(null, null).Count());
    }

    [Fact]
    public void A_leveldb_store_reopens_at_its_last_commit()
    {
        byte[] hash;
        using (var store = MultiStore.OpenOwning(DePinChain.Store.Backend.LevelDb.LevelDbStore.Open(_dir, DePinChain.Store.Backend.LevelDb.LevelDbOptions.CreateNew),
                   ["bank"], new MultiStoreOptions { CreateIfEmpty = true }))
        {
            store.GetStore("bank").Set(Of("a"), Of("1"));
            store.Commit();
            store.GetStore("bank").Set(Of("b"), Of("2"));
            hash = store.Commit().Hash;
        }
        using var reopened = MultiStore.OpenOwning(DePinChain.Store.Backend.LevelDb.LevelDbStore.Open(_dir), ["bank"]);
        Assert.Equal(2, reopened.LastCommitId.Version);
        Assert.Equal(hash, reopened.LastCommitId.Hash);
        Assert.Equal("1", Str(reopened.ViewAt(1).GetStore("bank").Get(Of("a"))));
        Assert.Null(reopened.ViewAt(1).GetStore("bank").Get(Of("b")));
    }

    [Fact]
    public void An_imported_store_commits_as_version_1_reopens_and_proves_its_keys()
    {
        var entries = Enumerable.Range(0, 3000).Select(i => new KeyValuePair<byte[], byte[]>(Of($"acct{i:D5}"), Of($"balance {i}"))).ToList();
        CommitId id;
        using (var store = MultiStore.OpenOwning(DePinChain.Store.Backend.LevelDb.LevelDbStore.Open(_dir, DePinChain.Store.Backend.LevelDb.LevelDbOptions.CreateNew),
                   ["bank", "devices"], new MultiStoreOptions { CreateIfEmpty = true }))
        {
            store.Import("bank", entries, entries.Count);
            store.GetStore("devices").Set(Of("d"), Of("1"));
            id = store.Commit();
            Assert.Throws<InvalidOperationException>(() => store.Import("devices", entries, entries.Count));
        }
        using var reopened = MultiStore.OpenOwning(DePinChain.Store.Backend.LevelDb.LevelDbStore.Open(_dir), ["bank", "devices"]);
        Assert.Equal(id, reopened.LastCommitId with { Hash = id.Hash });
        Assert.Equal(id.Hash, reopened.LastCommitId.Hash);
        foreach (var (key, value) in entries.Where((_, i) => i % 97 == 0))
        {
            var result = reopened.Query("bank", key, 1, prove: true);
            Assert.Equal(value, result.Value);
            Assert.True(DePinChain.Store.Proofs.Ics23Verifier.VerifyChain(result.ProofOps, id.Hash, "bank", key, value).IsValid);
        }
        var absent = reopened.Query("bank", Of("acct99999x"), 1, prove: true);
        Assert.Null(absent.Value);
        Assert.True(DePinChain.Store.Proofs.Ics23Verifier.VerifyChain(absent.ProofOps, id.Hash, "bank", Of("acct99999x"), null).IsValid);
        Assert.Equal(entries.Count, reopened.ViewAt(1).GetStore("bank").Iterate(null, null).Count());
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
