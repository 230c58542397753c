using DePinChain.Store.Backend;

namespace DePinChain.Store.Cache;

/// <summary>
/// A branch of one store: writes and deletes stay here until <see cref="Write"/> applies them to the parent,
/// in ascending key order so the parent sees the same sequence on every node. Reads and iteration see the
/// parent overlaid with the pending changes. Not thread-safe: a branch belongs to one block or one tx.
/// </summary>
public sealed class CacheKVStore : IKVStore
{
    private readonly IKVStore _parent;

    // Pending changes; a null value is a delete. The sorted set holds the same keys, for ordered iteration
    // and the ordered flush.
    private readonly Dictionary<byte[], byte[]?> _pending = new(KeyComparer.Instance);
    private readonly Dictionary<byte[], byte[]?>.AlternateLookup<ReadOnlySpan<byte>> _pendingBySpan;
    private readonly SortedSet<byte[]> _sortedKeys = new(ByteArrayComparer.Instance);

    public CacheKVStore(IKVStore parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        _parent = parent;
        _pendingBySpan = _pending.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    /// <summary>Number of keys written or deleted since the last <see cref="Write"/>.</summary>
    public int PendingCount => _pending.Count;

    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        StoreKeys.ValidateKey(key);
        return _pendingBySpan.TryGetValue(key, out var value) ? value : _parent.Get(key);
    }

    public bool Has(ReadOnlySpan<byte> key)
    {
        StoreKeys.ValidateKey(key);
        return _pendingBySpan.TryGetValue(key, out var value) ? value is not null : _parent.Has(key);
    }

    public void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        StoreKeys.ValidateKey(key);
        StoreKeys.ValidateValue(value);
        Stage(key, value.ToArray());
    }

    public void Delete(ReadOnlySpan<byte> key)
    {
        StoreKeys.ValidateKey(key);
        Stage(key, null);
    }

    private void Stage(ReadOnlySpan<byte> key, byte[]? value)
    {
        if (_pendingBySpan.TryGetValue(key, out var existingKey, out _))
        {
            _pending[existingKey] = value;
            return;
        }
        var k = key.ToArray();
        _pending[k] = value;
        _sortedKeys.Add(k);
    }

    /// <summary>Applies the pending changes to the parent in ascending key order and empties this branch.</summary>
    public void Write()
    {
        foreach (var key in _sortedKeys)
        {
            var value = _pending[key];
            if (value is null) _parent.Delete(key);
            else _parent.Set(key, value);
        }
        Discard();
    }

    /// <summary>Forgets every pending change.</summary>
    public void Discard()
    {
        _pending.Clear();
        _sortedKeys.Clear();
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(byte[]? start, byte[]? end, bool reverse = false)
    {
        if (start is not null && end is not null && ByteArrayComparer.Instance.Compare(start, end) >= 0) return [];
        return Merge(start, end, reverse);
    }

    private IEnumerable<KeyValuePair<byte[], byte[]>> Merge(byte[]? start, byte[]? end, bool reverse)
    {
        // The pending entries in range are copied when enumeration starts, so a write during enumeration
        // cannot break the enumerator (the contract still says not to do it).
        var cached = PendingInRange(start, end, reverse);
        var cmp = ByteArrayComparer.Instance;
        using var parent = _parent.Iterate(start, end, reverse).GetEnumerator();
        var hasParent = parent.MoveNext();
        var i = 0;
        while (hasParent || i < cached.Count)
        {
            int order;
            if (!hasParent) order = 1;
            else if (i >= cached.Count) order = -1;
            else
            {
                order = cmp.Compare(parent.Current.Key, cached[i].Key);
                if (reverse) order = -order;
            }

            if (order < 0)
            {
                yield return parent.Current;
                hasParent = parent.MoveNext();
                continue;
            }
            if (order == 0) hasParent = parent.MoveNext(); // the pending change shadows the parent's entry
            var (key, value) = cached[i++];
            if (value is not null) yield return new KeyValuePair<byte[], byte[]>(key, value);
        }
    }

    private List<(byte[] Key, byte[]? Value)> PendingInRange(byte[]? start, byte[]? end, bool reverse)
    {
        var result = new List<(byte[], byte[]?)>();
        if (_sortedKeys.Count == 0) return result;
        var cmp = ByteArrayComparer.Instance;
        var lower = start ?? _sortedKeys.Min!;
        var upper = end ?? _sortedKeys.Max!;
        if (cmp.Compare(lower, upper) > 0) return result;
        var view = _sortedKeys.GetViewBetween(lower, upper);
        foreach (var key in reverse ? view.Reverse() : view)
        {
            if (end is not null && cmp.Compare(key, end) >= 0) continue; // end is exclusive
            result.Add((key, _pending[key]));
        }
        return result;
    }
}
