using System.Text;
using DePinChain.Modules.Ibc.Channel;
using DePinChain.Modules.Ibc.Client.Tendermint;
using DePinChain.Modules.Ibc.Commitment;
using DePinChain.Modules.Ibc.Connection;
using DePinChain.Modules.Ibc.Host;
using DePinChain.Protos.Ibc.Core.Channel.V1;
using DePinChain.Protos.Ibc.Core.Client.V1;
using DePinChain.Protos.Ibc.Core.Connection.V1;
using DePinChain.Sdk;
using Google.Protobuf;
using ChannelCounterparty = DePinChain.Protos.Ibc.Core.Channel.V1.Counterparty;
using ChannelState = DePinChain.Protos.Ibc.Core.Channel.V1.State;
using ConnectionCounterparty = DePinChain.Protos.Ibc.Core.Connection.V1.Counterparty;
using ConnectionState = DePinChain.Protos.Ibc.Core.Connection.V1.State;

namespace DePinChain.Modules.Ibc.Tests;

/// <summary>An application on port "mock": agrees to every handshake, counts what it handles, acknowledges packets
/// with ICS-20's success ack, and with an error ack (its changes discarded) when the data is "fail".</summary>
internal sealed class MockApp : IIbcModule
{
    public static readonly byte[] SuccessAck = Encoding.UTF8.GetBytes("{\"result\":\"AQ==\"}");

    public List<string> Calls { get; } = [];

    public string OnChanOpenInit(Context ctx, Order order, IReadOnlyList<string> connectionHops, string portId, string channelId, ChannelCounterparty counterparty, string version)
    {
        Calls.Add("init " + channelId);
        return version == "" ? "mock-1" : version;
    }

    public string OnChanOpenTry(Context ctx, Order order, IReadOnlyList<string> connectionHops, string portId, string channelId, ChannelCounterparty counterparty, string counterpartyVersion)
    {
        Calls.Add("try " + channelId);
        return counterpartyVersion;
    }

    public void OnChanOpenAck(Context ctx, string portId, string channelId, string counterpartyChannelId, string counterpartyVersion) => Calls.Add("ack " + channelId);

    public void OnChanOpenConfirm(Context ctx, string portId, string channelId) => Calls.Add("confirm " + channelId);

    public void OnChanCloseInit(Context ctx, string portId, string channelId) => Calls.Add("close-init " + channelId);

    public void OnChanCloseConfirm(Context ctx, string portId, string channelId) => Calls.Add("close-confirm " + channelId);

    public IbcAcknowledgement? OnRecvPacket(Context ctx, Packet packet, string relayer)
    {
        // A write the ack decides the fate of.
        IbcStore.Of(ctx).Set("mock/received/" + packet.Sequence, [1]);
        Calls.Add("recv " + packet.Sequence);
        return packet.Data.ToStringUtf8() == "fail"
            ? new IbcAcknowledgement(Encoding.UTF8.GetBytes("{\"error\":\"mock failure\"}"), false)
            : new IbcAcknowledgement(SuccessAck, true);
    }

    public void OnAcknowledgementPacket(Context ctx, Packet packet, byte[] acknowledgement, string relayer)
        => Calls.Add($"acked {packet.Sequence} {Encoding.UTF8.GetString(acknowledgement)}");

    public void OnTimeoutPacket(Context ctx, Packet packet, string relayer) => Calls.Add("timeout " + packet.Sequence);
}

/// <summary>
/// The ICS-03 and ICS-04 handshakes and the packet lifecycle between two chains, every step proved with ICS-23 proofs
/// from the other chain's real store and verified through the 07-tendermint client. The counterparty's consensus states
/// are seeded (<see cref="KeeperChain.SeedConsensusState"/>) where a relayer would send MsgUpdateClient with a signed
/// header.
/// </summary>
public sealed class HandshakeAndPacketTests
{
    private const string Relayer = "relayer";

    private sealed class Pair
    {
        public MockApp AppA { get; } = new();
        public MockApp AppB { get; } = new();
        public KeeperChain A { get; }
        public KeeperChain B { get; }

