using System.Collections.Immutable;

namespace DePinChain.Store.Backend;

/// <summary>
/// The in-memory twin of the LevelDB backend, for tests. Immutable sorted maps make snapshots free and keep
/// readers consistent while a writer commits.
/// </summary>
public sealed class MemoryKeyValueStore : IKeyValueStore
{
    private ImmutableSortedDictionary<byte[], byte[]> _data = ImmutableSortedDictionary.Create<byte[], byte[]>(ByteArrayComparer.Instance);
    private readonly Lock _writeLock = new();
    private volatile bool _disposed;

    public int Count => _data.Count;

    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        return _data.TryGetValue(key.ToArray(), out var value) ? value : null;
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(byte[]? start, byte[]? end, bool reverse = false)
    {
        ThrowIfDisposed();
        return IterateMap(_data, start, end, reverse);
    }

    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        ThrowIfDisposed();
        var k = key.ToArray();
        var v = value.ToArray();
        lock (_writeLock) _data = _data.SetItem(k, v);
    }

    public void Delete(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        var k = key.ToArray();
        lock (_writeLock) _data = _data.Remove(k);
    }

    public IKeyValueSnapshot GetSnapshot()
    {
        ThrowIfDisposed();
        return new Snapshot(this, _data);
    }

    public IWriteBatch CreateBatch()
    {
        ThrowIfDisposed();
        return new Batch();
    }

    public void Write(IWriteBatch batch, bool sync)
    {
        ThrowIfDisposed();
        if (batch is not Batch ours) throw new ArgumentException("The batch was not created by this store.", nameof(batch));
        ours.ThrowIfDisposed();
        lock (_writeLock)
        {
            var builder = _data.ToBuilder();
            foreach (var (key, value) in ours.Operations)
            {
                if (value is null) builder.Remove(key);
                else builder[key] = value;
            }
            _data = builder.ToImmutable();
        }
    }

    public void Dispose() => _disposed = true;

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private static IEnumerable<KeyValuePair<byte[], byte[]>> IterateMap(ImmutableSortedDictionary<byte[], byte[]> map, byte[]? start, byte[]? end, bool reverse)
    {
        var cmp = ByteArrayComparer.Instance;
        IEnumerable<KeyValuePair<byte[], byte[]>> items = map;
        if (reverse) items = items.Reverse();
        foreach (var item in items)
        {
            var belowStart = start is not null && cmp.Compare(item.Key, start) < 0;
            var atOrPastEnd = end is not null && cmp.Compare(item.Key, end) >= 0;
            if (reverse)
            {
                if (atOrPastEnd) continue;
                if (belowStart) yield break;
            }
            else
            {
                if (belowStart) continue;
                if (atOrPastEnd) yield break;
            }
            yield return item;
        }
    }

    // Like LevelDB's: unusable once it or its store is disposed; enumerations already running finish.
    private sealed class Snapshot(MemoryKeyValueStore owner, ImmutableSortedDictionary<byte[], byte[]> data) : IKeyValueSnapshot
    {
        private volatile bool _disposed;

        public byte[]? Get(ReadOnlySpan<byte> key)
        {
            ThrowIfDisposed();
            return data.TryGetValue(key.ToArray(), out var value) ? value : null;
        }

        public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(byte[]? start, byte[]? end, bool reverse = false)
        {
            ThrowIfDisposed();
            return IterateMap(data, start, end, reverse);
        }

        public void Dispose() => _disposed = true;

        private void ThrowIfDisposed()
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            owner.ThrowIfDisposed();
        }
    }

    private sealed class Batch : IWriteBatch
    {
        // Operations in order; a null value is a delete. Order matters: put then delete of one key is a delete.
        public List<(byte[] Key, byte[]? Value)> Operations { get; } = [];

        public int Count => Operations.Count;

        private bool _disposed;

        public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        {
            ThrowIfDisposed();
            Operations.Add((key.ToArray(), value.ToArray()));
        }

        public void Delete(ReadOnlySpan<byte> key)
        {
            ThrowIfDisposed();
            Operations.Add((key.ToArray(), null));
        }

        public void Append(IWriteBatch other)
        {
            ThrowIfDisposed();
            if (other is not Batch ours) throw new ArgumentException("The batch was not created by this kind of store.", nameof(other));
            ours.ThrowIfDisposed();
            Operations.AddRange(ours.Operations);
        }

        public void Dispose() => _disposed = true;

        public void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
    }
}
