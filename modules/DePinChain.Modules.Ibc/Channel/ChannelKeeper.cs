using System.Text;
using DePinChain.Modules.Ibc.Client;
using DePinChain.Modules.Ibc.Connection;
using DePinChain.Modules.Ibc.Host;
using DePinChain.Protos.Ibc.Core.Channel.V1;
using DePinChain.Protos.Ibc.Core.Client.V1;
using ConnectionEnd = DePinChain.Protos.Ibc.Core.Connection.V1.ConnectionEnd;
using DePinChain.Sdk;
using Google.Protobuf;
using ChannelState = DePinChain.Protos.Ibc.Core.Channel.V1.State;
using ConnectionState = DePinChain.Protos.Ibc.Core.Connection.V1.State;

namespace DePinChain.Modules.Ibc.Channel;

/// <summary>
/// ICS-04 (ibc-go v8 04-channel keeper and the channel half of its msg server): channel handshakes and closes with the
/// port's application callbacks, packet send/receive/acknowledge/timeout with proofs of the counterparty's
/// commitments, receipts and acks, replay protection (receipts for unordered channels, sequences for ordered ones), and
/// ibc-go's events. A packet relayed twice is a no-op (RESPONSE_RESULT_TYPE_NOOP), not an error, so relayers' batches
/// go on.
/// </summary>
public sealed class ChannelKeeper(ConnectionKeeper connections, PortRouter ports)
{
    public const string EventCategory = "ibc_channel";

    private ClientKeeper Clients => connections.Clients;

    public PortRouter Ports => ports;

    // ---- state ----

    public ulong GetNextChannelSequence(Context ctx) => IbcStore.Of(ctx).GetUInt64(IbcPaths.NextChannelSequence) ?? 0;

    public void SetNextChannelSequence(Context ctx, ulong sequence) => IbcStore.Of(ctx).SetUInt64(IbcPaths.NextChannelSequence, sequence);

    public Protos.Ibc.Core.Channel.V1.Channel? GetChannel(Context ctx, string portId, string channelId)
        => IbcStore.Of(ctx).GetMessage(IbcPaths.ChannelEnd(portId, channelId), Protos.Ibc.Core.Channel.V1.Channel.Parser);

    private Protos.Ibc.Core.Channel.V1.Channel MustChannel(Context ctx, string portId, string channelId)
        => GetChannel(ctx, portId, channelId) ?? throw IbcErrors.Channel.ChannelNotFound($"port ID ({portId}) channel ID ({channelId})");

    public void SetChannel(Context ctx, string portId, string channelId, Protos.Ibc.Core.Channel.V1.Channel channel)
        => IbcStore.Of(ctx).Set(IbcPaths.ChannelEnd(portId, channelId), WithGogoDefaults(channel));

    public static Protos.Ibc.Core.Channel.V1.Channel WithGogoDefaults(Protos.Ibc.Core.Channel.V1.Channel c)
    {
        c.Counterparty ??= new Counterparty();
        return c;
    }

    public IEnumerable<(string PortId, string ChannelId, Protos.Ibc.Core.Channel.V1.Channel Channel)> Channels(Context ctx)
    {
        foreach (var (key, value) in IbcStore.Of(ctx).Prefixed("channelEnds/ports/"))
        {
            var parts = Encoding.UTF8.GetString(key).Split('/');
            if (parts.Length != 5) continue;
            yield return (parts[2], parts[4], Protos.Ibc.Core.Channel.V1.Channel.Parser.ParseFrom(value));
        }
    }

    public ulong? GetNextSequenceSend(Context ctx, string portId, string channelId) => IbcStore.Of(ctx).GetUInt64(IbcPaths.NextSequenceSend(portId, channelId));

    public ulong? GetNextSequenceRecv(Context ctx, string portId, string channelId) => IbcStore.Of(ctx).GetUInt64(IbcPaths.NextSequenceRecv(portId, channelId));

    public ulong? GetNextSequenceAck(Context ctx, string portId, string channelId) => IbcStore.Of(ctx).GetUInt64(IbcPaths.NextSequenceAck(portId, channelId));

    public byte[]? GetPacketCommitment(Context ctx, string portId, string channelId, ulong sequence) => IbcStore.Of(ctx).Get(IbcPaths.PacketCommitment(portId, channelId, sequence));

    public byte[]? GetPacketAcknowledgement(Context ctx, string portId, string channelId, ulong sequence) => IbcStore.Of(ctx).Get(IbcPaths.PacketAcknowledgement(portId, channelId, sequence));

    public bool HasPacketReceipt(Context ctx, string portId, string channelId, ulong sequence) => IbcStore.Of(ctx).Has(IbcPaths.PacketReceipt(portId, channelId, sequence));

    /// <summary>The (sequence, value) entries under a per-channel prefix ("commitments/.../sequences/"), in sequence order.</summary>
    public IEnumerable<(ulong Sequence, byte[] Value)> PacketStates(Context ctx, string prefix)
    {
        var list = new List<(ulong, byte[])>();
        foreach (var (key, value) in IbcStore.Of(ctx).Prefixed(prefix))
        {
            var tail = Encoding.UTF8.GetString(key)[prefix.Length..];
            if (ulong.TryParse(tail, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seq)) list.Add((seq, value));
        }
        // Keys sort as text ("10" before "9"): order by number.
        return list.OrderBy(x => x.Item1);
    }