        public Pair(Order order = Order.Unordered)
        {
            A = new KeeperChain("depin-a-1", AppA);
            B = new KeeperChain("depin-b-1", AppB);
            for (var i = 0; i < 3; i++) { A.Block(); B.Block(); }
            // Clients of each other at each other's current height.
            var hb = B.Height;
            var ha = A.Height;
            A.Block(ctx => A.Clients.CreateClient(ctx, TendermintStates.Pack(B.ClientStateAt(hb)), TendermintStates.Pack(B.ConsensusStateAt(hb))));
            B.Block(ctx => B.Clients.CreateClient(ctx, TendermintStates.Pack(A.ClientStateAt(ha)), TendermintStates.Pack(A.ConsensusStateAt(ha))));
            OpenConnection();
            OpenChannel(order);
        }

        private static ConnectionCounterparty Counterparty(string connectionId = "")
            => new() { ClientId = "07-tendermint-0", ConnectionId = connectionId, Prefix = MerkleProofs.IbcPrefix };

        private void OpenConnection()
        {
            A.Block(ctx => A.Connections.ConnOpenInit(ctx, "07-tendermint-0", Counterparty(), null, 0));
            B.SeedConsensusState("07-tendermint-0", A);
            var (proofInit, proofHeight) = A.Prove(IbcPaths.Connection("connection-0"));
            var consensusHeight = A.Read(ctx => A.Clients.GetLatestHeight(ctx, "07-tendermint-0"));
            var clientOfB = A.Read(ctx => A.Clients.GetClientState(ctx, "07-tendermint-0"))!;
            B.Block(ctx => B.Connections.ConnOpenTry(ctx, new MsgConnectionOpenTry
            {
                ClientId = "07-tendermint-0", ClientState = clientOfB, Counterparty = Counterparty("connection-0"),
                CounterpartyVersions = { ConnectionKeeper.DefaultVersion }, ProofHeight = proofHeight, ProofInit = proofInit,
                ProofClient = A.Prove(IbcPaths.ClientState("07-tendermint-0")).Proof,
                ProofConsensus = A.Prove(IbcPaths.ConsensusState("07-tendermint-0", consensusHeight)).Proof,
                ConsensusHeight = consensusHeight, Signer = Relayer,
            }));
            Assert.Equal("connection_open_try", B.Events[0].Type);

            A.SeedConsensusState("07-tendermint-0", B);
            var (proofTry, tryHeight) = B.Prove(IbcPaths.Connection("connection-0"));
            var consensusOfA = B.Read(ctx => B.Clients.GetLatestHeight(ctx, "07-tendermint-0"));
            A.Block(ctx => A.Connections.ConnOpenAck(ctx, new MsgConnectionOpenAck
            {
                ConnectionId = "connection-0", CounterpartyConnectionId = "connection-0", Version = ConnectionKeeper.DefaultVersion,
                ClientState = B.Read(ctx => B.Clients.GetClientState(ctx, "07-tendermint-0"))!, ProofHeight = tryHeight, ProofTry = proofTry,
                ProofClient = B.Prove(IbcPaths.ClientState("07-tendermint-0")).Proof,
                ProofConsensus = B.Prove(IbcPaths.ConsensusState("07-tendermint-0", consensusOfA)).Proof,
                ConsensusHeight = consensusOfA, Signer = Relayer,
            }));

            B.SeedConsensusState("07-tendermint-0", A);
            var (proofAck, ackHeight) = A.Prove(IbcPaths.Connection("connection-0"));
            B.Block(ctx => B.Connections.ConnOpenConfirm(ctx, new MsgConnectionOpenConfirm { ConnectionId = "connection-0", ProofAck = proofAck, ProofHeight = ackHeight, Signer = Relayer }));
            Assert.Equal(ConnectionState.Open, A.Read(ctx => A.Connections.GetConnection(ctx, "connection-0"))!.State);
            Assert.Equal(ConnectionState.Open, B.Read(ctx => B.Connections.GetConnection(ctx, "connection-0"))!.State);
        }

