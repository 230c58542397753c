using System.Text;
using DePinChain.Modules.Ibc.Channel;
using DePinChain.Modules.Ibc.Client;
using DePinChain.Modules.Ibc.Connection;
using DePinChain.Modules.Ibc.Host;
using DePinChain.Protos.Cosmos.Base.Query.V1Beta1;
using DePinChain.Protos.Ibc.Core.Channel.V1;
using DePinChain.Protos.Ibc.Core.Client.V1;
using DePinChain.Protos.Ibc.Core.Connection.V1;
using DePinChain.Sdk;
using Google.Protobuf;
using ChannelQuery = DePinChain.Protos.Ibc.Core.Channel.V1;

namespace DePinChain.Modules.Ibc;

/// <summary>
/// The three ibc-go Query services at their gRPC paths (/ibc.core.client.v1.Query/..., connection, channel), answered as
/// ibc-go does: proof_height is the queried height, proofs are empty (relayers prove with abci_query
/// <c>store/ibc/key</c>), lists are paginated (key or offset, limit default 100) in store order.
/// </summary>
public sealed class IbcQueryServer(ClientKeeper clients, ConnectionKeeper connections, ChannelKeeper channels)
{
    private static Height SelfHeight(Context ctx) => Heights.SelfHeight(ctx.ChainId, ctx.Height);

    public void RegisterClient(QueryRouter.ServiceRegistrar query)
    {
        query.Register("ClientState", QueryClientStateRequest.Parser, (ctx, r) =>
        {
            Identifiers.ValidateClientId(r.ClientId);
            var state = clients.GetClientState(ctx, r.ClientId) ?? throw IbcErrors.Client.ClientNotFound(r.ClientId);
            return new QueryClientStateResponse { ClientState = state, ProofHeight = SelfHeight(ctx) };
        });
        query.Register("ClientStates", QueryClientStatesRequest.Parser, (ctx, r) =>
        {
            var all = clients.ClientStates(ctx).Select(c => (Encoding.UTF8.GetBytes(c.ClientId), new IdentifiedClientState { ClientId = c.ClientId, ClientState = c.State })).ToList();
            var (page, response) = Pagination.Page(all, r.Pagination);
            var answer = new QueryClientStatesResponse { Pagination = response };
            answer.ClientStates.AddRange(page);
            return answer;
        });
        query.Register("ConsensusState", QueryConsensusStateRequest.Parser, (ctx, r) =>
        {
            Identifiers.ValidateClientId(r.ClientId);
            Height height;
            if (r.LatestHeight) height = clients.GetLatestHeight(ctx, r.ClientId);
            else
            {
                if (r.RevisionHeight == 0) throw SdkErrors.InvalidRequest("consensus state height cannot be 0");
                height = Heights.Of(r.RevisionNumber, r.RevisionHeight);
            }
            var state = clients.GetConsensusState(ctx, r.ClientId, height)
                ?? throw IbcErrors.Client.ConsensusStateNotFound($"client-id: {r.ClientId}, height: {Heights.Format(height)}");
            return new QueryConsensusStateResponse { ConsensusState = state, ProofHeight = SelfHeight(ctx) };
        });
        query.Register("ConsensusStates", QueryConsensusStatesRequest.Parser, (ctx, r) =>
        {
            Identifiers.ValidateClientId(r.ClientId);
            var all = clients.ConsensusStates(ctx, r.ClientId)
                .Select(c => (IbcPaths.IterationKey(r.ClientId, c.Height), new ConsensusStateWithHeight { Height = c.Height, ConsensusState = c.State })).ToList();
            var (page, response) = Pagination.Page(all, r.Pagination);
            var answer = new QueryConsensusStatesResponse { Pagination = response };
            answer.ConsensusStates.AddRange(page);
            return answer;
        });
        query.Register("ConsensusStateHeights", QueryConsensusStateHeightsRequest.Parser, (ctx, r) =>
        {
            Identifiers.ValidateClientId(r.ClientId);
            var all = clients.ConsensusStates(ctx, r.ClientId).Select(c => (IbcPaths.IterationKey(r.ClientId, c.Height), c.Height)).ToList();
            var (page, response) = Pagination.Page(all, r.Pagination);
            var answer = new QueryConsensusStateHeightsResponse { Pagination = response };
            answer.ConsensusStateHeights.AddRange(page);
            return answer;
        });
        query.Register("ClientStatus", QueryClientStatusRequest.Parser, (ctx, r) =>
        {
            Identifiers.ValidateClientId(r.ClientId);
            return new QueryClientStatusResponse { Status = clients.GetStatus(ctx, r.ClientId) };
        });
        query.Register("ClientParams", QueryClientParamsRequest.Parser, (ctx, _) => new QueryClientParamsResponse { Params = clients.GetParams(ctx) });
    }