    // A new channel end as the application agreed to it, with its three sequences at 1.
    private Protos.Ibc.Core.Channel.V1.Channel WriteNewChannel(Context ctx, string portId, string channelId, ChannelState state,
        Protos.Ibc.Core.Channel.V1.Channel proposed, string version)
    {
        var stored = new Protos.Ibc.Core.Channel.V1.Channel
        {
            State = state, Ordering = proposed.Ordering, Counterparty = proposed.Counterparty, Version = version,
            ConnectionHops = { proposed.ConnectionHops },
        };
        SetChannel(ctx, portId, channelId, stored);
        InitSequences(ctx, portId, channelId);
        return stored;
    }

    private static void InitSequences(Context ctx, string portId, string channelId)
    {
        var store = IbcStore.Of(ctx);
        store.SetUInt64(IbcPaths.NextSequenceSend(portId, channelId), 1);
        store.SetUInt64(IbcPaths.NextSequenceRecv(portId, channelId), 1);
        store.SetUInt64(IbcPaths.NextSequenceAck(portId, channelId), 1);
    }

    private string GenerateChannelId(Context ctx)
    {
        var sequence = GetNextChannelSequence(ctx);
        SetNextChannelSequence(ctx, sequence + 1);
        return $"channel-{sequence}";
    }

    public static string OrderName(Order o) => o switch
    {
        Order.Unordered => "ORDER_UNORDERED",
        Order.Ordered => "ORDER_ORDERED",
        _ => "ORDER_NONE_UNSPECIFIED",
    };

    public static string StateName(ChannelState s) => s switch
    {
        ChannelState.Init => "STATE_INIT",
        ChannelState.Tryopen => "STATE_TRYOPEN",
        ChannelState.Open => "STATE_OPEN",
        ChannelState.Closed => "STATE_CLOSED",
        ChannelState.Flushing => "STATE_FLUSHING",
        ChannelState.Flushcomplete => "STATE_FLUSHCOMPLETE",
        _ => "STATE_UNINITIALIZED_UNSPECIFIED",
    };

    private ConnectionEnd OpenConnection(Context ctx, string connectionId)
    {
        var connection = connections.GetConnection(ctx, connectionId) ?? throw IbcErrors.Connection.ConnectionNotFound(connectionId);
        if (connection.State != ConnectionState.Open)
            throw IbcErrors.Connection.InvalidConnectionState($"connection state is not OPEN (got {ConnectionKeeper.StateName(connection.State)})");
        return connection;
    }

    private static void CheckOrderingSupported(ConnectionEnd connection, Order order)
    {
        if (connection.Versions.Count != 1)
            throw IbcErrors.Connection.InvalidVersion($"single version must be negotiated on connection before opening channel, got: {connection.Versions.Count} versions");
        if (!ConnectionKeeper.SupportsFeature(connection.Versions[0], OrderName(order)))
            throw IbcErrors.Connection.InvalidVersion($"connection version {connection.Versions[0]} does not support channel ordering: {OrderName(order)}");
    }

    // ---- handshake ----

    public MsgChannelOpenInitResponse ChanOpenInit(Context ctx, MsgChannelOpenInit msg)
    {
        var app = ports.Route(msg.PortId);
        var channel = msg.Channel;
        var connection = connections.GetConnection(ctx, channel.ConnectionHops[0]) ?? throw IbcErrors.Connection.ConnectionNotFound(channel.ConnectionHops[0]);
        CheckOrderingSupported(connection, channel.Ordering);
        var status = Clients.GetStatus(ctx, connection.ClientId);
        if (status != ClientStatus.Active) throw IbcErrors.Client.ClientNotActive($"client ({connection.ClientId}) status is {status}");
        var channelId = GenerateChannelId(ctx);
        var version = app.OnChanOpenInit(ctx, channel.Ordering, channel.ConnectionHops, msg.PortId, channelId, channel.Counterparty, channel.Version);
        var stored = WriteNewChannel(ctx, msg.PortId, channelId, ChannelState.Init, channel, version);
        Emit(ctx, SdkEvent.Of("channel_open_init", ("port_id", msg.PortId), ("channel_id", channelId),
            ("counterparty_port_id", stored.Counterparty.PortId), ("connection_id", stored.ConnectionHops[0]), ("version", version)));
        return new MsgChannelOpenInitResponse { ChannelId = channelId, Version = version };
    }