        private void OpenChannel(Order order)
        {
            var init = A.Block(ctx => A.Channels.ChanOpenInit(ctx, new MsgChannelOpenInit
            {
                PortId = "mock",
                Channel = new DePinChain.Protos.Ibc.Core.Channel.V1.Channel
                {
                    State = ChannelState.Init, Ordering = order, Counterparty = new ChannelCounterparty { PortId = "mock" }, ConnectionHops = { "connection-0" },
                },
                Signer = Relayer,
            }));
            Assert.Equal(("channel-0", "mock-1"), (init.ChannelId, init.Version));

            B.SeedConsensusState("07-tendermint-0", A);
            var (proofInit, initHeight) = A.Prove(IbcPaths.ChannelEnd("mock", "channel-0"));
            B.Block(ctx => B.Channels.ChanOpenTry(ctx, new MsgChannelOpenTry
            {
                PortId = "mock",
                Channel = new DePinChain.Protos.Ibc.Core.Channel.V1.Channel
                {
                    State = ChannelState.Tryopen, Ordering = order, Counterparty = new ChannelCounterparty { PortId = "mock", ChannelId = "channel-0" },
                    ConnectionHops = { "connection-0" }, Version = "mock-1",
                },
                CounterpartyVersion = "mock-1", ProofInit = proofInit, ProofHeight = initHeight, Signer = Relayer,
            }));

            A.SeedConsensusState("07-tendermint-0", B);
            var (proofTry, tryHeight) = B.Prove(IbcPaths.ChannelEnd("mock", "channel-0"));
            A.Block(ctx => A.Channels.ChanOpenAck(ctx, new MsgChannelOpenAck
            {
                PortId = "mock", ChannelId = "channel-0", CounterpartyChannelId = "channel-0", CounterpartyVersion = "mock-1",
                ProofTry = proofTry, ProofHeight = tryHeight, Signer = Relayer,
            }));

            B.SeedConsensusState("07-tendermint-0", A);
            var (proofAck, ackHeight) = A.Prove(IbcPaths.ChannelEnd("mock", "channel-0"));
            B.Block(ctx => B.Channels.ChanOpenConfirm(ctx, new MsgChannelOpenConfirm { PortId = "mock", ChannelId = "channel-0", ProofAck = proofAck, ProofHeight = ackHeight, Signer = Relayer }));
        }

        public ulong Send(string data, Height? timeoutHeight = null, ulong timeoutTimestamp = 0)
            => A.Block(ctx => A.Channels.SendPacket(ctx, "mock", "channel-0", timeoutHeight ?? Heights.Of(1, 10_000), timeoutTimestamp, Encoding.UTF8.GetBytes(data)));

        public Packet PacketOf(ulong sequence, string data, Height? timeoutHeight = null, ulong timeoutTimestamp = 0) => new()
        {
            Sequence = sequence, SourcePort = "mock", SourceChannel = "channel-0", DestinationPort = "mock", DestinationChannel = "channel-0",
            Data = ByteString.CopyFromUtf8(data), TimeoutHeight = timeoutHeight ?? Heights.Of(1, 10_000), TimeoutTimestamp = timeoutTimestamp,
        };

        public MsgRecvPacket Recv(Packet packet)
        {
            B.SeedConsensusState("07-tendermint-0", A);
            var (proof, height) = A.Prove(IbcPaths.PacketCommitment("mock", "channel-0", packet.Sequence));
            return new MsgRecvPacket { Packet = packet, ProofCommitment = proof, ProofHeight = height, Signer = Relayer };
        }

        public MsgAcknowledgement Ack(Packet packet, byte[] ack)
        {
            A.SeedConsensusState("07-tendermint-0", B);
            var (proof, height) = B.Prove(IbcPaths.PacketAcknowledgement("mock", "channel-0", packet.Sequence));
            return new MsgAcknowledgement { Packet = packet, Acknowledgement = ByteString.CopyFrom(ack), ProofAcked = proof, ProofHeight = height, Signer = Relayer };
        }
    }

