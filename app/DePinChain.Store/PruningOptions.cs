namespace DePinChain.Store;

/// <summary>
/// Which committed versions stay readable. A version v is kept when it is among the last
/// <see cref="KeepRecent"/> versions, or when <see cref="KeepEvery"/> &gt; 0 and v is a multiple of it.
/// KeepRecent = 0 keeps everything (archive node).
/// </summary>
public sealed record PruningOptions(long KeepRecent, long KeepEvery)
{
    /// <summary>Archive: no version is ever deleted.</summary>
    public static readonly PruningOptions Nothing = new(0, 0);

    /// <summary>The Cosmos SDK default window (about three weeks of 5 s blocks).</summary>
    public static readonly PruningOptions Default = new(362_880, 0);

    /// <summary>Only the last two versions (the committed one and the one before, for crash recovery).</summary>
    public static readonly PruningOptions Everything = new(2, 0);

    public bool KeepsAll => KeepRecent == 0;

    public bool IsKept(long version, long latest)
        => KeepsAll || version > latest - KeepRecent || (KeepEvery > 0 && version % KeepEvery == 0);
}
