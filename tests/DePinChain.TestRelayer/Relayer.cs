using System.Globalization;
using DePinChain.Protos.Ibc.Core.Channel.V1;
using DePinChain.Protos.Ibc.Core.Client.V1;
using DePinChain.Protos.Ibc.Core.Commitment.V1;
using DePinChain.Protos.Ibc.Core.Connection.V1;
using DePinChain.Protos.Ibc.LightClients.Tendermint.V1;
using DePinChain.Protos.Types;
using DePinChain.Store.Proofs;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using ChannelCounterparty = DePinChain.Protos.Ibc.Core.Channel.V1.Counterparty;
using ConnectionCounterparty = DePinChain.Protos.Ibc.Core.Connection.V1.Counterparty;
using IbcHeight = DePinChain.Protos.Ibc.Core.Client.V1.Height;
using TmHeader = DePinChain.Protos.Ibc.LightClients.Tendermint.V1.Header;

namespace DePinChain.TestRelayer;

/// <summary>One chain's end of a path: its client of the other chain, its connection and its channel.</summary>
public sealed class PathEnd
{
    public string ClientId { get; set; } = "";
    public string ConnectionId { get; set; } = "";
    public string PortId { get; set; } = "transfer";
    public string ChannelId { get; set; } = "";
    public string Version { get; set; } = "ics20-1";
}

/// <summary>
/// Relays between two chains as rly v2.6 does: 07-tendermint clients each way, the ICS-03 and ICS-04 handshakes, then
/// packets (MsgRecvPacket, or MsgTimeout when the destination has passed the timeout) and acknowledgements, every
/// proof taken at the source's latest height H (state H−1) and each message sent after a MsgUpdateClient to H in the
/// same tx.
/// </summary>
public sealed class Relayer(RelayChain a, RelayChain b, Action<string>? log = null)
{
    private readonly Action<string> _log = log ?? (_ => { });

    public RelayChain ChainA { get; } = a;
    public RelayChain ChainB { get; } = b;
    public PathEnd A { get; } = new();
    public PathEnd B { get; } = new();

    /// <summary>The clients' trusting period; null = 85% of the counterparty's unbonding time (rly's default).</summary>
    public TimeSpan? TrustingPeriod { get; set; }

    public TimeSpan MaxClockDrift { get; set; } = TimeSpan.FromMinutes(10);

    private PathEnd EndOf(RelayChain chain) => ReferenceEquals(chain, ChainA) ? A : B;

    private RelayChain Other(RelayChain chain) => ReferenceEquals(chain, ChainA) ? ChainB : ChainA;

    // ------------------------------------------------------------------ ICS-24 paths (the ibc store's keys)
    public static byte[] ClientStateKey(string clientId) => Key($"clients/{clientId}/clientState");
    public static byte[] ConsensusStateKey(string clientId, IbcHeight h) => Key($"clients/{clientId}/consensusStates/{h.RevisionNumber}-{h.RevisionHeight}");
    public static byte[] ConnectionKey(string connectionId) => Key($"connections/{connectionId}");
    public static byte[] ChannelKey(string port, string channel) => Key($"channelEnds/ports/{port}/channels/{channel}");
    public static byte[] CommitmentKey(string port, string channel, ulong sequence) => Key($"commitments/ports/{port}/channels/{channel}/sequences/{sequence}");
    public static byte[] AckKey(string port, string channel, ulong sequence) => Key($"acks/ports/{port}/channels/{channel}/sequences/{sequence}");
    public static byte[] ReceiptKey(string port, string channel, ulong sequence) => Key($"receipts/ports/{port}/channels/{channel}/sequences/{sequence}");
    public static byte[] NextSequenceRecvKey(string port, string channel) => Key($"nextSequenceRecv/ports/{port}/channels/{channel}");

    private static byte[] Key(string path) => System.Text.Encoding.UTF8.GetBytes(path);

    // ------------------------------------------------------------------ clients

