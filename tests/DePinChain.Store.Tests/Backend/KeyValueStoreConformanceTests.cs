using System.Text;
using DePinChain.Store.Backend;

namespace DePinChain.Store.Tests.Backend;

/// <summary>
/// The behaviour every <see cref="IKeyValueStore"/> must share, run against each backend, so the in-memory twin
/// used by tests behaves like LevelDB.
/// </summary>
public abstract class KeyValueStoreConformanceTests : IDisposable
{
    private readonly List<IKeyValueStore> _opened = [];

    protected abstract IKeyValueStore CreateStoreCore();

    protected IKeyValueStore CreateStore()
    {
        var store = CreateStoreCore();
        _opened.Add(store);
        return store;
    }

    public virtual void Dispose()
    {
        foreach (var store in _opened) store.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    private static List<string> Keys(IEnumerable<KeyValuePair<byte[], byte[]>> entries)
        => entries.Select(e => Convert.ToHexString(e.Key)).ToList();

    private static List<string> Hex(params byte[][] keys) => keys.Select(Convert.ToHexString).ToList();

    [Fact]
    public void Put_get_and_delete_round_trip()
    {
        var store = CreateStore();
        Assert.Null(store.Get(B("k")));

        store.Put(B("k"), B("v1"));
        Assert.Equal(B("v1"), store.Get(B("k")));

        store.Put(B("k"), B("v2"));
        Assert.Equal(B("v2"), store.Get(B("k")));

        store.Delete(B("k"));
        Assert.Null(store.Get(B("k")));

        store.Delete(B("never-written"));
        Assert.Null(store.Get(B("never-written")));
    }

    [Fact]
    public void An_empty_value_is_stored_and_differs_from_absence()
    {
        var store = CreateStore();
        store.Put(B("empty"), ReadOnlySpan<byte>.Empty);

        var value = store.Get(B("empty"));

        Assert.NotNull(value);
        Assert.Empty(value);
        Assert.Single(store.Iterate(null, null));
    }

    [Fact]
    public void The_empty_key_is_a_key_like_any_other()
    {
        var store = CreateStore();
        store.Put(ReadOnlySpan<byte>.Empty, B("root"));
        store.Put([0x00], B("zero"));

        Assert.Equal(B("root"), store.Get(ReadOnlySpan<byte>.Empty));
        Assert.Equal(Hex([], [0x00]), Keys(store.Iterate(null, null)));
    }

    [Fact]
    public void Binary_keys_with_zero_and_ff_bytes_are_distinct_and_exact()
    {
        var store = CreateStore();
        byte[][] keys = [[0x00], [0x00, 0x00], [0xFF], [0xFF, 0x00], [0x01, 0x00, 0xFF], [0xFF, 0xFF, 0xFF]];
        for (var i = 0; i < keys.Length; i++) store.Put(keys[i], [(byte)i, 0x00, 0xFF]);

        for (var i = 0; i < keys.Length; i++) Assert.Equal(new byte[] { (byte)i, 0x00, 0xFF }, store.Get(keys[i]));
        Assert.Null(store.Get([0x00, 0x00, 0x00]));
        Assert.Null(store.Get([0xFF, 0xFF]));
    }

    [Fact]
    public void Iteration_order_is_unsigned_bytewise_and_shorter_prefix_first()
    {
        var store = CreateStore();
        byte[][] shuffled = [[0x80], [0x7F], [0xFF], [0x00], [0x01, 0x00], [0x01], [0x7F, 0xFF], [0x80, 0x00]];
        foreach (var key in shuffled) store.Put(key, key);

        Assert.Equal(
            Hex([0x00], [0x01], [0x01, 0x00], [0x7F], [0x7F, 0xFF], [0x80], [0x80, 0x00], [0xFF]),
            Keys(store.Iterate(null, null)));
        Assert.Equal(
            Hex([0xFF], [0x80, 0x00], [0x80], [0x7F, 0xFF], [0x7F], [0x01, 0x00], [0x01], [0x00]),
            Keys(store.Iterate(null, null, reverse: true)));
    }

    [Theory]
    // start, end, forward result (reverse is its mirror). Stored keys: b, c, d, f.
    [InlineData("b", "d", "b,c")]        // start inclusive, end exclusive, both on stored keys
    [InlineData("a", "e", "b,c,d")]      // bounds between stored keys
    [InlineData("c", "c", "")]           // empty range
    [InlineData("d", "b", "")]           // inverted range
    [InlineData("bb", "f", "c,d")]       // start just past a key
    [InlineData("b", "ff", "b,c,d,f")]   // end just past the last key
    [InlineData("g", null, "")]          // start beyond everything
    [InlineData(null, "b", "")]          // end at the first key
    [InlineData(null, "c", "b")]
    [InlineData("d", null, "d,f")]
    [InlineData(null, null, "b,c,d,f")]
    public void Bounds_are_start_inclusive_end_exclusive_in_both_directions(string? start, string? end, string expected)
    {
        var store = CreateStore();
        foreach (var k in new[] { "f", "b", "d", "c" }) store.Put(B(k), B("v" + k));

        var forward = store.Iterate(start is null ? null : B(start), end is null ? null : B(end))
            .Select(e => Encoding.ASCII.GetString(e.Key)).ToList();
        var backward = store.Iterate(start is null ? null : B(start), end is null ? null : B(end), reverse: true)
            .Select(e => Encoding.ASCII.GetString(e.Key)).ToList();

        var want = expected.Length == 0 ? [] : expected.Split(',').ToList();
        Assert.Equal(want, forward);
        want.Reverse();
        Assert.Equal(want, backward);
    }

    [Fact]
    public void Iteration_yields_the_values_stored_under_each_key()
    {
        var store = CreateStore();
        for (var i = 0; i < 50; i++) store.Put([(byte)i], [(byte)(i * 3), (byte)i]);

        foreach (var (key, value) in store.Iterate([10], [40]))
            Assert.Equal(new byte[] { (byte)(key[0] * 3), key[0] }, value);
        Assert.Equal(30, store.Iterate([10], [40], reverse: true).Count());
    }

    [Fact]
    public void Prefix_iteration_covers_exactly_the_keys_with_that_prefix()
    {
        var store = CreateStore();
        byte[][] keys = [[0x01], [0x01, 0xFF], [0x01, 0xFF, 0xFF], [0x02], [0x02, 0x00], [0x02, 0xFF], [0x03], [0xFF, 0xFF], [0xFF, 0xFF, 0x00]];
        foreach (var key in keys) store.Put(key, key);

        Assert.Equal(Hex([0x02], [0x02, 0x00], [0x02, 0xFF]), Keys(store.IteratePrefix([0x02])));
        Assert.Equal(Hex([0x01, 0xFF], [0x01, 0xFF, 0xFF]), Keys(store.IteratePrefix([0x01, 0xFF])));
        Assert.Equal(Hex([0x02, 0xFF], [0x02, 0x00], [0x02]), Keys(store.IteratePrefix([0x02], reverse: true)));
        // An all-0xFF prefix has no end key: the range is open above.
        Assert.Equal(Hex([0xFF, 0xFF], [0xFF, 0xFF, 0x00]), Keys(store.IteratePrefix([0xFF, 0xFF])));
        Assert.Equal(Hex([0xFF, 0xFF, 0x00], [0xFF, 0xFF]), Keys(store.IteratePrefix([0xFF, 0xFF], reverse: true)));
        Assert.Equal(keys.Length, store.IteratePrefix([]).Count());
    }

    [Fact]
    public void A_snapshot_sees_neither_later_writes_nor_later_deletes()
    {
        var store = CreateStore();
        store.Put(B("a"), B("1"));
        store.Put(B("b"), B("1"));
        using var snapshot = store.GetSnapshot();

        store.Put(B("a"), B("2"));
        store.Delete(B("b"));
        store.Put(B("c"), B("2"));
        using (var batch = store.CreateBatch())
        {
            batch.Put(B("d"), B("2"));
            store.Write(batch, sync: false);
        }

        Assert.Equal(B("1"), snapshot.Get(B("a")));
        Assert.Equal(B("1"), snapshot.Get(B("b")));
        Assert.Null(snapshot.Get(B("c")));
        Assert.Equal(["a", "b"], snapshot.Iterate(null, null).Select(e => Encoding.ASCII.GetString(e.Key)));
        Assert.Equal(["b", "a"], snapshot.Iterate(null, null, reverse: true).Select(e => Encoding.ASCII.GetString(e.Key)));
        Assert.Equal(["a", "c", "d"], store.Iterate(null, null).Select(e => Encoding.ASCII.GetString(e.Key)));
    }

    [Fact]
    public void An_enumeration_in_progress_is_not_disturbed_by_writes()
    {
        var store = CreateStore();
        for (var i = 0; i < 10; i++) store.Put([(byte)(2 * i)], [1]);

        var seen = new List<byte>();
        foreach (var (key, value) in store.Iterate(null, null))
        {
            seen.Add(key[0]);
            Assert.Equal(new byte[] { 1 }, value);
            // Inserted ahead of the cursor and overwritten: neither shows up in this enumeration.
            store.Put([(byte)(key[0] + 1)], [2]);
            store.Put([(byte)(key[0] + 2)], [2]);
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (byte)(2 * i)), seen);
        Assert.Equal(21, store.Iterate(null, null).Count()); // 0..20
    }

