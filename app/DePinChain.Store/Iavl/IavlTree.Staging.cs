using System.Runtime.CompilerServices;

namespace DePinChain.Store.Iavl;

public sealed partial class IavlTree
{
    // ---- staging: a sealed version's records go into a write batch (possibly on another thread) ----

    /// <summary>A sealed version's records: its new nodes (numbered already), root record, orphan records and fast-index changes.</summary>
    /// <param name="mutations">Changeset format: the version's changeset, which is all it stages.</param>
    private sealed class SealedVersion(IavlTree tree, long version, long previous, byte[] hash, byte[] rootRecord, List<Node> newNodes, NodeKey[] orphans,
        Dictionary<byte[], byte[]?> changes, List<TreeMutation>? mutations)
        : ISealedVersion
    {
        private int _staged;

        public long Version => version;

        public byte[] RootHash => hash;

        public void Stage(IWriteBatch batch)
        {
            ArgumentNullException.ThrowIfNull(batch);
            if (Interlocked.Exchange(ref _staged, 1) != 0) throw new InvalidOperationException($"version {version} is staged already");
            if (mutations is not null) batch.Put(tree._keys.Changeset(version), Changeset.Encode(mutations));
            else tree.StageSealed(batch, version, previous, rootRecord, newNodes, orphans, changes);
            tree._unstaged = null;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per block: tier-0 code would run its loops
    private void StageSealed(IWriteBatch batch, long version, long previous, byte[] rootRecord, List<Node> newNodes, NodeKey[] orphans, Dictionary<byte[], byte[]?> changes)
    {
        BeginStaging(batch);
        StageNodes(newNodes, batch);
        foreach (var node in newNodes)
        {
            // Only nodes below the pinned height let go of their children once the batch is written (BeginStaging).
            if (node.Height < _store.PinnedHeight) _lastSaved.Add(node);
        }
        batch.Put(_keys.Root(version), rootRecord);

        // One orphan record per creating version: the nodes of `from` that are in versions [from, previous] only.
        Array.Sort(orphans);
        for (var start = 0; start < orphans.Length;)
        {
            var from = orphans[start].Version;
            var end = start;
            while (end < orphans.Length && orphans[end].Version == from) end++;
            var nonces = new List<uint>(end - start);
            for (var i = start; i < end; i++) nonces.Add(orphans[i].Nonce);
            batch.Put(_keys.Orphans(previous, from), EncodeNonces(nonces));
            _stagedOrphans[(previous, from)] = nonces;
            start = end;
        }

        _fast.Stage(batch, version, changes);
    }

    /// <summary>
    /// A different batch than last time means the last one has been written (the caller writes a batch before
    /// starting the next; a save and deletions may share one): what was staged into it is now in the database.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per block: tier-0 code would run its loops
    private void BeginStaging(IWriteBatch batch)
    {
        if (ReferenceEquals(batch, _stagingBatch)) return;
        foreach (var node in _lastSaved)
        {
            if (node.Height < _store.PinnedHeight && !node.IsLeaf)
            {
                node.Left = node.Left!.ToStub();
                node.Right = node.Right!.ToStub();
            }
        }
        _lastSaved.Clear();
        _stagedOrphans.Clear();
        _stagingBatch = batch;
    }

    /// <summary>Puts the records of numbered nodes into <paramref name="batch"/> in order; big saves encode on all cores into batches of their own, appended in order.</summary>
    private void StageNodes(List<Node> nodes, IWriteBatch batch)
    {
        if (nodes.Count < 2 * StageChunkNodes)
        {
            PutNodes(nodes, 0, nodes.Count, batch);
            return;
        }
        var chunks = (nodes.Count + StageChunkNodes - 1) / StageChunkNodes;
        var batches = new IWriteBatch[chunks];
        try
        {
            ParallelStores.For(chunks, i =>
            {
                batches[i] = _db.CreateBatch();
                var from = i * StageChunkNodes;
                PutNodes(nodes, from, Math.Min(nodes.Count, from + StageChunkNodes), batches[i]);
            });
            foreach (var part in batches) batch.Append(part);
        }
        finally
        {
            foreach (var part in batches) part?.Dispose();
        }
    }

    private void PutNodes(List<Node> nodes, int from, int to, IWriteBatch batch)
    {
        var keyLength = _keys.NodeKeyLength;
        Span<byte> dbKey = keyLength <= 256 ? stackalloc byte[keyLength] : new byte[keyLength];
        for (var i = from; i < to; i++)
        {
            var node = nodes[i];
            _keys.WriteNode(node.NodeKey, dbKey);
            using var encoded = NodeCodec.EncodePooled(node);
            batch.Put(dbKey, encoded.Span);
        }
    }
}
