using DePinChain.Store.Backend;
using static DePinChain.Store.Tests.Bytes;

namespace DePinChain.Store.Tests.Multi;

/// <summary>
/// MultiStoreOptions.WriteBehind: Commit returns once the version is sealed in memory and its batch is written on
/// another thread. These tests hold that write back (a database whose writes wait for a gate) to look at the
/// store while a version is committed but not yet written.
/// </summary>
public class WriteBehindTests
{
    private static readonly string[] Names = ["bank", "acc"];

    private static MultiStore Open(IKeyValueStore db, bool writeBehind, PruningOptions? pruning = null, bool create = true)
        => MultiStore.Open(db, Names, new MultiStoreOptions { CreateIfEmpty = create, WriteBehind = writeBehind, Pruning = pruning ?? PruningOptions.Nothing, PinnedHeight = 2, NodeCacheSize = 16 });

    private static void Block(MultiStore store, int height, Random rng)
    {
        var bank = store.GetStore("bank");
        var acc = store.GetStore("acc");
        for (var i = 0; i < 40; i++)
        {
            var key = Of($"k{rng.Next(300):D4}");
            switch (rng.Next(5))
            {
                case 0: bank.Delete(key); break;
                case 1: acc.Set(key, Of($"a{height}.{i}")); break;
                default: bank.Set(key, Of($"v{height}.{i}")); break;
            }
        }
    }

    [Fact]
    public void Commits_written_behind_give_the_same_hashes_data_and_pruning_as_commits_written_in_place()
    {
        var pruning = new PruningOptions(KeepRecent: 3, KeepEvery: 5);
        var inPlaceDb = new MemoryKeyValueStore();
        var behindDb = new MemoryKeyValueStore();
        using (var inPlace = Open(inPlaceDb, writeBehind: false, pruning))
        using (var behind = Open(behindDb, writeBehind: true, pruning))
        {
            var rngA = new Random(5);
            var rngB = new Random(5);
            for (var h = 1; h <= 40; h++)
            {
                Block(inPlace, h, rngA);
                Block(behind, h, rngB);
                Assert.Equal(inPlace.Commit(), behind.Commit(), CommitIdComparer.Instance);
                Assert.Equal(inPlace.EarliestVersion, behind.EarliestVersion);
            }
        }
        // Dispose waited for the last write: both databases hold the same records.
        Assert.Equal(Dump(inPlaceDb.Iterate(null, null)), Dump(behindDb.Iterate(null, null)));
    }

    [Fact]
    public async Task A_version_not_yet_written_is_readable_provable_and_not_durable_until_its_write_finishes()
    {
        var db = new GatedStore(new MemoryKeyValueStore());
        using var store = Open(db, writeBehind: true);
        store.GetStore("bank").Set(Of("a"), Of("1"));
        store.Commit();
        store.Flush();
        Assert.Equal(1, store.DurableVersion);

        db.Hold();
        store.GetStore("bank").Set(Of("a"), Of("2"));
        store.GetStore("acc").Set(Of("b"), Of("3"));
        var id = store.Commit();
        Assert.True(db.WaitUntilBlocked(TimeSpan.FromSeconds(10)), "the background write never reached the database");

        // Version 2 is committed in memory: views, queries and proofs serve it; the database still has version 1.
        Assert.Equal(2, store.LastCommitId.Version);
        Assert.Equal(1, store.DurableVersion);
        Assert.Equal("2", Str(store.ViewAt(2).GetStore("bank").Get(Of("a"))));
        Assert.Equal("1", Str(store.ViewAt(1).GetStore("bank").Get(Of("a"))));
        var query = store.Query("acc", Of("b"), 2, prove: true);
        Assert.Equal("3", Str(query.Value));
        Assert.Equal(2, query.ProofOps.Count);
        using (var reader = Open(db.Inner, writeBehind: false, create: false))
            Assert.Equal(1, reader.LastCommitId.Version);

        // The working state moves on meanwhile; the next commit waits for the write.
        store.GetStore("bank").Set(Of("a"), Of("4"));
        var next = Task.Run(store.Commit);
        Assert.NotSame(next, await Task.WhenAny(next, Task.Delay(200)));
        db.Release();
        Assert.Equal(3, (await next).Version);
        store.Flush();
        Assert.Equal(3, store.DurableVersion);
        using var reopened = Open(db.Inner, writeBehind: false, create: false);
        Assert.Equal(3, reopened.LastCommitId.Version);
        Assert.Equal(id.Hash, reopened.GetCommitInfo(2).Hash());
        Assert.Equal("4", Str(reopened.GetStore("bank").Get(Of("a"))));
    }