    public MsgChannelOpenTryResponse ChanOpenTry(Context ctx, MsgChannelOpenTry msg)
    {
        var app = ports.Route(msg.PortId);
        var channel = msg.Channel;
        var connection = OpenConnection(ctx, channel.ConnectionHops[0]);
        CheckOrderingSupported(connection, channel.Ordering);
        var expected = new Protos.Ibc.Core.Channel.V1.Channel
        {
            State = ChannelState.Init, Ordering = channel.Ordering, Counterparty = new Counterparty { PortId = msg.PortId },
            ConnectionHops = { connection.Counterparty.ConnectionId }, Version = msg.CounterpartyVersion,
        };
        connections.VerifyChannelState(ctx, connection, msg.ProofHeight, msg.ProofInit, channel.Counterparty.PortId, channel.Counterparty.ChannelId, expected);
        var channelId = GenerateChannelId(ctx);
        var version = app.OnChanOpenTry(ctx, channel.Ordering, channel.ConnectionHops, msg.PortId, channelId, channel.Counterparty, msg.CounterpartyVersion);
        var stored = WriteNewChannel(ctx, msg.PortId, channelId, ChannelState.Tryopen, channel, version);
        Emit(ctx, SdkEvent.Of("channel_open_try", ("port_id", msg.PortId), ("channel_id", channelId),
            ("counterparty_port_id", stored.Counterparty.PortId), ("counterparty_channel_id", stored.Counterparty.ChannelId),
            ("connection_id", stored.ConnectionHops[0]), ("version", version)));
        return new MsgChannelOpenTryResponse { ChannelId = channelId, Version = version };
    }

    public void ChanOpenAck(Context ctx, MsgChannelOpenAck msg)
    {
        var app = ports.Route(msg.PortId);
        var channel = MustChannel(ctx, msg.PortId, msg.ChannelId);
        if (channel.State != ChannelState.Init) throw IbcErrors.Channel.InvalidChannelState($"channel state should be INIT (got {StateName(channel.State)})");
        var connection = OpenConnection(ctx, channel.ConnectionHops[0]);
        var expected = new Protos.Ibc.Core.Channel.V1.Channel
        {
            State = ChannelState.Tryopen, Ordering = channel.Ordering, Counterparty = new Counterparty { PortId = msg.PortId, ChannelId = msg.ChannelId },
            ConnectionHops = { connection.Counterparty.ConnectionId }, Version = msg.CounterpartyVersion,
        };
        connections.VerifyChannelState(ctx, connection, msg.ProofHeight, msg.ProofTry, channel.Counterparty.PortId, msg.CounterpartyChannelId, expected);
        app.OnChanOpenAck(ctx, msg.PortId, msg.ChannelId, msg.CounterpartyChannelId, msg.CounterpartyVersion);
        channel.State = ChannelState.Open;
        channel.Version = msg.CounterpartyVersion;
        channel.Counterparty.ChannelId = msg.CounterpartyChannelId;
        SetChannel(ctx, msg.PortId, msg.ChannelId, channel);
        Emit(ctx, SdkEvent.Of("channel_open_ack", ("port_id", msg.PortId), ("channel_id", msg.ChannelId),
            ("counterparty_port_id", channel.Counterparty.PortId), ("counterparty_channel_id", channel.Counterparty.ChannelId),
            ("connection_id", channel.ConnectionHops[0])));
    }

    public void ChanOpenConfirm(Context ctx, MsgChannelOpenConfirm msg)
    {
        var app = ports.Route(msg.PortId);
        var channel = MustChannel(ctx, msg.PortId, msg.ChannelId);
        if (channel.State != ChannelState.Tryopen) throw IbcErrors.Channel.InvalidChannelState($"channel state is not TRYOPEN (got {StateName(channel.State)})");
        var connection = OpenConnection(ctx, channel.ConnectionHops[0]);
        var expected = new Protos.Ibc.Core.Channel.V1.Channel
        {
            State = ChannelState.Open, Ordering = channel.Ordering, Counterparty = new Counterparty { PortId = msg.PortId, ChannelId = msg.ChannelId },
            ConnectionHops = { connection.Counterparty.ConnectionId }, Version = channel.Version,
        };
        connections.VerifyChannelState(ctx, connection, msg.ProofHeight, msg.ProofAck, channel.Counterparty.PortId, channel.Counterparty.ChannelId, expected);
        app.OnChanOpenConfirm(ctx, msg.PortId, msg.ChannelId);
        channel.State = ChannelState.Open;
        SetChannel(ctx, msg.PortId, msg.ChannelId, channel);
        Emit(ctx, SdkEvent.Of("channel_open_confirm", ("port_id", msg.PortId), ("channel_id", msg.ChannelId),
            ("counterparty_port_id", channel.Counterparty.PortId), ("counterparty_channel_id", channel.Counterparty.ChannelId),
            ("connection_id", channel.ConnectionHops[0])));
    }