    [Fact]
    public void Connection_and_channel_handshakes_open_both_ends_with_ibc_gos_stored_encodings()
    {
        var pair = new Pair();
        var channelA = pair.A.Read(ctx => pair.A.Channels.GetChannel(ctx, "mock", "channel-0"))!;
        var channelB = pair.B.Read(ctx => pair.B.Channels.GetChannel(ctx, "mock", "channel-0"))!;
        Assert.Equal((ChannelState.Open, "channel-0", "mock-1"), (channelA.State, channelA.Counterparty.ChannelId, channelA.Version));
        Assert.Equal((ChannelState.Open, "channel-0", "mock-1"), (channelB.State, channelB.Counterparty.ChannelId, channelB.Version));
        Assert.Equal(["init channel-0", "ack channel-0"], pair.AppA.Calls);
        Assert.Equal(["try channel-0", "confirm channel-0"], pair.AppB.Calls);
        // The open connection end is byte for byte what ibc-go stores (same bytes as the recorded simd chains').
        var (proof, _) = pair.A.Prove(IbcPaths.Connection("connection-0"));
        Assert.False(proof.IsEmpty);
        var stored = pair.A.Read(ctx => IbcStore.Of(ctx).Get(IbcPaths.Connection("connection-0")))!;
        Assert.Equal(SimdPair.State("a-state-connection-0-h221.json").Value, stored);
        Assert.Equal(1UL, pair.A.Read(ctx => pair.A.Channels.GetNextSequenceSend(ctx, "mock", "channel-0")));
    }

    [Fact]
    public void A_packet_is_received_once_acknowledged_once_and_its_commitment_deleted()
    {
        var pair = new Pair();
        var sequence = pair.Send("hello");
        Assert.Equal(1UL, sequence);
        var send = pair.A.Events.Single(e => e.Type == "send_packet");
        Assert.Equal("68656c6c6f", send.Attributes.Single(a => a.Key == "packet_data_hex").Value);
        Assert.Equal("1-10000", send.Attributes.Single(a => a.Key == "packet_timeout_height").Value);
        var packet = pair.PacketOf(1, "hello");
        Assert.Equal(PacketCommitments.CommitPacket(packet), pair.A.Read(ctx => pair.A.Channels.GetPacketCommitment(ctx, "mock", "channel-0", 1)));

        var recv = pair.Recv(packet);
        var result = pair.B.Block(ctx => pair.B.Channels.RecvPacket(ctx, recv, Relayer));
        Assert.Equal(ResponseResultType.Success, result.Result);
        Assert.Equal(["recv_packet", "message", "write_acknowledgement", "message"], pair.B.Events.Select(e => e.Type));
        Assert.Equal(PacketCommitments.CommitAcknowledgement(MockApp.SuccessAck), pair.B.Read(ctx => pair.B.Channels.GetPacketAcknowledgement(ctx, "mock", "channel-0", 1)));
        Assert.True(pair.B.Read(ctx => pair.B.Channels.HasPacketReceipt(ctx, "mock", "channel-0", 1)));

        // The same packet relayed again is a no-op: no second delivery to the application.
        var replay = pair.B.Block(ctx => pair.B.Channels.RecvPacket(ctx, recv, Relayer));
        Assert.Equal(ResponseResultType.Noop, replay.Result);
        Assert.Equal(1, pair.AppB.Calls.Count(c => c == "recv 1"));

        var ack = pair.Ack(packet, MockApp.SuccessAck);
        Assert.Equal(ResponseResultType.Success, pair.A.Block(ctx => pair.A.Channels.Acknowledgement(ctx, ack, Relayer)).Result);
        Assert.Contains("acked 1 {\"result\":\"AQ==\"}", pair.AppA.Calls);
        Assert.Null(pair.A.Read(ctx => pair.A.Channels.GetPacketCommitment(ctx, "mock", "channel-0", 1)));
        Assert.Equal(ResponseResultType.Noop, pair.A.Block(ctx => pair.A.Channels.Acknowledgement(ctx, ack, Relayer)).Result);

        // The counterparty's next unreceived packets and acks, as relayers ask.
        Assert.Equal(PacketCommitments.CommitAcknowledgement(MockApp.SuccessAck), pair.B.Read(ctx => IbcStore.Of(ctx).Get(IbcPaths.PacketAcknowledgement("mock", "channel-0", 1))));
    }

    // The same receive with one bit of its commitment proof flipped.
    private static MsgRecvPacket WithProofBitFlipped(MsgRecvPacket recv)
    {
        var forged = recv.Clone();
        var bytes = forged.ProofCommitment.ToByteArray();
        bytes[^5] ^= 0x40;
        forged.ProofCommitment = ByteString.CopyFrom(bytes);
        return forged;
    }

