namespace DePinChain.Node;

/// <summary>
/// With <c>iavl-pinned-height = 0</c> (the default) every module's whole tree stays in memory once touched, so memory
/// grows with the state. At start the node compares what its state will need with what the machine has, and says
/// so before it becomes an out-of-memory kill.
/// </summary>
public static class StateMemoryCheck
{
    /// <summary>
    /// Managed memory per key of a tree kept whole in memory (two node objects with their hashes inline, key, value),
    /// rounded up from the live heap the store bench measures (about 370 bytes at 1M keys, 355 at 10M).
    /// </summary>
    public const long BytesPerKey = 400;

    /// <summary>
    /// A warning when <paramref name="keys"/> kept in memory would take more than half of <paramref name="availableBytes"/>
    /// (the rest is LevelDB's caches, the block being built and the runtime); null when they fit or the trees are not
    /// kept whole.
    /// </summary>
    public static string? Warning(long keys, long pinnedHeight, long availableBytes)
    {
        if (pinnedHeight != 0 || availableBytes <= 0) return null;
        var needed = keys * BytesPerKey;
        if (needed <= availableBytes / 2) return null;
        return $"the state has {keys:N0} keys; keeping whole trees in memory (iavl-pinned-height = 0) needs about {Gib(needed)} GiB "
             + $"and this process may use {Gib(availableBytes)} GiB: set iavl-pinned-height = 8 in app.toml to bound memory by iavl-cache-size";
    }

    private static string Gib(long bytes) => (bytes / (double)(1L << 30)).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
}
