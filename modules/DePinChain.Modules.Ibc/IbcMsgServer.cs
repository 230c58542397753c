using DePinChain.Modules.Ibc.Channel;
using DePinChain.Modules.Ibc.Client;
using DePinChain.Modules.Ibc.Connection;
using DePinChain.Modules.Ibc.Host;
using DePinChain.Protos.Ibc.Core.Channel.V1;
using DePinChain.Protos.Ibc.Core.Client.V1;
using DePinChain.Protos.Ibc.Core.Connection.V1;
using DePinChain.Sdk;
using ChannelState = DePinChain.Protos.Ibc.Core.Channel.V1.State;

// The deprecated fields and message below are ibc-go's too: they are still accepted (MsgSubmitMisbehaviour) or must be
// checked empty (previous_*_id), as ibc-go does.
#pragma warning disable CS0612

namespace DePinChain.Modules.Ibc;

/// <summary>The three ibc-go Msg services (client, connection, channel): each message's ValidateBasic, then its
/// keeper.</summary>
public sealed class IbcMsgServer(ClientKeeper clients, ConnectionKeeper connections, ChannelKeeper channels)
{
    public void Register(MsgRouter router)
    {
        router.Register(MsgCreateClient.Parser, m => Signer(m.Signer), (ctx, m) =>
        {
            clients.CreateClient(ctx, m.ClientState, m.ConsensusState);
            return new MsgCreateClientResponse();
        });
        router.Register(MsgUpdateClient.Parser, m => { ClientId(m.ClientId); Signer(m.Signer); }, (ctx, m) =>
        {
            clients.UpdateClient(ctx, m.ClientId, m.ClientMessage ?? throw IbcErrors.Client.InvalidHeader("client message cannot be nil"));
            return new MsgUpdateClientResponse();
        });
        router.Register(MsgSubmitMisbehaviour.Parser, m => { ClientId(m.ClientId); Signer(m.Signer); }, (ctx, m) =>
        {
            clients.UpdateClient(ctx, m.ClientId, m.Misbehaviour ?? throw IbcErrors.Client.InvalidMisbehaviour("misbehaviour cannot be nil"));
            return new MsgSubmitMisbehaviourResponse();
        });

        router.Register(MsgConnectionOpenInit.Parser, ValidateOpenInit, (ctx, m) =>
        {
            connections.ConnOpenInit(ctx, m.ClientId, m.Counterparty, m.Version, m.DelayPeriod);
            return new MsgConnectionOpenInitResponse();
        });
        router.Register(MsgConnectionOpenTry.Parser, ValidateOpenTry, (ctx, m) =>
        {
            connections.ConnOpenTry(ctx, m);
            return new MsgConnectionOpenTryResponse();
        });
        router.Register(MsgConnectionOpenAck.Parser, ValidateOpenAck, (ctx, m) =>
        {
            connections.ConnOpenAck(ctx, m);
            return new MsgConnectionOpenAckResponse();
        });
        router.Register(MsgConnectionOpenConfirm.Parser, m =>
        {
            Identifiers.ValidateConnectionId(m.ConnectionId);
            Proof(m.ProofAck);
            ProofHeight(m.ProofHeight);
            Signer(m.Signer);
        }, (ctx, m) =>
        {
            connections.ConnOpenConfirm(ctx, m);
            return new MsgConnectionOpenConfirmResponse();
        });

        router.Register(MsgChannelOpenInit.Parser, m =>
        {
            Identifiers.ValidatePortId(m.PortId);
            ValidateChannel(m.Channel, ChannelState.Init);
            if (m.Channel.Counterparty.ChannelId != "") throw IbcErrors.Channel.InvalidCounterparty("counterparty channel identifier must be empty");
            Signer(m.Signer);
        }, (ctx, m) => channels.ChanOpenInit(ctx, m));
        router.Register(MsgChannelOpenTry.Parser, m =>
        {
            Identifiers.ValidatePortId(m.PortId);
            if (m.PreviousChannelId != "")
                throw IbcErrors.Channel.InvalidChannelIdentifier("previous channel identifier must be empty, this field has been deprecated as crossing hellos are no longer supported");
            Proof(m.ProofInit);
            ProofHeight(m.ProofHeight);
            ValidateChannel(m.Channel, ChannelState.Tryopen);
            Identifiers.ValidateChannelId(m.Channel.Counterparty.ChannelId);
            Signer(m.Signer);
        }, (ctx, m) => channels.ChanOpenTry(ctx, m));
        router.Register(MsgChannelOpenAck.Parser, m =>
        {
            PortChannel(m.PortId, m.ChannelId);
            Identifiers.ValidateChannelId(m.CounterpartyChannelId);
            Proof(m.ProofTry);
            ProofHeight(m.ProofHeight);
            Signer(m.Signer);
        }, (ctx, m) =>
        {
            channels.ChanOpenAck(ctx, m);
            return new MsgChannelOpenAckResponse();
        });
        router.Register(MsgChannelOpenConfirm.Parser, m =>
        {
            PortChannel(m.PortId, m.ChannelId);
            Proof(m.ProofAck);
            ProofHeight(m.ProofHeight);
            Signer(m.Signer);
        }, (ctx, m) =>
        {
            channels.ChanOpenConfirm(ctx, m);
            return new MsgChannelOpenConfirmResponse();
        });
        router.Register(MsgChannelCloseInit.Parser, m => { PortChannel(m.PortId, m.ChannelId); Signer(m.Signer); }, (ctx, m) =>
        {
            channels.ChanCloseInit(ctx, m);
            return new MsgChannelCloseInitResponse();
        });
        router.Register(MsgChannelCloseConfirm.Parser, m =>
        {
            PortChannel(m.PortId, m.ChannelId);
            Proof(m.ProofInit);
            ProofHeight(m.ProofHeight);
            Signer(m.Signer);
        }, (ctx, m) =>
        {
            channels.ChanCloseConfirm(ctx, m);
            return new MsgChannelCloseConfirmResponse();
        });
        router.Register(MsgRecvPacket.Parser, m =>
        {
            ChannelKeeper.ValidatePacket(m.Packet);
            Proof(m.ProofCommitment);
            ProofHeight(m.ProofHeight);
            Signer(m.Signer);
        }, (ctx, m) => channels.RecvPacket(ctx, m, m.Signer));
        router.Register(MsgAcknowledgement.Parser, m =>
        {
            ChannelKeeper.ValidatePacket(m.Packet);
            if (m.Acknowledgement.IsEmpty) throw IbcErrors.Channel.InvalidAcknowledgement("ack bytes cannot be empty");
            Proof(m.ProofAcked);
            ProofHeight(m.ProofHeight);
            Signer(m.Signer);
        }, (ctx, m) => channels.Acknowledgement(ctx, m, m.Signer));
        router.Register(MsgTimeout.Parser, m =>
        {
            if (m.NextSequenceRecv == 0) throw IbcErrors.Core.InvalidSequence("next sequence receive cannot be 0");
            ChannelKeeper.ValidatePacket(m.Packet);
            Proof(m.ProofUnreceived);
            ProofHeight(m.ProofHeight);
            Signer(m.Signer);
        }, (ctx, m) => channels.Timeout(ctx, m, m.Signer));
        router.Register(MsgTimeoutOnClose.Parser, m =>
        {
            if (m.NextSequenceRecv == 0) throw IbcErrors.Core.InvalidSequence("next sequence receive cannot be 0");
            ChannelKeeper.ValidatePacket(m.Packet);
            Proof(m.ProofUnreceived);
            Proof(m.ProofClose);
            ProofHeight(m.ProofHeight);
            Signer(m.Signer);
        }, (ctx, m) => channels.TimeoutOnClose(ctx, m, m.Signer));
    }

