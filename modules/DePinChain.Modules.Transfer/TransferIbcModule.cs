using DePinChain.Sdk;

namespace DePinChain.Modules.Transfer;

/// <summary>A channel's ordering (ibc.core.channel.v1.Order numbers).</summary>
public enum ChannelOrder
{
    None = 0,
    Unordered = 1,
    Ordered = 2,
}

/// <summary>
/// The transfer module's IBC application callbacks (ibc-go v8's transfer IBCModule): the channel handshake rules of a
/// transfer channel (unordered, version ics20-1, the bound port, at most 2^32 channels) and the packet callbacks with
/// the events ibc-go emits. IBC core calls these; it runs <see cref="OnRecvPacket"/> on a branch of the state and keeps
/// the branch only for a successful acknowledgement, as ibc-go's core does, so a failed receive leaves nothing behind.
/// </summary>
public sealed class TransferIbcModule(TransferKeeper keeper)
{
    public TransferKeeper Keeper { get; } = keeper;

    private void ValidateChannelParams(Context ctx, ChannelOrder order, string portId, string channelId)
    {
        if (Identifiers.ChannelSequence(channelId) is not { } sequence)
            throw IbcCoreErrors.InvalidIdentifier("channel identifier is not in the format: `channel-{N}`");
        if (sequence > uint.MaxValue)
            throw TransferErrors.MaxTransferChannels($"channel sequence {sequence} is greater than max allowed transfer channels {uint.MaxValue}");
        if (order != ChannelOrder.Unordered)
            throw IbcCoreErrors.InvalidChannelOrdering($"expected {OrderName(ChannelOrder.Unordered)} channel, got {OrderName(order)} ");
        var bound = Keeper.GetPort(ctx);
        if (bound != portId) throw IbcCoreErrors.InvalidPort($"invalid port: {portId}, expected {bound}");
    }

    private static string OrderName(ChannelOrder order) => order switch
    {
        ChannelOrder.Unordered => "ORDER_UNORDERED",
        ChannelOrder.Ordered => "ORDER_ORDERED",
        _ => "ORDER_NONE_UNSPECIFIED",
    };

    /// <summary>Returns the version to propose: ics20-1 (also when the relayer left it blank).</summary>
    public string OnChanOpenInit(Context ctx, ChannelOrder order, string portId, string channelId, string version)
    {
        ValidateChannelParams(ctx, order, portId, channelId);
        if (string.IsNullOrWhiteSpace(version)) version = TransferKeys.Version;
        if (version != TransferKeys.Version) throw TransferErrors.InvalidVersion($"expected {TransferKeys.Version}, got {version}");
        return version;
    }

    public string OnChanOpenTry(Context ctx, ChannelOrder order, string portId, string channelId, string counterpartyVersion)
    {
        ValidateChannelParams(ctx, order, portId, channelId);
        RequireCounterpartyVersion(counterpartyVersion);
        return TransferKeys.Version;
    }

    public void OnChanOpenAck(Context ctx, string portId, string channelId, string counterpartyChannelId, string counterpartyVersion)
        => RequireCounterpartyVersion(counterpartyVersion);

    public void OnChanOpenConfirm(Context ctx, string portId, string channelId)
    {
    }

    /// <summary>Nobody closes a transfer channel: the escrowed tokens could never come back.</summary>
    public void OnChanCloseInit(Context ctx, string portId, string channelId) => throw IbcCoreErrors.InvalidRequest("user cannot close channel");

    public void OnChanCloseConfirm(Context ctx, string portId, string channelId)
    {
    }

    private static void RequireCounterpartyVersion(string counterpartyVersion)
    {
        if (counterpartyVersion != TransferKeys.Version)
            throw TransferErrors.InvalidVersion($"invalid counterparty version: expected {TransferKeys.Version}, got {counterpartyVersion}");
    }

    /// <summary>
    /// Receives a packet and answers with the acknowledgement to write: success, or the error's ABCI code; emits
    /// fungible_token_packet (with success, and error when it failed).
    /// </summary>
    public Acknowledgement OnRecvPacket(Context ctx, TransferPacket packet)
    {
        var ack = Acknowledgement.Success;
        SdkError? ackError = null;
        var data = FungibleTokenPacketData.TryDecode(packet.Data);
        if (data is null)
        {
            ackError = IbcCoreErrors.InvalidType("cannot unmarshal ICS-20 transfer packet data");
            ack = Acknowledgement.ForError(ackError.Code);
        }
        else
        {
            try { Keeper.OnRecvPacket(ctx, packet, data); }
            catch (SdkError e)
            {
                ackError = e;
                ack = Acknowledgement.ForError(e.Code);
            }
        }

        var shown = data ?? new FungibleTokenPacketData("", "", "", "", "");
        var attributes = new List<(string, string)>
        {
            ("module", TransferKeys.ModuleName), ("sender", shown.Sender), ("receiver", shown.Receiver), ("denom", shown.Denom),
            ("amount", shown.Amount), ("memo", shown.Memo), ("success", ack.IsSuccess ? "true" : "false"),
        };
        if (ackError is not null) attributes.Add(("error", ackError.Message));
        ctx.Events.Emit(SdkEvent.Of("fungible_token_packet", [.. attributes]));
        return ack;
    }

    /// <summary>The counterparty's ack arrived: refunds on an error ack; emits fungible_token_packet twice as ibc-go does.</summary>
    /// <exception cref="SdkError">ibc code 4 when the ack or the packet data do not decode (the MsgAcknowledgement fails).</exception>
    public void OnAcknowledgementPacket(Context ctx, TransferPacket packet, byte[] acknowledgement)
    {
        var ack = Acknowledgement.TryDecode(acknowledgement)
            ?? throw IbcCoreErrors.UnknownRequest("cannot unmarshal ICS-20 transfer packet acknowledgement");
        var data = DecodeOwnPacket(packet);
        Keeper.OnAcknowledgementPacket(ctx, packet, data, ack);

        ctx.Events.Emit(SdkEvent.Of("fungible_token_packet",
            ("module", TransferKeys.ModuleName), ("sender", data.Sender), ("receiver", data.Receiver), ("denom", data.Denom),
            ("amount", data.Amount), ("memo", data.Memo), ("acknowledgement", ack.ToCompactText())));
        if (ack.Result is { } result)
            ctx.Events.Emit(SdkEvent.Of("fungible_token_packet", ("success", System.Text.Encoding.UTF8.GetString(result))));
        else if (ack.ErrorText is { } error)
            ctx.Events.Emit(SdkEvent.Of("fungible_token_packet", ("error", error)));
    }

    /// <summary>The packet timed out: refunds the sender; emits timeout.</summary>
    public void OnTimeoutPacket(Context ctx, TransferPacket packet)
    {
        var data = DecodeOwnPacket(packet);
        Keeper.OnTimeoutPacket(ctx, packet, data);
        ctx.Events.Emit(SdkEvent.Of("timeout",
            ("module", TransferKeys.ModuleName), ("refund_receiver", data.Sender), ("refund_denom", data.Denom),
            ("refund_amount", data.Amount), ("memo", data.Memo)));
    }

    private static FungibleTokenPacketData DecodeOwnPacket(TransferPacket packet)
        => FungibleTokenPacketData.TryDecode(packet.Data)
            ?? throw IbcCoreErrors.UnknownRequest("cannot unmarshal ICS-20 transfer packet data");
}
