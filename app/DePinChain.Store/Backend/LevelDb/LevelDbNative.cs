using System.Reflection;
using System.Runtime.InteropServices;

namespace DePinChain.Store.Backend.LevelDb;

/// <summary>
/// The part of LevelDB's C API (<c>leveldb/c.h</c>, 1.23) that the store uses. Errors come back through a
/// <c>char** errptr</c> that must start as null and, when set, is a malloc'd string the caller frees with
/// <see cref="leveldb_free"/>: <see cref="LevelDbException.ThrowIfError"/> does both.
/// Handles are passed as <see cref="SafeHandle"/>s so a concurrent Dispose can never free them mid-call.
/// </summary>
internal static unsafe partial class LevelDbNative
{
    private const string LibraryName = "leveldb";

    // Debian's libleveldb1d installs only the versioned soname; the unversioned name needs the -dev package.
    private static readonly string[] Candidates = ["libleveldb.so.1d", "libleveldb.so.1", "libleveldb.so", "libleveldb.dylib"];

    private static readonly Lazy<nint> Library = new(LoadLibrary, LazyThreadSafetyMode.ExecutionAndPublication);

    static LevelDbNative() => NativeLibrary.SetDllImportResolver(typeof(LevelDbNative).Assembly, Resolve);

    /// <summary>Loads libleveldb now, so a missing library fails with a clear message instead of at the first call.</summary>
    /// <exception cref="DllNotFoundException">No candidate library could be loaded.</exception>
    public static void EnsureLoaded() => _ = Library.Value;

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
        => name == LibraryName ? Library.Value : 0;

    private static nint LoadLibrary()
    {
        foreach (var candidate in Candidates)
        {
            if (NativeLibrary.TryLoad(candidate, out var handle)) return handle;
        }
        throw new DllNotFoundException(
            $"libleveldb not found (tried {string.Join(", ", Candidates)}): run `make setup` (Debian package libleveldb1d)");
    }

    // Options
    [LibraryImport(LibraryName)] public static partial nint leveldb_options_create();
    [LibraryImport(LibraryName)] public static partial void leveldb_options_destroy(nint options);
    [LibraryImport(LibraryName)] public static partial void leveldb_options_set_create_if_missing(nint options, byte value);
    [LibraryImport(LibraryName)] public static partial void leveldb_options_set_error_if_exists(nint options, byte value);
    [LibraryImport(LibraryName)] public static partial void leveldb_options_set_paranoid_checks(nint options, byte value);
    [LibraryImport(LibraryName)] public static partial void leveldb_options_set_write_buffer_size(nint options, nuint size);
    [LibraryImport(LibraryName)] public static partial void leveldb_options_set_max_open_files(nint options, int count);
    [LibraryImport(LibraryName)] public static partial void leveldb_options_set_block_size(nint options, nuint size);
    [LibraryImport(LibraryName)] public static partial void leveldb_options_set_max_file_size(nint options, nuint size);
    [LibraryImport(LibraryName)] public static partial void leveldb_options_set_compression(nint options, int compression);
    [LibraryImport(LibraryName)] public static partial void leveldb_options_set_cache(nint options, nint cache);
    [LibraryImport(LibraryName)] public static partial void leveldb_options_set_filter_policy(nint options, nint policy);

    [LibraryImport(LibraryName)] public static partial nint leveldb_cache_create_lru(nuint capacity);
    [LibraryImport(LibraryName)] public static partial void leveldb_cache_destroy(nint cache);
    [LibraryImport(LibraryName)] public static partial nint leveldb_filterpolicy_create_bloom(int bitsPerKey);
    [LibraryImport(LibraryName)] public static partial void leveldb_filterpolicy_destroy(nint policy);

    public const int NoCompression = 0;
    public const int SnappyCompression = 1;

    // Database
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint leveldb_open(nint options, string name, ref nint errptr);

    [LibraryImport(LibraryName)] public static partial void leveldb_close(nint db);

    [LibraryImport(LibraryName)]
    public static partial void leveldb_put(DbHandle db, WriteOptionsHandle options, byte* key, nuint keyLength, byte* value, nuint valueLength, ref nint errptr);