    public void RegisterConnection(QueryRouter.ServiceRegistrar query)
    {
        query.Register("Connection", QueryConnectionRequest.Parser, (ctx, r) =>
        {
            Identifiers.ValidateConnectionId(r.ConnectionId);
            var connection = connections.GetConnection(ctx, r.ConnectionId) ?? throw IbcErrors.Connection.ConnectionNotFound(r.ConnectionId);
            return new QueryConnectionResponse { Connection = connection, ProofHeight = SelfHeight(ctx) };
        });
        query.Register("Connections", QueryConnectionsRequest.Parser, (ctx, r) =>
        {
            var all = connections.Connections(ctx).Select(c => (Encoding.UTF8.GetBytes(c.Id), Identified(c.Id, c.Connection))).ToList();
            var (page, response) = Pagination.Page(all, r.Pagination);
            var answer = new QueryConnectionsResponse { Pagination = response, Height = SelfHeight(ctx) };
            answer.Connections.AddRange(page);
            return answer;
        });
        query.Register("ClientConnections", QueryClientConnectionsRequest.Parser, (ctx, r) =>
        {
            Identifiers.ValidateClientId(r.ClientId);
            var paths = connections.GetClientConnections(ctx, r.ClientId);
            if (paths.Count == 0) throw IbcErrors.Connection.ConnectionNotFound($"light client connection paths not found for {r.ClientId}");
            var answer = new QueryClientConnectionsResponse { ProofHeight = SelfHeight(ctx) };
            answer.ConnectionPaths.AddRange(paths);
            return answer;
        });
        query.Register("ConnectionClientState", QueryConnectionClientStateRequest.Parser, (ctx, r) =>
        {
            Identifiers.ValidateConnectionId(r.ConnectionId);
            var connection = connections.GetConnection(ctx, r.ConnectionId) ?? throw IbcErrors.Connection.ConnectionNotFound(r.ConnectionId);
            var state = clients.GetClientState(ctx, connection.ClientId) ?? throw IbcErrors.Client.ClientNotFound(connection.ClientId);
            return new QueryConnectionClientStateResponse
            {
                IdentifiedClientState = new IdentifiedClientState { ClientId = connection.ClientId, ClientState = state },
                ProofHeight = SelfHeight(ctx),
            };
        });
        query.Register("ConnectionConsensusState", QueryConnectionConsensusStateRequest.Parser, (ctx, r) =>
        {
            Identifiers.ValidateConnectionId(r.ConnectionId);
            var connection = connections.GetConnection(ctx, r.ConnectionId) ?? throw IbcErrors.Connection.ConnectionNotFound(r.ConnectionId);
            var height = Heights.Of(r.RevisionNumber, r.RevisionHeight);
            var state = clients.GetConsensusState(ctx, connection.ClientId, height)
                ?? throw IbcErrors.Client.ConsensusStateNotFound($"client-id: {connection.ClientId}, height: {Heights.Format(height)}");
            return new QueryConnectionConsensusStateResponse { ConsensusState = state, ClientId = connection.ClientId, ProofHeight = SelfHeight(ctx) };
        });
        query.Register("ConnectionParams", QueryConnectionParamsRequest.Parser, (ctx, _) => new QueryConnectionParamsResponse { Params = connections.GetParams(ctx) });
    }

