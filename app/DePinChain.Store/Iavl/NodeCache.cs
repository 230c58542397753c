namespace DePinChain.Store.Iavl;

/// <summary>
/// A bounded, thread-safe cache of saved nodes: a 4-way set-associative table whose entries pair a node
/// reference with a 64-bit tag (a hash of the node key, plus a second-chance bit that hits set and the victim
/// choice clears). A lookup reads one set (64 bytes) and touches a node only when its tag matches; nothing takes
/// a lock or allocates. Concurrent writers may overwrite each other's entries and a reader may see a tag with
/// another node: for a cache both only mean one more database read, and a hit is returned only after
/// comparing the node's own key, so a wrong node is never returned.
/// </summary>
internal sealed class NodeCache
{
    private const int Ways = 4;
    private const ulong OccupiedBit = 1;
    private const ulong ReferencedBit = 2;
    private const ulong TagMask = ~3UL;

    private struct Entry
    {
        public ulong Tag;
        public Node? Node;
    }

    private readonly Entry[] _entries;
    private readonly int _setMask;

    /// <param name="capacity">Nodes to hold, about (rounded up to a power of two, at least 4).</param>
    public NodeCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var slots = (int)Math.Min(1L << 30, Math.Max(Ways, (long)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity)));
        _entries = new Entry[slots];
        _setMask = slots / Ways - 1;
    }

    /// <summary>Slots in the table: the most nodes it can hold.</summary>
    public int Capacity => _entries.Length;

    private static ulong Hash(NodeKey key)
    {
        var h = (ulong)key.Version * 0x9E3779B97F4A7C15UL ^ key.Nonce * 0xC2B2AE3D27D4EB4FUL;
        h ^= h >> 31;
        h *= 0xBF58476D1CE4E5B9UL;
        return h ^ (h >> 29);
    }

    private int SetStart(ulong hash) => (int)((hash >> 34) & (uint)_setMask) * Ways;

    public bool TryGet(NodeKey key, out Node node)
    {
        var hash = Hash(key);
        var tag = (hash & TagMask) | OccupiedBit;
        var start = SetStart(hash);
        for (var i = 0; i < Ways; i++)
        {
            ref var entry = ref _entries[start + i];
            var entryTag = Volatile.Read(ref entry.Tag);
            if ((entryTag & ~ReferencedBit) != tag) continue;
            var candidate = Volatile.Read(ref entry.Node);
            if (candidate is null || candidate.NodeKey != key) continue;
            if ((entryTag & ReferencedBit) == 0) entry.Tag = entryTag | ReferencedBit;
            node = candidate;
            return true;
        }
        node = null!;
        return false;
    }

    public void Add(Node node)
    {
        var key = node.NodeKey;
        var hash = Hash(key);
        var tag = (hash & TagMask) | OccupiedBit;
        var start = SetStart(hash);
        var victim = -1;
        for (var i = 0; i < Ways; i++)
        {
            var entryTag = _entries[start + i].Tag;
            if (entryTag == 0)
            {
                if (victim < 0 || _entries[start + victim].Tag != 0) victim = i;
                continue;
            }
            if ((entryTag & ~ReferencedBit) == tag && _entries[start + i].Node?.NodeKey == key) return;
            if (victim < 0 && (entryTag & ReferencedBit) == 0) victim = i;
        }
        if (victim < 0)
        {
            // Every resident was used since the last sweep of this set: give them all a second chance and
            // replace the one this key picks, so a set does not always evict the same way.
            for (var i = 0; i < Ways; i++) _entries[start + i].Tag &= ~ReferencedBit;
            victim = (int)(hash & (Ways - 1));
        }
        ref var slot = ref _entries[start + victim];
        Volatile.Write(ref slot.Node, node);
        Volatile.Write(ref slot.Tag, tag);
    }

    /// <summary>Forgets a node (it is orphaned or its version was deleted).</summary>
    public void Remove(NodeKey key)
    {
        var hash = Hash(key);
        var tag = (hash & TagMask) | OccupiedBit;
        var start = SetStart(hash);
        for (var i = 0; i < Ways; i++)
        {
            ref var entry = ref _entries[start + i];
            if ((Volatile.Read(ref entry.Tag) & ~ReferencedBit) != tag) continue;
            var resident = Volatile.Read(ref entry.Node);
            if (resident is null || resident.NodeKey != key) continue;
            Volatile.Write(ref entry.Tag, 0);
            Volatile.Write(ref entry.Node, null);
            return;
        }
    }
}
