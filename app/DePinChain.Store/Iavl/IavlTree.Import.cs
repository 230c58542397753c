using System.Runtime.CompilerServices;

namespace DePinChain.Store.Iavl;

public sealed partial class IavlTree
{
    // ---- import (genesis, state sync, benchmarks) ----

    /// <summary>
    /// Builds the working state of an empty, never saved tree from <paramref name="count"/> entries in strictly
    /// ascending key order, in O(n) time and O(log n) memory, as iavl's importer does for state sync: a balanced
    /// tree (each inner node splits its keys ⌈n/2⌉ | ⌊n/2⌋, so the AVL rule holds) whose nodes all have version 1,
    /// hashed, balanced and proven exactly like any other iavl tree. Its root hash is that of this shape, which
    /// may differ from the shape the same keys get when set one by one. The nodes and the fast index are written
    /// to the database now, in unsynced batches and in key order (nodes first, then the fast index, so LevelDB
    /// stores sequential runs instead of compacting interleaved ones); <paramref name="sortedEntries"/> is
    /// enumerated twice for that and must give the same entries both times. The next
    /// <see cref="SaveVersion"/> (version 1) writes the root record, whose synced write makes the import
    /// durable. An import interrupted before that leaves nodes without a root: start again on an empty database.
    /// An import that fails part-way may have written some of its data, so the tree then refuses further imports
    /// and saves.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tree has a saved version or unsaved changes.</exception>
    /// <exception cref="ArgumentException">Keys not strictly ascending, a key or value out of limits, a count mismatch, or a second enumeration that differs.</exception>
    public void Import(IEnumerable<KeyValuePair<byte[], byte[]>> sortedEntries, long count)
    {
        ArgumentNullException.ThrowIfNull(sortedEntries);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_versionsLock)
        {
            if (_version != 0 || _versions.Count > 0)
                throw new InvalidOperationException("only a tree without saved versions can import");
        }
        ThrowIfImportFailed();
        if (_root is not null || _changes.Count > 0 || _mutations.Count > 0 || _importPending)
            throw new InvalidOperationException("only an empty tree without unsaved changes can import");
        if (count == 0) return;
        try
        {
            ImportEntries(sortedEntries, count);
        }
        catch
        {
            _root = null;
            _importFailed = true;
            throw;
        }
        _importPending = true;
    }

    private void ThrowIfImportFailed()
    {
        if (_importFailed)
            throw new InvalidOperationException("an import into this tree failed part-way and wrote some of its data: start again on an empty database");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ImportEntries(IEnumerable<KeyValuePair<byte[], byte[]>> sortedEntries, long count)
    {
        using var importer = new Importer(this, NextVersion, count);
        using (var entries = sortedEntries.GetEnumerator())
        {
            var root = importer.Build(entries, count, out _);
            if (entries.MoveNext()) throw new ArgumentException($"the entries hold more than the {count} announced", nameof(sortedEntries));
            importer.Flush();
            _root = root;
        }
        // Changeset format: nothing is written now; the commit of the imported version writes a snapshot of it.
        if (_changesetLog) return;
        var firstPass = importer.Checksum;

        // The fast index: every key, set at the imported version.
        importer.ResetChecksum();
        var chunk = new List<KeyValuePair<byte[], byte[]?>>(ImportBatchEntries);
        long seen = 0;
        foreach (var (key, value) in sortedEntries)
        {
            importer.Mix(key, value);
            chunk.Add(new(key, value));
            seen++;
            if (chunk.Count == ImportBatchEntries)
            {
                importer.StageFast(chunk);
                chunk.Clear();
            }
        }
        importer.StageFast(chunk);
        if (seen != count || importer.Checksum != firstPass)
        {
            throw new ArgumentException("the second enumeration of the entries differs from the first; the fast index may be wrong: start again on an empty database", nameof(sortedEntries));
        }
    }

    /// <summary>Writes the nodes of an import post-order (node keys ascend with the writes) in batches of its own.</summary>
    private sealed class Importer(IavlTree tree, long version, long count) : IDisposable
    {
        private IWriteBatch? _batch;
        private uint _nonce;
        private byte[]? _previousKey;
        private long _read;
        public ulong Checksum { get; private set; } = 14695981039346656037UL;

        public void ResetChecksum() => Checksum = 14695981039346656037UL;

        /// <summary>A cheap 64-bit fingerprint of the entries, to catch a second enumeration that differs from the first.</summary>
        public void Mix(byte[] key, byte[] value)
        {
            var h = Checksum;
            foreach (var part in (ReadOnlySpan<byte[]>)[key, value])
            {
                h = (h ^ (ulong)part.Length) * 1099511628211UL;
                foreach (var b in part) h = (h ^ b) * 1099511628211UL;
            }
            Checksum = h;
        }

        /// <summary>The balanced subtree of the next <paramref name="n"/> entries; <paramref name="smallestKey"/> is its first key.</summary>
        public Node Build(IEnumerator<KeyValuePair<byte[], byte[]>> entries, long n, out byte[] smallestKey)
        {
            if (n == 1)
            {
                if (!entries.MoveNext()) throw new ArgumentException($"the entries end after {_read} of the {count} announced");
                var (key, value) = entries.Current;
                ArgumentNullException.ThrowIfNull(key);
                ArgumentNullException.ThrowIfNull(value);
                ValidateKey(key);
                if (value.Length > MaxValueLength) throw new ArgumentException($"the value of entry {_read} is {value.Length} bytes; at most {MaxValueLength} are allowed");
                if (_previousKey is not null && _previousKey.AsSpan().SequenceCompareTo(key) >= 0)
                    throw new ArgumentException($"entry {_read}: keys must be strictly ascending");
                _read++;
                Mix(key, value);
                smallestKey = (byte[])key.Clone();
                _previousKey = smallestKey;
                return Save(Node.NewLeaf(smallestKey, (byte[])value.Clone(), version));
            }
            var leftCount = (n + 1) / 2;
            var left = Build(entries, leftCount, out smallestKey);
            var right = Build(entries, n - leftCount, out var rightSmallest);
            var inner = Node.NewInner(rightSmallest, left, right, version);
            Save(inner);
            // Below the pinned height a saved node reaches its children through the cache (bounded memory).
            if (inner.Height < tree._store.PinnedHeight)
            {
                inner.Left = left.ToStub();
                inner.Right = right.ToStub();
            }
            return inner;
        }

        private Node Save(Node node)
        {
            NodeHasher.Hash(node);
            node.MarkSaved(new NodeKey(version, checked(++_nonce)));
            if (tree._changesetLog) return node;
            var keyLength = tree._keys.NodeKeyLength;
            Span<byte> dbKey = keyLength <= 256 ? stackalloc byte[keyLength] : new byte[keyLength];
            tree._keys.WriteNode(node.NodeKey, dbKey);
            _batch ??= tree._db.CreateBatch();
            using (var encoded = NodeCodec.EncodePooled(node)) _batch.Put(dbKey, encoded.Span);
            if (tree._store.ReachedThroughCache(node)) tree._store.Cache.Add(node);
            if (_batch.Count >= ImportBatchEntries) Flush();
            return node;
        }

        public void StageFast(List<KeyValuePair<byte[], byte[]?>> entries)
        {
            _batch ??= tree._db.CreateBatch();
            tree._fast.Stage(_batch, version, entries);
            Flush();
        }

        public void Flush()
        {
            if (_batch is null) return;
            if (_batch.Count > 0) tree._db.Write(_batch, sync: false);
            _batch.Dispose();
            _batch = null;
        }

        public void Dispose()
        {
            _batch?.Dispose();
            _batch = null;
        }
    }
}
