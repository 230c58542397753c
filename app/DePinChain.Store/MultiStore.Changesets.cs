using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using DePinChain.Store.Iavl;
using Microsoft.Extensions.Logging;

namespace DePinChain.Store;

/// <summary>
/// The changeset format (<see cref="StoreFormat.Changesets"/>, README.md "Persistence formats"): opening from the
/// newest snapshot plus the later changesets, and writing snapshots on a background thread.
/// </summary>
public sealed partial class MultiStore
{
    private const string SnapshotTempPrefix = "tmp-";

    // The newest snapshot recorded in the database (msnap); 0 = none: replay starts from empty trees.
    private long _snapshotVersion;

    // The version of the last snapshot started (or loaded): a failed one is retried an interval later, not every block.
    private long _snapshotStarted;

    // The snapshot being written (at most one) and how to stop it when the store closes.
    private Task? _snapshotTask;
    private CancellationTokenSource? _snapshotCancel;

    /// <summary>The version of the newest snapshot recorded (changeset format; 0 before the first).</summary>
    public long SnapshotVersion => Volatile.Read(ref _snapshotVersion);

    /// <summary>Waits until the snapshot being written (if any) is recorded, or has failed (logged; the changesets stay).</summary>
    public void WaitForSnapshot()
    {
        var task = _snapshotTask;
        if (task is null) return;
        try
        {
            task.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Logged by the task; the store keeps working from its changesets.
        }
    }

    /// <summary>Whether <paramref name="version"/> stays readable once <paramref name="latest"/> is committed.</summary>
    private bool IsKeptVersion(long version, long latest)
        => _options.Pruning.IsKept(version, latest) && (!IsChangesetFormat || version > latest - _options.MemoryVersions);

    private void LoadChangesets(long latest, CommitInfo info)
    {
        var snapshotBytes = _db.Get(SnapshotKey);
        long snapshot = 0;
        if (snapshotBytes is not null && (snapshotBytes.Length != 8 || (snapshot = BinaryPrimitives.ReadInt64BigEndian(snapshotBytes)) <= 0 || snapshot > latest))
            throw new StoreCorruptedException($"the snapshot record is malformed or past the latest version {latest}");
        var snapshotInfo = snapshot == 0 ? null
            : ReadCommitInfo(snapshot) ?? throw new StoreCorruptedException($"the commit record of snapshot version {snapshot} is missing");

        foreach (var name in _names)
        {
            var offset = ReadOffset(name, info.RootOf(name) is not null, latest);
            var snapshotRoot = snapshotInfo?.RootOf(name);
            if (snapshotRoot is null)
            {
                _trees[name] = IavlTree.OpenInMemory(_db, TreePrefix(name), 0, null, TreeOptions);
                continue;
            }
            var root = TreeSnapshot.Read(SnapshotFile(snapshot, name), snapshot - offset);
            var hash = root is null ? NodeHasher.EmptyTreeHash : root.Hash.ToArray();
            if (!hash.AsSpan().SequenceEqual(snapshotRoot))
                throw new StoreCorruptedException($"the snapshot of store '{name}' at version {snapshot} has root {Convert.ToHexStringLower(hash)} but the commit record says {Convert.ToHexStringLower(snapshotRoot)}");
            _trees[name] = IavlTree.OpenInMemory(_db, TreePrefix(name), snapshot - offset, root, TreeOptions);
        }

        // Replay version by version; each root must match its commit record. Versions that will not be kept are
        // forgotten as soon as the next one is sealed, so replay holds at most two versions of nodes it will drop.
        using var unused = _db.CreateBatch();
        for (var version = snapshot + 1; version <= latest; version++)
        {
            var versionInfo = version == latest ? info
                : ReadCommitInfo(version) ?? throw new StoreCorruptedException($"the commit record of version {version} is missing: the changesets after snapshot {snapshot} cannot be verified");
            foreach (var store in versionInfo.Stores)
            {
                var tree = (IavlTree)_trees[store.Name];
                var treeVersion = version - _offsets[store.Name];
                if (treeVersion != tree.Version + 1)
                    throw new StoreCorruptedException($"store '{store.Name}' is at tree version {tree.Version} when version {version} (tree version {treeVersion}) is replayed");
                var what = $"the changeset of store '{store.Name}' at version {version}";
                var record = _db.Get(new TreeKeys(TreePrefix(store.Name)).Changeset(treeVersion)) ?? throw new StoreCorruptedException($"{what} is missing");
                var hash = tree.ReplayVersion(record, what);
                if (!hash.AsSpan().SequenceEqual(store.RootHash))
                    throw new StoreCorruptedException($"{what} gives root {Convert.ToHexStringLower(hash)} but the commit record says {Convert.ToHexStringLower(store.RootHash)}");
                if (!IsKeptVersion(version - 1, latest) && tree.VersionExists(treeVersion - 1)) tree.DeleteVersion(treeVersion - 1, unused);
            }
        }
        foreach (var (name, tree) in _trees)
        {
            var expected = info.RootOf(name) is null ? 0 : latest - _offsets[name];
            if (tree.Version != expected)
                throw new StoreCorruptedException($"store '{name}' ended its replay at tree version {tree.Version}, expected {expected}");
        }

        for (var version = Math.Max(snapshot, 1); version <= latest; version++)
            if (IsKeptVersion(version, latest)) _versions.Add(version);
        _lastCommit = info;
        _durableVersion = latest;
        _snapshotVersion = _snapshotStarted = snapshot;
        RemoveSnapshotsExcept(snapshot);
        _logger.LogInformation("Opened multistore (changesets) at version {Version}, app hash {AppHash}: snapshot {Snapshot} and {Replayed} changesets, earliest version {Earliest}",
            latest, Convert.ToHexString(info.Hash()), snapshot, latest - snapshot, _versions.Min);
    }

