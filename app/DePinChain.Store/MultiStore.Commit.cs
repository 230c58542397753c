using System.Text;
using DePinChain.Store.Iavl;
using Microsoft.Extensions.Logging;

namespace DePinChain.Store;

public sealed partial class MultiStore
{
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
        // Changeset format: a changeset cannot express an import, so the imported version is snapshotted in its commit.
        var imported = IsChangesetFormat && trees.Any(t => t.Value is IavlTree { ImportPending: true });
        (string, long, Node?)[]? importSnapshot = null;
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
            if (imported)
            {
                importSnapshot = SnapshotRoots(info);
                _snapshotStarted = version;
            }
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
            _pendingWrite = Task.Factory.StartNew(() => Persist(version, trees, sealedVersions, doomed, offsets, info, importSnapshot),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            LastCommitTimings = new CommitTimings(waitedFor, sealing, previousWrite.Stage, previousWrite.Write, WriteBehind: true, previousWrite.Records);
            MaybeStartSnapshot(info, _pendingWrite);
        }
        else
        {
            (TimeSpan Stage, TimeSpan Write, int Records) written;
            try
            {
                written = Persist(version, trees, sealedVersions, doomed, offsets, info, importSnapshot);
            }
            catch (Exception e)
            {
                Fail(version, e);
                throw;
            }
            Publish(info);
            LastCommitTimings = new CommitTimings(waitedFor, sealing, written.Stage, written.Write, WriteBehind: false, written.Records);
            MaybeStartSnapshot(info, null);
        }
        return new CommitId(version, info.Hash());
    }

    /// <summary>
    /// Stages every tree's sealed version and the pruning of the versions that fell out of the window (each tree
    /// into a batch of its own, all trees at once), appends those batches in store order to the commit's one
    /// batch with the commit record, and writes it synced.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] // once per block
    /// <param name="importSnapshot">Changeset format, an imported version: written as a snapshot before the batch, which records it.</param>
    private (TimeSpan Stage, TimeSpan Write, int Records) Persist(long version, KeyValuePair<string, IVersionedTree>[] trees, ISealedVersion[] sealedVersions,
        List<(long Version, CommitInfo? Info)> doomed, (string Name, long Offset)[] offsets, CommitInfo info, (string, long, Node?)[]? importSnapshot)
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
                StagePrunedVersions(name, tree, doomed, treeBatch);
            });
            foreach (var treeBatch in treeBatches) batch.Append(treeBatch!);
        }
        finally
        {
            foreach (var treeBatch in treeBatches) treeBatch?.Dispose();
        }
        if (!IsChangesetFormat)
            foreach (var (pruned, _) in doomed) batch.Delete(CommitInfoKey(pruned));
        if (importSnapshot is not null)
        {
            WriteSnapshotFiles(version, importSnapshot, CancellationToken.None);
            batch.Put(SnapshotKey, BigEndian(version));
        }
        foreach (var (name, offset) in offsets) batch.Put([.. OffsetPrefix, .. Encoding.ASCII.GetBytes(name)], BigEndian(offset));
        batch.Put(CommitInfoKey(version), info.Encode());
        batch.Put(LatestKey, BigEndian(version));
        var staged = System.Diagnostics.Stopwatch.GetTimestamp();
        _db.Write(batch, sync: true);
        Volatile.Write(ref _durableVersion, version);
        if (importSnapshot is not null) Volatile.Write(ref _snapshotVersion, version);
        return (System.Diagnostics.Stopwatch.GetElapsedTime(started, staged), System.Diagnostics.Stopwatch.GetElapsedTime(staged), batch.Count);
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

    /// <summary>The newest version whose synced write has completed (the one a crash now would reopen at).</summary>
    public long DurableVersion => Volatile.Read(ref _durableVersion);

    /// <summary>Waits until every commit is written (with <see cref="MultiStoreOptions.WriteBehind"/>; otherwise Commit already did).</summary>
    /// <exception cref="StoreCorruptedException">The write of the last commit failed: the store must be reopened.</exception>
    public void Flush()
    {
        ThrowIfUnusable();
        FinishPendingWrite();
    }

    /// <returns>How long the pending write staged and wrote, and its records (zero when none was pending).</returns>
    private (TimeSpan Stage, TimeSpan Write, int Records) FinishPendingWrite()
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
}
