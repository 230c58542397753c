using System.Text;
using DePinChain.Store.Backend;
using DePinChain.Store.Backend.LevelDb;

namespace DePinChain.Store.Tests.Backend;

/// <summary>A directory under the system temp folder, deleted with everything in it on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "depinchain-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }
}

public sealed class LevelDbStoreConformanceTests : KeyValueStoreConformanceTests
{
    private readonly TempDirectory _dir = new();
    private int _count;

    protected override IKeyValueStore CreateStoreCore()
        => LevelDbStore.Open(_dir.Sub($"db{_count++}"), LevelDbOptions.CreateNew with { BlockCacheBytes = 1 << 20, WriteBufferBytes = 1 << 20 });

    public override void Dispose()
    {
        base.Dispose();
        _dir.Dispose();
    }
}

public sealed class LevelDbStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    [Fact]
    public void The_system_library_is_leveldb_1_23_or_newer()
    {
        var version = Version.Parse(LevelDbStore.NativeVersion);
        Assert.True(version >= new Version(1, 20), $"libleveldb {version}");
    }

    [Fact]
    public void Reopening_gives_back_what_was_written()
    {
        var path = _dir.Sub("db");
        using (var store = LevelDbStore.Open(path, LevelDbOptions.CreateNew))
        {
            store.Put(B("plain"), B("1"));
            using var batch = store.CreateBatch();
            batch.Put(B("synced"), B("2"));
            batch.Put([0x00, 0xFF], []);
            store.Write(batch, sync: true);
            store.Delete(B("plain"));
        }

        using var reopened = LevelDbStore.Open(path);

        Assert.Null(reopened.Get(B("plain")));
        Assert.Equal(B("2"), reopened.Get(B("synced")));
        Assert.Equal(Array.Empty<byte>(), reopened.Get([0x00, 0xFF]));
        Assert.Equal(2, reopened.Iterate(null, null).Count());
    }

    [Fact]
    public void A_batch_created_after_another_was_disposed_starts_empty()
    {
        using var db = LevelDbStore.Open(_dir.Sub("db"), LevelDbOptions.CreateNew);
        var first = db.CreateBatch();
        first.Put([1], [1]);
        first.Delete([9]);
        first.Dispose(); // never written: its native buffer goes back to the store, cleared
        Assert.Throws<ObjectDisposedException>(() => first.Put([2], [2]));
        db.Put([9], [9]);
        for (var round = 0; round < 3; round++)
        {
            using var batch = db.CreateBatch();
            Assert.Equal(0, batch.Count);
            batch.Put([(byte)(10 + round)], [1]);
            db.Write(batch, sync: false);
        }
        Assert.Null(db.Get([1]));
        Assert.Equal([9], db.Get([9]));
        Assert.Equal([1], db.Get([12]));
        Assert.Equal(4, db.Iterate(null, null).Count());
    }

    [Fact]
    public void Data_beyond_the_write_buffer_survives_flushes_and_reopening()
    {
        var path = _dir.Sub("db");
        var options = LevelDbOptions.CreateNew with { WriteBufferBytes = 64 << 10, BlockCacheBytes = 0, BloomFilterBitsPerKey = 0 };
        var value = new byte[1000];
        using (var store = LevelDbStore.Open(path, options))
        {
            for (var i = 0; i < 2000; i++)
            {
                value[0] = (byte)i;
                store.Put(BitConverter.GetBytes(i).Reverse().ToArray(), value);
            }
        }

        using var reopened = LevelDbStore.Open(path, options with { CreateIfMissing = false });
        var count = 0;
        foreach (var (key, stored) in reopened.Iterate(null, null))
        {
            Assert.Equal(count, BitConverter.ToInt32(key.Reverse().ToArray()));
            Assert.Equal((byte)count, stored[0]);
            count++;
        }
        Assert.Equal(2000, count);
        Assert.Equal(unchecked((byte)1999), reopened.Get(BitConverter.GetBytes(1999).Reverse().ToArray())![0]);
    }

    [Fact]
    public void A_missing_directory_is_not_created_without_the_create_flag()
    {
        var path = _dir.Sub("missing");

        var error = Assert.Throws<LevelDbException>(() => LevelDbStore.Open(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("does not exist", error.Message);
        Assert.Contains("CreateIfMissing", error.Message);
        Assert.False(Directory.Exists(path));
    }

    [Fact]
    public void A_directory_that_is_not_a_leveldb_is_refused()
    {
        var path = _dir.Sub("not-a-db");
        Directory.CreateDirectory(path);
        File.WriteAllBytes(System.IO.Path.Combine(path, "random.bin"), [1, 2, 3, 4]);

        var error = Assert.Throws<LevelDbException>(() => LevelDbStore.Open(path));

        Assert.Contains("not a LevelDB database", error.Message);
        Assert.Equal(["random.bin"], Directory.GetFiles(path).Select(System.IO.Path.GetFileName));
    }

    [Fact]
    public void A_damaged_manifest_pointer_is_reported_by_leveldb()
    {
        var path = _dir.Sub("damaged");
        Directory.CreateDirectory(path);
        File.WriteAllText(System.IO.Path.Combine(path, "CURRENT"), "garbage");

        var error = Assert.Throws<LevelDbException>(() => LevelDbStore.Open(path));

        Assert.NotNull(error.LevelDbMessage);
        Assert.Contains(path, error.Message);
        Assert.Contains(error.LevelDbMessage, error.Message);
    }

    [Fact]
    public void A_file_in_place_of_the_directory_is_refused()
    {
        var path = _dir.Sub("file");
        File.WriteAllText(path, "x");

        var error = Assert.Throws<LevelDbException>(() => LevelDbStore.Open(path, LevelDbOptions.CreateNew));

        Assert.Contains("not a directory", error.Message);
    }

    [Fact]
    public void A_database_open_in_this_process_cannot_be_opened_twice()
    {
        var path = _dir.Sub("db");
        using var first = LevelDbStore.Open(path, LevelDbOptions.CreateNew);

        var error = Assert.Throws<LevelDbException>(() => LevelDbStore.Open(path));

        Assert.Contains("lock", error.LevelDbMessage!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_lock_is_released_on_dispose_even_with_snapshots_and_iterators_closed_later()
    {
        var path = _dir.Sub("db");
        var store = LevelDbStore.Open(path, LevelDbOptions.CreateNew);
        store.Put(B("k"), B("v"));
        var snapshot = store.GetSnapshot();
        var enumerator = store.Iterate(null, null).GetEnumerator();
        Assert.True(enumerator.MoveNext());

        store.Dispose();
        Assert.Throws<LevelDbException>(() => LevelDbStore.Open(path));
        snapshot.Dispose();
        enumerator.Dispose();

        using var reopened = LevelDbStore.Open(path);
        Assert.Equal(B("v"), reopened.Get(B("k")));
    }

    [Fact]
    public void Options_out_of_range_are_rejected_before_opening()
    {
        var path = _dir.Sub("db");
        Assert.Throws<ArgumentOutOfRangeException>(() => LevelDbStore.Open(path, LevelDbOptions.CreateNew with { BlockCacheBytes = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => LevelDbStore.Open(path, LevelDbOptions.CreateNew with { WriteBufferBytes = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => LevelDbStore.Open(path, LevelDbOptions.CreateNew with { BloomFilterBitsPerKey = -1 }));
        Assert.False(Directory.Exists(path));
    }

    [Fact]
    public void Large_keys_and_values_round_trip()
    {
        using var store = LevelDbStore.Open(_dir.Sub("db"), LevelDbOptions.CreateNew);
        var key = Enumerable.Range(0, 64 * 1024).Select(i => (byte)(i * 7)).ToArray();
        var value = Enumerable.Range(0, 4 << 20).Select(i => (byte)(i * 13)).ToArray();

        store.Put(key, value);

        Assert.Equal(value, store.Get(key));
        var (storedKey, storedValue) = Assert.Single(store.Iterate(null, null));
        Assert.Equal(key, storedKey);
        Assert.Equal(value, storedValue);
    }

    [Fact]
    public void Leveldb_properties_are_readable()
    {
        using var store = LevelDbStore.Open(_dir.Sub("db"), LevelDbOptions.CreateNew);

        Assert.Contains("Compactions", store.GetProperty("leveldb.stats"));
        Assert.Null(store.GetProperty("no.such.property"));
    }
}
