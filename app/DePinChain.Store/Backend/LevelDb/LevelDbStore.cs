using static DePinChain.Store.Backend.LevelDb.LevelDbNative;

namespace DePinChain.Store.Backend.LevelDb;

/// <summary>
/// <see cref="IKeyValueStore"/> over the system LevelDB (libleveldb 1.23, C API), keys in LevelDB's default
/// unsigned bytewise order.
/// <para>
/// Limits: keys and values are any byte strings a span can hold (empty included); LevelDB stores lengths as
/// 32-bit varints and keeps whole keys in its index blocks, so keep keys short (the trees above use keys of
/// tens of bytes). A value read back must fit a managed array (&lt; 2 GiB). Nothing here enforces a smaller
/// limit: the layers above own their key and value formats.
/// </para>
/// <para>
/// Thread safety: reads, writes and snapshots may be used from any number of threads at once; one enumeration
/// or one write batch belongs to one thread. Disposing the store while snapshots or enumerations are open is safe:
/// new calls throw <see cref="ObjectDisposedException"/>, enumerations already running finish on the state they
/// started with, and the database is closed when the last of them is disposed.
/// </para>
/// </summary>
public sealed class LevelDbStore : IKeyValueStore
{
    private const string CurrentFileName = "CURRENT";

    private readonly DbHandle _db;
    private readonly ReadOptionsHandle _readLatest;
    private readonly WriteOptionsHandle _writeAsync;
    private readonly WriteOptionsHandle _writeSync;
    private readonly bool _verifyChecksums;
    private volatile bool _disposed;

    // Native batches keep their buffer's capacity when cleared: a commit's batch of megabytes is built again in
    // memory already touched instead of growing a fresh buffer (reallocating, copying, faulting pages in) every block.
    private readonly System.Collections.Concurrent.ConcurrentBag<WriteBatchHandle> _spareBatches = [];
    private const int MaxSpareBatches = 2;

    private LevelDbStore(string path, DbHandle db, bool verifyChecksums)
    {
        Path = path;
        _db = db;
        _verifyChecksums = verifyChecksums;
        _readLatest = ReadOptionsHandle.ForLatest(db, verifyChecksums, fillCache: true);
        _writeAsync = WriteOptionsHandle.Create(sync: false);
        _writeSync = WriteOptionsHandle.Create(sync: true);
    }

    /// <summary>The database directory (absolute).</summary>
    public string Path { get; }

