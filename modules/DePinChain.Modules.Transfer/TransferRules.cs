using System.Text;
using DePinChain.Sdk;

namespace DePinChain.Modules.Transfer;

/// <summary>The stateless rules of MsgTransfer, as ibc-go v8's MsgTransfer.ValidateBasic applies them.</summary>
public static class TransferRules
{
    /// <summary>Receivers are other chains' addresses, unchecked in format, but bounded in size (bytes).</summary>
    public const int MaximumReceiverLength = 2048;

    public const int MaximumMemoLength = 32768;

    /// <summary>
    /// Port and channel identifiers, a valid positive token whose denom is an SDK denom or <c>ibc/{hash}</c>, a sender
    /// on this chain, a non-blank receiver of at most 2048 bytes and a memo of at most 32768 bytes. Timeouts are not
    /// checked here: core's SendPacket refuses a packet with neither a height nor a timestamp.
    /// </summary>
    /// <exception cref="SdkError">The first rule broken, with ibc-go's codespace and code.</exception>
    public static void ValidateTransfer(string sourcePort, string sourceChannel, Coin token, string sender, string receiver, string memo)
    {
        try { Identifiers.ValidatePortId(sourcePort); }
        catch (SdkError e) { throw e.Wrap("invalid source port ID"); }
        try { Identifiers.ValidateChannelId(sourceChannel); }
        catch (SdkError e) { throw e.Wrap("invalid source channel ID"); }
        if (!Coins.IsValidDenom(token.Denom) || token.Amount.Sign < 0) throw IbcCoreErrors.InvalidCoins(token.ToString());
        if (token.Amount.Sign == 0) throw IbcCoreErrors.InsufficientFunds(token.ToString());
        try { Bech32Address.Parse(sender); }
        catch (SdkError e) { throw IbcCoreErrors.InvalidAddress($"string could not be parsed as address: {e.Message}"); }
        if (string.IsNullOrWhiteSpace(receiver)) throw IbcCoreErrors.InvalidAddress("missing recipient address");
        if (Encoding.UTF8.GetByteCount(receiver) > MaximumReceiverLength)
            throw IbcCoreErrors.InvalidAddress($"recipient address must not exceed {MaximumReceiverLength} bytes");
        if (Encoding.UTF8.GetByteCount(memo) > MaximumMemoLength)
            throw TransferErrors.InvalidMemo($"memo must not exceed {MaximumMemoLength} bytes");
        DenomTrace.ValidateIbcDenom(token.Denom);
    }
}
