using System.Collections.Concurrent;

namespace DePinChain.Store.Iavl;

/// <summary>
/// A bounded, thread-safe cache of saved nodes with clock (second-chance) eviction: a hit only sets the
/// node's <see cref="Node.Referenced"/> bit, so readers never take a lock; inserts take one lock and sweep.
/// Hot upper levels are hit constantly and survive the sweep.
/// </summary>
internal sealed class NodeCache
{
    private readonly ConcurrentDictionary<NodeKey, Node> _map;
    private readonly NodeKey[] _ring;
    private readonly Lock _lock = new();
    private int _filled;
    private int _hand;

    public NodeCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new NodeKey[capacity];
        _map = new ConcurrentDictionary<NodeKey, Node>(concurrencyLevel: Environment.ProcessorCount, capacity: Math.Min(capacity, 1 << 20));
    }

    public int Count => _map.Count;

    public bool TryGet(NodeKey key, out Node node)
    {
        if (!_map.TryGetValue(key, out node!)) return false;
        if (!node.Referenced) node.Referenced = true;
        return true;
    }

    public void Add(Node node)
    {
        lock (_lock)
        {
            if (!_map.TryAdd(node.NodeKey, node)) return;
            if (_filled < _ring.Length)
            {
                _ring[_filled++] = node.NodeKey;
                return;
            }
            while (true)
            {
                var victim = _ring[_hand];
                if (_map.TryGetValue(victim, out var resident) && resident.Referenced)
                {
                    resident.Referenced = false;
                    Advance();
                    continue;
                }
                _map.TryRemove(victim, out _);
                _ring[_hand] = node.NodeKey;
                Advance();
                return;
            }
        }
    }

    /// <summary>Forgets a node (its version was deleted). Its ring slot is reused by a later sweep.</summary>
    public void Remove(NodeKey key) => _map.TryRemove(key, out _);

    private void Advance() => _hand = _hand + 1 == _ring.Length ? 0 : _hand + 1;
}
