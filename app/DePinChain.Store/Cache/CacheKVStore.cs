using DePinChain.Store.Backend;

namespace DePinChain.Store.Cache;

/// <summary>
/// A branch of one store: writes and deletes stay here until <see cref="Write"/> applies them to the parent,
/// in ascending key order so the parent sees the same sequence on every node. Reads and iteration see the
/// parent overlaid with the pending changes. Not thread-safe: a branch belongs to one block or one tx.
/// </summary>
/// <remarks>
/// Reads are cached: a value read from the parent (absence included) is remembered here as a clean entry,
/// so repeated reads of a hot key (fee collector, params, supply) stop walking down the layers into the
/// tree. Clean entries are never written back; only dirty ones (Set/Delete) are.
/// <para>
/// Contract: the parent must not change underneath a live branch, except through this branch's own
/// <see cref="Write"/>. The app keeps it: a block branch sits on the working trees nobody else writes while
/// the block runs, a tx branch on the block branch that is only touched again after the tx branch is written
/// or dropped, CheckTx on a committed view. Under that contract a clean entry equals the parent's current
/// value, so iteration ignores clean entries (they are not pending writes), and a key cached as absent
/// cannot hide a parent entry, since no such entry can appear while the branch lives.
/// </para>
/// </remarks>
public sealed class CacheKVStore : IKVStore
{
    private readonly IKVStore _parent;
    private readonly CacheKVStore? _parentBranch;

    // Key → entry. A dirty entry is a pending change (a null value is a delete); a clean entry caches the
    // parent's value (null = absent). No sorted index: dirty keys are sorted once in Write, and the dirty
    // keys in range are sorted on demand when iterating (rare on the tx path).
    private readonly Dictionary<byte[], Entry> _entries = new(ByteArrayComparer.Instance);
    private readonly Dictionary<byte[], Entry>.AlternateLookup<ReadOnlySpan<byte>> _entriesBySpan;
    private int _dirtyCount;

    // HandedOut: the value (or key) array of a dirty entry was given to a caller by Get or Iterate, so
    // Write copies it before a parent branch keeps it, exactly as a plain Set into the parent would.
    private readonly record struct Entry(byte[]? Value, bool Dirty, bool HandedOut = false);

    public CacheKVStore(IKVStore parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        _parent = parent;
        _parentBranch = parent as CacheKVStore;
        _entriesBySpan = _entries.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    /// <summary>Number of keys written or deleted since the last <see cref="Write"/>.</summary>
    public int PendingCount => _dirtyCount;

    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        StoreKeys.ValidateKey(key);
        return Lookup(key, forChildCache: false);
    }

    /// <param name="forChildCache">The caller is a child branch that keeps the array as a clean entry, which it never
    /// gives out (it hands out copies) and drops when it is written or discarded: so it may share this branch's array
    /// instead of copying it a second time.</param>
    private byte[]? Lookup(ReadOnlySpan<byte> key, bool forChildCache)
    {
        if (_entriesBySpan.TryGetValue(key, out var stored, out var entry))
        {
            if (!entry.Dirty) return forChildCache ? entry.Value : CopyOf(entry.Value);
            // A pending value is handed out as it is, as before the read cache.
            if (!forChildCache && !entry.HandedOut && entry.Value is not null) _entries[stored] = entry with { HandedOut = true };
            return entry.Value;
        }
        // The cached copy of a clean read is never given out: the caller gets its own copy, as from the
        // parent, so mutating it cannot change what later reads in this branch see.
        var value = _parentBranch is not null ? _parentBranch.Lookup(key, forChildCache: true) : _parent.Get(key);
        _entries.Add(key.ToArray(), new Entry(value, Dirty: false));
        return forChildCache ? value : CopyOf(value);
    }

    private static byte[]? CopyOf(byte[]? value) => value is null ? null : (byte[])value.Clone();

    /// <remarks>Answered through the read cache (the value is read and remembered, nothing is copied), so asking again
    /// — every tx asks whether the fee collector's account exists — stops at the nearest branch that has seen the key.</remarks>
    public bool Has(ReadOnlySpan<byte> key)
    {
        StoreKeys.ValidateKey(key);
        return Lookup(key, forChildCache: true) is not null;
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
        if (_entriesBySpan.TryGetValue(key, out var existingKey, out var existing))
        {
            if (!existing.Dirty) _dirtyCount++;
            _entries[existingKey] = new Entry(value, Dirty: true);
            return;
        }
        _entries.Add(key.ToArray(), new Entry(value, Dirty: true));
        _dirtyCount++;
    }

    /// <summary>
    /// Takes a change from a child branch's <see cref="Write"/>: the key and value arrays are the child's own
    /// copies (made by its Set) that no caller holds (the child copies those it handed out), so they are kept
    /// as they are instead of being copied again.
    /// </summary>
    private void StageOwned(byte[] key, byte[]? value)
    {
        ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(
            _entries, key, out var exists);
        if (!exists || !slot.Dirty) _dirtyCount++;
        slot = new Entry(value, Dirty: true);
    }

    /// <summary>Applies the pending changes to the parent in ascending key order and empties this branch.</summary>
    public void Write()
    {
        if (_dirtyCount > 0)
        {
            if (_parentBranch is not null) WriteToBranch(_parentBranch);
            else WriteSorted();
        }
        Discard();
    }

    /// <summary>
    /// Into a parent branch, order is invisible: the parent only keeps the entries (its own Write sorts them, and its
    /// iteration sorts pending keys), so the changes are handed over as they are, without sorting.
    /// </summary>
    private void WriteToBranch(CacheKVStore parent)
    {
        foreach (var (key, entry) in _entries)
        {
            if (!entry.Dirty) continue;
            if (entry.HandedOut) parent.StageOwned((byte[])key.Clone(), CopyOf(entry.Value));
            else parent.StageOwned(key, entry.Value);
        }
    }

    private void WriteSorted()
    {
        var keys = new byte[_dirtyCount][];
        var values = new byte[]?[_dirtyCount];
        var n = 0;
        foreach (var (key, entry) in _entries)
        {
            if (!entry.Dirty) continue;
            keys[n] = key;
            values[n] = entry.Value;
            n++;
        }
        Array.Sort(keys, values, ByteArrayComparer.Instance);
        for (var i = 0; i < n; i++)
        {
            if (values[i] is null) _parent.Delete(keys[i]);
            else _parent.Set(keys[i], values[i]!);
        }
    }

    /// <summary>Forgets every pending change (and the cached reads).</summary>
    public void Discard()
    {
        _entries.Clear();
        _dirtyCount = 0;
        // A branch reused for many txs keeps its table; one tx of thousands of keys must not leave every later
        // Clear wiping a table that large.
        if (_entries.EnsureCapacity(0) > MaxKeptCapacity) _entries.TrimExcess();
    }

    private const int MaxKeptCapacity = 1024;

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
        var result = new List<(byte[] Key, byte[]? Value)>();
        if (_dirtyCount == 0) return result;
        var cmp = ByteArrayComparer.Instance;
        foreach (var (key, entry) in _entries)
        {
            // Clean entries equal the parent (see the contract above), so only pending changes are merged.
            if (!entry.Dirty) continue;
            if (start is not null && cmp.Compare(key, start) < 0) continue;
            if (end is not null && cmp.Compare(key, end) >= 0) continue; // end is exclusive
            result.Add((key, entry.Value));
        }
        result.Sort((a, b) => reverse ? cmp.Compare(b.Key, a.Key) : cmp.Compare(a.Key, b.Key));
        foreach (var (key, _) in result)
            _entries[key] = _entries[key] with { HandedOut = true };
        return result;
    }
}