    /// <summary>Opens the LevelDB database in directory <paramref name="path"/>.</summary>
    /// <exception cref="LevelDbException">
    /// The directory is missing or is not a LevelDB database (and <see cref="LevelDbOptions.CreateIfMissing"/> is off),
    /// the database is damaged, or another process holds its lock.
    /// </exception>
    /// <exception cref="DllNotFoundException">libleveldb is not installed.</exception>
    public static LevelDbStore Open(string path, LevelDbOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= LevelDbOptions.Default;
        options.Validate();
        EnsureLoaded();

        var fullPath = System.IO.Path.GetFullPath(path);
        PrepareDirectory(fullPath, options.CreateIfMissing);

        var nativeOptions = leveldb_options_create();
        nint cache = 0, filterPolicy = 0, db = 0;
        try
        {
            leveldb_options_set_create_if_missing(nativeOptions, options.CreateIfMissing ? (byte)1 : (byte)0);
            leveldb_options_set_paranoid_checks(nativeOptions, options.ParanoidChecks ? (byte)1 : (byte)0);
            leveldb_options_set_write_buffer_size(nativeOptions, (nuint)options.WriteBufferBytes);
            leveldb_options_set_max_open_files(nativeOptions, options.MaxOpenFiles);
            leveldb_options_set_max_file_size(nativeOptions, (nuint)options.MaxFileBytes);
            leveldb_options_set_compression(nativeOptions, options.Compression ? SnappyCompression : NoCompression);
            if (options.BlockCacheBytes > 0)
            {
                cache = leveldb_cache_create_lru((nuint)options.BlockCacheBytes);
                leveldb_options_set_cache(nativeOptions, cache);
            }
            if (options.BloomFilterBitsPerKey > 0)
            {
                filterPolicy = leveldb_filterpolicy_create_bloom(options.BloomFilterBitsPerKey);
                leveldb_options_set_filter_policy(nativeOptions, filterPolicy);
            }

            nint err = 0;
            db = leveldb_open(nativeOptions, fullPath, ref err);
            LevelDbException.ThrowIfError(err, $"cannot open LevelDB at '{fullPath}'");
            if (db == 0) throw new LevelDbException($"cannot open LevelDB at '{fullPath}'", "no handle returned");
        }
        catch
        {
            if (db != 0) leveldb_close(db);
            if (cache != 0) leveldb_cache_destroy(cache);
            if (filterPolicy != 0) leveldb_filterpolicy_destroy(filterPolicy);
            throw;
        }
        finally
        {
            // LevelDB copies the options at open; the cache and filter policy it points to must outlive the db.
            leveldb_options_destroy(nativeOptions);
        }

        var handle = new DbHandle(db, cache, filterPolicy);
        try
        {
            return new LevelDbStore(fullPath, handle, options.VerifyChecksumsOnRead);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void PrepareDirectory(string fullPath, bool create)
    {
        if (File.Exists(fullPath))
            throw new LevelDbException($"cannot open LevelDB at '{fullPath}': it is a file, not a directory", null);
        if (create)
        {
            Directory.CreateDirectory(fullPath);
            return;
        }
        if (!Directory.Exists(fullPath))
            throw new LevelDbException($"no LevelDB database at '{fullPath}': the directory does not exist (open with CreateIfMissing to create one)", null);
        // LevelDB's own message for this case ("does not exist (create_if_missing is false)") misleads when the
        // directory exists but holds something else.
        if (!File.Exists(System.IO.Path.Combine(fullPath, CurrentFileName)))
            throw new LevelDbException($"'{fullPath}' is not a LevelDB database (it has no {CurrentFileName} file); open with CreateIfMissing to create one", null);
    }

    /// <summary>The version of the loaded libleveldb, e.g. "1.23".</summary>
    public static string NativeVersion
    {
        get
        {
            EnsureLoaded();
            return $"{leveldb_major_version()}.{leveldb_minor_version()}";
        }
    }

    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        return NativeReads.Get(_db, _readLatest, key);
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(byte[]? start, byte[]? end, bool reverse = false)
    {
        ThrowIfDisposed();
        return NativeReads.Enumerate(_db, _readLatest, start, end, reverse);
    }

    public unsafe void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        ThrowIfDisposed();
        nint err = 0;
        fixed (byte* k = NativeReads.NonNull(key))
        fixed (byte* v = NativeReads.NonNull(value))
        {
            leveldb_put(_db, _writeAsync, k, (nuint)key.Length, v, (nuint)value.Length, ref err);
        }
        LevelDbException.ThrowIfError(err, "LevelDB put failed");
    }

    public unsafe void Delete(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        nint err = 0;
        fixed (byte* k = NativeReads.NonNull(key))
        {
            leveldb_delete(_db, _writeAsync, k, (nuint)key.Length, ref err);
        }
        LevelDbException.ThrowIfError(err, "LevelDB delete failed");
    }

    public IKeyValueSnapshot GetSnapshot()
    {
        ThrowIfDisposed();
        var snapshot = SnapshotHandle.Create(_db);
        try
        {
            return new LevelDbSnapshot(this, snapshot, ReadOptionsHandle.ForSnapshot(snapshot, _verifyChecksums, fillCache: true));
        }
        catch
        {
            snapshot.Dispose();
            throw;
        }
    }

    public IWriteBatch CreateBatch()
    {
        ThrowIfDisposed();
        return _spareBatches.TryTake(out var spare) ? new LevelDbWriteBatch(spare, ReturnBatch) : new LevelDbWriteBatch(WriteBatchHandle.Create(), ReturnBatch);
    }

    /// <summary>Takes back a disposed batch's native handle, cleared, for the next <see cref="CreateBatch"/>; frees it when enough are spare.</summary>
    private void ReturnBatch(WriteBatchHandle handle)
    {
        if (_disposed || _spareBatches.Count >= MaxSpareBatches)
        {
            handle.Dispose();
            return;
        }
        leveldb_writebatch_clear(handle);
        _spareBatches.Add(handle);
    }

    public void Write(IWriteBatch batch, bool sync)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(batch);
        if (batch is not LevelDbWriteBatch ours) throw new ArgumentException("The batch was not created by a LevelDbStore.", nameof(batch));
        nint err = 0;
        leveldb_write(_db, sync ? _writeSync : _writeAsync, ours.Handle, ref err);
        LevelDbException.ThrowIfError(err, "LevelDB write failed");
    }

    /// <summary>A LevelDB property such as "leveldb.stats" or "leveldb.num-files-at-level0"; null if unknown.</summary>
    public unsafe string? GetProperty(string name)
    {
        ThrowIfDisposed();
        var value = leveldb_property_value(_db, name);
        if (value == null) return null;
        try { return System.Runtime.InteropServices.Marshal.PtrToStringUTF8((nint)value); }
        finally { leveldb_free(value); }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        // Each handle is freed once nothing uses it any more: calls in flight and open snapshots and iterators hold
        // references, so the database itself closes after the last of them.
        _readLatest.Dispose();
        _writeAsync.Dispose();
        _writeSync.Dispose();
        while (_spareBatches.TryTake(out var spare)) spare.Dispose();
        _db.Dispose();
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    internal DbHandle Db => _db;

    private sealed class LevelDbSnapshot(LevelDbStore owner, SnapshotHandle snapshot, ReadOptionsHandle readOptions) : IKeyValueSnapshot
    {
        private volatile bool _disposed;

        public byte[]? Get(ReadOnlySpan<byte> key)
        {
            ThrowIfDisposed();
            return NativeReads.Get(owner.Db, readOptions, key);
        }

        public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(byte[]? start, byte[]? end, bool reverse = false)
        {
            ThrowIfDisposed();
            return NativeReads.Enumerate(owner.Db, readOptions, start, end, reverse);
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            readOptions.Dispose();
            snapshot.Dispose();
        }

        private void ThrowIfDisposed()
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            owner.ThrowIfDisposed();
        }
    }
}
