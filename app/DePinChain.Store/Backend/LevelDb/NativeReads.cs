using static DePinChain.Store.Backend.LevelDb.LevelDbNative;

namespace DePinChain.Store.Backend.LevelDb;

/// <summary>Point reads and range enumeration shared by the store (latest state) and its snapshots.</summary>
internal static class NativeReads
{
    // `fixed` on an empty span yields a null pointer; LevelDB gets a valid one with length 0 instead.
    private static readonly byte[] NonNullEmpty = new byte[1];

    public static ReadOnlySpan<byte> NonNull(ReadOnlySpan<byte> span) => span.IsEmpty ? NonNullEmpty : span;

    public static unsafe byte[]? Get(DbHandle db, ReadOptionsHandle options, ReadOnlySpan<byte> key)
    {
        nint err = 0;
        nuint length;
        byte* value;
        fixed (byte* k = NonNull(key))
        {
            value = leveldb_get(db, options, k, (nuint)key.Length, out length, ref err);
        }
        LevelDbException.ThrowIfError(err, "LevelDB get failed");
        if (value == null) return null;
        try
        {
            return length == 0 ? [] : new ReadOnlySpan<byte>(value, checked((int)length)).ToArray();
        }
        finally
        {
            leveldb_free(value);
        }
    }

    /// <summary>
    /// Entries with start &lt;= key &lt; end. The native iterator is created at the first MoveNext (it sees the
    /// state of that moment, or the snapshot's) and destroyed when the enumerator is disposed or runs out.
    /// </summary>
    public static IEnumerable<KeyValuePair<byte[], byte[]>> Enumerate(DbHandle db, ReadOptionsHandle options, byte[]? start, byte[]? end, bool reverse)
    {
        using var iterator = IteratorHandle.Create(db, options);
        if (reverse)
        {
            SeekBefore(iterator, end);
            while (leveldb_iter_valid(iterator) != 0)
            {
                if (!TryRead(iterator, start, lowerBound: true, out var entry)) break;
                yield return entry;
                leveldb_iter_prev(iterator);
            }
        }
        else
        {
            SeekAtOrAfter(iterator, start);
            while (leveldb_iter_valid(iterator) != 0)
            {
                if (!TryRead(iterator, end, lowerBound: false, out var entry)) break;
                yield return entry;
                leveldb_iter_next(iterator);
            }
        }
        ThrowIfIteratorFailed(iterator);
    }

    private static unsafe void SeekAtOrAfter(IteratorHandle iterator, byte[]? start)
    {
        if (start is null)
        {
            leveldb_iter_seek_to_first(iterator);
            return;
        }
        fixed (byte* s = NonNull(start)) leveldb_iter_seek(iterator, s, (nuint)start.Length);
    }

    /// <summary>Positions on the last key &lt; end (or the last key when end is open).</summary>
    private static unsafe void SeekBefore(IteratorHandle iterator, byte[]? end)
    {
        if (end is null)
        {
            leveldb_iter_seek_to_last(iterator);
            return;
        }
        fixed (byte* e = NonNull(end)) leveldb_iter_seek(iterator, e, (nuint)end.Length);
        // Seek lands on the first key >= end, which is excluded: step back once. Nothing >= end means every
        // key is below it, so start from the last one.
        if (leveldb_iter_valid(iterator) != 0) leveldb_iter_prev(iterator);
        else
        {
            ThrowIfIteratorFailed(iterator);
            leveldb_iter_seek_to_last(iterator);
        }
    }

    /// <summary>Copies the current entry unless its key is past <paramref name="bound"/>.</summary>
    private static unsafe bool TryRead(IteratorHandle iterator, byte[]? bound, bool lowerBound, out KeyValuePair<byte[], byte[]> entry)
    {
        var keyPointer = leveldb_iter_key(iterator, out var keyLength);
        var key = new ReadOnlySpan<byte>(keyPointer, checked((int)keyLength));
        if (bound is not null)
        {
            var order = key.SequenceCompareTo(bound);
            if (lowerBound ? order < 0 : order >= 0)
            {
                entry = default;
                return false;
            }
        }
        var valuePointer = leveldb_iter_value(iterator, out var valueLength);
        entry = new KeyValuePair<byte[], byte[]>(key.ToArray(), new ReadOnlySpan<byte>(valuePointer, checked((int)valueLength)).ToArray());
        return true;
    }

    private static void ThrowIfIteratorFailed(IteratorHandle iterator)
    {
        nint err = 0;
        leveldb_iter_get_error(iterator, ref err);
        LevelDbException.ThrowIfError(err, "LevelDB iteration failed");
    }
}
