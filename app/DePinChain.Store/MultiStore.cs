using System.Buffers.Binary;
using System.Text;
using DePinChain.Protos.Ics23;
using DePinChain.Store.Cache;
using DePinChain.Store.Iavl;
using Google.Protobuf;
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
/// </summary>
public sealed class MultiStore : ICommitMultiStore
{
    private static readonly byte[] FormatKey = "mformat"u8.ToArray();
    private static readonly byte[] FormatValue = "depinchain-multistore-v1"u8.ToArray();
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

    private void Load()
    {
        var format = _db.Get(FormatKey);
        if (format is null)
        {
            if (_db.Iterate(null, null).Any())
                throw new StoreCorruptedException($"the database is not a DePinChain multistore: it has keys but no format marker (first key {Describe(_db.Iterate(null, null).First().Key)})");
            if (!_options.CreateIfEmpty)
                throw new StoreCorruptedException("the database is empty and creating a new store was not requested (MultiStoreOptions.CreateIfEmpty); refusing to start from an empty state");
            var batch = _db.CreateBatch();
            using (batch)
            {
                batch.Put(FormatKey, FormatValue);
                _db.Write(batch, sync: true);
            }
            _logger.LogInformation("Created an empty multistore with stores {Stores}", string.Join(",", _names));
        }
        else if (!format.AsSpan().SequenceEqual(FormatValue))
        {
            throw new StoreCorruptedException($"the database has format marker '{Encoding.ASCII.GetString(format)}'; expected '{Encoding.ASCII.GetString(FormatValue)}'");
        }

        CheckNoForeignKeys();

        var latestBytes = _db.Get(LatestKey);
        if (latestBytes is null)
        {
            var strayRecord = _db.IteratePrefix(CommitInfoPrefix).FirstOrDefault();
            if (strayRecord.Key is not null)
                throw new StoreCorruptedException($"the database has commit records but no latest-version record (first record {Describe(strayRecord.Key)})");
            var strayNode = _db.IteratePrefix([TreeByte]).FirstOrDefault();
            if (strayNode.Key is not null)
                throw new StoreCorruptedException($"the database has tree data but no commit record (first key {Describe(strayNode.Key)})");
            foreach (var name in _names)
            {
                _trees[name] = OpenTree(name, 0);
                _offsets[name] = 0;
            }
            return;
        }

        if (latestBytes.Length != 8)
            throw new StoreCorruptedException($"the latest-version record is {latestBytes.Length} bytes; expected 8");
        var latest = BinaryPrimitives.ReadInt64BigEndian(latestBytes);
        if (latest <= 0) throw new StoreCorruptedException($"the latest-version record says {latest}; expected a positive version");
        var info = ReadCommitInfo(latest) ?? throw new StoreCorruptedException($"the commit record of the latest version {latest} is missing");

        var missing = info.Stores.Select(s => s.Name).Where(n => Array.BinarySearch(_names, n, StringComparer.Ordinal) < 0).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"the committed state has store(s) {string.Join(", ", missing)} that are not mounted; removing a store needs a migration");

        foreach (var name in _names)
        {
            var committedRoot = info.RootOf(name);
            var offsetBytes = _db.Get([.. OffsetPrefix, .. Encoding.ASCII.GetBytes(name)]);
            long offset;
            if (committedRoot is null)
            {
                offset = latest;
                _unrecordedOffsets.Add(name);
                _logger.LogInformation("Store {Store} is new: it starts empty at version {Version}", name, latest + 1);
            }
            else if (offsetBytes is null) offset = 0;
            else if (offsetBytes.Length != 8 || (offset = BinaryPrimitives.ReadInt64BigEndian(offsetBytes)) < 0 || offset >= latest)
                throw new StoreCorruptedException($"store '{name}' has a malformed version offset record");
            _offsets[name] = offset;
            IVersionedTree tree;
            try
            {
                tree = OpenTree(name, committedRoot is null ? 0 : latest - offset);
            }
            catch (Exception e) when (e is not StoreCorruptedException)
            {
                throw new StoreCorruptedException($"store '{name}' cannot be loaded at version {latest}: {e.Message}", e);
            }
            if (committedRoot is not null && !tree.WorkingHash().AsSpan().SequenceEqual(committedRoot))
                throw new StoreCorruptedException($"store '{name}' at version {latest} has root {Convert.ToHexStringLower(tree.WorkingHash())} but the commit record says {Convert.ToHexStringLower(committedRoot)}");
            _trees[name] = tree;
        }