    [Fact]
    public void A_batch_applies_its_operations_in_order()
    {
        var store = CreateStore();
        store.Put(B("gone"), B("1"));
        store.Put(B("kept"), B("1"));
        using var batch = store.CreateBatch();
        batch.Put(B("a"), B("1"));
        batch.Delete(B("a"));
        batch.Delete(B("gone"));
        batch.Put(B("b"), B("1"));
        batch.Put(B("b"), B("2"));
        batch.Delete(B("c"));
        batch.Put(B("c"), B("3"));
        Assert.Equal(7, batch.Count);

        store.Write(batch, sync: true);

        Assert.Null(store.Get(B("a")));
        Assert.Null(store.Get(B("gone")));
        Assert.Equal(B("2"), store.Get(B("b")));
        Assert.Equal(B("3"), store.Get(B("c")));
        Assert.Equal(B("1"), store.Get(B("kept")));
    }

    [Fact]
    public void An_appended_batch_follows_the_operations_already_in_the_batch()
    {
        var store = CreateStore();
        store.Put(B("gone"), B("1"));
        using var first = store.CreateBatch();
        first.Put(B("a"), B("1"));
        first.Put(B("b"), B("1"));
        using var second = store.CreateBatch();
        second.Delete(B("a"));
        second.Put(B("b"), B("2"));
        second.Delete(B("gone"));

        first.Append(second);
        Assert.Equal(5, first.Count);
        Assert.Equal(3, second.Count);
        store.Write(first, sync: true);

        Assert.Null(store.Get(B("a")));
        Assert.Equal(B("2"), store.Get(B("b")));
        Assert.Null(store.Get(B("gone")));

        // The appended batch is unchanged and still writable on its own.
        store.Put(B("a"), B("9"));
        store.Write(second, sync: false);
        Assert.Null(store.Get(B("a")));
    }