    [Fact]
    public void A_forged_or_mismatched_proof_is_refused_and_leaves_no_receipt()
    {
        var pair = new Pair();
        pair.Send("hello");
        var recv = pair.Recv(pair.PacketOf(1, "hello"));

        var otherData = recv.Clone();
        otherData.Packet.Data = ByteString.CopyFromUtf8("hellO");
        var error = Assert.Throws<SdkError>(() => pair.B.Block(ctx => pair.B.Channels.RecvPacket(ctx, otherData, Relayer)));
        Assert.Equal(("commitment", 2u), (error.Codespace, error.Code));

        var forged = WithProofBitFlipped(recv);
        error = Assert.Throws<SdkError>(() => pair.B.Block(ctx => pair.B.Channels.RecvPacket(ctx, forged, Relayer)));
        Assert.True(error.Codespace is "commitment" or "ibc", error.Message);

        var noConsensus = recv.Clone();
        noConsensus.ProofHeight = Heights.Of(1, 5_000);
        error = Assert.Throws<SdkError>(() => pair.B.Block(ctx => pair.B.Channels.RecvPacket(ctx, noConsensus, Relayer)));
        Assert.Equal(("ibc", 9u), (error.Codespace, error.Code));

        Assert.False(pair.B.Read(ctx => pair.B.Channels.HasPacketReceipt(ctx, "mock", "channel-0", 1)));
        Assert.Equal(ResponseResultType.Success, pair.B.Block(ctx => pair.B.Channels.RecvPacket(ctx, recv, Relayer)).Result);
    }

    [Fact]
    public void The_mempool_verifies_a_receive_and_refuses_a_second_copy_still_in_it_as_ibc_gos_check_state_does()
    {
        var pair = new Pair();
        pair.Send("hello");
        var recv = pair.Recv(pair.PacketOf(1, "hello"));
        var forged = WithProofBitFlipped(recv);
        var mempool = pair.B.MempoolState();

        // A forged proof is refused at the mempool, before any block, and marks nothing received.
        var error = Assert.Throws<SdkError>(() => pair.B.CheckTx(mempool, ExecMode.CheckTx, forged));
        Assert.Contains("receive packet verification failed", error.Message, StringComparison.Ordinal);
        // The first relayer's tx enters; a second relayer's copy, still only in the mempool, is redundant.
        pair.B.CheckTx(mempool, ExecMode.CheckTx, recv);
        error = Assert.Throws<SdkError>(() => pair.B.CheckTx(mempool, ExecMode.CheckTx, recv));
        Assert.Equal(("channel", 22u), (error.Codespace, error.Code));
        // A tx that does more than relay goes through whatever its packet messages are.
        pair.B.CheckTx(mempool, ExecMode.CheckTx, recv, new DePinChain.Protos.Cosmos.Bank.V1Beta1.MsgSend { FromAddress = Relayer });
        // The mempool's writes are its own: not committed, and the application was not called.
        Assert.False(pair.B.Read(ctx => pair.B.Channels.HasPacketReceipt(ctx, "mock", "channel-0", 1)));
        Assert.DoesNotContain("recv 1", pair.AppB.Calls);

        // After a block holds the first copy, the recheck of the rest (replay protection only: no proof is checked) refuses them.
        Assert.Equal(ResponseResultType.Success, pair.B.Block(ctx => pair.B.Channels.RecvPacket(ctx, recv, Relayer)).Result);
        var recheck = pair.B.MempoolState();
        error = Assert.Throws<SdkError>(() => pair.B.CheckTx(recheck, ExecMode.ReCheckTx, forged));
        Assert.Equal(("channel", 22u), (error.Codespace, error.Code));
    }