    /// <summary>
    /// After the commit of <paramref name="info"/>: once <see cref="MultiStoreOptions.SnapshotInterval"/> versions have
    /// passed since the last snapshot started, starts writing one of this version on a background thread after its own write
    /// (<paramref name="written"/>) is done. Only the roots are handed over: the versions' nodes never change. Counting
    /// from the last snapshot rather than at multiples of the interval means a snapshot skipped (one still running) or
    /// missed across a restart is taken at the next commit, so replay stays bounded by about the interval.
    /// </summary>
    private void MaybeStartSnapshot(CommitInfo info, Task? written)
    {
        var version = info.Version;
        if (!IsChangesetFormat || version - _snapshotStarted < _options.SnapshotInterval) return;
        if (_snapshotTask is { IsCompleted: false }) return; // the next commit tries again
        _snapshotStarted = version;
        var roots = SnapshotRoots(info);
        var cancel = _snapshotCancel ??= new CancellationTokenSource();
        _snapshotTask = Task.Factory.StartNew(() =>
        {
            try
            {
                written?.GetAwaiter().GetResult();
                WriteSnapshotFiles(version, roots, cancel.Token);
                RecordSnapshot(version, roots);
            }
            catch (OperationCanceledException)
            {
                _logger.LogInformation("The snapshot of version {Version} was abandoned: the store is closing", version);
                throw;
            }
            catch (Exception e)
            {
                _logger.LogError(e, "The snapshot of version {Version} failed; the changesets since snapshot {Snapshot} stay", version, SnapshotVersion);
                throw;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private (string Name, long TreeVersion, Node? Root)[] SnapshotRoots(CommitInfo info)
    {
        var roots = new (string, long, Node?)[info.Stores.Count];
        for (var i = 0; i < roots.Length; i++)
        {
            var name = info.Stores[i].Name;
            var treeVersion = info.Version - _offsets[name];
            roots[i] = (name, treeVersion, IavlTree.RootOf(_trees[name].GetImmutable(treeVersion)));
        }
        return roots;
    }

    /// <summary>
    /// Writes every store's file into a temporary directory, syncs the files and the directory, and renames it to
    /// the version's directory (synced too): a snapshot directory is complete or absent. The database records it
    /// afterwards (<see cref="RecordSnapshot"/>, or the commit batch of an imported version).
    /// </summary>
    private void WriteSnapshotFiles(long version, (string Name, long TreeVersion, Node? Root)[] roots, CancellationToken cancel)
    {
        var directory = _options.SnapshotDirectory!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, SnapshotTempPrefix + version.ToString(CultureInfo.InvariantCulture));
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            foreach (var (name, treeVersion, root) in roots) TreeSnapshot.Write(Path.Combine(temp, name), root, treeVersion, cancel);
        }
        catch (OperationCanceledException)
        {
            Directory.Delete(temp, recursive: true);
            throw;
        }
        SyncDirectory(temp);
        var final = SnapshotPath(version);
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true); // written before a crash, never recorded
        Directory.Move(temp, final);
        SyncDirectory(directory);
        _logger.LogInformation("Wrote the snapshot of version {Version} in {Ms} ms", version, (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>
    /// Records a complete snapshot in the database and, in the same synced batch, deletes what recovery no longer
    /// needs: the changesets it covers and the commit records below it that no kept version uses. Then removes the
    /// older snapshot directories.
    /// </summary>
    private void RecordSnapshot(long version, (string Name, long TreeVersion, Node? Root)[] roots)
    {
        long earliest;
        lock (_gate) earliest = _versions.Count == 0 ? version : _versions.Min;
        using (var batch = _db.CreateBatch())
        {
            batch.Put(SnapshotKey, BigEndian(version));
            foreach (var (name, treeVersion, _) in roots)
            {
                var (start, end) = new TreeKeys(TreePrefix(name)).ChangesetsUpTo(treeVersion);
                foreach (var (key, _) in _db.Iterate(start, end)) batch.Delete(key);
            }
            foreach (var (key, _) in _db.Iterate(CommitInfoPrefix, CommitInfoKey(Math.Min(version, earliest)))) batch.Delete(key);
            _db.Write(batch, sync: true);
        }
        Volatile.Write(ref _snapshotVersion, version);
        RemoveSnapshotsExcept(version);
    }

    /// <summary>Removes every snapshot directory (complete or temporary) but the recorded one's.</summary>
    private void RemoveSnapshotsExcept(long kept)
    {
        var directory = _options.SnapshotDirectory!;
        if (!Directory.Exists(directory)) return;
        var keptPath = kept == 0 ? null : SnapshotPath(kept);
        foreach (var path in Directory.GetDirectories(directory))
        {
            if (path == keptPath) continue;
            var name = Path.GetFileName(path);
            if (!name.StartsWith(SnapshotTempPrefix, StringComparison.Ordinal) && !long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out _)) continue;
            Directory.Delete(path, recursive: true);
        }
    }

    private string SnapshotPath(long version) => Path.Combine(_options.SnapshotDirectory!, version.ToString("D20", CultureInfo.InvariantCulture));

    private string SnapshotFile(long version, string store) => Path.Combine(SnapshotPath(version), store);

    /// <summary>Stops a snapshot in progress (its temporary directory is removed) and waits for it.</summary>
    private void StopSnapshot()
    {
        _snapshotCancel?.Cancel();
        WaitForSnapshot();
        _snapshotCancel?.Dispose();
        _snapshotCancel = null;
    }

    /// <summary>fsync of a directory, so a rename or the files created in it survive a power loss (POSIX; a no-op elsewhere).</summary>
    private static void SyncDirectory(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        var fd = PosixFiles.Open(path, 0 /* O_RDONLY */);
        if (fd < 0) throw new IOException($"cannot open directory {path} to sync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (PosixFiles.Fsync(fd) != 0) throw new IOException($"cannot sync directory {path} (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = PosixFiles.Close(fd);
        }
    }
}

internal static partial class PosixFiles
{
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    internal static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);
}