    public void ChanCloseInit(Context ctx, MsgChannelCloseInit msg)
    {
        var app = ports.Route(msg.PortId);
        app.OnChanCloseInit(ctx, msg.PortId, msg.ChannelId);
        var channel = MustChannel(ctx, msg.PortId, msg.ChannelId);
        if (channel.State == ChannelState.Closed) throw IbcErrors.Channel.InvalidChannelState("channel is already CLOSED");
        var connection = connections.GetConnection(ctx, channel.ConnectionHops[0]) ?? throw IbcErrors.Connection.ConnectionNotFound(channel.ConnectionHops[0]);
        var status = Clients.GetStatus(ctx, connection.ClientId);
        if (status != ClientStatus.Active) throw IbcErrors.Client.ClientNotActive($"client ({connection.ClientId}) status is {status}");
        if (connection.State != ConnectionState.Open)
            throw IbcErrors.Connection.InvalidConnectionState($"connection state is not OPEN (got {ConnectionKeeper.StateName(connection.State)})");
        channel.State = ChannelState.Closed;
        SetChannel(ctx, msg.PortId, msg.ChannelId, channel);
        EmitClose(ctx, "channel_close_init", msg.PortId, msg.ChannelId, channel);
    }

    public void ChanCloseConfirm(Context ctx, MsgChannelCloseConfirm msg)
    {
        var app = ports.Route(msg.PortId);
        app.OnChanCloseConfirm(ctx, msg.PortId, msg.ChannelId);
        var channel = MustChannel(ctx, msg.PortId, msg.ChannelId);
        if (channel.State == ChannelState.Closed) throw IbcErrors.Channel.InvalidChannelState("channel is already CLOSED");
        var connection = OpenConnection(ctx, channel.ConnectionHops[0]);
        var expected = new Protos.Ibc.Core.Channel.V1.Channel
        {
            State = ChannelState.Closed, Ordering = channel.Ordering, Counterparty = new Counterparty { PortId = msg.PortId, ChannelId = msg.ChannelId },
            ConnectionHops = { connection.Counterparty.ConnectionId }, Version = channel.Version, UpgradeSequence = msg.CounterpartyUpgradeSequence,
        };
        connections.VerifyChannelState(ctx, connection, msg.ProofHeight, msg.ProofInit, channel.Counterparty.PortId, channel.Counterparty.ChannelId, expected);
        channel.State = ChannelState.Closed;
        SetChannel(ctx, msg.PortId, msg.ChannelId, channel);
        EmitClose(ctx, "channel_close_confirm", msg.PortId, msg.ChannelId, channel);
    }

    private static void EmitClose(Context ctx, string type, string portId, string channelId, Protos.Ibc.Core.Channel.V1.Channel channel)
        => Emit(ctx, SdkEvent.Of(type, ("port_id", portId), ("channel_id", channelId),
            ("counterparty_port_id", channel.Counterparty.PortId), ("counterparty_channel_id", channel.Counterparty.ChannelId),
            ("connection_id", channel.ConnectionHops[0])));

    private static void Emit(Context ctx, SdkEvent e)
    {
        ctx.Events.Emit(e);
        ctx.Events.Emit(SdkEvent.Of("message", ("module", EventCategory)));
    }

    // ---- packets ----

    /// <summary>Whether a timeout (height and/or timestamp; zero = none) has passed at a height and time.</summary>
    public static bool TimeoutElapsed(Packet packet, Height height, ulong timestamp)
        => (!Host.Heights.IsZero(packet.TimeoutHeight) && Host.Heights.Gte(height, packet.TimeoutHeight))
        || (packet.TimeoutTimestamp != 0 && timestamp >= packet.TimeoutTimestamp);

    /// <summary>Packet.ValidateBasic.</summary>
    public static void ValidatePacket(Packet packet)
    {
        if (packet is null) throw IbcErrors.Channel.InvalidPacket("packet cannot be nil");
        try
        {
            Identifiers.ValidatePortId(packet.SourcePort);
            Identifiers.ValidateChannelId(packet.SourceChannel);
            Identifiers.ValidatePortId(packet.DestinationPort);
            Identifiers.ValidateChannelId(packet.DestinationChannel);
        }
        catch (SdkError e)
        {
            throw IbcErrors.Channel.InvalidPacket(e.Message);
        }
        if (packet.Sequence == 0) throw IbcErrors.Channel.InvalidPacket("packet sequence cannot be 0");
        if (Host.Heights.IsZero(packet.TimeoutHeight) && packet.TimeoutTimestamp == 0)
            throw IbcErrors.Channel.InvalidPacket("packet timeout height and packet timeout timestamp cannot both be 0");
        if (packet.Data.IsEmpty) throw IbcErrors.Channel.InvalidPacket("packet data bytes cannot be empty");
    }

