namespace DePinChain.Store.Iavl;

/// <param name="NodeCacheCapacity">How many saved nodes the tree's node cache holds (clock eviction).</param>
public sealed record IavlTreeOptions(int NodeCacheCapacity = 100_000)
{
    public static readonly IavlTreeOptions Default = new();

    /// <summary>
    /// Saved nodes at least this high keep direct references to their children once loaded, so the top of the
    /// tree never goes through the cache (about size / 2^height nodes stay in memory). 0 keeps every node that
    /// was loaded or saved in memory as long as a kept version uses it (no bound: about 300 bytes per node, a
    /// tree of n keys has 2n − 1) and leaves the cache to nodes read back for older versions.
    /// </summary>
    public int PinnedHeight { get; init; } = 8;

    /// <summary>
    /// <see cref="StoreFormat.Changesets"/>: the whole tree lives in memory (needs <see cref="PinnedHeight"/> 0), a save
    /// stages one changeset record instead of node, orphan and fast-index records, and older versions stay readable
    /// only while kept in memory (until <see cref="IavlTree.DeleteVersion"/>).
    /// </summary>
    public StoreFormat Format { get; init; } = StoreFormat.Nodes;
}
