using System.Buffers;
using System.Numerics;
using DePinChain.Sdk;

namespace DePinChain.Modules.Transfer;

/// <summary>
/// ICS-20 v1 packet data (ibc.applications.transfer.v2.FungibleTokenPacketData, carried as JSON). <see cref="Denom"/>
/// is the full denom path as the sending chain knows it; <see cref="Amount"/> a decimal string; the addresses are in
/// their own chain's format, which this chain does not check for the other side.
/// </summary>
public sealed record FungibleTokenPacketData(string Denom, string Amount, string Sender, string Receiver, string Memo)
{
    /// <summary>
    /// The packet bytes, as ibc-go v8's GetBytes writes them (<c>sdk.MustSortJSON</c> of the proto JSON with empty
    /// fields left out): keys in byte order, every value a Go json.Marshal string, no whitespace. The packet
    /// commitment is over these bytes, so they are part of consensus on both chains.
    /// </summary>
    public byte[] GetBytes()
    {
        var output = new ArrayBufferWriter<byte>(128 + Denom.Length + Sender.Length + Receiver.Length + Memo.Length);
        bool first = true;
        // Sorted: amount < denom < memo < receiver < sender.
        WriteMember(output, "amount", Amount, ref first);
        WriteMember(output, "denom", Denom, ref first);
        WriteMember(output, "memo", Memo, ref first);
        WriteMember(output, "receiver", Receiver, ref first);
        WriteMember(output, "sender", Sender, ref first);
        if (first) output.Write("{"u8);
        output.Write("}"u8);
        return output.WrittenSpan.ToArray();
    }

    private static void WriteMember(ArrayBufferWriter<byte> output, string name, string value, ref bool first)
    {
        if (value.Length == 0) return; // jsonpb with EmitDefaults false: an empty string is not written
        output.Write(first ? "{\""u8 : ",\""u8);
        first = false;
        output.Write(System.Text.Encoding.ASCII.GetBytes(name));
        output.Write("\":"u8);
        GoJson.WriteString(output, value);
    }

    /// <summary>
    /// Decodes packet bytes as ibc-go v8 does (<c>ModuleCdc.UnmarshalJSON</c>: proto JSON, unknown fields refused,
    /// strings only); null when it would fail, which the receiver answers with an error acknowledgement.
    /// </summary>
    public static FungibleTokenPacketData? TryDecode(ReadOnlySpan<byte> bytes)
    {
        if (GoJson.ReadStringObject(bytes) is not { } members) return null;
        string denom = "", amount = "", sender = "", receiver = "", memo = "";
        foreach (var (name, value) in members)
        {
            string text = value ?? "";
            switch (name)
            {
                case "denom": denom = text; break;
                case "amount": amount = text; break;
                case "sender": sender = text; break;
                case "receiver": receiver = text; break;
                case "memo": memo = text; break;
                default: return null; // jsonpb: unknown field
            }
        }
        return new FungibleTokenPacketData(denom, amount, sender, receiver, memo);
    }

    /// <summary>
    /// The amount as ibc-go parses it (<see cref="GoInt.ParseSdkInt"/>); null when it does not parse. Positive after
    /// <see cref="ValidateBasic"/>.
    /// </summary>
    public BigInteger? ParsedAmount => GoInt.ParseSdkInt(Amount);

    /// <summary>
    /// ibc-go v8's FungibleTokenPacketData.ValidateBasic: a positive amount of at most 256 bits, non-blank sender and
    /// receiver (their formats are the chains' own), a valid prefixed denom. v8 puts no size limit on memo or receiver
    /// here; MsgTransfer has them.
    /// </summary>
    /// <exception cref="SdkError">transfer code 5 (amount), ibc code 5 (address) or transfer code 3 (denom).</exception>
    public void ValidateBasic()
    {
        if (ParsedAmount is not { } amount)
            throw TransferErrors.InvalidAmount($"unable to parse transfer amount ({Amount}) into math.Int");
        if (amount.Sign <= 0) throw TransferErrors.InvalidAmount($"amount must be strictly positive: got {amount}");
        if (string.IsNullOrWhiteSpace(Sender)) throw IbcCoreErrors.InvalidAddress("sender address cannot be blank");
        if (string.IsNullOrWhiteSpace(Receiver)) throw IbcCoreErrors.InvalidAddress("receiver address cannot be blank");
        DenomTrace.ValidatePrefixedDenom(Denom);
    }
}
