namespace DePinChain.Store.Cache;

/// <summary>
/// A branch of a multistore: one <see cref="CacheKVStore"/> per store, made on first use. Branches nest
/// (block branch → tx branch); <see cref="Write"/> merges into the parent, dropping the branch discards it.
/// Not thread-safe.
/// </summary>
public sealed class CacheMultiStore : ICacheMultiStore
{
    private readonly IMultiStore _parent;
    private readonly SortedDictionary<string, CacheKVStore> _stores = new(StringComparer.Ordinal);

    public CacheMultiStore(IMultiStore parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        _parent = parent;
    }

    public IReadOnlyList<string> StoreNames => _parent.StoreNames;

    public IKVStore GetStore(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_stores.TryGetValue(name, out var store))
        {
            store = new CacheKVStore(_parent.GetStore(name));
            _stores.Add(name, store);
        }
        return store;
    }

    public ICacheMultiStore Branch() => new CacheMultiStore(this);

    /// <summary>Writes every store's pending changes into the parent, stores in name order, keys in key order.</summary>
    public void Write()
    {
        foreach (var store in _stores.Values) store.Write();
    }
}
