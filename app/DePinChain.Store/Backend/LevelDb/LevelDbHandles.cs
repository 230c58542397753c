using System.Runtime.InteropServices;
using static DePinChain.Store.Backend.LevelDb.LevelDbNative;

namespace DePinChain.Store.Backend.LevelDb;

internal abstract class LevelDbHandle() : SafeHandle(0, ownsHandle: true)
{
    public override bool IsInvalid => handle == 0;
}

/// <summary>
/// A handle that must not outlive another one (an iterator its read options, a snapshot its database). It holds
/// a reference on its parent from construction until its own release, so disposing the parent while children
/// are alive only marks it closed; the native parent is freed after the last child is.
/// </summary>
internal abstract class ChildHandle : LevelDbHandle
{
    private readonly SafeHandle _parent;
    private bool _parentReferenced;

    /// <exception cref="ObjectDisposedException">The parent is closed already.</exception>
    protected ChildHandle(SafeHandle parent)
    {
        _parent = parent;
        parent.DangerousAddRef(ref _parentReferenced);
    }

    protected SafeHandle Parent => _parent;

    /// <summary>Takes ownership of the native object, or gives the parent back and throws when creation failed.</summary>
    protected void Attach(nint native, string what)
    {
        if (native == 0)
        {
            Abandon();
            throw new LevelDbException($"LevelDB could not create {what}", null);
        }
        SetHandle(native);
    }

    /// <summary>Gives the parent back when the native object was never created (release is not called then).</summary>
    protected void Abandon()
    {
        SetHandleAsInvalid();
        if (_parentReferenced)
        {
            _parentReferenced = false;
            _parent.DangerousRelease();
        }
    }

    protected sealed override bool ReleaseHandle()
    {
        ReleaseNative();
        if (_parentReferenced)
        {
            _parentReferenced = false;
            _parent.DangerousRelease();
        }
        return true;
    }

    protected abstract void ReleaseNative();
}

/// <summary>An open database plus the block cache and filter policy it was opened with, which must outlive it.</summary>
internal sealed class DbHandle : LevelDbHandle
{
    private nint _cache;
    private nint _filterPolicy;

    public DbHandle(nint db, nint cache, nint filterPolicy)
    {
        SetHandle(db);
        _cache = cache;
        _filterPolicy = filterPolicy;
    }

    protected override bool ReleaseHandle()
    {
        leveldb_close(handle);
        if (_cache != 0) leveldb_cache_destroy(_cache);
        if (_filterPolicy != 0) leveldb_filterpolicy_destroy(_filterPolicy);
        _cache = 0;
        _filterPolicy = 0;
        return true;
    }
}

internal sealed class SnapshotHandle : ChildHandle
{
    private SnapshotHandle(DbHandle db) : base(db) { }

    public static SnapshotHandle Create(DbHandle db)
    {
        var snapshot = new SnapshotHandle(db);
        nint native;
        try { native = leveldb_create_snapshot(db); }
        catch { snapshot.Abandon(); throw; }
        snapshot.Attach(native, "a snapshot");
        return snapshot;
    }

    protected override void ReleaseNative() => leveldb_release_snapshot(Parent.DangerousGetHandle(), handle);
}

/// <summary>
/// Read options; bound to a snapshot handle (reads at that snapshot) or to the database (reads the latest state).
/// Either way the parent stays alive while any read or iterator uses these options.
/// </summary>
internal sealed class ReadOptionsHandle : ChildHandle
{
    private ReadOptionsHandle(SafeHandle parent) : base(parent) { }

    public static ReadOptionsHandle ForLatest(DbHandle db, bool verifyChecksums, bool fillCache)
        => Create(db, snapshot: 0, verifyChecksums, fillCache);

    public static ReadOptionsHandle ForSnapshot(SnapshotHandle snapshot, bool verifyChecksums, bool fillCache)
        // The snapshot is our parent, so its raw pointer stays valid as long as these options do.
        => Create(snapshot, snapshot.DangerousGetHandle(), verifyChecksums, fillCache);

    private static ReadOptionsHandle Create(SafeHandle parent, nint snapshot, bool verifyChecksums, bool fillCache)
    {
        var options = new ReadOptionsHandle(parent);
        options.Attach(leveldb_readoptions_create(), "read options");
        leveldb_readoptions_set_verify_checksums(options.handle, verifyChecksums ? (byte)1 : (byte)0);
        leveldb_readoptions_set_fill_cache(options.handle, fillCache ? (byte)1 : (byte)0);
        if (snapshot != 0) leveldb_readoptions_set_snapshot(options.handle, snapshot);
        return options;
    }

    protected override void ReleaseNative() => leveldb_readoptions_destroy(handle);
}

internal sealed class IteratorHandle : ChildHandle
{
    private IteratorHandle(ReadOptionsHandle options) : base(options) { }

    public static IteratorHandle Create(DbHandle db, ReadOptionsHandle options)
    {
        var iterator = new IteratorHandle(options);
        nint native;
        try { native = leveldb_create_iterator(db, options); }
        catch { iterator.Abandon(); throw; }
        iterator.Attach(native, "an iterator");
        return iterator;
    }

    protected override void ReleaseNative() => leveldb_iter_destroy(handle);
}

internal sealed class WriteOptionsHandle : LevelDbHandle
{
    public static WriteOptionsHandle Create(bool sync)
    {
        var options = new WriteOptionsHandle();
        options.SetHandle(leveldb_writeoptions_create());
        leveldb_writeoptions_set_sync(options.handle, sync ? (byte)1 : (byte)0);
        return options;
    }

    protected override bool ReleaseHandle()
    {
        leveldb_writeoptions_destroy(handle);
        return true;
    }
}

internal sealed class WriteBatchHandle : LevelDbHandle
{
    public static WriteBatchHandle Create()
    {
        var batch = new WriteBatchHandle();
        batch.SetHandle(leveldb_writebatch_create());
        return batch;
    }

    protected override bool ReleaseHandle()
    {
        leveldb_writebatch_destroy(handle);
        return true;
    }
}