    /// <summary>SendPacket, for applications: commits a packet on an OPEN channel; returns its sequence.</summary>
    public ulong SendPacket(Context ctx, string sourcePort, string sourceChannel, Height timeoutHeight, ulong timeoutTimestamp, byte[] data)
    {
        var channel = MustChannel(ctx, sourcePort, sourceChannel);
        if (channel.State != ChannelState.Open) throw IbcErrors.Channel.InvalidChannelState($"channel is not OPEN (got {StateName(channel.State)})");
        var sequence = GetNextSequenceSend(ctx, sourcePort, sourceChannel)
            ?? throw IbcErrors.Channel.SequenceSendNotFound($"source port: {sourcePort}, source channel: {sourceChannel}");
        var packet = new Packet
        {
            Sequence = sequence, SourcePort = sourcePort, SourceChannel = sourceChannel,
            DestinationPort = channel.Counterparty.PortId, DestinationChannel = channel.Counterparty.ChannelId,
            Data = ByteString.CopyFrom(data), TimeoutHeight = timeoutHeight ?? new Height(), TimeoutTimestamp = timeoutTimestamp,
        };
        try { ValidatePacket(packet); }
        catch (SdkError e) { throw e.Wrap("constructed packet failed basic validation"); }
        var connection = connections.GetConnection(ctx, channel.ConnectionHops[0]) ?? throw IbcErrors.Connection.ConnectionNotFound(channel.ConnectionHops[0]);
        var status = Clients.GetStatus(ctx, connection.ClientId);
        if (status != ClientStatus.Active) throw IbcErrors.Client.ClientNotActive($"cannot send packet using client ({connection.ClientId}) with status {status}");
        var latestHeight = Clients.GetLatestHeight(ctx, connection.ClientId);
        var latestTimestamp = Clients.GetTimestampAtHeight(ctx, connection.ClientId, latestHeight);
        if (TimeoutElapsed(packet, latestHeight, latestTimestamp))
            throw IbcErrors.Channel.TimeoutElapsed($"latest height {Host.Heights.Format(latestHeight)} / timestamp {latestTimestamp} of the counterparty is past the packet's timeout: invalid packet timeout");
        IbcStore.Of(ctx).SetUInt64(IbcPaths.NextSequenceSend(sourcePort, sourceChannel), sequence + 1);
        IbcStore.Of(ctx).Set(IbcPaths.PacketCommitment(sourcePort, sourceChannel, sequence), PacketCommitments.CommitPacket(packet));
        Emit(ctx, SdkEvent.Of("send_packet", [.. PacketDataAttributes(packet), .. PacketAttributes(packet),
            ("packet_channel_ordering", OrderName(channel.Ordering)), ("packet_connection", channel.ConnectionHops[0]), ("connection_id", channel.ConnectionHops[0])]));
        return sequence;
    }

    private static (string, string)[] PacketDataAttributes(Packet packet)
        => [("packet_data", Encoding.UTF8.GetString(packet.Data.Span)), ("packet_data_hex", Convert.ToHexString(packet.Data.Span).ToLowerInvariant())];

