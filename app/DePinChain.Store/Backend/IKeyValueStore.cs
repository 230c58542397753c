namespace DePinChain.Store.Backend;

/// <summary>
/// Ordered, byte-keyed storage that the Merkle trees persist into. Keys compare as unsigned bytes
/// (LevelDB's default comparator), so iteration order is the same on every backend.
/// </summary>
public interface IKeyValueStore : IKeyValueReader, IDisposable
{
    void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    void Delete(ReadOnlySpan<byte> key);

    /// <summary>A consistent view as of this call; writes made afterwards are not visible through it.</summary>
    IKeyValueSnapshot GetSnapshot();

    IWriteBatch CreateBatch();

    /// <summary>Applies every operation in <paramref name="batch"/> atomically: after a crash either all or none are visible.</summary>
    /// <param name="sync">Flush to stable storage before returning (a commit must survive power loss, not only a process kill).</param>
    void Write(IWriteBatch batch, bool sync);
}

public interface IKeyValueReader
{
    byte[]? Get(ReadOnlySpan<byte> key);

    /// <summary>
    /// Entries with <paramref name="start"/> &lt;= key &lt; <paramref name="end"/>, ascending, or descending when
    /// <paramref name="reverse"/>. A null bound is open. The enumeration sees a consistent state.
    /// </summary>
    IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(byte[]? start, byte[]? end, bool reverse = false);
}

public interface IKeyValueSnapshot : IKeyValueReader, IDisposable;

public interface IWriteBatch : IDisposable
{
    int Count { get; }

    void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    void Delete(ReadOnlySpan<byte> key);

    /// <summary>
    /// Adds <paramref name="other"/>'s operations after this batch's, in their order (so several batches staged on
    /// different threads become one atomic write). <paramref name="other"/> is unchanged. Both must come from the same store.
    /// </summary>
    void Append(IWriteBatch other);
}
