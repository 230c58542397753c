using System.Buffers.Binary;
using System.Text;
using DePinChain.Store.Cache;
using DePinChain.Store.Iavl;
using Microsoft.Extensions.Logging;

namespace DePinChain.Store;

/// <summary>
/// The committed multistore: one versioned tree per store, all in one key-value database, and the commit
/// record per version whose hash is the app hash.
/// <para>
/// Database layout (every key starts with one of two bytes; anything else means the database is not ours):
/// <c>m format</c> → the format marker; <c>m latest</c> → BE64 last committed version;
/// <c>m ci</c> ‖ BE64(version) → <see cref="CommitInfo"/>; <c>m so</c> ‖ name → BE64 version offset of a store
/// added after genesis; <c>t</c> ‖ len(name) ‖ name ‖ … → that store's tree.
/// A commit writes every tree's new nodes, the commit record, the latest pointer and the pruning deletions
/// in one synced batch, so after a crash the database is at the last commit or the one before.
/// </para>
/// A store mounted after the first commit starts its tree at tree version 1 while the multistore is at L + 1;
/// its offset L (multistore version = tree version + L) is recorded with its first commit.
/// Threading: the working state (GetStore, Branch, Commit, WorkingHash) belongs to one thread; ViewAt, Query,
/// LastCommitId and EarliestVersion may be called from any thread.
/// <para>
/// The class is split by what it does: <c>MultiStore.cs</c> (fields, database layout, opening, the working
/// stores), <c>MultiStore.Load.cs</c> (checking and loading a database at its last commit),
/// <c>MultiStore.Commit.cs</c> (sealing, the one synced batch, write-behind), <c>MultiStore.Pruning.cs</c>
/// (which versions leave the window, and deleting them) and <c>MultiStore.Views.cs</c> (read-only views and
/// proven queries of committed versions).
/// </para>
/// </summary>
public sealed partial class MultiStore : ICommitMultiStore
{
    private static readonly byte[] FormatKey = "mformat"u8.ToArray();
    private static readonly byte[] FormatValue = "depinchain-multistore-v1"u8.ToArray();
    private static readonly byte[] ChangesetFormatValue = "depinchain-multistore-changesets-v1"u8.ToArray();
    private static readonly byte[] SnapshotKey = "msnap"u8.ToArray();
    private static readonly byte[] LatestKey = "mlatest"u8.ToArray();
    private static readonly byte[] CommitInfoPrefix = "mci"u8.ToArray();
    private static readonly byte[] OffsetPrefix = "mso"u8.ToArray();
    private const byte MetaByte = (byte)'m';
    private const byte TreeByte = (byte)'t';

    /// <summary>What <see cref="LastCommitId"/> reports before the first commit: SHA-256 of nothing, as the SDK does.</summary>
    public static readonly byte[] EmptyAppHash = System.Security.Cryptography.SHA256.HashData([]);

    private readonly IKeyValueStore _db;
    private readonly bool _ownsDb;
    private readonly MultiStoreOptions _options;
    private readonly ILogger _logger;
    private readonly string[] _names;
    private readonly SortedDictionary<string, IVersionedTree> _trees = new(StringComparer.Ordinal);

    // Multistore version − tree version, per store (0 for stores there since genesis). Offsets of stores that
    // have not committed yet are written with their first commit.
    private readonly Dictionary<string, long> _offsets = new(StringComparer.Ordinal);
    private readonly List<string> _unrecordedOffsets = [];

    // The write of the last commit when WriteBehind is on, until the next commit (or Flush) has waited for it.
    private Task<(TimeSpan Stage, TimeSpan Write, int Records)>? _pendingWrite;
    private long _durableVersion;

    // Guards the committed-state bookkeeping below and the trees' GetImmutable/SaveVersion/DeleteVersion.
    private readonly Lock _gate = new();
    private readonly SortedSet<long> _versions = [];
    private CommitInfo? _lastCommit;
    private string? _failure;
    private bool _disposed;