    // ---- ValidateBasic pieces (ibc-go's msgs.go) ----

    private static void Signer(string signer)
    {
        try
        {
            Bech32Address.Parse(signer);
        }
        catch (Exception e) when (e is SdkError or FormatException or ArgumentException)
        {
            throw IbcErrors.Core.InvalidAddress($"string could not be parsed as address: {e.Message}");
        }
    }

    private static void ClientId(string clientId)
    {
        Identifiers.ValidateClientId(clientId);
        if (!ClientKeeper.TryParseClientType(clientId, out _)) throw IbcErrors.Host.InvalidId($"invalid client identifier {clientId}");
    }

    private static void Proof(Google.Protobuf.ByteString proof)
    {
        if (proof.IsEmpty) throw IbcErrors.Commitment.InvalidProof("cannot submit an empty proof");
    }

    private static void ProofHeight(Height? height)
    {
        if (Heights.IsZero(height)) throw IbcErrors.Client.InvalidHeight("proof height must be non-zero");
    }

    private static void PortChannel(string portId, string channelId)
    {
        Identifiers.ValidatePortId(portId);
        Identifiers.ValidateChannelId(channelId);
    }

    private static void ValidateCounterparty(Protos.Ibc.Core.Connection.V1.Counterparty? counterparty)
    {
        if (counterparty is null) throw IbcErrors.Connection.InvalidCounterparty("counterparty cannot be nil");
        if (counterparty.ConnectionId != "") Identifiers.ValidateConnectionId(counterparty.ConnectionId);
        Identifiers.ValidateClientId(counterparty.ClientId);
        if (counterparty.Prefix is null || counterparty.Prefix.KeyPrefix.IsEmpty) throw IbcErrors.Connection.InvalidCounterparty("counterparty prefix cannot be empty");
    }