    [Fact]
    public void Appending_a_batch_from_another_kind_of_store_is_refused()
    {
        var store = CreateStore();
        using var batch = store.CreateBatch();
        Assert.Throws<ArgumentException>(() => batch.Append(new ForeignBatch()));
    }

    [Fact]
    public void Nothing_in_a_batch_is_visible_before_it_is_written()
    {
        var store = CreateStore();
        store.Put(B("x"), B("old"));
        using var batch = store.CreateBatch();
        batch.Put(B("x"), B("new"));
        batch.Put(B("y"), B("new"));

        Assert.Equal(B("old"), store.Get(B("x")));
        Assert.Null(store.Get(B("y")));

        store.Write(batch, sync: false);
        Assert.Equal(B("new"), store.Get(B("x")));
        Assert.Equal(B("new"), store.Get(B("y")));
    }

    [Fact]
    public void A_batch_written_while_a_snapshot_is_open_is_seen_whole_or_not_at_all()
    {
        var store = CreateStore();
        for (var i = 0; i < 100; i++) store.Put([(byte)i], [0]);
        using var before = store.GetSnapshot();
        using (var batch = store.CreateBatch())
        {
            for (var i = 0; i < 100; i++) batch.Put([(byte)i], [1]);
            store.Write(batch, sync: false);
        }
        using var after = store.GetSnapshot();

        Assert.All(before.Iterate(null, null), e => Assert.Equal(0, e.Value[0]));
        Assert.All(after.Iterate(null, null), e => Assert.Equal(1, e.Value[0]));
    }

    [Fact]
    public void A_batch_from_another_kind_of_store_is_rejected()
    {
        var store = CreateStore();
        Assert.Throws<ArgumentException>(() => store.Write(new ForeignBatch(), sync: false));
    }

