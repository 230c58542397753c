namespace DePinChain.Store.Iavl;

/// <param name="NodeCacheCapacity">How many saved nodes the tree's node cache holds (clock eviction).</param>
public sealed record IavlTreeOptions(int NodeCacheCapacity = 100_000)
{
    public static readonly IavlTreeOptions Default = new();

    /// <summary>
    /// Saved nodes at least this high keep direct references to their children once loaded, so the top of the
    /// tree never goes through the cache (about size / 2^height nodes stay in memory).
    /// </summary>
    public int PinnedHeight { get; init; } = 8;
}
