using DePinChain.Protos.Ibc.Core.Channel.V1;
using DePinChain.Sdk;
using Google.Protobuf;

namespace DePinChain.Modules.Ibc.Channel;

/// <summary>
/// ibc-go's RedundantRelayDecorator, for the mempool: a tx whose packet messages (receive, acknowledgement, timeout) were
/// all relayed already is refused with channel code 22, so competing relayers do not pay for blocks of no-ops and learn
/// at once that someone else was faster. In a block such a message stays a successful no-op, as in ibc-go. A tx with at
/// least one new packet message passes (the others are no-ops when it executes).
/// </summary>
/// <remarks>
/// This checks redundancy against committed state only; ibc-go also runs the packet messages in its check state, so a
/// second copy of a tx still in the mempool is refused there too. Here that copy is accepted into the mempool and
/// becomes a no-op in its block.
/// </remarks>
public sealed class RedundantRelayCheck(ChannelKeeper channels) : IMempoolTxCheck
{
    public void Check(Context ctx, IReadOnlyList<IMessage> messages)
    {
        int packetMessages = 0, redundant = 0;
        foreach (var message in messages)
        {
            bool? isRedundant = message switch
            {
                MsgRecvPacket { Packet: { } p } => Received(ctx, p),
                MsgAcknowledgement { Packet: { } p } => channels.GetPacketCommitment(ctx, p.SourcePort, p.SourceChannel, p.Sequence) is null,
                MsgTimeout { Packet: { } p } => channels.GetPacketCommitment(ctx, p.SourcePort, p.SourceChannel, p.Sequence) is null,
                MsgTimeoutOnClose { Packet: { } p } => channels.GetPacketCommitment(ctx, p.SourcePort, p.SourceChannel, p.Sequence) is null,
                _ => null,
            };
            if (isRedundant is not { } value) continue;
            packetMessages++;
            if (value) redundant++;
        }
        if (packetMessages > 0 && redundant == packetMessages) throw IbcErrors.Channel.RedundantTx();
    }

    // Received already: an unordered channel keeps a receipt per sequence, an ordered one a next sequence to receive.
    private bool Received(Context ctx, Packet packet)
    {
        var channel = channels.GetChannel(ctx, packet.DestinationPort, packet.DestinationChannel);
        if (channel is null) return false; // the message itself fails with the right error when it executes
        return channel.Ordering == Order.Ordered
            ? channels.GetNextSequenceRecv(ctx, packet.DestinationPort, packet.DestinationChannel) is { } next && packet.Sequence < next
            : channels.HasPacketReceipt(ctx, packet.DestinationPort, packet.DestinationChannel, packet.Sequence);
    }
}