    [Fact]
    public void Using_a_disposed_store_throws_ObjectDisposedException()
    {
        var store = CreateStore();
        store.Put(B("k"), B("v"));
        var batch = store.CreateBatch();
        batch.Put(B("k2"), B("v"));
        var snapshot = store.GetSnapshot();

        store.Dispose();

        Assert.Throws<ObjectDisposedException>(() => store.Get(B("k")));
        Assert.Throws<ObjectDisposedException>(() => store.Put(B("k"), B("v")));
        Assert.Throws<ObjectDisposedException>(() => store.Delete(B("k")));
        Assert.Throws<ObjectDisposedException>(() => store.Iterate(null, null));
        Assert.Throws<ObjectDisposedException>(() => store.GetSnapshot());
        Assert.Throws<ObjectDisposedException>(() => store.CreateBatch());
        Assert.Throws<ObjectDisposedException>(() => store.Write(batch, sync: true));
        Assert.Throws<ObjectDisposedException>(() => snapshot.Get(B("k")));
        Assert.Throws<ObjectDisposedException>(() => snapshot.Iterate(null, null));
        store.Dispose();
        snapshot.Dispose();
        batch.Dispose();
    }

    [Fact]
    public void Using_a_disposed_snapshot_or_batch_throws_ObjectDisposedException()
    {
        var store = CreateStore();
        var snapshot = store.GetSnapshot();
        var batch = store.CreateBatch();
        snapshot.Dispose();
        batch.Dispose();

        Assert.Throws<ObjectDisposedException>(() => snapshot.Get(B("k")));
        Assert.Throws<ObjectDisposedException>(() => snapshot.Iterate(null, null));
        Assert.Throws<ObjectDisposedException>(() => batch.Put(B("k"), B("v")));
        Assert.Throws<ObjectDisposedException>(() => store.Write(batch, sync: false));
        snapshot.Dispose();
    }

    [Fact]
    public void Disposing_the_store_during_an_enumeration_does_not_break_it()
    {
        var store = CreateStore();
        for (var i = 0; i < 100; i++) store.Put([(byte)i], [(byte)i]);
        var snapshot = store.GetSnapshot();

        using var live = store.Iterate(null, null).GetEnumerator();
        using var old = snapshot.Iterate(null, null, reverse: true).GetEnumerator();
        Assert.True(live.MoveNext());
        Assert.True(old.MoveNext());
        store.Dispose();
        snapshot.Dispose();

        var liveCount = 1;
        while (live.MoveNext()) liveCount++;
        var oldCount = 1;
        while (old.MoveNext()) oldCount++;
        Assert.Equal(100, liveCount);
        Assert.Equal(100, oldCount);
    }

    [Fact]
    public async Task Readers_see_whole_batches_while_a_writer_commits()
    {
        const int Keys = 32;
        const int Rounds = 300;
        var store = CreateStore();
        Commit(store, 0);

        var writerDone = 0;
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            var reads = 0;
            while (Volatile.Read(ref writerDone) == 0 || reads < 5)
            {
                reads++;
                using var snapshot = store.GetSnapshot();
                AssertOneRound(snapshot.Iterate(null, null).ToList());
                AssertOneRound(store.Iterate(null, null, reverse: true).ToList());
                var first = store.Get([0])!;
                Assert.True(BitConverter.ToInt32(first) >= 0);
            }
        })).ToArray();

        for (var round = 1; round <= Rounds; round++) Commit(store, round);
        Volatile.Write(ref writerDone, 1);
        await Task.WhenAll(readers);

        AssertOneRound(store.Iterate(null, null).ToList());
        Assert.Equal(Rounds, BitConverter.ToInt32(store.Get([Keys - 1])!));

        static void Commit(IKeyValueStore store, int round)
        {
            using var batch = store.CreateBatch();
            for (var k = 0; k < Keys; k++) batch.Put([(byte)k], BitConverter.GetBytes(round));
            store.Write(batch, sync: false);
        }

        static void AssertOneRound(List<KeyValuePair<byte[], byte[]>> entries)
        {
            Assert.Equal(Keys, entries.Count);
            Assert.Single(entries.Select(e => BitConverter.ToInt32(e.Value)).Distinct());
        }
    }

    private sealed class ForeignBatch : IWriteBatch
    {
        public int Count => 0;
        public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) { }
        public void Delete(ReadOnlySpan<byte> key) { }
        public void Append(IWriteBatch other) { }
        public void Dispose() { }
    }
}

public sealed class MemoryKeyValueStoreConformanceTests : KeyValueStoreConformanceTests
{
    protected override IKeyValueStore CreateStoreCore() => new MemoryKeyValueStore();
}