    [Fact]
    public void A_failed_background_write_makes_the_next_commit_throw_and_the_store_unusable_and_loses_only_that_version()
    {
        var db = new GatedStore(new MemoryKeyValueStore());
        var store = Open(db, writeBehind: true);
        store.GetStore("bank").Set(Of("a"), Of("1"));
        store.Commit();
        store.Flush();

        db.FailWrites = true;
        store.GetStore("bank").Set(Of("a"), Of("2"));
        store.Commit(); // returns: the write fails on the other thread
        store.GetStore("bank").Set(Of("a"), Of("3"));
        var error = Assert.Throws<StoreCorruptedException>(() => store.Commit());
        Assert.Contains("write of version 2 failed", error.Message);
        Assert.Throws<StoreCorruptedException>(() => store.Flush());
        Assert.Throws<StoreCorruptedException>(() => store.GetStore("bank"));
        store.Dispose(); // does not throw again

        db.FailWrites = false;
        using var reopened = Open(db.Inner, writeBehind: true, create: false);
        Assert.Equal(1, reopened.LastCommitId.Version);
        Assert.Equal("1", Str(reopened.GetStore("bank").Get(Of("a"))));
    }

    [Fact]
    public void Dispose_waits_for_the_last_write()
    {
        var db = new GatedStore(new MemoryKeyValueStore());
        CommitId last;
        using (var store = Open(db, writeBehind: true))
        {
            for (var h = 1; h <= 3; h++)
            {
                store.GetStore("acc").Set(Of($"k{h}"), Of("v"));
                store.Commit();
            }
            store.Flush(); // the gate must catch version 4's write, not the previous one's
            db.Hold();
            store.GetStore("acc").Set(Of("k4"), Of("v"));
            last = store.Commit();
            Assert.True(db.WaitUntilBlocked(TimeSpan.FromSeconds(10)));
            _ = Task.Delay(100).ContinueWith(_ => db.Release(), TaskScheduler.Default);
        }
        using var reopened = Open(db.Inner, writeBehind: false, create: false);
        Assert.Equal(last.Version, reopened.LastCommitId.Version);
        Assert.Equal(last.Hash, reopened.LastCommitId.Hash);
    }

    private sealed class CommitIdComparer : IEqualityComparer<CommitId>
    {
        public static readonly CommitIdComparer Instance = new();

        public bool Equals(CommitId x, CommitId y) => x.Version == y.Version && x.Hash.AsSpan().SequenceEqual(y.Hash);

        public int GetHashCode(CommitId obj) => obj.Version.GetHashCode();
    }

    /// <summary>A database whose batch writes can be held at a gate, or made to fail.</summary>
    private sealed class GatedStore(MemoryKeyValueStore inner) : IKeyValueStore
    {
        private readonly ManualResetEventSlim _open = new(initialState: true);
        private readonly ManualResetEventSlim _blocked = new();

        public MemoryKeyValueStore Inner => inner;

        public volatile bool FailWrites;

        public void Hold()
        {
            _blocked.Reset();
            _open.Reset();
        }

        public void Release() => _open.Set();

        public bool WaitUntilBlocked(TimeSpan timeout) => _blocked.Wait(timeout);

        public void Write(IWriteBatch batch, bool sync)
        {
            if (!_open.IsSet) _blocked.Set();
            _open.Wait();
            if (FailWrites) throw new IOException("disk full (test)");
            inner.Write(batch, sync);
        }

        public byte[]? Get(ReadOnlySpan<byte> key) => inner.Get(key);
        public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(byte[]? start, byte[]? end, bool reverse = false) => inner.Iterate(start, end, reverse);
        public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => inner.Put(key, value);
        public void Delete(ReadOnlySpan<byte> key) => inner.Delete(key);
        public IKeyValueSnapshot GetSnapshot() => inner.GetSnapshot();
        public IWriteBatch CreateBatch() => inner.CreateBatch();

        public void Dispose()
        {
        }
    }
}
