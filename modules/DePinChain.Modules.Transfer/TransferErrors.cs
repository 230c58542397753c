using DePinChain.Sdk;

namespace DePinChain.Modules.Transfer;

/// <summary>
/// The transfer codespace's codes and texts, numbered as in ibc-go v8 modules/apps/transfer/types/errors.go. An error
/// acknowledgement carries the code (<see cref="Acknowledgement.Error"/>), so the numbers are part of the wire format.
/// </summary>
public static class TransferErrors
{
    public const string Codespace = "transfer";

    private static SdkError E(uint code, string text, string? detail)
        => new(Codespace, code, detail is null ? text : $"{detail}: {text}");

    public static SdkError InvalidPacketTimeout(string? detail = null) => E(2, "invalid packet timeout", detail);
    public static SdkError InvalidDenomForTransfer(string? detail = null) => E(3, "invalid denomination for cross-chain transfer", detail);
    public static SdkError InvalidVersion(string? detail = null) => E(4, "invalid ICS20 version", detail);
    public static SdkError InvalidAmount(string? detail = null) => E(5, "invalid token amount", detail);
    public static SdkError TraceNotFound(string? detail = null) => E(6, "denomination trace not found", detail);
    public static SdkError SendDisabled(string? detail = null) => E(7, "fungible token transfers from this chain are disabled", detail);
    public static SdkError ReceiveDisabled(string? detail = null) => E(8, "fungible token transfers to this chain are disabled", detail);
    public static SdkError MaxTransferChannels(string? detail = null) => E(9, "max transfer channels", detail);
    public static SdkError InvalidMemo(string? detail = null) => E(11, "invalid memo", detail);
}

/// <summary>
/// The codes transfer raises from ibc-go v8's core codespaces (core/errors "ibc", 24-host "host", 04-channel
/// "channel", 05-port "port"): the same numbers and texts the IBC core module uses, for the few the transfer rules need.
/// </summary>
public static class IbcCoreErrors
{
    private static SdkError E(string codespace, uint code, string text, string? detail)
        => new(codespace, code, detail is null ? text : $"{detail}: {text}");

    public static SdkError Unauthorized(string? d = null) => E("ibc", 2, "unauthorized", d);
    public static SdkError InsufficientFunds(string? d = null) => E("ibc", 3, "insufficient funds", d);
    public static SdkError UnknownRequest(string? d = null) => E("ibc", 4, "unknown request", d);
    public static SdkError InvalidAddress(string? d = null) => E("ibc", 5, "invalid address", d);
    public static SdkError InvalidCoins(string? d = null) => E("ibc", 6, "invalid coins", d);
    public static SdkError InvalidRequest(string? d = null) => E("ibc", 8, "invalid request", d);
    public static SdkError InvalidType(string? d = null) => E("ibc", 12, "invalid type", d);
    public static SdkError InvalidIdentifier(string? d = null) => E("host", 2, "invalid identifier", d);
    public static SdkError ChannelNotFound(string? d = null) => E("channel", 3, "channel not found", d);
    public static SdkError InvalidChannelOrdering(string? d = null) => E("channel", 6, "invalid channel ordering", d);
    public static SdkError InvalidPort(string? d = null) => E("port", 4, "invalid port", d);
}