    private static (string, string)[] PacketAttributes(Packet packet) =>
    [
        ("packet_timeout_height", Host.Heights.Format(packet.TimeoutHeight ?? new Height())),
        ("packet_timeout_timestamp", packet.TimeoutTimestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("packet_sequence", packet.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("packet_src_port", packet.SourcePort),
        ("packet_src_channel", packet.SourceChannel),
        ("packet_dst_port", packet.DestinationPort),
        ("packet_dst_channel", packet.DestinationChannel),
    ];

    private static SdkEvent RecvEvent(Packet packet, Protos.Ibc.Core.Channel.V1.Channel channel)
        => SdkEvent.Of("recv_packet", [.. PacketDataAttributes(packet), .. PacketAttributes(packet),
            ("packet_channel_ordering", OrderName(channel.Ordering)), ("packet_connection", channel.ConnectionHops[0]), ("connection_id", channel.ConnectionHops[0])]);

    private static SdkEvent AckEvent(Packet packet, Protos.Ibc.Core.Channel.V1.Channel channel)
        => SdkEvent.Of("acknowledge_packet", [.. PacketAttributes(packet),
            ("packet_channel_ordering", OrderName(channel.Ordering)), ("packet_connection", channel.ConnectionHops[0]), ("connection_id", channel.ConnectionHops[0])]);

    private static SdkEvent TimeoutEvent(Packet packet, Protos.Ibc.Core.Channel.V1.Channel channel)
        => SdkEvent.Of("timeout_packet", [.. PacketAttributes(packet),
            ("connection_id", channel.ConnectionHops[0]), ("packet_channel_ordering", OrderName(channel.Ordering))]);

    /// <summary>Runs <paramref name="step"/> on a branch of the state with its own events: written back (state and
    /// events) unless it throws or returns false.</summary>
    private static T Cached<T>(Context ctx, Func<Context, (T Result, bool Keep)> step)
    {
        var branch = ctx.MultiStore.Branch();
        var events = new EventManager();
        var (result, keep) = step(ctx.With(store: branch, events: events));
        if (keep)
        {
            branch.Write();
            ctx.Events.EmitAll(events.Events);
        }
        return result;
    }

    public MsgRecvPacketResponse RecvPacket(Context ctx, MsgRecvPacket msg, string relayer)
    {
        var packet = msg.Packet;
        var app = ports.Route(packet.DestinationPort);
        // Core verification on a branch: a packet already received is a no-op, not an error.
        var received = Cached(ctx, c => VerifyRecv(c, msg) is var fresh ? (fresh, fresh) : default);
        if (!received) return new MsgRecvPacketResponse { Result = ResponseResultType.Noop };

        // The application's changes are kept only when it acknowledges success (or acknowledges later).
        var ack = Cached(ctx, c =>
        {
            var result = app.OnRecvPacket(c, packet, relayer);
            return (result, result is null || result.Success);
        });
        if (ack is not null) WriteAcknowledgement(ctx, packet, ack.Bytes);
        return new MsgRecvPacketResponse { Result = ResponseResultType.Success };
    }

    // False: already received (the no-op).
    private bool VerifyRecv(Context ctx, MsgRecvPacket msg)
    {
        var packet = msg.Packet;
        var channel = MustChannel(ctx, packet.DestinationPort, packet.DestinationChannel);
        if (channel.State != ChannelState.Open) throw IbcErrors.Channel.InvalidChannelState($"channel state is not OPEN (got {StateName(channel.State)})");
        if (packet.SourcePort != channel.Counterparty.PortId)
            throw IbcErrors.Channel.InvalidPacket($"packet source port doesn't match the counterparty's port ({packet.SourcePort} ≠ {channel.Counterparty.PortId})");
        if (packet.SourceChannel != channel.Counterparty.ChannelId)
            throw IbcErrors.Channel.InvalidPacket($"packet source channel doesn't match the counterparty's channel ({packet.SourceChannel} ≠ {channel.Counterparty.ChannelId})");
        var connection = OpenConnection(ctx, channel.ConnectionHops[0]);
        var selfHeight = Host.Heights.SelfHeight(ctx.ChainId, ctx.Height);
        var selfTime = (ulong)Client.Tendermint.TendermintStates.Nanos(ctx.Header.Time);
        if (TimeoutElapsed(packet, selfHeight, selfTime))
            throw IbcErrors.Channel.TimeoutElapsed($"block height {Host.Heights.Format(selfHeight)} / timestamp {selfTime} is past the packet's timeout: packet timeout elapsed");
        try
        {
            connections.VerifyPacketCommitment(ctx, connection, msg.ProofHeight, msg.ProofCommitment, packet.SourcePort, packet.SourceChannel, packet.Sequence,
                PacketCommitments.CommitPacket(packet));
        }
        catch (SdkError e)
        {
            throw e.Wrap("couldn't verify counterparty packet commitment");
        }
        if (!ApplyReplayProtection(ctx, packet, channel)) return false;
        ctx.Events.Emit(RecvEvent(packet, channel));
        ctx.Events.Emit(SdkEvent.Of("message", ("module", EventCategory)));
        return true;
    }

    // Marks the packet received (a receipt, or the ordered channel's next sequence moved on); false when it was already.
    private bool ApplyReplayProtection(Context ctx, Packet packet, Protos.Ibc.Core.Channel.V1.Channel channel)
    {
        var store = IbcStore.Of(ctx);
        if (channel.Ordering == Order.Ordered)
        {
            var next = GetNextSequenceRecv(ctx, packet.DestinationPort, packet.DestinationChannel)
                ?? throw IbcErrors.Channel.SequenceReceiveNotFound($"destination port: {packet.DestinationPort}, destination channel: {packet.DestinationChannel}");
            if (packet.Sequence < next) return false;
            if (packet.Sequence != next) throw IbcErrors.Channel.PacketSequenceOutOfOrder($"packet sequence ≠ next receive sequence ({packet.Sequence} ≠ {next})");
            store.SetUInt64(IbcPaths.NextSequenceRecv(packet.DestinationPort, packet.DestinationChannel), next + 1);
            return true;
        }
        if (HasPacketReceipt(ctx, packet.DestinationPort, packet.DestinationChannel, packet.Sequence)) return false;
        store.Set(IbcPaths.PacketReceipt(packet.DestinationPort, packet.DestinationChannel, packet.Sequence), [1]);
        return true;
    }

    /// <summary>
    /// ibc-go's <c>recvPacketCheckTx</c>, for the mempool: the core of a receive (channel, timeout, the commitment proof,
    /// the receipt) kept on the caller's state when the packet is new, without the application's callback.
    /// </summary>
    /// <returns>False when the packet was received already (a no-op).</returns>
    public bool RecvPacketCheckTx(Context ctx, MsgRecvPacket msg) => Cached(ctx, c => VerifyRecv(c, msg) is var fresh ? (fresh, fresh) : default);

    /// <summary>ibc-go's <c>RecvPacketReCheckTx</c>: replay protection only; the proof was checked when the tx entered the mempool.</summary>
    /// <returns>False when the packet was received already (a no-op).</returns>
    public bool RecvPacketReCheckTx(Context ctx, Packet packet)
    {
        var channel = MustChannel(ctx, packet.DestinationPort, packet.DestinationChannel);
        return Cached(ctx, c => ApplyReplayProtection(c, packet, channel) is var fresh ? (fresh, fresh) : default);
    }

    /// <summary>Stores the commitment of a received packet's acknowledgement (synchronously from RecvPacket, or later by
    /// an application that acknowledged asynchronously).</summary>
    public void WriteAcknowledgement(Context ctx, Packet packet, byte[] acknowledgement)
    {
        var channel = MustChannel(ctx, packet.DestinationPort, packet.DestinationChannel);
        if (channel.State != ChannelState.Open) throw IbcErrors.Channel.InvalidChannelState($"channel state is not OPEN (got {StateName(channel.State)})");
        if (GetPacketAcknowledgement(ctx, packet.DestinationPort, packet.DestinationChannel, packet.Sequence) is not null)
            throw IbcErrors.Channel.AcknowledgementExists($"acknowledgement for packet {packet.Sequence} already exists");
        if (acknowledgement is null || acknowledgement.Length == 0) throw IbcErrors.Channel.InvalidAcknowledgement("acknowledgement cannot be empty");
        IbcStore.Of(ctx).Set(IbcPaths.PacketAcknowledgement(packet.DestinationPort, packet.DestinationChannel, packet.Sequence),
            PacketCommitments.CommitAcknowledgement(acknowledgement));
        Emit(ctx, SdkEvent.Of("write_acknowledgement", [.. PacketDataAttributes(packet), .. PacketAttributes(packet),
            ("packet_ack", Encoding.UTF8.GetString(acknowledgement)), ("packet_ack_hex", Convert.ToHexString(acknowledgement).ToLowerInvariant()),
            ("packet_channel_ordering", OrderName(channel.Ordering)), ("packet_connection", channel.ConnectionHops[0]), ("connection_id", channel.ConnectionHops[0])]));
    }

    public MsgAcknowledgementResponse Acknowledgement(Context ctx, MsgAcknowledgement msg, string relayer)
    {
        var packet = msg.Packet;
        var app = ports.Route(packet.SourcePort);
        var fresh = Cached(ctx, c => VerifyAcknowledgement(c, msg) is var f ? (f, f) : default);
        if (!fresh) return new MsgAcknowledgementResponse { Result = ResponseResultType.Noop };
        try
        {
            app.OnAcknowledgementPacket(ctx, packet, msg.Acknowledgement.ToByteArray(), relayer);
        }
        catch (SdkError e)
        {
            throw e.Wrap("acknowledge packet callback failed");
        }
        return new MsgAcknowledgementResponse { Result = ResponseResultType.Success };
    }

    private bool VerifyAcknowledgement(Context ctx, MsgAcknowledgement msg)
    {
        var packet = msg.Packet;
        var channel = MustChannel(ctx, packet.SourcePort, packet.SourceChannel);
        if (channel.State != ChannelState.Open) throw IbcErrors.Channel.InvalidChannelState($"channel state is not OPEN (got {StateName(channel.State)})");
        CheckDestination(packet, channel);
        var connection = OpenConnection(ctx, channel.ConnectionHops[0]);
        var commitment = GetPacketCommitment(ctx, packet.SourcePort, packet.SourceChannel, packet.Sequence);
        if (commitment is null || commitment.Length == 0) return false;
        var expected = PacketCommitments.CommitPacket(packet);
        if (!commitment.AsSpan().SequenceEqual(expected))
            throw IbcErrors.Channel.InvalidPacket($"commitment bytes are not equal: got ({Convert.ToHexString(expected)}), expected ({Convert.ToHexString(commitment)})");
        connections.VerifyPacketAcknowledgement(ctx, connection, msg.ProofHeight, msg.ProofAcked, packet.DestinationPort, packet.DestinationChannel, packet.Sequence,
            msg.Acknowledgement.ToByteArray());
        if (channel.Ordering == Order.Ordered)
        {
            var next = GetNextSequenceAck(ctx, packet.SourcePort, packet.SourceChannel)
                ?? throw IbcErrors.Channel.SequenceAckNotFound($"source port: {packet.SourcePort}, source channel: {packet.SourceChannel}");
            if (packet.Sequence != next) throw IbcErrors.Channel.PacketSequenceOutOfOrder($"packet sequence ≠ next ack sequence ({packet.Sequence} ≠ {next})");
            IbcStore.Of(ctx).SetUInt64(IbcPaths.NextSequenceAck(packet.SourcePort, packet.SourceChannel), next + 1);
        }
        IbcStore.Of(ctx).Delete(IbcPaths.PacketCommitment(packet.SourcePort, packet.SourceChannel, packet.Sequence));
        Emit(ctx, AckEvent(packet, channel));
        return true;
    }

    private static void CheckDestination(Packet packet, Protos.Ibc.Core.Channel.V1.Channel channel)
    {
        if (packet.DestinationPort != channel.Counterparty.PortId)
            throw IbcErrors.Channel.InvalidPacket($"packet destination port doesn't match the counterparty's port ({packet.DestinationPort} ≠ {channel.Counterparty.PortId})");
        if (packet.DestinationChannel != channel.Counterparty.ChannelId)
            throw IbcErrors.Channel.InvalidPacket($"packet destination channel doesn't match the counterparty's channel ({packet.DestinationChannel} ≠ {channel.Counterparty.ChannelId})");
    }

    public MsgTimeoutResponse Timeout(Context ctx, MsgTimeout msg, string relayer)
    {
        var packet = msg.Packet;
        var app = ports.Route(packet.SourcePort);
        var fresh = Cached(ctx, c => VerifyTimeout(c, packet, msg.ProofUnreceived, msg.ProofHeight, msg.NextSequenceRecv, closedProof: null, 0) is var f ? (f, f) : default);
        if (!fresh) return new MsgTimeoutResponse { Result = ResponseResultType.Noop };
        RunTimeout(ctx, app, packet, relayer);
        return new MsgTimeoutResponse { Result = ResponseResultType.Success };
    }

    public MsgTimeoutOnCloseResponse TimeoutOnClose(Context ctx, MsgTimeoutOnClose msg, string relayer)
    {
        var packet = msg.Packet;
        var app = ports.Route(packet.SourcePort);
        var fresh = Cached(ctx, c => VerifyTimeout(c, packet, msg.ProofUnreceived, msg.ProofHeight, msg.NextSequenceRecv, msg.ProofClose, msg.CounterpartyUpgradeSequence) is var f ? (f, f) : default);
        if (!fresh) return new MsgTimeoutOnCloseResponse { Result = ResponseResultType.Noop };
        RunTimeout(ctx, app, packet, relayer);
        return new MsgTimeoutOnCloseResponse { Result = ResponseResultType.Success };
    }

    private void RunTimeout(Context ctx, IIbcModule app, Packet packet, string relayer)
    {
        try
        {
            app.OnTimeoutPacket(ctx, packet, relayer);
        }
        catch (SdkError e)
        {
            throw e.Wrap("timeout packet callback failed");
        }
        // TimeoutExecuted: the commitment goes; an ordered channel closes.
        var channel = MustChannel(ctx, packet.SourcePort, packet.SourceChannel);
        IbcStore.Of(ctx).Delete(IbcPaths.PacketCommitment(packet.SourcePort, packet.SourceChannel, packet.Sequence));
        if (channel.Ordering == Order.Ordered)
        {
            channel.State = ChannelState.Closed;
            SetChannel(ctx, packet.SourcePort, packet.SourceChannel, channel);
            EmitClose(ctx, "channel_closed", packet.SourcePort, packet.SourceChannel, channel);
        }
        Emit(ctx, TimeoutEvent(packet, channel));
    }

    // closedProof null: MsgTimeout (the timeout must have passed); else MsgTimeoutOnClose (the counterparty closed).
    private bool VerifyTimeout(Context ctx, Packet packet, ByteString proof, Height proofHeight, ulong nextSequenceRecv, ByteString? closedProof, ulong counterpartyUpgradeSequence)
    {
        var channel = MustChannel(ctx, packet.SourcePort, packet.SourceChannel);
        if (closedProof is null && channel.State != ChannelState.Open)
            throw IbcErrors.Channel.InvalidChannelState($"channel state is not OPEN (got {StateName(channel.State)})");
        CheckDestination(packet, channel);
        var connection = connections.GetConnection(ctx, channel.ConnectionHops[0]) ?? throw IbcErrors.Connection.ConnectionNotFound(channel.ConnectionHops[0]);
        if (closedProof is null)
        {
            var proofTimestamp = connections.GetTimestampAtHeight(ctx, connection, proofHeight);
            if (!TimeoutElapsed(packet, proofHeight, proofTimestamp))
                throw IbcErrors.Channel.TimeoutNotReached($"proof height {Host.Heights.Format(proofHeight)} / timestamp {proofTimestamp} is before the packet's timeout: packet timeout not reached");
        }
        var commitment = GetPacketCommitment(ctx, packet.SourcePort, packet.SourceChannel, packet.Sequence);
        if (commitment is null || commitment.Length == 0)
        {
            Emit(ctx, TimeoutEvent(packet, channel));
            return false;
        }
        var expected = PacketCommitments.CommitPacket(packet);
        if (!commitment.AsSpan().SequenceEqual(expected))
            throw IbcErrors.Channel.InvalidPacket($"packet commitment bytes are not equal: got ({Convert.ToHexString(expected)}), expected ({Convert.ToHexString(commitment)})");
        if (closedProof is not null)
        {
            var expectedChannel = new Protos.Ibc.Core.Channel.V1.Channel
            {
                State = ChannelState.Closed, Ordering = channel.Ordering, Counterparty = new Counterparty { PortId = packet.SourcePort, ChannelId = packet.SourceChannel },
                ConnectionHops = { connection.Counterparty.ConnectionId }, Version = channel.Version, UpgradeSequence = counterpartyUpgradeSequence,
            };
            connections.VerifyChannelState(ctx, connection, proofHeight, closedProof, channel.Counterparty.PortId, channel.Counterparty.ChannelId, expectedChannel);
        }
        if (channel.Ordering == Order.Ordered)
        {
            if (nextSequenceRecv > packet.Sequence)
                throw IbcErrors.Channel.PacketReceived($"packet already received, next sequence receive > packet sequence ({nextSequenceRecv} > {packet.Sequence})");
            connections.VerifyNextSequenceRecv(ctx, connection, proofHeight, proof, packet.DestinationPort, packet.DestinationChannel, nextSequenceRecv);
        }
        else
        {
            connections.VerifyPacketReceiptAbsence(ctx, connection, proofHeight, proof, packet.DestinationPort, packet.DestinationChannel, packet.Sequence);
        }
        return true;
    }
}
