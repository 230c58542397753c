using System.Buffers.Binary;
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

    /// <summary>0x02 | len | owner → DC as 8 bytes big-endian.</summary>
    internal static byte[] BalanceKey(ReadOnlySpan<byte> owner) => [BalancePrefix, .. KeyCodec.Address(owner)];

    /// <summary>0x03 | len | owner | len | router → DC as 8 bytes big-endian.</summary>
    internal static byte[] DelegationKey(ReadOnlySpan<byte> owner, ReadOnlySpan<byte> router)
        => [DelegationPrefix, .. KeyCodec.Address(owner), .. KeyCodec.Address(router)];

    internal static byte[] DelegationsOf(ReadOnlySpan<byte> owner) => [DelegationPrefix, .. KeyCodec.Address(owner)];

    /// <summary>0x04 | len | router → Router.</summary>
    internal static byte[] RouterKey(ReadOnlySpan<byte> router) => [RouterPrefix, .. KeyCodec.Address(router)];

    /// <summary>0x05 | epoch (8 bytes big-endian) | device key → TrafficRecord: one epoch's records are contiguous and sorted by device.</summary>
    internal static byte[] TrafficKey(long epoch, ReadOnlySpan<byte> device) => [.. TrafficEpochPrefix(epoch), .. device];

    internal static byte[] TrafficEpochPrefix(long epoch)
    {
        var key = new byte[9];
        key[0] = TrafficPrefix;
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(1), epoch);
        return key;
    }

}

/// <summary>The "datacredits" codespace.</summary>
public static class DataCreditsErrors
{
    public const string Codespace = "datacredits";

    public const uint InvalidParamsCode = 2;
    public const uint InvalidAuthorityCode = 3;
    public const uint InsufficientCreditsCode = 4;
    public const uint RouterNotRegisteredCode = 5;
    public const uint UnknownDeviceCode = 6;
    public const uint NoCreditsBoughtCode = 7;
    public const uint InvalidGenesisCode = 8;
    public const uint CreditOverflowCode = 9;
    public const uint RouterAlreadyRegisteredCode = 10;
    public const uint InvalidRequestCode = 11;

    public static SdkError InvalidParams(string reason) => new(Codespace, InvalidParamsCode, "invalid data-credit params: " + reason);

    public static SdkError InvalidAuthority(string expected, string got)
        => new(Codespace, InvalidAuthorityCode, $"invalid authority; expected {expected}, got {got}");

    public static SdkError InsufficientCredits(string reason) => new(Codespace, InsufficientCreditsCode, "insufficient data credits: " + reason);

    public static SdkError RouterNotRegistered(string router) => new(Codespace, RouterNotRegisteredCode, $"router {router} is not registered");

    public static SdkError UnknownDevice(string device) => new(Codespace, UnknownDeviceCode, $"device {device} is not an active registered device");

    public static SdkError NoCreditsBought(string reason) => new(Codespace, NoCreditsBoughtCode, "burn buys no data credits: " + reason);

    public static SdkError InvalidGenesis(string reason) => new(Codespace, InvalidGenesisCode, "invalid data-credits genesis: " + reason);

    public static SdkError CreditOverflow(string reason) => new(Codespace, CreditOverflowCode, "data-credit amount overflows: " + reason);

    public static SdkError RouterAlreadyRegistered(string router) => new(Codespace, RouterAlreadyRegisteredCode, $"router {router} is already registered");

    public static SdkError InvalidRequest(string reason) => new(Codespace, InvalidRequestCode, "invalid data-credits request: " + reason);
}
