namespace DePinChain.Store.Backend.LevelDb;

/// <summary>How <see cref="LevelDbStore.Open"/> opens a database. The defaults suit a node's state store.</summary>
public sealed record LevelDbOptions
{
    /// <summary>
    /// Create the database (and missing parent directories) when the path holds none. Off by default, so a
    /// mistyped path or a directory that is not a LevelDB fails loudly instead of starting an empty chain.
    /// </summary>
    public bool CreateIfMissing { get; init; }

    /// <summary>LRU cache of uncompressed blocks, in bytes. 0 keeps LevelDB's built-in 8 MiB cache.</summary>
    public long BlockCacheBytes { get; init; } = 64L << 20;

    /// <summary>Bloom filter bits per key (10 gives about 1% false positives); 0 disables the filter.</summary>
    public int BloomFilterBitsPerKey { get; init; } = 10;

    /// <summary>Memtable size before it is flushed to a sorted table, in bytes. LevelDB's default is 4 MiB.</summary>
    public long WriteBufferBytes { get; init; } = 16L << 20;

    /// <summary>Size a table file grows to before compaction starts the next one. LevelDB's default is 2 MiB.</summary>
    public long MaxFileBytes { get; init; } = 2L << 20;

    /// <summary>Table files kept open. LevelDB's default is 1000.</summary>
    public int MaxOpenFiles { get; init; } = 1000;

    /// <summary>
    /// Snappy block compression (the system library links libsnappy). Off by default: tree nodes are mostly SHA-256
    /// hashes, which do not compress, and compressing every table block during compaction took ~3% of a busy node's CPU.
    /// </summary>
    public bool Compression { get; init; }

    /// <summary>LevelDB's paranoid checks: stop at the first sign of corruption instead of skipping damaged data.</summary>
    public bool ParanoidChecks { get; init; } = true;

    /// <summary>Verify block checksums on every read (costs read speed; compaction checks them anyway).</summary>
    public bool VerifyChecksumsOnRead { get; init; }

    public static LevelDbOptions Default { get; } = new();

    /// <summary>The defaults plus <see cref="CreateIfMissing"/>.</summary>
    public static LevelDbOptions CreateNew { get; } = new() { CreateIfMissing = true };

    internal void Validate()
    {
        if (BlockCacheBytes < 0) throw new ArgumentOutOfRangeException(nameof(BlockCacheBytes), BlockCacheBytes, "must be >= 0");
        if (BloomFilterBitsPerKey is < 0 or > 64) throw new ArgumentOutOfRangeException(nameof(BloomFilterBitsPerKey), BloomFilterBitsPerKey, "must be 0..64");
        if (WriteBufferBytes is < 64 << 10 or > 1 << 30) throw new ArgumentOutOfRangeException(nameof(WriteBufferBytes), WriteBufferBytes, "must be 64 KiB..1 GiB");
        if (MaxFileBytes is < 64 << 10 or > 1 << 30) throw new ArgumentOutOfRangeException(nameof(MaxFileBytes), MaxFileBytes, "must be 64 KiB..1 GiB");
        if (MaxOpenFiles < 74) throw new ArgumentOutOfRangeException(nameof(MaxOpenFiles), MaxOpenFiles, "must be >= 74 (LevelDB reserves 10 descriptors)");
    }
}
