using DePinChain.Sdk;

namespace DePinChain.Modules.Distribution;

/// <summary>
/// The distribution store's tables: the SDK's x/distribution prefixes (types/keys.go), with our length-prefixed
/// addresses (<see cref="KeyCodec.Address(ReadOnlySpan{byte})"/>) and big-endian periods and heights.
/// </summary>
public static class DistributionKeys
{
    public const string ModuleName = "distribution";

    public const string StoreKey = ModuleName;

    /// <summary>The denom of the zero amount a withdraw_rewards event shows when nothing was paid (the SDK's base denom).</summary>
    public const string DefaultBondDenom = "udpin";

    /// <summary>0x00 → FeePool.</summary>
    internal const byte FeePoolKey = 0x00;

    /// <summary>0x01 → previous block's proposer consensus address.</summary>
    internal const byte ProposerKey = 0x01;

    /// <summary>0x02 | len | operator → ValidatorOutstandingRewards.</summary>
    internal const byte OutstandingPrefix = 0x02;

    /// <summary>0x03 | len | delegator → withdraw address bytes.</summary>
    internal const byte WithdrawAddrPrefix = 0x03;

    /// <summary>0x04 | len | operator | len | delegator → DelegatorStartingInfo.</summary>
    internal const byte StartingInfoPrefix = 0x04;

    /// <summary>0x05 | len | operator | period (8 BE) → ValidatorHistoricalRewards.</summary>
    internal const byte HistoricalPrefix = 0x05;

    /// <summary>0x06 | len | operator → ValidatorCurrentRewards.</summary>
    internal const byte CurrentPrefix = 0x06;

    /// <summary>0x07 | len | operator → ValidatorAccumulatedCommission.</summary>
    internal const byte CommissionPrefix = 0x07;

    /// <summary>0x08 | len | operator | height (8 BE) | period (8 BE) → ValidatorSlashEvent.</summary>
    internal const byte SlashEventPrefix = 0x08;

    /// <summary>0x09 → Params.</summary>
    internal const byte ParamsKey = 0x09;

    internal static byte[] Outstanding(ReadOnlySpan<byte> op) => KeyCodec.Address(OutstandingPrefix, op);

    internal static byte[] WithdrawAddr(ReadOnlySpan<byte> delegator) => KeyCodec.Address(WithdrawAddrPrefix, delegator);

    internal static byte[] StartingInfo(ReadOnlySpan<byte> op, ReadOnlySpan<byte> delegator)
        => [.. KeyCodec.Address(StartingInfoPrefix, op), .. KeyCodec.Address(delegator)];

    internal static byte[] StartingInfoPrefixOf(ReadOnlySpan<byte> op) => KeyCodec.Address(StartingInfoPrefix, op);

    internal static byte[] Historical(ReadOnlySpan<byte> op, ulong period) => [.. KeyCodec.Address(HistoricalPrefix, op), .. KeyCodec.UInt64Value(period)];

    internal static byte[] HistoricalPrefixOf(ReadOnlySpan<byte> op) => KeyCodec.Address(HistoricalPrefix, op);

    internal static byte[] Current(ReadOnlySpan<byte> op) => KeyCodec.Address(CurrentPrefix, op);

    internal static byte[] Commission(ReadOnlySpan<byte> op) => KeyCodec.Address(CommissionPrefix, op);

    internal static byte[] SlashEvent(ReadOnlySpan<byte> op, ulong height, ulong period)
        => [.. KeyCodec.Address(SlashEventPrefix, op), .. KeyCodec.UInt64Value(height), .. KeyCodec.UInt64Value(period)];

    internal static byte[] SlashEventHeight(ReadOnlySpan<byte> op, ulong height)
        => [.. KeyCodec.Address(SlashEventPrefix, op), .. KeyCodec.UInt64Value(height)];

    internal static byte[] SlashEventPrefixOf(ReadOnlySpan<byte> op) => KeyCodec.Address(SlashEventPrefix, op);

    /// <summary>The address right after the prefix of a key built with <see cref="KeyCodec.Address(byte, ReadOnlySpan{byte})"/>.</summary>
    internal static byte[] FirstAddress(byte[] key) => key.AsSpan(2, key[1]).ToArray();

    /// <summary>The address that follows the first one (starting info keys: the delegator).</summary>
    internal static byte[] SecondAddress(byte[] key)
    {
        int at = 2 + key[1];
        return key.AsSpan(at + 1, key[at]).ToArray();
    }

    /// <summary>The big-endian uint64 at <paramref name="index"/> (0, 1) after the first address.</summary>
    internal static ulong UInt64AfterAddress(byte[] key, int index) => KeyCodec.ReadUInt64(key, 2 + key[1] + 8 * index);
}
