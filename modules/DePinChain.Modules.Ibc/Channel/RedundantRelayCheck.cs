using DePinChain.Modules.Ibc.Client;
using DePinChain.Protos.Ibc.Core.Channel.V1;
using DePinChain.Protos.Ibc.Core.Client.V1;
using DePinChain.Sdk;
using Google.Protobuf;

namespace DePinChain.Modules.Ibc.Channel;

/// <summary>
/// ibc-go's RedundantRelayDecorator (v8), for the mempool: a tx made only of client updates and packet messages (receive,
/// acknowledgement, timeout) whose packet messages were all relayed already is refused with channel code 22, so competing
/// relayers do not pay for blocks of no-ops and learn at once that someone else was faster. The messages run on the
/// mempool's state, as in ibc-go's check state: updates add their consensus states (the header verified), receives are
/// verified and leave receipts (without the application), acknowledgements and timeouts run whole. So a second relayer's
/// copy of a tx still in the mempool is refused too, a forged proof is refused before it reaches a block, and on recheck
/// (after a block) a receive only checks replay. A tx with any other message passes; in a block redundant packet
/// messages stay successful no-ops, as in ibc-go.
/// </summary>
public sealed class RedundantRelayCheck(ChannelKeeper channels, ClientKeeper clients) : IMempoolTxCheck
{
    public void Check(Context ctx, IReadOnlyList<IMessage> messages)
    {
        bool recheck = ctx.Mode == ExecMode.ReCheckTx;
        int packetMessages = 0, redundant = 0;
        foreach (var message in messages)
        {
            bool fresh;
            switch (message)
            {
                case MsgRecvPacket m:
                    try
                    {
                        fresh = recheck ? channels.RecvPacketReCheckTx(ctx, m.Packet) : channels.RecvPacketCheckTx(ctx, m);
                    }
                    catch (SdkError e)
                    {
                        throw e.Wrap("receive packet verification failed");
                    }
                    break;
                case MsgAcknowledgement m:
                    fresh = channels.Acknowledgement(ctx, m, m.Signer).Result != ResponseResultType.Noop;
                    break;
                case MsgTimeout m:
                    fresh = channels.Timeout(ctx, m, m.Signer).Result != ResponseResultType.Noop;
                    break;
                case MsgTimeoutOnClose m:
                    fresh = channels.TimeoutOnClose(ctx, m, m.Signer).Result != ResponseResultType.Noop;
                    break;
                case MsgUpdateClient m:
                    clients.UpdateClientCheckTx(ctx, m.ClientId, m.ClientMessage, verify: !recheck);
                    continue;
                default:
                    return; // not only relaying: the tx goes through whatever its packet messages are
            }
            packetMessages++;
            if (!fresh) redundant++;
        }
        if (packetMessages > 0 && redundant == packetMessages) throw IbcErrors.Channel.RedundantTx();
    }
}