    public void RegisterChannel(QueryRouter.ServiceRegistrar query)
    {
        query.Register("Channel", QueryChannelRequest.Parser, (ctx, r) =>
        {
            PortChannel(r.PortId, r.ChannelId);
            var channel = channels.GetChannel(ctx, r.PortId, r.ChannelId) ?? throw IbcErrors.Channel.ChannelNotFound($"port-id: {r.PortId}, channel-id {r.ChannelId}");
            return new QueryChannelResponse { Channel = channel, ProofHeight = SelfHeight(ctx) };
        });
        query.Register("Channels", QueryChannelsRequest.Parser, (ctx, r) =>
        {
            var all = channels.Channels(ctx).Select(c => (Encoding.UTF8.GetBytes(IbcPaths.ChannelPath(c.PortId, c.ChannelId)), Identified(c.PortId, c.ChannelId, c.Channel))).ToList();
            var (page, response) = Pagination.Page(all, r.Pagination);
            var answer = new QueryChannelsResponse { Pagination = response, Height = SelfHeight(ctx) };
            answer.Channels.AddRange(page);
            return answer;
        });
        query.Register("ConnectionChannels", QueryConnectionChannelsRequest.Parser, (ctx, r) =>
        {
            Identifiers.ValidateConnectionId(r.Connection);
            var all = channels.Channels(ctx).Where(c => c.Channel.ConnectionHops.Count > 0 && c.Channel.ConnectionHops[0] == r.Connection)
                .Select(c => (Encoding.UTF8.GetBytes(IbcPaths.ChannelPath(c.PortId, c.ChannelId)), Identified(c.PortId, c.ChannelId, c.Channel))).ToList();
            var (page, response) = Pagination.Page(all, r.Pagination);
            var answer = new QueryConnectionChannelsResponse { Pagination = response, Height = SelfHeight(ctx) };
            answer.Channels.AddRange(page);
            return answer;
        });
        query.Register("ChannelClientState", QueryChannelClientStateRequest.Parser, (ctx, r) =>
        {
            var connection = ConnectionOf(ctx, r.PortId, r.ChannelId);
            var state = clients.GetClientState(ctx, connection.ClientId) ?? throw IbcErrors.Client.ClientNotFound(connection.ClientId);
            return new QueryChannelClientStateResponse
            {
                IdentifiedClientState = new IdentifiedClientState { ClientId = connection.ClientId, ClientState = state },
                ProofHeight = SelfHeight(ctx),
            };
        });
        query.Register("ChannelConsensusState", QueryChannelConsensusStateRequest.Parser, (ctx, r) =>
        {
            var connection = ConnectionOf(ctx, r.PortId, r.ChannelId);
            var height = Heights.Of(r.RevisionNumber, r.RevisionHeight);
            var state = clients.GetConsensusState(ctx, connection.ClientId, height)
                ?? throw IbcErrors.Client.ConsensusStateNotFound($"client-id: {connection.ClientId}, height: {Heights.Format(height)}");
            return new QueryChannelConsensusStateResponse { ConsensusState = state, ClientId = connection.ClientId, ProofHeight = SelfHeight(ctx) };
        });
        query.Register("PacketCommitment", QueryPacketCommitmentRequest.Parser, (ctx, r) =>
        {
            PortChannel(r.PortId, r.ChannelId);
            if (r.Sequence == 0) throw SdkErrors.InvalidRequest("packet sequence cannot be 0");
            var commitment = channels.GetPacketCommitment(ctx, r.PortId, r.ChannelId, r.Sequence);
            if (commitment is null || commitment.Length == 0) throw SdkErrors.NotFound("packet commitment hash not found");
            return new QueryPacketCommitmentResponse { Commitment = ByteString.CopyFrom(commitment), ProofHeight = SelfHeight(ctx) };
        });
        query.Register("PacketCommitments", QueryPacketCommitmentsRequest.Parser, (ctx, r) =>
        {
            PortChannel(r.PortId, r.ChannelId);
            var prefix = IbcPaths.PacketCommitmentPrefix(r.PortId, r.ChannelId);
            var all = channels.PacketStates(ctx, prefix).Select(s => (SequenceKey(s.Sequence), State(r.PortId, r.ChannelId, s.Sequence, s.Value))).ToList();
            var (page, response) = Pagination.Page(all, r.Pagination);
            var answer = new QueryPacketCommitmentsResponse { Pagination = response, Height = SelfHeight(ctx) };
            answer.Commitments.AddRange(page);
            return answer;
        });
        query.Register("PacketReceipt", QueryPacketReceiptRequest.Parser, (ctx, r) =>
        {
            PortChannel(r.PortId, r.ChannelId);
            if (r.Sequence == 0) throw SdkErrors.InvalidRequest("packet sequence cannot be 0");
            return new QueryPacketReceiptResponse { Received = channels.HasPacketReceipt(ctx, r.PortId, r.ChannelId, r.Sequence), ProofHeight = SelfHeight(ctx) };
        });
        query.Register("PacketAcknowledgement", QueryPacketAcknowledgementRequest.Parser, (ctx, r) =>
        {
            PortChannel(r.PortId, r.ChannelId);
            if (r.Sequence == 0) throw SdkErrors.InvalidRequest("packet sequence cannot be 0");
            var ack = channels.GetPacketAcknowledgement(ctx, r.PortId, r.ChannelId, r.Sequence)
                ?? throw SdkErrors.NotFound("packet acknowledgement hash not found");
            return new QueryPacketAcknowledgementResponse { Acknowledgement = ByteString.CopyFrom(ack), ProofHeight = SelfHeight(ctx) };
        });
        query.Register("PacketAcknowledgements", QueryPacketAcknowledgementsRequest.Parser, (ctx, r) =>
        {
            PortChannel(r.PortId, r.ChannelId);
            var answer = new QueryPacketAcknowledgementsResponse { Height = SelfHeight(ctx) };
            if (r.PacketCommitmentSequences.Count > 0)
            {
                // Only the given sequences, no pagination (ibc-go).
                foreach (var seq in r.PacketCommitmentSequences)
                {
                    if (channels.GetPacketAcknowledgement(ctx, r.PortId, r.ChannelId, seq) is { } ack) answer.Acknowledgements.Add(State(r.PortId, r.ChannelId, seq, ack));
                }
                answer.Pagination = new PageResponse();
                return answer;
            }
            var prefix = IbcPaths.PacketAcknowledgementPrefix(r.PortId, r.ChannelId);
            var all = channels.PacketStates(ctx, prefix).Select(s => (SequenceKey(s.Sequence), State(r.PortId, r.ChannelId, s.Sequence, s.Value))).ToList();
            var (page, response) = Pagination.Page(all, r.Pagination);
            answer.Pagination = response;
            answer.Acknowledgements.AddRange(page);
            return answer;
        });
        query.Register("UnreceivedPackets", QueryUnreceivedPacketsRequest.Parser, (ctx, r) =>
        {
            PortChannel(r.PortId, r.ChannelId);
            var channel = channels.GetChannel(ctx, r.PortId, r.ChannelId) ?? throw IbcErrors.Channel.ChannelNotFound($"port-id: {r.PortId}, channel-id {r.ChannelId}");
            var answer = new QueryUnreceivedPacketsResponse { Height = SelfHeight(ctx) };
            ulong nextRecv = 0;
            if (channel.Ordering == Order.Ordered)
                nextRecv = channels.GetNextSequenceRecv(ctx, r.PortId, r.ChannelId) ?? throw IbcErrors.Channel.SequenceReceiveNotFound($"destination port: {r.PortId}, destination channel: {r.ChannelId}");
            foreach (var seq in r.PacketCommitmentSequences)
            {
                if (seq == 0) throw SdkErrors.InvalidRequest("packet sequence cannot be 0");
                var received = channel.Ordering == Order.Ordered ? seq < nextRecv : channels.HasPacketReceipt(ctx, r.PortId, r.ChannelId, seq);
                if (!received) answer.Sequences.Add(seq);
            }
            return answer;
        });
        query.Register("UnreceivedAcks", QueryUnreceivedAcksRequest.Parser, (ctx, r) =>
        {
            PortChannel(r.PortId, r.ChannelId);
            var answer = new QueryUnreceivedAcksResponse { Height = SelfHeight(ctx) };
            foreach (var seq in r.PacketAckSequences)
            {
                if (seq == 0) throw SdkErrors.InvalidRequest("packet sequence cannot be 0");
                // An ack not yet relayed here: the packet's commitment is still stored.
                if (channels.GetPacketCommitment(ctx, r.PortId, r.ChannelId, seq) is { Length: > 0 }) answer.Sequences.Add(seq);
            }
            return answer;
        });
        query.Register("NextSequenceReceive", QueryNextSequenceReceiveRequest.Parser, (ctx, r) =>
        {
            PortChannel(r.PortId, r.ChannelId);
            var seq = channels.GetNextSequenceRecv(ctx, r.PortId, r.ChannelId)
                ?? throw IbcErrors.Channel.SequenceReceiveNotFound($"port-id: {r.PortId}, channel-id {r.ChannelId}");
            return new QueryNextSequenceReceiveResponse { NextSequenceReceive = seq, ProofHeight = SelfHeight(ctx) };
        });
        query.Register("NextSequenceSend", QueryNextSequenceSendRequest.Parser, (ctx, r) =>
        {
            PortChannel(r.PortId, r.ChannelId);
            var seq = channels.GetNextSequenceSend(ctx, r.PortId, r.ChannelId)
                ?? throw IbcErrors.Channel.SequenceSendNotFound($"port-id: {r.PortId}, channel-id {r.ChannelId}");
            return new QueryNextSequenceSendResponse { NextSequenceSend = seq, ProofHeight = SelfHeight(ctx) };
        });
    }

