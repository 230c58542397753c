namespace DePinChain.Store.Iavl;

/// <summary>
/// A bounded, thread-safe cache of saved nodes: a 4-way set-associative table of node references, with a
/// second-chance bit per node (<see cref="Node.Referenced"/>) choosing the victim within a set. A lookup reads
/// at most four adjacent slots and compares node keys; nothing takes a lock or allocates. Concurrent inserts
/// into one set may overwrite each other, and a reader may miss a node being moved: for a cache both only mean
/// one more database read. A hit can never return a wrong node, since it checks the node's own key.
/// </summary>
internal sealed class NodeCache
{
    private const int Ways = 4;

    private readonly Node?[] _slots;
    private readonly int _setMask;

    /// <param name="capacity">Nodes to hold, about (rounded up to a power of two, at least 4).</param>
    public NodeCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var slots = (int)Math.Min(1L << 30, Math.Max(Ways, (long)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity)));
        _slots = new Node?[slots];
        _setMask = slots / Ways - 1;
    }

    /// <summary>Slots in the table: the most nodes it can hold.</summary>
    public int Capacity => _slots.Length;

    private int SetStart(NodeKey key)
    {
        var h = (ulong)key.Version * 0x9E3779B97F4A7C15UL ^ key.Nonce * 0xC2B2AE3D27D4EB4FUL;
        h ^= h >> 31;
        h *= 0xBF58476D1CE4E5B9UL;
        return (int)((h >> 32) & (uint)_setMask) * Ways;
    }

    public bool TryGet(NodeKey key, out Node node)
    {
        var start = SetStart(key);
        for (var i = 0; i < Ways; i++)
        {
            var candidate = Volatile.Read(ref _slots[start + i]);
            if (candidate is not null && candidate.NodeKey == key)
            {
                if (!candidate.Referenced) candidate.Referenced = true;
                node = candidate;
                return true;
            }
        }
        node = null!;
        return false;
    }

    public void Add(Node node)
    {
        var key = node.NodeKey;
        var start = SetStart(key);
        var victim = -1;
        for (var i = 0; i < Ways; i++)
        {
            var resident = Volatile.Read(ref _slots[start + i]);
            if (resident is null)
            {
                if (victim < 0 || _slots[start + victim] is not null) victim = i;
                continue;
            }
            if (resident.NodeKey == key) return;
            if (victim < 0 && !resident.Referenced) victim = i;
        }
        if (victim < 0)
        {
            // Every resident was used since the last sweep of this set: give them all a second chance and
            // replace the one the key points at, so sets do not always evict the same way.
            for (var i = 0; i < Ways; i++)
            {
                var resident = _slots[start + i];
                if (resident is not null) resident.Referenced = false;
            }
            victim = (int)(key.Nonce % Ways);
        }
        Volatile.Write(ref _slots[start + victim], node);
    }

    /// <summary>Forgets a node (it is orphaned or its version was deleted).</summary>
    public void Remove(NodeKey key)
    {
        var start = SetStart(key);
        for (var i = 0; i < Ways; i++)
        {
            var resident = Volatile.Read(ref _slots[start + i]);
            if (resident is not null && resident.NodeKey == key)
            {
                Interlocked.CompareExchange(ref _slots[start + i], null, resident);
                return;
            }
        }
    }
}