    private static void ValidateVersion(Protos.Ibc.Core.Connection.V1.Version? version)
    {
        if (version is null) throw IbcErrors.Connection.InvalidVersion("version cannot be nil");
        if (string.IsNullOrWhiteSpace(version.Identifier)) throw IbcErrors.Connection.InvalidVersion("version identifier cannot be blank");
        foreach (var feature in version.Features)
        {
            if (string.IsNullOrWhiteSpace(feature)) throw IbcErrors.Connection.InvalidVersion("feature cannot be blank");
        }
    }

    private static void ValidateOpenInit(MsgConnectionOpenInit m)
    {
        ClientId(m.ClientId);
        ValidateCounterparty(m.Counterparty);
        if (m.Counterparty.ConnectionId != "") throw IbcErrors.Connection.InvalidCounterparty("counterparty connection identifier must be empty");
        if (m.Version is not null) ValidateVersion(m.Version);
        Signer(m.Signer);
    }

    private static void ValidateOpenTry(MsgConnectionOpenTry m)
    {
        if (m.PreviousConnectionId != "")
            throw IbcErrors.Connection.InvalidConnection("previous connection identifier must be empty, this field has been deprecated as crossing hellos are no longer supported");
        ClientId(m.ClientId);
        if (m.ClientState is null) throw IbcErrors.Client.InvalidClient("counterparty client is nil");
        ValidateCounterparty(m.Counterparty);
        Identifiers.ValidateConnectionId(m.Counterparty.ConnectionId);
        if (m.CounterpartyVersions.Count == 0) throw IbcErrors.Connection.InvalidVersion("empty counterparty versions");
        foreach (var v in m.CounterpartyVersions) ValidateVersion(v);
        Proof(m.ProofInit);
        Proof(m.ProofClient);
        Proof(m.ProofConsensus);
        ProofHeight(m.ProofHeight);
        if (Heights.IsZero(m.ConsensusHeight)) throw IbcErrors.Client.InvalidHeight("consensus height must be non-zero");
        Signer(m.Signer);
    }

    private static void ValidateOpenAck(MsgConnectionOpenAck m)
    {
        Identifiers.ValidateConnectionId(m.ConnectionId);
        Identifiers.ValidateConnectionId(m.CounterpartyConnectionId);
        ValidateVersion(m.Version);
        if (m.ClientState is null) throw IbcErrors.Client.InvalidClient("counterparty client is nil");
        Proof(m.ProofTry);
        Proof(m.ProofClient);
        Proof(m.ProofConsensus);
        ProofHeight(m.ProofHeight);
        if (Heights.IsZero(m.ConsensusHeight)) throw IbcErrors.Client.InvalidHeight("consensus height must be non-zero");
        Signer(m.Signer);
    }

    private static void ValidateChannel(Protos.Ibc.Core.Channel.V1.Channel? channel, ChannelState expected)
    {
        if (channel is null) throw IbcErrors.Channel.InvalidChannel("channel cannot be nil");
        if (channel.State != expected)
            throw IbcErrors.Channel.InvalidChannelState($"channel state must be {ChannelKeeper.StateName(expected)}. expected: {ChannelKeeper.StateName(expected)}, got: {ChannelKeeper.StateName(channel.State)}");
        if (channel.Ordering is not (Order.Ordered or Order.Unordered)) throw IbcErrors.Channel.InvalidChannelOrdering(ChannelKeeper.OrderName(channel.Ordering));
        if (channel.ConnectionHops.Count != 1)
            throw IbcErrors.Channel.TooManyConnectionHops($"current IBC version only supports one connection hop, got {channel.ConnectionHops.Count}");
        Identifiers.ValidateConnectionId(channel.ConnectionHops[0]);
        if (channel.Counterparty is null) throw IbcErrors.Channel.InvalidCounterparty("counterparty cannot be nil");
        Identifiers.ValidatePortId(channel.Counterparty.PortId);
        if (channel.Counterparty.ChannelId != "") Identifiers.ValidateChannelId(channel.Counterparty.ChannelId);
    }
}