    /// <summary>Creates both clients, the connection and the transfer channel (rly tx link).</summary>
    public async Task LinkAsync(CancellationToken cancellationToken = default)
    {
        await ChainA.InitAsync(cancellationToken).ConfigureAwait(false);
        await ChainB.InitAsync(cancellationToken).ConfigureAwait(false);
        A.ClientId = await CreateClientAsync(ChainA, ChainB, cancellationToken).ConfigureAwait(false);
        B.ClientId = await CreateClientAsync(ChainB, ChainA, cancellationToken).ConfigureAwait(false);
        await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await OpenChannelAsync(Order.Unordered, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The 07-tendermint client state and consensus state <paramref name="host"/> gets of
    /// <paramref name="counterparty"/> at its latest height.</summary>
    public async Task<(ClientState Client, ConsensusState Consensus)> InitialClientAsync(RelayChain host, RelayChain counterparty, CancellationToken cancellationToken = default)
    {
        var (height, _) = await counterparty.LatestAsync(cancellationToken).ConfigureAwait(false);
        SignedHeader signed = await counterparty.SignedHeaderAsync(height, cancellationToken).ConfigureAwait(false);
        TimeSpan unbonding = await UnbondingAsync(counterparty, cancellationToken).ConfigureAwait(false);
        var client = new ClientState
        {
            ChainId = counterparty.ChainId,
            TrustLevel = new Fraction { Numerator = 1, Denominator = 3 },
            TrustingPeriod = Duration.FromTimeSpan(TrustingPeriod ?? unbonding * 0.85),
            UnbondingPeriod = Duration.FromTimeSpan(unbonding),
            MaxClockDrift = Duration.FromTimeSpan(MaxClockDrift),
            FrozenHeight = new IbcHeight(),
            LatestHeight = counterparty.IbcHeight(height),
            ProofSpecs = { ProofSpecs.Iavl, ProofSpecs.Tendermint },
            UpgradePath = { "upgrade", "upgradedIBCState" },
        };
        var consensus = new ConsensusState
        {
            Timestamp = signed.Header.Time,
            Root = new MerkleRoot { Hash = signed.Header.AppHash },
            NextValidatorsHash = signed.Header.NextValidatorsHash,
        };
        return (client, consensus);
    }

    public async Task<string> CreateClientAsync(RelayChain host, RelayChain counterparty, CancellationToken cancellationToken = default)
    {
        var (client, consensus) = await InitialClientAsync(host, counterparty, cancellationToken).ConfigureAwait(false);
        var msg = new MsgCreateClient { ClientState = Any.Pack(client, ""), ConsensusState = Any.Pack(consensus, ""), Signer = host.Signer.Bech32 };
        TxOutcome tx = await host.SendAsync([msg], cancellationToken).ConfigureAwait(false);
        string id = tx.Attribute("create_client", "client_id");
        _log($"{host.ChainId}: created client {id} of {counterparty.ChainId} at {client.LatestHeight.RevisionNumber}-{client.LatestHeight.RevisionHeight}");
        return id;
    }

    private static async Task<TimeSpan> UnbondingAsync(RelayChain chain, CancellationToken cancellationToken)
    {
        var answer = await chain.QueryAsync("/cosmos.staking.v1beta1.Query/Params", new Protos.Cosmos.Staking.V1Beta1.QueryParamsRequest(),
            Protos.Cosmos.Staking.V1Beta1.QueryParamsResponse.Parser, 0, cancellationToken).ConfigureAwait(false);
        return answer.Params.UnbondingTime.ToTimeSpan();
    }

    public async Task<ClientState> ClientStateAsync(RelayChain host, string clientId, CancellationToken cancellationToken = default)
    {
        var answer = await host.QueryAsync("/ibc.core.client.v1.Query/ClientState", new QueryClientStateRequest { ClientId = clientId },
            QueryClientStateResponse.Parser, 0, cancellationToken).ConfigureAwait(false);
        return answer.ClientState.Unpack<ClientState>();
    }

    /// <summary>The header rly puts in MsgUpdateClient: the signed header at <paramref name="height"/> and its set, the
    /// trusted height, and the trusted validators (the set at trusted height + 1, which the trusted consensus state's
    /// next_validators_hash names).</summary>
    public static async Task<TmHeader> ClientHeaderAsync(RelayChain counterparty, long height, IbcHeight trusted, CancellationToken cancellationToken = default)
        => new()
        {
            SignedHeader = await counterparty.SignedHeaderAsync(height, cancellationToken).ConfigureAwait(false),
            ValidatorSet = await counterparty.ValidatorsAsync(height, cancellationToken).ConfigureAwait(false),
            TrustedHeight = trusted,
            TrustedValidators = await counterparty.ValidatorsAsync((long)trusted.RevisionHeight + 1, cancellationToken).ConfigureAwait(false),
        };

    /// <summary>A MsgUpdateClient bringing <paramref name="host"/>'s client of the counterparty to
    /// <paramref name="height"/>, or null when the client is already there.</summary>
    public async Task<MsgUpdateClient?> UpdateClientMsgAsync(RelayChain host, long height, CancellationToken cancellationToken = default)
    {
        string clientId = EndOf(host).ClientId;
        ClientState state = await ClientStateAsync(host, clientId, cancellationToken).ConfigureAwait(false);
        if ((long)state.LatestHeight.RevisionHeight >= height) return null;
        TmHeader header = await ClientHeaderAsync(Other(host), height, state.LatestHeight, cancellationToken).ConfigureAwait(false);
        return new MsgUpdateClient { ClientId = clientId, ClientMessage = Any.Pack(header, ""), Signer = host.Signer.Bech32 };
    }

    /// <summary>Updates <paramref name="host"/>'s client to the counterparty's latest height (a tx of its own).</summary>
    public async Task<long> UpdateClientAsync(RelayChain host, CancellationToken cancellationToken = default)
    {
        var (height, _) = await Other(host).LatestAsync(cancellationToken).ConfigureAwait(false);
        if (await UpdateClientMsgAsync(host, height, cancellationToken).ConfigureAwait(false) is { } msg)
            await host.SendAsync([msg], cancellationToken).ConfigureAwait(false);
        return height;
    }

    /// <summary>Sends <paramref name="messages"/> (built from proofs at <paramref name="proofHeight"/> of the
    /// counterparty) to <paramref name="host"/>, after the client update they need.</summary>
    private async Task<TxOutcome> SendWithUpdateAsync(RelayChain host, long proofHeight, IEnumerable<IMessage> messages, CancellationToken cancellationToken)
    {
        var all = new List<IMessage>();
        if (await UpdateClientMsgAsync(host, proofHeight, cancellationToken).ConfigureAwait(false) is { } update) all.Add(update);
        all.AddRange(messages);
        return await host.SendAsync(all, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A height of <paramref name="source"/> whose proofs show the effects of a tx included at
    /// <paramref name="includedAt"/> (at least one block later), and at which both proofs and a header exist.</summary>
    private static async Task<long> ProofHeightAfterAsync(RelayChain source, long includedAt, CancellationToken cancellationToken)
        => await source.WaitForHeightAsync(Math.Max(includedAt + 1, 3), cancellationToken).ConfigureAwait(false);

    // ------------------------------------------------------------------ ICS-03

    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        var init = new MsgConnectionOpenInit
        {
            ClientId = A.ClientId,
            Counterparty = new ConnectionCounterparty { ClientId = B.ClientId, Prefix = new MerklePrefix { KeyPrefix = ByteString.CopyFromUtf8("ibc") } },
            Version = new Protos.Ibc.Core.Connection.V1.Version { Identifier = "1", Features = { "ORDER_ORDERED", "ORDER_UNORDERED" } },
            Signer = ChainA.Signer.Bech32,
        };
        TxOutcome tx = await ChainA.SendAsync([init], cancellationToken).ConfigureAwait(false);
        A.ConnectionId = tx.Attribute("connection_open_init", "connection_id");
        _log($"{ChainA.ChainId}: connection {A.ConnectionId} INIT");

        // Try on B with A's proofs.
        long h = await ProofHeightAfterAsync(ChainA, tx.Height, cancellationToken).ConfigureAwait(false);
        var (connectionA, proofInit, proofHeight) = await ChainA.ProveAsync(ConnectionKey(A.ConnectionId), h, cancellationToken).ConfigureAwait(false);
        var (clientOnA, proofClient, consensusHeight, proofConsensus) = await ProveClientAsync(ChainA, A.ClientId, h, cancellationToken).ConfigureAwait(false);
        var try_ = new MsgConnectionOpenTry
        {
            ClientId = B.ClientId,
            ClientState = clientOnA,
            Counterparty = new ConnectionCounterparty { ClientId = A.ClientId, ConnectionId = A.ConnectionId, Prefix = new MerklePrefix { KeyPrefix = ByteString.CopyFromUtf8("ibc") } },
            CounterpartyVersions = { ConnectionEnd.Parser.ParseFrom(connectionA).Versions },
            ProofHeight = proofHeight,
            ProofInit = ByteString.CopyFrom(proofInit),
            ProofClient = ByteString.CopyFrom(proofClient),
            ProofConsensus = ByteString.CopyFrom(proofConsensus),
            ConsensusHeight = consensusHeight,
            Signer = ChainB.Signer.Bech32,
        };
        tx = await SendWithUpdateAsync(ChainB, h, [try_], cancellationToken).ConfigureAwait(false);
        B.ConnectionId = tx.Attribute("connection_open_try", "connection_id");
        _log($"{ChainB.ChainId}: connection {B.ConnectionId} TRYOPEN");

        // Ack on A with B's proofs.
        h = await ProofHeightAfterAsync(ChainB, tx.Height, cancellationToken).ConfigureAwait(false);
        var (connectionB, proofTry, proofHeightB) = await ChainB.ProveAsync(ConnectionKey(B.ConnectionId), h, cancellationToken).ConfigureAwait(false);
        var (clientOnB, proofClientB, consensusHeightB, proofConsensusB) = await ProveClientAsync(ChainB, B.ClientId, h, cancellationToken).ConfigureAwait(false);
        var ack = new MsgConnectionOpenAck
        {
            ConnectionId = A.ConnectionId,
            CounterpartyConnectionId = B.ConnectionId,
            Version = ConnectionEnd.Parser.ParseFrom(connectionB).Versions[0],
            ClientState = clientOnB,
            ProofHeight = proofHeightB,
            ProofTry = ByteString.CopyFrom(proofTry),
            ProofClient = ByteString.CopyFrom(proofClientB),
            ProofConsensus = ByteString.CopyFrom(proofConsensusB),
            ConsensusHeight = consensusHeightB,
            Signer = ChainA.Signer.Bech32,
        };
        tx = await SendWithUpdateAsync(ChainA, h, [ack], cancellationToken).ConfigureAwait(false);
        _log($"{ChainA.ChainId}: connection {A.ConnectionId} OPEN");

        // Confirm on B.
        h = await ProofHeightAfterAsync(ChainA, tx.Height, cancellationToken).ConfigureAwait(false);
        var (_, proofAck, proofHeightA) = await ChainA.ProveAsync(ConnectionKey(A.ConnectionId), h, cancellationToken).ConfigureAwait(false);
        var confirm = new MsgConnectionOpenConfirm { ConnectionId = B.ConnectionId, ProofAck = ByteString.CopyFrom(proofAck), ProofHeight = proofHeightA, Signer = ChainB.Signer.Bech32 };
        await SendWithUpdateAsync(ChainB, h, [confirm], cancellationToken).ConfigureAwait(false);
        _log($"{ChainB.ChainId}: connection {B.ConnectionId} OPEN");
    }

    /// <summary>The proved client state <paramref name="source"/> holds of the other chain, and its consensus state at
    /// the client's latest height (what ConnOpenTry/Ack carry for the self-client check).</summary>
    private static async Task<(Any Client, byte[] ProofClient, IbcHeight ConsensusHeight, byte[] ProofConsensus)> ProveClientAsync(
        RelayChain source, string clientId, long height, CancellationToken cancellationToken)
    {
        var (clientBytes, proofClient, _) = await source.ProveAsync(ClientStateKey(clientId), height, cancellationToken).ConfigureAwait(false);
        Any client = Any.Parser.ParseFrom(clientBytes);
        IbcHeight consensusHeight = client.Unpack<ClientState>().LatestHeight;
        var (_, proofConsensus, _) = await source.ProveAsync(ConsensusStateKey(clientId, consensusHeight), height, cancellationToken).ConfigureAwait(false);
        return (client, proofClient, consensusHeight, proofConsensus);
    }

    // ------------------------------------------------------------------ ICS-04 handshake

    public async Task OpenChannelAsync(Order ordering = Order.Unordered, CancellationToken cancellationToken = default)
    {
        var init = new MsgChannelOpenInit
        {
            PortId = A.PortId,
            Channel = new Channel
            {
                State = Protos.Ibc.Core.Channel.V1.State.Init,
                Ordering = ordering,
                Counterparty = new ChannelCounterparty { PortId = B.PortId },
                ConnectionHops = { A.ConnectionId },
                Version = A.Version,
            },
            Signer = ChainA.Signer.Bech32,
        };
        TxOutcome tx = await ChainA.SendAsync([init], cancellationToken).ConfigureAwait(false);
        A.ChannelId = tx.Attribute("channel_open_init", "channel_id");
        _log($"{ChainA.ChainId}: channel {A.PortId}/{A.ChannelId} INIT");

        long h = await ProofHeightAfterAsync(ChainA, tx.Height, cancellationToken).ConfigureAwait(false);
        var (channelA, proofInit, proofHeight) = await ChainA.ProveAsync(ChannelKey(A.PortId, A.ChannelId), h, cancellationToken).ConfigureAwait(false);
        var try_ = new MsgChannelOpenTry
        {
            PortId = B.PortId,
            Channel = new Channel
            {
                State = Protos.Ibc.Core.Channel.V1.State.Tryopen,
                Ordering = ordering,
                Counterparty = new ChannelCounterparty { PortId = A.PortId, ChannelId = A.ChannelId },
                ConnectionHops = { B.ConnectionId },
                Version = B.Version,
            },
            CounterpartyVersion = Channel.Parser.ParseFrom(channelA).Version,
            ProofInit = ByteString.CopyFrom(proofInit),
            ProofHeight = proofHeight,
            Signer = ChainB.Signer.Bech32,
        };
        tx = await SendWithUpdateAsync(ChainB, h, [try_], cancellationToken).ConfigureAwait(false);
        B.ChannelId = tx.Attribute("channel_open_try", "channel_id");
        _log($"{ChainB.ChainId}: channel {B.PortId}/{B.ChannelId} TRYOPEN");

        h = await ProofHeightAfterAsync(ChainB, tx.Height, cancellationToken).ConfigureAwait(false);
        var (channelB, proofTry, proofHeightB) = await ChainB.ProveAsync(ChannelKey(B.PortId, B.ChannelId), h, cancellationToken).ConfigureAwait(false);
        var ack = new MsgChannelOpenAck
        {
            PortId = A.PortId,
            ChannelId = A.ChannelId,
            CounterpartyChannelId = B.ChannelId,
            CounterpartyVersion = Channel.Parser.ParseFrom(channelB).Version,
            ProofTry = ByteString.CopyFrom(proofTry),
            ProofHeight = proofHeightB,
            Signer = ChainA.Signer.Bech32,
        };
        tx = await SendWithUpdateAsync(ChainA, h, [ack], cancellationToken).ConfigureAwait(false);
        _log($"{ChainA.ChainId}: channel {A.PortId}/{A.ChannelId} OPEN");

        h = await ProofHeightAfterAsync(ChainA, tx.Height, cancellationToken).ConfigureAwait(false);
        var (_, proofAck, proofHeightA) = await ChainA.ProveAsync(ChannelKey(A.PortId, A.ChannelId), h, cancellationToken).ConfigureAwait(false);
        var confirm = new MsgChannelOpenConfirm { PortId = B.PortId, ChannelId = B.ChannelId, ProofAck = ByteString.CopyFrom(proofAck), ProofHeight = proofHeightA, Signer = ChainB.Signer.Bech32 };
        await SendWithUpdateAsync(ChainB, h, [confirm], cancellationToken).ConfigureAwait(false);
        _log($"{ChainB.ChainId}: channel {B.PortId}/{B.ChannelId} OPEN");
    }

    // ------------------------------------------------------------------ packets

    /// <summary>A packet as its send_packet / write_acknowledgement event describes it, with the tx's height.</summary>
    public sealed record FoundPacket(Packet Packet, long Height, byte[]? Acknowledgement);

    /// <summary>Packets sent on <paramref name="source"/>'s channel (send_packet events found with tx_search).</summary>
    public async Task<List<FoundPacket>> SentPacketsAsync(RelayChain source, CancellationToken cancellationToken = default)
    {
        PathEnd end = EndOf(source);
        var txs = await source.SearchTxsAsync($"send_packet.packet_src_port='{end.PortId}' AND send_packet.packet_src_channel='{end.ChannelId}'", cancellationToken).ConfigureAwait(false);
        return [.. txs.SelectMany(t => PacketsIn(t, "send_packet", end.PortId, end.ChannelId, source: true))];
    }

    /// <summary>Acknowledgements written on <paramref name="destination"/> for packets from the other chain.</summary>
    public async Task<List<FoundPacket>> WrittenAcksAsync(RelayChain destination, CancellationToken cancellationToken = default)
    {
        PathEnd end = EndOf(destination);
        var txs = await destination.SearchTxsAsync($"write_acknowledgement.packet_dst_port='{end.PortId}' AND write_acknowledgement.packet_dst_channel='{end.ChannelId}'", cancellationToken).ConfigureAwait(false);
        return [.. txs.SelectMany(t => PacketsIn(t, "write_acknowledgement", end.PortId, end.ChannelId, source: false))];
    }

    private static IEnumerable<FoundPacket> PacketsIn(TxOutcome tx, string eventType, string port, string channel, bool source)
    {
        foreach (var e in tx.Events.Where(e => e.Type == eventType))
        {
            string Get(string key) => e.Attributes.FirstOrDefault(a => a.Key == key)?.Value ?? "";
            if (Get(source ? "packet_src_port" : "packet_dst_port") != port || Get(source ? "packet_src_channel" : "packet_dst_channel") != channel) continue;
            string[] timeout = Get("packet_timeout_height").Split('-');
            var packet = new Packet
            {
                Sequence = ulong.Parse(Get("packet_sequence"), CultureInfo.InvariantCulture),
                SourcePort = Get("packet_src_port"),
                SourceChannel = Get("packet_src_channel"),
                DestinationPort = Get("packet_dst_port"),
                DestinationChannel = Get("packet_dst_channel"),
                Data = ByteString.CopyFrom(Convert.FromHexString(Get("packet_data_hex"))),
                TimeoutHeight = new IbcHeight
                {
                    RevisionNumber = timeout.Length == 2 ? ulong.Parse(timeout[0], CultureInfo.InvariantCulture) : 0,
                    RevisionHeight = timeout.Length == 2 ? ulong.Parse(timeout[1], CultureInfo.InvariantCulture) : 0,
                },
                TimeoutTimestamp = ulong.Parse(Get("packet_timeout_timestamp") is { Length: > 0 } ts ? ts : "0", CultureInfo.InvariantCulture),
            };
            byte[]? ack = source ? null : Convert.FromHexString(Get("packet_ack_hex"));
            yield return new FoundPacket(packet, tx.Height, ack);
        }
    }

    /// <summary>Relays every packet from <paramref name="source"/> that the other chain has not received: one tx of
    /// MsgRecvPacket (after the client update) for those still in time; MsgTimeout back on the source for those whose
    /// timeout the destination has reached. Returns (received, timed out).</summary>
    public async Task<(int Received, int TimedOut)> RelayPacketsAsync(RelayChain source, CancellationToken cancellationToken = default)
    {
        RelayChain destination = Other(source);
        PathEnd src = EndOf(source), dst = EndOf(destination);
        var sent = await SentPacketsAsync(source, cancellationToken).ConfigureAwait(false);
        if (sent.Count == 0) return (0, 0);
        var unreceived = await destination.QueryAsync("/ibc.core.channel.v1.Query/UnreceivedPackets", new QueryUnreceivedPacketsRequest
        {
            PortId = dst.PortId, ChannelId = dst.ChannelId, PacketCommitmentSequences = { sent.Select(p => p.Packet.Sequence) },
        }, QueryUnreceivedPacketsResponse.Parser, 0, cancellationToken).ConfigureAwait(false);
        // Only packets whose commitment is still on the source (not already timed out).
        var pending = new List<FoundPacket>();
        foreach (var p in sent.Where(p => unreceived.Sequences.Contains(p.Packet.Sequence)))
        {
            var commitment = await source.QueryAsync("/ibc.core.channel.v1.Query/PacketCommitment", new QueryPacketCommitmentRequest
            {
                PortId = src.PortId, ChannelId = src.ChannelId, Sequence = p.Packet.Sequence,
            }, QueryPacketCommitmentResponse.Parser, 0, cancellationToken).ConfigureAwait(false);
            if (!commitment.Commitment.IsEmpty) pending.Add(p);
        }
        if (pending.Count == 0) return (0, 0);

        var (destinationHeight, destinationTime) = await destination.LatestAsync(cancellationToken).ConfigureAwait(false);
        bool Expired(Packet p) =>
            (p.TimeoutHeight.RevisionHeight != 0 && (ulong)destinationHeight + 1 >= p.TimeoutHeight.RevisionHeight)
            || (p.TimeoutTimestamp != 0 && (ulong)DePinChain.Comet.CometTime.Nanos(destinationTime) >= p.TimeoutTimestamp);
        var toReceive = pending.Where(p => !Expired(p.Packet)).ToList();
        var toTimeOut = pending.Where(p => Expired(p.Packet)).ToList();

        if (toReceive.Count > 0)
        {
            long h = await ProofHeightAfterAsync(source, toReceive.Max(p => p.Height), cancellationToken).ConfigureAwait(false);
            var msgs = new List<IMessage>();
            foreach (var p in toReceive)
            {
                var (_, proof, proofHeight) = await source.ProveAsync(CommitmentKey(src.PortId, src.ChannelId, p.Packet.Sequence), h, cancellationToken).ConfigureAwait(false);
                msgs.Add(new MsgRecvPacket { Packet = p.Packet, ProofCommitment = ByteString.CopyFrom(proof), ProofHeight = proofHeight, Signer = destination.Signer.Bech32 });
            }
            await SendWithUpdateAsync(destination, h, msgs, cancellationToken).ConfigureAwait(false);
            _log($"{destination.ChainId}: received {toReceive.Count} packet(s) from {source.ChainId}");
        }
        foreach (var p in toTimeOut)
            await TimeoutAsync(source, p.Packet, cancellationToken).ConfigureAwait(false);
        return (toReceive.Count, toTimeOut.Count);
    }

    /// <summary>MsgTimeout on <paramref name="source"/>: the destination's non-membership proof of the packet's receipt
    /// at a height past the timeout, with its next receive sequence.</summary>
    public async Task TimeoutAsync(RelayChain source, Packet packet, CancellationToken cancellationToken = default)
    {
        RelayChain destination = Other(source);
        PathEnd dst = EndOf(destination);
        long h = await destination.WaitForHeightAsync(Math.Max(3, (long)packet.TimeoutHeight.RevisionHeight), cancellationToken).ConfigureAwait(false);
        var (_, proofUnreceived, proofHeight) = await destination.ProveAsync(ReceiptKey(dst.PortId, dst.ChannelId, packet.Sequence), h, cancellationToken).ConfigureAwait(false);
        var (nextRecv, _, _) = await destination.ProveAsync(NextSequenceRecvKey(dst.PortId, dst.ChannelId), h, cancellationToken).ConfigureAwait(false);
        var msg = new MsgTimeout
        {
            Packet = packet,
            ProofUnreceived = ByteString.CopyFrom(proofUnreceived),
            ProofHeight = proofHeight,
            NextSequenceRecv = nextRecv.Length == 8 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(nextRecv) : 1,
            Signer = source.Signer.Bech32,
        };
        await SendWithUpdateAsync(source, h, [msg], cancellationToken).ConfigureAwait(false);
        _log($"{source.ChainId}: timed out packet {packet.Sequence} on {packet.SourceChannel}");
    }

    /// <summary>Relays to <paramref name="source"/> the acknowledgements the other chain wrote for its packets and that
    /// the source has not processed (its commitment is still there). Returns how many.</summary>
    public async Task<int> RelayAcksAsync(RelayChain source, CancellationToken cancellationToken = default)
    {
        RelayChain destination = Other(source);
        PathEnd src = EndOf(source), dst = EndOf(destination);
        var written = await WrittenAcksAsync(destination, cancellationToken).ConfigureAwait(false);
        if (written.Count == 0) return 0;
        var unreceived = await source.QueryAsync("/ibc.core.channel.v1.Query/UnreceivedAcks", new QueryUnreceivedAcksRequest
        {
            PortId = src.PortId, ChannelId = src.ChannelId, PacketAckSequences = { written.Select(p => p.Packet.Sequence) },
        }, QueryUnreceivedAcksResponse.Parser, 0, cancellationToken).ConfigureAwait(false);
        var pending = written.Where(p => unreceived.Sequences.Contains(p.Packet.Sequence)).ToList();
        if (pending.Count == 0) return 0;
        long h = await ProofHeightAfterAsync(destination, pending.Max(p => p.Height), cancellationToken).ConfigureAwait(false);
        var msgs = new List<IMessage>();
        foreach (var p in pending)
        {
            var (_, proof, proofHeight) = await destination.ProveAsync(AckKey(dst.PortId, dst.ChannelId, p.Packet.Sequence), h, cancellationToken).ConfigureAwait(false);
            msgs.Add(new MsgAcknowledgement
            {
                Packet = p.Packet, Acknowledgement = ByteString.CopyFrom(p.Acknowledgement), ProofAcked = ByteString.CopyFrom(proof),
                ProofHeight = proofHeight, Signer = source.Signer.Bech32,
            });
        }
        await SendWithUpdateAsync(source, h, msgs, cancellationToken).ConfigureAwait(false);
        _log($"{source.ChainId}: acknowledged {pending.Count} packet(s)");
        return pending.Count;
    }

    /// <summary>One pass both ways: packets (or timeouts), then acknowledgements. Returns how many messages it relayed.</summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken = default)
    {
        int n = 0;
        foreach (var chain in new[] { ChainA, ChainB })
        {
            var (received, timedOut) = await RelayPacketsAsync(chain, cancellationToken).ConfigureAwait(false);
            n += received + timedOut;
        }
        foreach (var chain in new[] { ChainA, ChainB })
            n += await RelayAcksAsync(chain, cancellationToken).ConfigureAwait(false);
        return n;
    }
}