    [Fact]
    public void The_mempool_runs_an_acknowledgement_on_its_state_so_a_second_copy_is_redundant()
    {
        var pair = new Pair();
        pair.Send("hello");
        var packet = pair.PacketOf(1, "hello");
        var recv = pair.Recv(packet);
        pair.B.Block(ctx => pair.B.Channels.RecvPacket(ctx, recv, Relayer));
        var ack = pair.Ack(packet, MockApp.SuccessAck);
        var mempool = pair.A.MempoolState();
        pair.A.CheckTx(mempool, ExecMode.CheckTx, ack);
        var error = Assert.Throws<SdkError>(() => pair.A.CheckTx(mempool, ExecMode.CheckTx, ack));
        Assert.Equal(("channel", 22u), (error.Codespace, error.Code));
        Assert.NotNull(pair.A.Read(ctx => pair.A.Channels.GetPacketCommitment(ctx, "mock", "channel-0", 1)));
        // In a block it is acknowledged once; a later copy is refused at the mempool from committed state alone.
        Assert.Equal(ResponseResultType.Success, pair.A.Block(ctx => pair.A.Channels.Acknowledgement(ctx, ack, Relayer)).Result);
        error = Assert.Throws<SdkError>(() => pair.A.CheckTx(pair.A.MempoolState(), ExecMode.CheckTx, ack));
        Assert.Equal(22u, error.Code);
    }

    [Fact]
    public void An_error_acknowledgement_discards_the_applications_changes_but_is_committed()
    {
        var pair = new Pair();
        pair.Send("fail");
        var recv = pair.Recv(pair.PacketOf(1, "fail"));
        Assert.Equal(ResponseResultType.Success, pair.B.Block(ctx => pair.B.Channels.RecvPacket(ctx, recv, Relayer)).Result);
        Assert.Null(pair.B.Read(ctx => IbcStore.Of(ctx).Get("mock/received/1")));
        var errorAck = Encoding.UTF8.GetBytes("{\"error\":\"mock failure\"}");
        Assert.Equal(PacketCommitments.CommitAcknowledgement(errorAck), pair.B.Read(ctx => pair.B.Channels.GetPacketAcknowledgement(ctx, "mock", "channel-0", 1)));
        var ack = pair.Ack(pair.PacketOf(1, "fail"), errorAck);
        pair.A.Block(ctx => pair.A.Channels.Acknowledgement(ctx, ack, Relayer));
        Assert.Contains("acked 1 {\"error\":\"mock failure\"}", pair.AppA.Calls);
    }

    [Fact]
    public void A_packet_times_out_by_height_with_a_proof_of_no_receipt_and_not_before()
    {
        var pair = new Pair();
        // Times out at B's height 2 past its current one.
        var timeout = Heights.Of(1, (ulong)(pair.B.Height + 2));
        pair.Send("late", timeout);
        var packet = pair.PacketOf(1, "late", timeout);

        // Too early: the proof height has not reached the timeout.
        pair.A.SeedConsensusState("07-tendermint-0", pair.B);
        var (early, earlyHeight) = pair.B.Prove(IbcPaths.PacketReceipt("mock", "channel-0", 1));
        var tooEarly = new MsgTimeout { Packet = packet, ProofUnreceived = early, ProofHeight = earlyHeight, NextSequenceRecv = 1, Signer = Relayer };
        var error = Assert.Throws<SdkError>(() => pair.A.Block(ctx => pair.A.Channels.Timeout(ctx, tooEarly, Relayer)));
        Assert.Equal(("channel", 39u), (error.Codespace, error.Code));

        // B passes the timeout height; receiving it there is refused.
        pair.B.Block();
        pair.B.Block();
        var recv = pair.Recv(packet);
        error = Assert.Throws<SdkError>(() => pair.B.Block(ctx => pair.B.Channels.RecvPacket(ctx, recv, Relayer)));
        Assert.Equal(("channel", 38u), (error.Codespace, error.Code));

        pair.A.SeedConsensusState("07-tendermint-0", pair.B);
        var (proof, height) = pair.B.Prove(IbcPaths.PacketReceipt("mock", "channel-0", 1));
        var msg = new MsgTimeout { Packet = packet, ProofUnreceived = proof, ProofHeight = height, NextSequenceRecv = 1, Signer = Relayer };
        Assert.Equal(ResponseResultType.Success, pair.A.Block(ctx => pair.A.Channels.Timeout(ctx, msg, Relayer)).Result);
        Assert.Contains("timeout 1", pair.AppA.Calls);
        Assert.Contains(pair.A.Events, e => e.Type == "timeout_packet");
        Assert.Null(pair.A.Read(ctx => pair.A.Channels.GetPacketCommitment(ctx, "mock", "channel-0", 1)));
        Assert.Equal(ResponseResultType.Noop, pair.A.Block(ctx => pair.A.Channels.Timeout(ctx, msg, Relayer)).Result);
    }