    private ConnectionEnd ConnectionOf(Context ctx, string portId, string channelId)
    {
        PortChannel(portId, channelId);
        var channel = channels.GetChannel(ctx, portId, channelId) ?? throw IbcErrors.Channel.ChannelNotFound($"port-id: {portId}, channel-id {channelId}");
        var connectionId = channel.ConnectionHops.Count > 0 ? channel.ConnectionHops[0] : "";
        return connections.GetConnection(ctx, connectionId) ?? throw IbcErrors.Connection.ConnectionNotFound($"connection-id: {connectionId}");
    }

    private static void PortChannel(string portId, string channelId)
    {
        Identifiers.ValidatePortId(portId);
        Identifiers.ValidateChannelId(channelId);
    }

    private static byte[] SequenceKey(ulong sequence)
    {
        var key = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(key, sequence);
        return key;
    }

    private static PacketState State(string portId, string channelId, ulong sequence, byte[] data)
        => new() { PortId = portId, ChannelId = channelId, Sequence = sequence, Data = ByteString.CopyFrom(data) };

    private static IdentifiedConnection Identified(string id, ConnectionEnd c)
    {
        var identified = new IdentifiedConnection { Id = id, ClientId = c.ClientId, State = c.State, Counterparty = c.Counterparty, DelayPeriod = c.DelayPeriod };
        identified.Versions.AddRange(c.Versions);
        return identified;
    }

    private static IdentifiedChannel Identified(string portId, string channelId, ChannelQuery.Channel c)
    {
        var identified = new IdentifiedChannel
        {
            State = c.State, Ordering = c.Ordering, Counterparty = c.Counterparty, Version = c.Version,
            PortId = portId, ChannelId = channelId, UpgradeSequence = c.UpgradeSequence,
        };
        identified.ConnectionHops.AddRange(c.ConnectionHops);
        return identified;
    }
}
