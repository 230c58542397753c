using System.Buffers.Binary;
using DePinChain.Sdk;

namespace DePinChain.Modules.Rewards;

/// <summary>The rewards module's name (store, pool module account, app_state key) and store layout.</summary>
public static class RewardsKeys
{
    public const string ModuleName = "rewards";

    /// <summary>The treasury: a module account without mint/burn permissions; its funds move only by later governance.</summary>
    public const string TreasuryModuleName = "treasury";

    internal const byte ParamsKey = 0x01;
    internal const byte RecordPrefix = 0x02;
    internal const byte OwnerIndexPrefix = 0x03;
    internal const byte PowerPrefix = 0x04;
    internal const byte SummaryPrefix = 0x05;
    internal const byte ValidatorRewardPrefix = 0x06;
    internal const byte PayoutPrefix = 0x07;

    internal static byte[] EpochPrefix(byte prefix, long epoch)
    {
        var key = new byte[9];
        key[0] = prefix;
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(1), epoch);
        return key;
    }

    /// <summary>0x02 | epoch | device key → RewardRecord.</summary>
    internal static byte[] RecordKey(long epoch, ReadOnlySpan<byte> device) => [.. EpochPrefix(RecordPrefix, epoch), .. device];

    /// <summary>0x03 | len | owner | epoch | device key → empty: one owner's devices per epoch.</summary>
    internal static byte[] OwnerIndexKey(ReadOnlySpan<byte> owner, long epoch, ReadOnlySpan<byte> device)
        => [.. OwnerEpochPrefix(owner, epoch), .. device];

    internal static byte[] OwnerEpochPrefix(ReadOnlySpan<byte> owner, long epoch)
    {
        var e = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(e, epoch);
        return [OwnerIndexPrefix, .. AddressKeys.LengthPrefixed(owner), .. e];
    }

    /// <summary>0x04 | len | consensus address → signed power (8 bytes big-endian) in the running epoch.</summary>
    internal static byte[] PowerKey(ReadOnlySpan<byte> consensusAddress) => [PowerPrefix, .. AddressKeys.LengthPrefixed(consensusAddress)];

    internal static byte[] SummaryKey(long epoch) => EpochPrefix(SummaryPrefix, epoch);

    /// <summary>0x06 | epoch | len | consensus address → ValidatorReward.</summary>
    internal static byte[] ValidatorRewardKey(long epoch, ReadOnlySpan<byte> consensusAddress)
        => [.. EpochPrefix(ValidatorRewardPrefix, epoch), .. AddressKeys.LengthPrefixed(consensusAddress)];

    /// <summary>0x07 | len | consensus address → payout account address.</summary>
    internal static byte[] PayoutKey(ReadOnlySpan<byte> consensusAddress) => [PayoutPrefix, .. AddressKeys.LengthPrefixed(consensusAddress)];

}

/// <summary>The "rewards" codespace.</summary>
public static class RewardsErrors
{
    public const string Codespace = "rewards";

    public const uint InvalidParamsCode = 2;
    public const uint InvalidAuthorityCode = 3;
    public const uint InvalidGenesisCode = 4;
    public const uint NotFoundCode = 5;
    public const uint InvalidRequestCode = 6;

    public static SdkError InvalidParams(string reason) => new(Codespace, InvalidParamsCode, "invalid rewards params: " + reason);

    public static SdkError InvalidAuthority(string expected, string got)
        => new(Codespace, InvalidAuthorityCode, $"invalid authority; expected {expected}, got {got}");

    public static SdkError InvalidGenesis(string reason) => new(Codespace, InvalidGenesisCode, "invalid rewards genesis: " + reason);

    public static SdkError NotFound(string what) => new(Codespace, NotFoundCode, what + ": not found");

    public static SdkError InvalidRequest(string reason) => new(Codespace, InvalidRequestCode, "invalid rewards request: " + reason);
}