        foreach (var (key, _) in _db.IteratePrefix(CommitInfoPrefix))
        {
            if (key.Length != CommitInfoPrefix.Length + 8)
                throw new StoreCorruptedException($"malformed commit record key {Describe(key)}");
            _versions.Add(BinaryPrimitives.ReadInt64BigEndian(key.AsSpan(CommitInfoPrefix.Length)));
        }
        if (_versions.Max != latest)
            throw new StoreCorruptedException($"the latest-version record says {latest} but a commit record exists for version {_versions.Max}");
        _lastCommit = info;
        _durableVersion = latest;
        _logger.LogInformation("Opened multistore at version {Version}, app hash {AppHash}, earliest version {Earliest}",
            latest, Convert.ToHexString(info.Hash()), _versions.Min);
    }

    private void CheckNoForeignKeys()
    {
        // Our keys start with 'm' or 't'; look for anything below, between or above those ranges.
        (byte[]? Start, byte[]? End)[] gaps = [(null, [MetaByte]), ([MetaByte + 1], [TreeByte]), ([TreeByte + 1], null)];
        foreach (var (start, end) in gaps)
        {
            var foreign = _db.Iterate(start, end).FirstOrDefault();
            if (foreign.Key is not null)
                throw new StoreCorruptedException($"the database holds a key that is not the multistore's: {Describe(foreign.Key)}");
        }
    }

    private IVersionedTree OpenTree(string name, long version)
        => IavlTree.Open(_db, TreePrefix(name), version, new IavlTreeOptions(_options.NodeCacheSize) { PinnedHeight = _options.PinnedHeight });

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

    private static string Describe(byte[] key)
    {
        var shown = key.AsSpan(0, Math.Min(key.Length, 40));
        return "0x" + Convert.ToHexStringLower(shown) + (key.Length > 40 ? "…" : "");
    }

    public IReadOnlyList<string> StoreNames => _names;

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

    /// <summary>The store's working tree; writes go straight to the working state.</summary>
    /// <summary>Keys in the working state of all stores together.</summary>
    public long KeyCount => _trees.Values.Sum(tree => tree.Size);

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

    public byte[] WorkingHash()
    {
        ThrowIfUnusable();
        long next;
        lock (_gate) next = (_lastCommit?.Version ?? 0) + 1;
        // Each tree hashes its own new nodes; the trees are independent objects, so they hash on all cores at once.
        var trees = _trees.ToArray();
        var roots = new StoreInfo[trees.Length];
        ParallelStores.For(trees.Length, i => roots[i] = new StoreInfo(trees[i].Key, trees[i].Value.WorkingHash()));
        return new CommitInfo(next, roots).Hash();
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] // once per block
    public CommitId Commit()
    {
        ThrowIfUnusable();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var previousWrite = FinishPendingWrite();
        var waited = System.Diagnostics.Stopwatch.GetTimestamp();
        // Only this (the owner's) thread changes _lastCommit and _versions, so it reads them without the gate;
        // the gate is taken just to publish changes, so queries and views on other threads never wait for the
        // trees or the synced write.
        var version = (_lastCommit?.Version ?? 0) + 1;
        var trees = _trees.ToArray();
        var sealedVersions = new ISealedVersion[trees.Length];
        var roots = new StoreInfo[trees.Length];
        CommitInfo info;
        List<(long Version, CommitInfo? Info)> doomed;
        try
        {
            doomed = UnpublishPrunedVersions(version);
            // Each tree seals its new version in memory (hashes, node keys), all trees at once (independent objects).
            ParallelStores.For(trees.Length, i =>
            {
                var (name, tree) = trees[i];
                sealedVersions[i] = tree.SealVersion();
                roots[i] = new StoreInfo(name, (byte[])sealedVersions[i].RootHash.Clone());
                if (tree.Version + _offsets[name] != version)
                    throw new InvalidOperationException($"store '{name}' saved tree version {tree.Version} (offset {_offsets[name]}) while the multistore commits version {version}");
            });
            info = new CommitInfo(version, [.. roots]);
        }
        catch (Exception e)
        {
            Fail(version, e);
            throw;
        }
        var offsets = _unrecordedOffsets.Select(name => (name, _offsets[name])).ToArray();
        _unrecordedOffsets.Clear();
        var sealedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        var waitedFor = System.Diagnostics.Stopwatch.GetElapsedTime(started, waited);
        var sealing = System.Diagnostics.Stopwatch.GetElapsedTime(waited, sealedAt);

        if (_options.WriteBehind)
        {
            // The version is whole in memory: publish it now, and write it while the caller goes on (the next
            // commit waits for this write before it seals anything).
            Publish(info);
            _pendingWrite = Task.Factory.StartNew(() => Persist(version, trees, sealedVersions, doomed, offsets, info),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            LastCommitTimings = new CommitTimings(waitedFor, sealing, previousWrite.Stage, previousWrite.Write, WriteBehind: true);
        }
        else
        {
            (TimeSpan Stage, TimeSpan Write) written;
            try
            {
                written = Persist(version, trees, sealedVersions, doomed, offsets, info);
            }
            catch (Exception e)
            {
                Fail(version, e);
                throw;
            }
            Publish(info);
            LastCommitTimings = new CommitTimings(waitedFor, sealing, written.Stage, written.Write, WriteBehind: false);
        }
        return new CommitId(version, info.Hash());
    }

    /// <summary>
    /// Stages every tree's sealed version and the pruning of the versions that fell out of the window (each tree
    /// into a batch of its own, all trees at once), appends those batches in store order to the commit's one
    /// batch with the commit record, and writes it synced.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] // once per block
    private (TimeSpan Stage, TimeSpan Write) Persist(long version, KeyValuePair<string, IVersionedTree>[] trees, ISealedVersion[] sealedVersions,
        List<(long Version, CommitInfo? Info)> doomed, (string Name, long Offset)[] offsets, CommitInfo info)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var treeBatches = new IWriteBatch?[trees.Length];
        using var batch = _db.CreateBatch();
        try
        {
            ParallelStores.For(trees.Length, i =>
            {
                var (name, tree) = trees[i];
                var treeBatch = treeBatches[i] = _db.CreateBatch();
                sealedVersions[i].Stage(treeBatch);
                foreach (var (pruned, prunedInfo) in doomed)
                    if (prunedInfo?.Stores.Any(s => s.Name == name) == true) tree.DeleteVersion(pruned - _offsets[name], treeBatch);
            });
            foreach (var treeBatch in treeBatches) batch.Append(treeBatch!);
        }
        finally
        {
            foreach (var treeBatch in treeBatches) treeBatch?.Dispose();
        }
        foreach (var (pruned, _) in doomed) batch.Delete(CommitInfoKey(pruned));
        foreach (var (name, offset) in offsets) batch.Put([.. OffsetPrefix, .. Encoding.ASCII.GetBytes(name)], BigEndian(offset));
        batch.Put(CommitInfoKey(version), info.Encode());
        batch.Put(LatestKey, BigEndian(version));
        var staged = System.Diagnostics.Stopwatch.GetTimestamp();
        _db.Write(batch, sync: true);
        Volatile.Write(ref _durableVersion, version);
        return (System.Diagnostics.Stopwatch.GetElapsedTime(started, staged), System.Diagnostics.Stopwatch.GetElapsedTime(staged));
    }

    private void Publish(CommitInfo info)
    {
        lock (_gate)
        {
            _versions.Add(info.Version);
            _lastCommit = info;
        }
    }

    private void Fail(long version, Exception e)
    {
        // The trees believe their version was sealed or written; nothing here can be trusted any more.
        _failure = $"commit of version {version} failed: {e.Message}";
        _logger.LogCritical(e, "Commit of version {Version} failed; the multistore must be reopened", version);
    }

    // The write of the last commit when WriteBehind is on, until the next commit (or Flush) has waited for it.
    private Task<(TimeSpan Stage, TimeSpan Write)>? _pendingWrite;
    private long _durableVersion;

    /// <summary>The newest version whose synced write has completed (the one a crash now would reopen at).</summary>
    public long DurableVersion => Volatile.Read(ref _durableVersion);

    /// <summary>Waits until every commit is written (with <see cref="MultiStoreOptions.WriteBehind"/>; otherwise Commit already did).</summary>
    /// <exception cref="StoreCorruptedException">The write of the last commit failed: the store must be reopened.</exception>
    public void Flush()
    {
        ThrowIfUnusable();
        FinishPendingWrite();
    }

    /// <returns>How long the pending write staged and wrote (zero when none was pending).</returns>
    private (TimeSpan Stage, TimeSpan Write) FinishPendingWrite()
    {
        var pending = _pendingWrite;
        if (pending is null) return default;
        _pendingWrite = null;
        try
        {
            return pending.GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            var version = _lastCommit?.Version ?? 0;
            Fail(version, e);
            throw new StoreCorruptedException($"the write of version {version} failed: {e.Message}; reopen the store (it is at version {DurableVersion})", e);
        }
    }

    public CommitTimings LastCommitTimings { get; private set; }

    /// <summary>
    /// The versions that fall out of the pruning window when <paramref name="latest"/> commits, with their commit
    /// records (which stores they had), ascending. They are unpublished first, so no new view or query starts on a
    /// version whose nodes are about to go.
    /// </summary>
    private List<(long Version, CommitInfo? Info)> UnpublishPrunedVersions(long latest)
    {
        if (_options.Pruning.KeepsAll) return [];
        var doomed = _versions.Where(v => !_options.Pruning.IsKept(v, latest)).ToList();
        if (doomed.Count == 0) return [];
        var infos = doomed.Select(v => (v, ReadCommitInfo(v))).ToList();
        lock (_gate)
            foreach (var v in doomed) _versions.Remove(v);
        _logger.LogDebug("Pruning versions {Versions}", string.Join(",", doomed));
        return infos;
    }

    /// <exception cref="VersionNotFoundException">Not committed, or pruned.</exception>
    public IMultiStore ViewAt(long version)
    {
        ThrowIfUnusable();
        lock (_gate)
        {
            var info = CommitAt(version);
            var views = new SortedDictionary<string, IReadOnlyTree>(StringComparer.Ordinal);
            foreach (var store in info.Stores) views[store.Name] = _trees[store.Name].GetImmutable(version - _offsets[store.Name]);
            return new ReadOnlyMultiStore(info.Version, views);
        }
    }

    public StoreQueryResult Query(string storeName, ReadOnlySpan<byte> key, long version, bool prove)
    {
        ThrowIfUnusable();
        ArgumentNullException.ThrowIfNull(storeName);
        StoreKeys.ValidateKey(key);
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        CommitInfo info;
        IReadOnlyTree tree;
        lock (_gate)
        {
            if (version == 0)
            {
                if (_lastCommit is null) throw new VersionNotFoundException(0, "nothing has been committed yet");
                version = _lastCommit.Version;
            }
            info = CommitAt(version);
            if (info.RootOf(storeName) is null)
                throw new KeyNotFoundException($"no store named '{storeName}' at version {version}");
            tree = _trees[storeName].GetImmutable(version - _offsets[storeName]);
        }
        if (!prove) return new StoreQueryResult(version, key.ToArray(), tree.Get(key), []);
        // One walk: an existence proof carries the value, a non-existence proof means there is none. A present key's
        // proof is written straight to bytes; an absent key's goes through the message objects.
        byte[]? value;
        byte[] proofBytes;
        if (tree is ImmutableTree immutable && immutable.ExistenceProofBytes(key, out var present) is { } direct)
        {
            proofBytes = direct;
            value = present;
        }
        else
        {
            var treeProof = tree.GetProof(key);
            value = treeProof.ProofCase == CommitmentProof.ProofOneofCase.Exist ? treeProof.Exist.Value.ToByteArray() : null;
            proofBytes = treeProof.ToByteArray();
        }
        ProofOp[] ops =
        [
            new(ProofOpTypes.Iavl, key.ToArray(), proofBytes),
            new(ProofOpTypes.Simple, Encoding.ASCII.GetBytes(storeName), (byte[])info.ProveStoreBytes(storeName).Clone()),
        ];
        return new StoreQueryResult(version, key.ToArray(), value, ops);
    }

    /// <summary>The commit record of a readable version.</summary>
    public CommitInfo GetCommitInfo(long version)
    {
        lock (_gate) return CommitAt(version);
    }

    private CommitInfo CommitAt(long version)
    {
        if (version <= 0 || _lastCommit is null || version > _lastCommit.Version)
            throw new VersionNotFoundException(version, _lastCommit is null ? "nothing has been committed yet" : $"the latest version is {_lastCommit.Version}");
        if (!_versions.Contains(version))
            throw new VersionNotFoundException(version, $"it was pruned (earliest kept version is {_versions.Min})");
        return version == _lastCommit.Version ? _lastCommit : ReadCommitInfo(version)
            ?? throw new StoreCorruptedException($"the commit record of version {version} is missing");
    }

    private static byte[] BigEndian(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
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
        _disposed = true;
        foreach (var tree in _trees.Values) (tree as IDisposable)?.Dispose();
        if (_ownsDb) _db.Dispose();
    }

    /// <summary>A committed version of every store; writes throw.</summary>
    private sealed class ReadOnlyMultiStore(long version, SortedDictionary<string, IReadOnlyTree> trees) : IMultiStore
    {
        private readonly string[] _names = [.. trees.Keys];

        public IReadOnlyList<string> StoreNames => _names;

        public IKVStore GetStore(string name)
        {
            ArgumentNullException.ThrowIfNull(name);
            return trees.TryGetValue(name, out var tree) ? new ReadOnlyStore(version, name, tree) : throw new KeyNotFoundException($"no store named '{name}' at version {version}");
        }

        /// <summary>A scratch branch over the view (for simulation); writing it back throws.</summary>
        public ICacheMultiStore Branch() => new CacheMultiStore(this);
    }

    private sealed class ReadOnlyStore(long version, string name, IReadOnlyTree tree) : IKVStore
    {
        public byte[]? Get(ReadOnlySpan<byte> key)
        {
            StoreKeys.ValidateKey(key);
            return tree.Get(key);
        }

        public bool Has(ReadOnlySpan<byte> key) => Get(key) is not null;

        public void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => throw ReadOnly();

        public void Delete(ReadOnlySpan<byte> key) => throw ReadOnly();

        public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(byte[]? start, byte[]? end, bool reverse = false) => tree.Iterate(start, end, reverse);

        private InvalidOperationException ReadOnly() => new($"store '{name}' at version {version} is a read-only view of committed state");
    }
}

/// <summary>The proof op types of a store query's proof chain, as ibc-go and CometBFT light clients name them.</summary>
public static class ProofOpTypes
{
    public const string Iavl = "ics23:iavl";
    public const string Simple = "ics23:simple";
}
