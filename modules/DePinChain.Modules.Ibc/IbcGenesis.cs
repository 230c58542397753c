using System.Text;
using DePinChain.Modules.Ibc.Channel;
using DePinChain.Modules.Ibc.Client;
using DePinChain.Modules.Ibc.Client.Tendermint;
using DePinChain.Modules.Ibc.Connection;
using DePinChain.Modules.Ibc.Host;
using DePinChain.Protos.Ibc.Core.Channel.V1;
using DePinChain.Protos.Ibc.Core.Client.V1;
using DePinChain.Protos.Ibc.Core.Connection.V1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using ChannelEnd = DePinChain.Protos.Ibc.Core.Channel.V1.Channel;
using ChannelGenesis = DePinChain.Protos.Ibc.Core.Channel.V1.GenesisState;
using ClientGenesis = DePinChain.Protos.Ibc.Core.Client.V1.GenesisState;
using ConnectionGenesis = DePinChain.Protos.Ibc.Core.Connection.V1.GenesisState;
using GenesisState = DePinChain.Protos.Ibc.Core.Types.V1.GenesisState;

namespace DePinChain.Modules.Ibc;

/// <summary>
/// The ibc genesis as ibc-go v8 writes and reads it (core/types GenesisState: client, connection and channel sections).
/// Export walks the store in ibc-go's order (clients and consensus states by client id, each client's consensus-state
/// metadata: processed times and heights then the height index, as 07-tendermint's ExportMetadata; connections, client
/// connection paths; channels, then acknowledgements, commitments, receipts and the three sequences per channel in key
/// order), and Init writes each entry back at its ICS-24 path, so export → import reproduces the ibc store byte for byte.
/// </summary>
public sealed class IbcGenesis(ClientKeeper clients, ConnectionKeeper connections, ChannelKeeper channels) : ModuleGenesis<GenesisState>(Json)
{
    /// <summary>The light-client states a genesis may hold in its <c>Any</c>s.</summary>
    public static readonly TypeRegistry Types = TypeRegistry.FromFiles([.. IbcModule.LightClientFiles]);

    public static readonly GenesisCodec<GenesisState> Json = new(IbcModule.ModuleName, Types);

    private const string ConsensusStatesPrefix = "consensusStates/";
    private const string IterationPrefix = "iterateConsensusStates";

    public override GenesisState Default() => new()
    {
        ClientGenesis = new ClientGenesis { Params = ClientKeeper.DefaultParams() },
        ConnectionGenesis = new ConnectionGenesis { Params = ConnectionKeeper.DefaultParams() },
        ChannelGenesis = new ChannelGenesis { Params = new Protos.Ibc.Core.Channel.V1.Params() },
    };

    private static SdkError Invalid(string reason) => SdkErrors.InvalidRequest("invalid ibc genesis: " + reason);

    // ------------------------------------------------------------------ validation (ibc-go's GenesisState.Validate)

    public override void Validate(GenesisState g)
    {
        var client = g.ClientGenesis ?? throw Invalid("client_genesis is missing");
        var connection = g.ConnectionGenesis ?? throw Invalid("connection_genesis is missing");
        var channel = g.ChannelGenesis ?? throw Invalid("channel_genesis is missing");
        try
        {
            ValidateClients(client);
            ValidateConnections(connection, client.Clients.Select(c => c.ClientId).ToHashSet(StringComparer.Ordinal));
            ValidateChannels(channel);
        }
        catch (SdkError e) when (!e.Message.StartsWith("invalid ibc genesis", StringComparison.Ordinal))
        {
            throw Invalid(e.Message);
        }
    }