    private MultiStore(IKeyValueStore db, bool ownsDb, string[] names, MultiStoreOptions options)
    {
        _db = db;
        _ownsDb = ownsDb;
        _names = names;
        _options = options;
        _logger = options.Logger;
    }

    /// <summary>Opens the multistore in <paramref name="db"/> at its last commit. The caller keeps ownership of the database.</summary>
    /// <exception cref="StoreCorruptedException">
    /// The database is empty and <see cref="MultiStoreOptions.CreateIfEmpty"/> is off, holds something else, or
    /// its last commit cannot be loaded exactly.
    /// </exception>
    /// <exception cref="ArgumentException">A committed store is not in <paramref name="storeNames"/>, or a name is invalid.</exception>
    public static MultiStore Open(IKeyValueStore db, IReadOnlyList<string> storeNames, MultiStoreOptions? options = null)
        => Open(db, ownsDb: false, storeNames, options ?? new MultiStoreOptions());

    /// <summary>As <see cref="Open(IKeyValueStore, IReadOnlyList{string}, MultiStoreOptions?)"/>, disposing the database with the store.</summary>
    public static MultiStore OpenOwning(IKeyValueStore db, IReadOnlyList<string> storeNames, MultiStoreOptions? options = null)
    {
        try
        {
            return Open(db, ownsDb: true, storeNames, options ?? new MultiStoreOptions());
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    private static MultiStore Open(IKeyValueStore db, bool ownsDb, IReadOnlyList<string> storeNames, MultiStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(storeNames);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.NodeCacheSize);
        ArgumentOutOfRangeException.ThrowIfNegative(options.PinnedHeight);
        ArgumentNullException.ThrowIfNull(options.Pruning);
        if (options.Pruning.KeepRecent < 0 || options.Pruning.KeepEvery < 0)
            throw new ArgumentException($"pruning options must not be negative (keep-recent {options.Pruning.KeepRecent}, keep-every {options.Pruning.KeepEvery})", nameof(options));
        if (options.Format == StoreFormat.Changesets)
        {
            if (options.PinnedHeight != 0)
                throw new ArgumentException($"the changeset format keeps whole trees in memory: it needs pinned height 0, not {options.PinnedHeight}", nameof(options));
            if (string.IsNullOrEmpty(options.SnapshotDirectory))
                throw new ArgumentException("the changeset format needs a snapshot directory (MultiStoreOptions.SnapshotDirectory)", nameof(options));
            if (options.SnapshotInterval < 1)
                throw new ArgumentException($"the snapshot interval must be at least 1, not {options.SnapshotInterval}", nameof(options));
            if (options.MemoryVersions < 1)
                throw new ArgumentException($"memory versions must be at least 1 (the latest), not {options.MemoryVersions}", nameof(options));
        }
        else if (!Enum.IsDefined(options.Format))
            throw new ArgumentException($"unknown store format {options.Format}", nameof(options));
        var names = storeNames.ToArray();
        if (names.Length == 0) throw new ArgumentException("a multistore needs at least one store", nameof(storeNames));
        foreach (var name in names) DePinChain.Store.StoreNames.Validate(name);
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"store '{duplicate.Key}' is listed twice", nameof(storeNames));
        Array.Sort(names, StringComparer.Ordinal);

        var store = new MultiStore(db, ownsDb, names, options);
        store.Load();
        return store;
    }

    /// <summary>The format a multistore database was created with; null when it has no (known) format marker.</summary>
    public static StoreFormat? FormatOf(IKeyValueReader db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var marker = db.Get(FormatKey);
        if (marker is null) return null;
        if (marker.AsSpan().SequenceEqual(FormatValue)) return StoreFormat.Nodes;
        if (marker.AsSpan().SequenceEqual(ChangesetFormatValue)) return StoreFormat.Changesets;
        return null;
    }

    internal static byte[] TreePrefix(string name)
    {
        var ascii = Encoding.ASCII.GetBytes(name);
        return [TreeByte, (byte)ascii.Length, .. ascii];
    }