    [LibraryImport(LibraryName)]
    public static partial void leveldb_delete(DbHandle db, WriteOptionsHandle options, byte* key, nuint keyLength, ref nint errptr);

    [LibraryImport(LibraryName)]
    public static partial void leveldb_write(DbHandle db, WriteOptionsHandle options, WriteBatchHandle batch, ref nint errptr);

    /// <returns>A malloc'd copy of the value (free with <see cref="leveldb_free"/>), or null when the key is absent.</returns>
    [LibraryImport(LibraryName)]
    public static partial byte* leveldb_get(DbHandle db, ReadOptionsHandle options, byte* key, nuint keyLength, out nuint valueLength, ref nint errptr);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial byte* leveldb_property_value(DbHandle db, string propertyName);

    [LibraryImport(LibraryName)] public static partial nint leveldb_create_snapshot(DbHandle db);
    [LibraryImport(LibraryName)] public static partial void leveldb_release_snapshot(nint db, nint snapshot);

    [LibraryImport(LibraryName)] public static partial int leveldb_major_version();
    [LibraryImport(LibraryName)] public static partial int leveldb_minor_version();
    [LibraryImport(LibraryName)] public static partial void leveldb_free(void* pointer);

    // Read and write options
    [LibraryImport(LibraryName)] public static partial nint leveldb_readoptions_create();
    [LibraryImport(LibraryName)] public static partial void leveldb_readoptions_destroy(nint options);
    [LibraryImport(LibraryName)] public static partial void leveldb_readoptions_set_verify_checksums(nint options, byte value);
    [LibraryImport(LibraryName)] public static partial void leveldb_readoptions_set_fill_cache(nint options, byte value);
    [LibraryImport(LibraryName)] public static partial void leveldb_readoptions_set_snapshot(nint options, nint snapshot);

    [LibraryImport(LibraryName)] public static partial nint leveldb_writeoptions_create();
    [LibraryImport(LibraryName)] public static partial void leveldb_writeoptions_destroy(nint options);
    [LibraryImport(LibraryName)] public static partial void leveldb_writeoptions_set_sync(nint options, byte value);

    // Write batches
    [LibraryImport(LibraryName)] public static partial nint leveldb_writebatch_create();
    [LibraryImport(LibraryName)] public static partial void leveldb_writebatch_destroy(nint batch);
    [LibraryImport(LibraryName)] public static partial void leveldb_writebatch_clear(WriteBatchHandle batch);
    [LibraryImport(LibraryName)] public static partial void leveldb_writebatch_put(WriteBatchHandle batch, byte* key, nuint keyLength, byte* value, nuint valueLength);
    [LibraryImport(LibraryName)] public static partial void leveldb_writebatch_delete(WriteBatchHandle batch, byte* key, nuint keyLength);
    [LibraryImport(LibraryName)] public static partial void leveldb_writebatch_append(WriteBatchHandle destination, WriteBatchHandle source);

    // Iterators
    [LibraryImport(LibraryName)] public static partial nint leveldb_create_iterator(DbHandle db, ReadOptionsHandle options);
    [LibraryImport(LibraryName)] public static partial void leveldb_iter_destroy(nint iterator);
    [LibraryImport(LibraryName)] public static partial byte leveldb_iter_valid(IteratorHandle iterator);
    [LibraryImport(LibraryName)] public static partial void leveldb_iter_seek_to_first(IteratorHandle iterator);
    [LibraryImport(LibraryName)] public static partial void leveldb_iter_seek_to_last(IteratorHandle iterator);
    [LibraryImport(LibraryName)] public static partial void leveldb_iter_seek(IteratorHandle iterator, byte* key, nuint keyLength);
    [LibraryImport(LibraryName)] public static partial void leveldb_iter_next(IteratorHandle iterator);
    [LibraryImport(LibraryName)] public static partial void leveldb_iter_prev(IteratorHandle iterator);
    [LibraryImport(LibraryName)] public static partial byte* leveldb_iter_key(IteratorHandle iterator, out nuint keyLength);
    [LibraryImport(LibraryName)] public static partial byte* leveldb_iter_value(IteratorHandle iterator, out nuint valueLength);
    [LibraryImport(LibraryName)] public static partial void leveldb_iter_get_error(IteratorHandle iterator, ref nint errptr);
}