    private static void ValidateClients(ClientGenesis g)
    {
        if (g.Params is null) throw Invalid("client params are missing");
        for (var i = 0; i < g.Params.AllowedClients.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(g.Params.AllowedClients[i])) throw Invalid($"client type {i} cannot be blank");
        }
        var clientIds = new HashSet<string>(StringComparer.Ordinal);
        ulong maxSequence = 0;
        bool any = false;
        for (var i = 0; i < g.Clients.Count; i++)
        {
            var c = g.Clients[i];
            Identifiers.ValidateClientId(c.ClientId);
            if (!clientIds.Add(c.ClientId)) throw Invalid($"duplicate client id {c.ClientId}");
            if (!ClientKeeper.TryParseClientType(c.ClientId, out var type) || type != TendermintLightClient.Type
                || !Identifiers.TryParseSequence(c.ClientId, type, out var sequence))
                throw Invalid($"client {i}: {c.ClientId} is not a 07-tendermint client identifier");
            if (!g.Params.AllowedClients.Any(a => a == "*" || a == type)) throw Invalid($"client state type {type} is not registered on the allowlist");
            var state = TendermintStates.UnpackClientState(c.ClientState);
            TendermintStates.Validate(state);
            (maxSequence, any) = (Math.Max(maxSequence, sequence), true);
        }
        foreach (var cc in g.ClientsConsensus)
        {
            if (!clientIds.Contains(cc.ClientId)) throw Invalid($"consensus states of client {cc.ClientId}, which the genesis does not list");
            foreach (var cs in cc.ConsensusStates)
            {
                if (cs.Height is null || Heights.IsZero(cs.Height)) throw Invalid($"consensus state height of client {cc.ClientId} cannot be zero");
                TendermintStates.Validate(TendermintStates.UnpackConsensusState(cs.ConsensusState));
            }
        }
        foreach (var m in g.ClientsMetadata)
        {
            if (!clientIds.Contains(m.ClientId)) throw Invalid($"metadata of client {m.ClientId}, which the genesis does not list");
            foreach (var md in m.ClientMetadata)
            {
                if (md.Key.IsEmpty) throw Invalid($"metadata key of client {m.ClientId} cannot be empty");
                if (md.Value.IsEmpty) throw Invalid($"metadata value of client {m.ClientId} cannot be empty");
                if (!IsConsensusMetadataKey(md.Key.Span))
                    throw Invalid($"metadata key {Encoding.UTF8.GetString(md.Key.Span)} of client {m.ClientId} is not 07-tendermint consensus metadata");
            }
        }
        if (any && maxSequence >= g.NextClientSequence)
            throw Invalid($"next client identifier sequence {g.NextClientSequence} must be greater than maximum client identifier {maxSequence}");
    }

    private static void ValidateConnections(ConnectionGenesis g, HashSet<string> clientIds)
    {
        if (g.Params is null) throw Invalid("connection params are missing");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in g.Connections)
        {
            Identifiers.ValidateConnectionId(c.Id);
            if (!ids.Add(c.Id)) throw Invalid($"duplicate connection id {c.Id}");
            if (!Identifiers.TryParseSequence(c.Id, "connection", out var sequence)) throw Invalid($"{c.Id} is not a connection identifier");
            if (sequence >= g.NextConnectionSequence)
                throw Invalid($"next connection sequence {g.NextConnectionSequence} must be greater than maximum sequence used in connection identifier {sequence}");
            Identifiers.ValidateClientId(c.ClientId);
            if (!clientIds.Contains(c.ClientId)) throw Invalid($"connection {c.Id} is on client {c.ClientId}, which the genesis does not list");
            if (c.State == Protos.Ibc.Core.Connection.V1.State.UninitializedUnspecified) throw Invalid($"connection {c.Id} state cannot be uninitialized");
            if (c.Versions.Count == 0) throw Invalid($"connection {c.Id} has no versions");
            if (c.Counterparty is null) throw Invalid($"connection {c.Id} has no counterparty");
            Identifiers.ValidateClientId(c.Counterparty.ClientId);
        }
        foreach (var paths in g.ClientConnectionPaths)
        {
            if (!clientIds.Contains(paths.ClientId)) throw Invalid($"connection paths of client {paths.ClientId}, which the genesis does not list");
            foreach (var path in paths.Paths)
            {
                if (!ids.Contains(path)) throw Invalid($"client {paths.ClientId} lists connection {path}, which the genesis does not list");
            }
        }
    }

    private static void ValidateChannels(ChannelGenesis g)
    {
        var ids = new HashSet<(string, string)>();
        foreach (var c in g.Channels)
        {
            Identifiers.ValidatePortId(c.PortId);
            Identifiers.ValidateChannelId(c.ChannelId);
            if (!ids.Add((c.PortId, c.ChannelId))) throw Invalid($"duplicate channel {c.PortId}/{c.ChannelId}");
            if (!Identifiers.TryParseSequence(c.ChannelId, "channel", out var sequence)) throw Invalid($"{c.ChannelId} is not a channel identifier");
            if (sequence >= g.NextChannelSequence)
                throw Invalid($"next channel sequence {g.NextChannelSequence} must be greater than maximum sequence used in channel identifier {sequence}");
            if (c.State == Protos.Ibc.Core.Channel.V1.State.UninitializedUnspecified) throw Invalid($"channel {c.ChannelId} state cannot be uninitialized");
            if (c.ConnectionHops.Count != 1) throw Invalid($"channel {c.ChannelId} must have exactly one connection hop");
        }
        void Packets(IEnumerable<PacketState> states, string what)
        {
            foreach (var p in states)
            {
                Identifiers.ValidatePortId(p.PortId);
                Identifiers.ValidateChannelId(p.ChannelId);
                if (p.Sequence == 0) throw Invalid($"{what} {p.PortId}/{p.ChannelId}: packet sequence cannot be 0");
                if (p.Data.IsEmpty) throw Invalid($"{what} {p.PortId}/{p.ChannelId}/{p.Sequence}: data bytes cannot be nil");
            }
        }
        Packets(g.Acknowledgements, "acknowledgement");
        Packets(g.Commitments, "commitment");
        Packets(g.Receipts, "receipt");
        foreach (var s in g.SendSequences.Concat(g.RecvSequences).Concat(g.AckSequences))
        {
            Identifiers.ValidatePortId(s.PortId);
            Identifiers.ValidateChannelId(s.ChannelId);
        }
    }

    /// <summary>07-tendermint's consensus metadata keys (relative to the client's store): consensusStates/{h}/processedTime
    /// or processedHeight, and the height index iterateConsensusStates ‖ BE64 ‖ BE64.</summary>
    private static bool IsConsensusMetadataKey(ReadOnlySpan<byte> key)
    {
        var iteration = Encoding.UTF8.GetBytes(IterationPrefix);
        if (key.StartsWith(iteration)) return key.Length == iteration.Length + 16;
        var text = Encoding.UTF8.GetString(key);
        var parts = text.Split('/');
        return parts.Length == 3 && parts[0] + "/" == ConsensusStatesPrefix && Heights.TryParse(parts[1], out _)
            && parts[2] is "processedTime" or "processedHeight";
    }

    // ------------------------------------------------------------------ init

    public override void Init(Context ctx, GenesisState g)
    {
        var store = IbcStore.Of(ctx);
        var client = g.ClientGenesis;
        clients.SetParams(ctx, client.Params);
        // ibc-go sets the metadata first, so client and consensus states written after it win on a shared key.
        foreach (var m in client.ClientsMetadata)
        {
            foreach (var md in m.ClientMetadata)
                store.Raw.Set([.. Encoding.UTF8.GetBytes(IbcPaths.ClientPrefix(m.ClientId)), .. md.Key.Span], md.Value.Span);
        }
        foreach (var c in client.Clients)
            TendermintLightClient.SetClientState(ctx, c.ClientId, TendermintStates.UnpackClientState(c.ClientState));
        foreach (var cc in client.ClientsConsensus)
        {
            foreach (var cs in cc.ConsensusStates)
                store.Set(IbcPaths.ConsensusState(cc.ClientId, cs.Height), TendermintStates.Pack(TendermintStates.UnpackConsensusState(cs.ConsensusState)));
        }
        clients.SetNextClientSequence(ctx, client.NextClientSequence);

        var connection = g.ConnectionGenesis;
        foreach (var c in connection.Connections)
        {
            connections.SetConnection(ctx, c.Id, new ConnectionEnd
            {
                ClientId = c.ClientId, Versions = { c.Versions }, State = c.State, Counterparty = c.Counterparty, DelayPeriod = c.DelayPeriod,
            });
        }
        foreach (var paths in connection.ClientConnectionPaths)
            store.Set(IbcPaths.ClientConnections(paths.ClientId), new ClientPaths { Paths = { paths.Paths } });
        connections.SetNextConnectionSequence(ctx, connection.NextConnectionSequence);
        connections.SetParams(ctx, connection.Params);

        var channel = g.ChannelGenesis;
        foreach (var c in channel.Channels)
        {
            channels.SetChannel(ctx, c.PortId, c.ChannelId, new ChannelEnd
            {
                State = c.State, Ordering = c.Ordering, Counterparty = c.Counterparty, ConnectionHops = { c.ConnectionHops }, Version = c.Version,
                UpgradeSequence = c.UpgradeSequence,
            });
        }
        foreach (var p in channel.Acknowledgements) store.Set(IbcPaths.PacketAcknowledgement(p.PortId, p.ChannelId, p.Sequence), p.Data.Span);
        foreach (var p in channel.Commitments) store.Set(IbcPaths.PacketCommitment(p.PortId, p.ChannelId, p.Sequence), p.Data.Span);
        foreach (var p in channel.Receipts) store.Set(IbcPaths.PacketReceipt(p.PortId, p.ChannelId, p.Sequence), p.Data.Span);
        foreach (var s in channel.SendSequences) store.SetUInt64(IbcPaths.NextSequenceSend(s.PortId, s.ChannelId), s.Sequence);
        foreach (var s in channel.RecvSequences) store.SetUInt64(IbcPaths.NextSequenceRecv(s.PortId, s.ChannelId), s.Sequence);
        foreach (var s in channel.AckSequences) store.SetUInt64(IbcPaths.NextSequenceAck(s.PortId, s.ChannelId), s.Sequence);
        channels.SetNextChannelSequence(ctx, channel.NextChannelSequence);
    }

    // ------------------------------------------------------------------ export

    public override GenesisState Export(Context ctx) => new()
    {
        ClientGenesis = ExportClients(ctx),
        ConnectionGenesis = ExportConnections(ctx),
        ChannelGenesis = ExportChannels(ctx),
    };

    private ClientGenesis ExportClients(Context ctx)
    {
        var store = IbcStore.Of(ctx);
        var g = new ClientGenesis { Params = clients.GetParams(ctx), NextClientSequence = clients.GetNextClientSequence(ctx) };
        var states = clients.ClientStates(ctx).OrderBy(c => c.ClientId, StringComparer.Ordinal).ToList();
        g.Clients.AddRange(states.Select(c => new IdentifiedClientState { ClientId = c.ClientId, ClientState = c.State }));

        // ibc-go's IterateConsensusStates: every clients/{id}/consensusStates/{height} key, grouped by client id.
        var consensus = new SortedDictionary<string, ClientConsensusStates>(StringComparer.Ordinal);
        foreach (var (key, value) in store.Prefixed("clients/"))
        {
            var parts = Encoding.UTF8.GetString(key).Split('/');
            if (parts.Length != 4 || parts[2] + "/" != ConsensusStatesPrefix || !Heights.TryParse(parts[3], out var height)) continue;
            if (!consensus.TryGetValue(parts[1], out var entry)) consensus[parts[1]] = entry = new ClientConsensusStates { ClientId = parts[1] };
            entry.ConsensusStates.Add(new ConsensusStateWithHeight { Height = height, ConsensusState = Any.Parser.ParseFrom(value) });
        }
        g.ClientsConsensus.AddRange(consensus.Values);

        // 07-tendermint's ExportMetadata: processed time and height of each consensus state, then the height index.
        foreach (var (clientId, _) in states)
        {
            var prefix = IbcPaths.ClientPrefix(clientId);
            var metadata = new IdentifiedGenesisMetadata { ClientId = clientId };
            foreach (var (key, value) in store.Prefixed(prefix + ConsensusStatesPrefix))
            {
                var relative = key.AsSpan(Encoding.UTF8.GetByteCount(prefix));
                if (IsConsensusMetadataKey(relative) && !relative.StartsWith(Encoding.UTF8.GetBytes(IterationPrefix)))
                    metadata.ClientMetadata.Add(new GenesisMetadata { Key = ByteString.CopyFrom(relative), Value = ByteString.CopyFrom(value) });
            }
            foreach (var (key, value) in store.Prefixed(IbcPaths.IterationPrefix(clientId)))
            {
                var relative = key.AsSpan(Encoding.UTF8.GetByteCount(prefix));
                if (IsConsensusMetadataKey(relative))
                    metadata.ClientMetadata.Add(new GenesisMetadata { Key = ByteString.CopyFrom(relative), Value = ByteString.CopyFrom(value) });
            }
            if (metadata.ClientMetadata.Count > 0) g.ClientsMetadata.Add(metadata);
        }
        return g;
    }

    private ConnectionGenesis ExportConnections(Context ctx)
    {
        var g = new ConnectionGenesis { Params = connections.GetParams(ctx), NextConnectionSequence = connections.GetNextConnectionSequence(ctx) };
        foreach (var (id, c) in connections.Connections(ctx))
        {
            g.Connections.Add(new IdentifiedConnection
            {
                Id = id, ClientId = c.ClientId, Versions = { c.Versions }, State = c.State, Counterparty = c.Counterparty, DelayPeriod = c.DelayPeriod,
            });
        }
        foreach (var (clientId, _) in clients.ClientStates(ctx).OrderBy(c => c.ClientId, StringComparer.Ordinal))
        {
            var paths = connections.GetClientConnections(ctx, clientId);
            if (paths.Count > 0) g.ClientConnectionPaths.Add(new ConnectionPaths { ClientId = clientId, Paths = { paths } });
        }
        return g;
    }

    private ChannelGenesis ExportChannels(Context ctx)
    {
        var store = IbcStore.Of(ctx);
        var g = new ChannelGenesis { Params = new Protos.Ibc.Core.Channel.V1.Params(), NextChannelSequence = channels.GetNextChannelSequence(ctx) };
        foreach (var (port, channelId, c) in channels.Channels(ctx))
        {
            g.Channels.Add(new IdentifiedChannel
            {
                State = c.State, Ordering = c.Ordering, Counterparty = c.Counterparty, ConnectionHops = { c.ConnectionHops }, Version = c.Version,
                PortId = port, ChannelId = channelId, UpgradeSequence = c.UpgradeSequence,
            });
        }
        g.Acknowledgements.AddRange(PacketStates(store, "acks/"));
        g.Commitments.AddRange(PacketStates(store, "commitments/"));
        g.Receipts.AddRange(PacketStates(store, "receipts/"));
        g.SendSequences.AddRange(Sequences(store, "nextSequenceSend/"));
        g.RecvSequences.AddRange(Sequences(store, "nextSequenceRecv/"));
        g.AckSequences.AddRange(Sequences(store, "nextSequenceAck/"));
        return g;
    }

    // {prefix}ports/{port}/channels/{channel}/sequences/{n}, in key order as ibc-go iterates them.
    private static IEnumerable<PacketState> PacketStates(IbcStore store, string prefix)
    {
        foreach (var (key, value) in store.Prefixed(prefix + "ports/"))
        {
            var parts = Encoding.UTF8.GetString(key).Split('/');
            if (parts.Length != 7 || parts[3] != "channels" || parts[5] != "sequences"
                || !ulong.TryParse(parts[6], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sequence)) continue;
            yield return new PacketState { PortId = parts[2], ChannelId = parts[4], Sequence = sequence, Data = ByteString.CopyFrom(value) };
        }
    }

    // {prefix}ports/{port}/channels/{channel} → BE64 sequence.
    private static IEnumerable<PacketSequence> Sequences(IbcStore store, string prefix)
    {
        foreach (var (key, value) in store.Prefixed(prefix + "ports/"))
        {
            var parts = Encoding.UTF8.GetString(key).Split('/');
            if (parts.Length != 5 || parts[3] != "channels" || value.Length != 8) continue;
            yield return new PacketSequence { PortId = parts[2], ChannelId = parts[4], Sequence = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(value) };
        }
    }
}
