namespace DePinChain.Store.Cache;

/// <summary>
/// A branch of a multistore: one <see cref="CacheKVStore"/> per store, made on first use. Branches nest
/// (block branch → tx branch); <see cref="Write"/> merges into the parent, dropping the branch discards it.
/// Not thread-safe.
/// </summary>
public sealed class CacheMultiStore : ICacheMultiStore
{
    private readonly IMultiStore _parent;

    // The stores used so far, in name order. A tx touches two or three, so a sorted array beats a tree.
    private (string Name, CacheKVStore Store)[] _stores = [];

    public CacheMultiStore(IMultiStore parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        _parent = parent;
    }

    public IReadOnlyList<string> StoreNames => _parent.StoreNames;

    public IKVStore GetStore(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var stores = _stores;
        int at = 0;
        for (; at < stores.Length; at++)
        {
            int order = string.CompareOrdinal(stores[at].Name, name);
            if (order == 0) return stores[at].Store;
            if (order > 0) break;
        }
        var store = new CacheKVStore(_parent.GetStore(name));
        var grown = new (string, CacheKVStore)[stores.Length + 1];
        Array.Copy(stores, grown, at);
        grown[at] = (name, store);
        Array.Copy(stores, at, grown, at + 1, stores.Length - at);
        _stores = grown;
        return store;
    }

    public ICacheMultiStore Branch() => new CacheMultiStore(this);

    /// <summary>
    /// Forgets every pending change and cached read, keeping the stores and their table sizes: the branch is then as a
    /// new one on the same parent, so a block can run all its txs on one branch instead of allocating one per tx.
    /// </summary>
    public void Discard()
    {
        foreach (var (_, store) in _stores) store.Discard();
    }

    /// <summary>
    /// Writes every store's pending changes into the parent, keys in key order. Into a branch, stores go in name
    /// order. Into the committed trees (a block's write) each store's tree is an object of its own, so stores with
    /// many changes are written on all cores at once: every tree receives exactly the same changes in the same order
    /// either way, so the trees and their hashes do not depend on the scheduling.
    /// </summary>
    public void Write()
    {
        var stores = _stores;
        int large = 0;
        foreach (var (_, store) in stores)
            if (store.PendingCount >= ParallelWriteThreshold) large++;
        if (large < 2 || _parent is not ICommitMultiStore)
        {
            foreach (var (_, store) in stores) store.Write();
            return;
        }
        ParallelStores.For(stores.Length, i => stores[i].Store.Write());
    }

    /// <summary>Pending changes per store below which writing it on another core costs more than it saves.</summary>
    public const int ParallelWriteThreshold = 256;
}
