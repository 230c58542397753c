using static DePinChain.Store.Backend.LevelDb.LevelDbNative;

namespace DePinChain.Store.Backend.LevelDb;

/// <summary>
/// A LevelDB write batch: operations are applied in the order they were added, atomically, by
/// <see cref="LevelDbStore.Write"/>. Writing does not clear it. One thread at a time.
/// </summary>
internal sealed class LevelDbWriteBatch(WriteBatchHandle handle, Action<WriteBatchHandle> release) : IWriteBatch
{
    private readonly WriteBatchHandle _handle = handle;
    private bool _disposed;

    public int Count { get; private set; }

    internal WriteBatchHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _handle;
        }
    }

    public unsafe void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        fixed (byte* k = NativeReads.NonNull(key))
        fixed (byte* v = NativeReads.NonNull(value))
        {
            leveldb_writebatch_put(_handle, k, (nuint)key.Length, v, (nuint)value.Length);
        }
        Count++;
    }

    public unsafe void Delete(ReadOnlySpan<byte> key)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        fixed (byte* k = NativeReads.NonNull(key))
        {
            leveldb_writebatch_delete(_handle, k, (nuint)key.Length);
        }
        Count++;
    }

    public void Append(IWriteBatch other)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (other is not LevelDbWriteBatch source) throw new ArgumentException("The batch was not created by a LevelDB store.", nameof(other));
        leveldb_writebatch_append(_handle, source.Handle);
        Count += source.Count;
    }

    /// <summary>Hands the native batch back to its store (cleared for reuse, or freed).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        release(_handle);
    }
}