    private static byte[] CommitInfoKey(long version)
    {
        var key = new byte[CommitInfoPrefix.Length + 8];
        CommitInfoPrefix.CopyTo(key, 0);
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(CommitInfoPrefix.Length), version);
        return key;
    }

    private CommitInfo? ReadCommitInfo(long version)
    {
        var bytes = _db.Get(CommitInfoKey(version));
        if (bytes is null) return null;
        CommitInfo info;
        try
        {
            info = CommitInfo.Decode(bytes);
        }
        catch (FormatException e)
        {
            throw new StoreCorruptedException($"the commit record of version {version} is damaged: {e.Message}", e);
        }
        if (info.Version != version)
            throw new StoreCorruptedException($"the commit record stored for version {version} says version {info.Version}");
        return info;
    }

    private static byte[] BigEndian(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    private static string Describe(byte[] key)
    {
        var shown = key.AsSpan(0, Math.Min(key.Length, 40));
        return "0x" + Convert.ToHexStringLower(shown) + (key.Length > 40 ? "…" : "");
    }

    public IReadOnlyList<string> StoreNames => _names;

    public long LastCommitVersion => Volatile.Read(ref _lastCommit)?.Version ?? 0;

    public CommitId LastCommitId
    {
        get
        {
            lock (_gate)
            {
                return _lastCommit is null ? new CommitId(0, (byte[])EmptyAppHash.Clone()) : new CommitId(_lastCommit.Version, _lastCommit.Hash());
            }
        }
    }

    public long EarliestVersion
    {
        get
        {
            lock (_gate) return _versions.Count == 0 ? 0 : _versions.Min;
        }
    }

    /// <summary>Keys in the working state of all stores together.</summary>
    public long KeyCount => _trees.Values.Sum(tree => tree.Size);

    /// <summary>The store's working tree; writes go straight to the working state.</summary>
    public IKVStore GetStore(string name)
    {
        ThrowIfUnusable();
        ArgumentNullException.ThrowIfNull(name);
        return _trees.TryGetValue(name, out var tree) ? tree : throw new KeyNotFoundException($"no store named '{name}' is mounted");
    }

    /// <summary>
    /// Fills a store before the first commit from <paramref name="count"/> entries in strictly ascending key order
    /// (a genesis or snapshot state), in O(n) time without holding them in memory: see <see cref="IavlTree.Import"/>
    /// (the entries are enumerated twice). The next <see cref="Commit"/> makes the imported state version 1 and
    /// writes its root in that commit's synced batch (with write-behind: once that write finishes, which
    /// <see cref="Flush"/> waits for); until then the import is not durable, and a crash leaves tree data without a
    /// commit record, which opening refuses (start again on an empty database).
    /// </summary>
    /// <exception cref="InvalidOperationException">Something was committed already, or the store has changes.</exception>
    public void Import(string storeName, IEnumerable<KeyValuePair<byte[], byte[]>> sortedEntries, long count)
    {
        ThrowIfUnusable();
        if (_lastCommit is not null)
            throw new InvalidOperationException($"stores can import only before the first commit (the latest version is {_lastCommit.Version})");
        if (GetStore(storeName) is not IavlTree tree)
            throw new InvalidOperationException($"store '{storeName}' cannot import");
        tree.Import(sortedEntries, count);
    }

    public ICacheMultiStore Branch()
    {
        ThrowIfUnusable();
        return new CacheMultiStore(this);
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failure is not null) throw new StoreCorruptedException($"the multistore is unusable after a failed commit ({_failure}); reopen it");
    }

    public void Dispose()
    {
        if (_disposed) return;
        try
        {
            if (_failure is null) FinishPendingWrite();
        }
        catch (StoreCorruptedException)
        {
            // Logged by FinishPendingWrite; the database keeps the versions written before.
        }
        StopSnapshot();
        _disposed = true;
        foreach (var tree in _trees.Values) (tree as IDisposable)?.Dispose();
        if (_ownsDb) _db.Dispose();
    }
}
