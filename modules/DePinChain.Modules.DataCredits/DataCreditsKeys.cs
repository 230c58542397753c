using DePinChain.Sdk;

namespace DePinChain.Modules.DataCredits;

/// <summary>The data-credits module's name (store, module account, app_state key) and store layout.</summary>
public static class DataCreditsKeys
{
    public const string ModuleName = "datacredits";

    internal const byte ParamsKey = 0x01;
    internal const byte BalancePrefix = 0x02;
    internal const byte DelegationPrefix = 0x03;
    internal const byte RouterPrefix = 0x04;
    internal const byte TrafficPrefix = 0x05;
    internal const byte TotalsKey = 0x06;
    /// <summary>0x07 | epoch → Σ DC burned for the epoch's traffic (8 bytes; derived: rebuilt at genesis, pruned with the traffic).</summary>
    internal const byte EpochDcPrefix = 0x07;

    /// <summary>0x02 | len | owner → DC as 8 bytes big-endian.</summary>
    internal static byte[] BalanceKey(ReadOnlySpan<byte> owner) => KeyCodec.Address(BalancePrefix, owner);

    /// <summary>0x03 | len | owner | len | router → DC as 8 bytes big-endian.</summary>
    internal static byte[] DelegationKey(ReadOnlySpan<byte> owner, ReadOnlySpan<byte> router)
        => [.. KeyCodec.Address(DelegationPrefix, owner), .. KeyCodec.Address(router)];

    internal static byte[] DelegationsOf(ReadOnlySpan<byte> owner) => KeyCodec.Address(DelegationPrefix, owner);

    /// <summary>0x04 | len | router → Router.</summary>
    internal static byte[] RouterKey(ReadOnlySpan<byte> router) => KeyCodec.Address(RouterPrefix, router);

    /// <summary>0x05 | epoch (8 bytes big-endian) | device key → TrafficRecord: one epoch's records are contiguous and sorted by device.</summary>
    internal static byte[] TrafficKey(long epoch, ReadOnlySpan<byte> device) => KeyCodec.Int64(TrafficPrefix, epoch, device);

    internal static byte[] TrafficEpochPrefix(long epoch) => KeyCodec.Int64(TrafficPrefix, epoch);

    internal static byte[] EpochDcKey(long epoch) => KeyCodec.Int64(EpochDcPrefix, epoch);
}