    [Fact]
    public void A_received_packet_cannot_be_timed_out()
    {
        var pair = new Pair();
        var timeout = Heights.Of(1, (ulong)(pair.B.Height + 3));
        pair.Send("in time", timeout);
        var packet = pair.PacketOf(1, "in time", timeout);
        var recv = pair.Recv(packet);
        pair.B.Block(ctx => pair.B.Channels.RecvPacket(ctx, recv, Relayer));
        for (var i = 0; i < 3; i++) pair.B.Block();
        pair.A.SeedConsensusState("07-tendermint-0", pair.B);
        var (proof, height) = pair.B.Prove(IbcPaths.PacketReceipt("mock", "channel-0", 1));
        var msg = new MsgTimeout { Packet = packet, ProofUnreceived = proof, ProofHeight = height, NextSequenceRecv = 1, Signer = Relayer };
        var error = Assert.Throws<SdkError>(() => pair.A.Block(ctx => pair.A.Channels.Timeout(ctx, msg, Relayer)));
        Assert.Equal(("commitment", 2u), (error.Codespace, error.Code));
    }

    [Fact]
    public void An_ordered_channel_delivers_in_order_and_closes_on_timeout()
    {
        var pair = new Pair(Order.Ordered);
        pair.Send("one");
        pair.Send("two");
        var second = pair.Recv(pair.PacketOf(2, "two"));
        var error = Assert.Throws<SdkError>(() => pair.B.Block(ctx => pair.B.Channels.RecvPacket(ctx, second, Relayer)));
        Assert.Equal(("channel", 21u), (error.Codespace, error.Code));
        var first = pair.Recv(pair.PacketOf(1, "one"));
        pair.B.Block(ctx => pair.B.Channels.RecvPacket(ctx, first, Relayer));
        second = pair.Recv(pair.PacketOf(2, "two"));
        pair.B.Block(ctx => pair.B.Channels.RecvPacket(ctx, second, Relayer));
        Assert.Equal(3UL, pair.B.Read(ctx => pair.B.Channels.GetNextSequenceRecv(ctx, "mock", "channel-0")));

        var timeout = Heights.Of(1, (ulong)(pair.B.Height + 1));
        pair.Send("three", timeout);
        pair.B.Block();
        pair.B.Block();
        pair.A.SeedConsensusState("07-tendermint-0", pair.B);
        var (proof, height) = pair.B.Prove(IbcPaths.NextSequenceRecv("mock", "channel-0"));
        var msg = new MsgTimeout { Packet = pair.PacketOf(3, "three", timeout), ProofUnreceived = proof, ProofHeight = height, NextSequenceRecv = 3, Signer = Relayer };
        pair.A.Block(ctx => pair.A.Channels.Timeout(ctx, msg, Relayer));
        Assert.Equal(ChannelState.Closed, pair.A.Read(ctx => pair.A.Channels.GetChannel(ctx, "mock", "channel-0"))!.State);
    }

    [Fact]
    public void Closing_a_channel_on_one_end_is_proved_to_the_other()
    {
        var pair = new Pair();
        pair.A.Block(ctx => pair.A.Channels.ChanCloseInit(ctx, new MsgChannelCloseInit { PortId = "mock", ChannelId = "channel-0", Signer = Relayer }));
        pair.B.SeedConsensusState("07-tendermint-0", pair.A);
        var (proof, height) = pair.A.Prove(IbcPaths.ChannelEnd("mock", "channel-0"));
        pair.B.Block(ctx => pair.B.Channels.ChanCloseConfirm(ctx, new MsgChannelCloseConfirm { PortId = "mock", ChannelId = "channel-0", ProofInit = proof, ProofHeight = height, Signer = Relayer }));
        Assert.Equal(ChannelState.Closed, pair.B.Read(ctx => pair.B.Channels.GetChannel(ctx, "mock", "channel-0"))!.State);
        var error = Assert.Throws<SdkError>(() => pair.A.Block(ctx => pair.A.Channels.SendPacket(ctx, "mock", "channel-0", Heights.Of(1, 10_000), 0, [1])));
        Assert.Equal(("channel", 5u), (error.Codespace, error.Code));
    }
}
