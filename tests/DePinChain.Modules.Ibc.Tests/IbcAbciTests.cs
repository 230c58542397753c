using System.Text;
using DePinChain.App;
using DePinChain.Modules.Ibc.Client.Tendermint;
using DePinChain.Modules.Ibc.Commitment;
using DePinChain.Modules.Ibc.Connection;
using DePinChain.Modules.Ibc.Host;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Cosmos.Staking.V1Beta1;
using DePinChain.Protos.Ibc.Core.Client.V1;
using DePinChain.Protos.Ibc.Core.Commitment.V1;
using DePinChain.Protos.Ibc.Core.Connection.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using ConnectionCounterparty = DePinChain.Protos.Ibc.Core.Connection.V1.Counterparty;
using TmClientState = DePinChain.Protos.Ibc.LightClients.Tendermint.V1.ClientState;
using TmConsensusState = DePinChain.Protos.Ibc.LightClients.Tendermint.V1.ConsensusState;

namespace DePinChain.Modules.Ibc.Tests;

/// <summary>IBC through the app's public surface: signed txs in FinalizeBlock, ibc-go's events, queries at ibc-go's
/// gRPC paths over ABCI, and <c>store/ibc/key</c> proofs.</summary>
public sealed class IbcAbciTests
{
    // The recorded consensus state of simd-b-1 at 1-31 is from 2026-12-04T04:04:44Z: a chain an hour later can use it.
    private static readonly DateTimeOffset RecordingTime = new(2026, 12, 4, 5, 0, 0, TimeSpan.Zero);

    private static MsgCreateClient RecordedCreateClient(IbcChain chain)
    {
        var recorded = ConformanceTests.Message<MsgCreateClient>("a-MsgCreateClient.json");
        recorded.Signer = IbcChain.Relayer.Bech32;
        return recorded;
    }

    private static Dictionary<string, string> Attributes(ExecTxResult result, string type)
        => result.Events.Single(e => e.Type == type).Attributes.Where(a => a.Key != "msg_index").ToDictionary(a => a.Key, a => a.Value);

    private static List<(string, string)> AttributeList(IEnumerable<DePinChain.Protos.Abci.Event> events, string type)
        => [.. events.Single(e => e.Type == type).Attributes.Where(a => a.Key != "msg_index").Select(a => (a.Key, a.Value))];

    private static List<(string, string)> RecordedAttributes(string file, string type)
        => [.. SimdPair.Load(file)["result"]!["tx_result"]!["events"]!.AsArray().Single(e => (string?)e!["type"] == type)!["attributes"]!.AsArray()
            .Where(a => (string?)a!["key"] != "msg_index").Select(a => ((string)a!["key"]!, (string)a["value"]!))];

    [Fact]
    public void The_recorded_MsgCreateClient_creates_07_tendermint_0_with_ibc_gos_events_state_and_queries()
    {
        var chain = new IbcChain("depin-a-1", RecordingTime);
        var msg = RecordedCreateClient(chain);
        var result = chain.Ok(IbcChain.Relayer, msg);

        Assert.Equal(RecordedAttributes("a-MsgCreateClient.json", "create_client"), AttributeList(result.Events, "create_client"));
        Assert.Contains(result.Events, e => e.Type == "message" && e.Attributes.Any(a => a.Key == "module" && a.Value == "ibc_client"));

        var state = chain.Ask("/ibc.core.client.v1.Query/ClientState", new QueryClientStateRequest { ClientId = "07-tendermint-0" }, QueryClientStateResponse.Parser);
        Assert.Equal(msg.ClientState, state.ClientState);
        Assert.Equal(Heights.Of(1, (ulong)chain.Height), state.ProofHeight);
        var consensus = chain.Ask("/ibc.core.client.v1.Query/ConsensusState",
            new QueryConsensusStateRequest { ClientId = "07-tendermint-0", RevisionNumber = 1, RevisionHeight = 31 }, QueryConsensusStateResponse.Parser);
        Assert.Equal(msg.ConsensusState, consensus.ConsensusState);
        var latest = chain.Ask("/ibc.core.client.v1.Query/ConsensusState",
            new QueryConsensusStateRequest { ClientId = "07-tendermint-0", LatestHeight = true }, QueryConsensusStateResponse.Parser);
        Assert.Equal(msg.ConsensusState, latest.ConsensusState);
        Assert.Equal("Active", chain.Ask("/ibc.core.client.v1.Query/ClientStatus", new QueryClientStatusRequest { ClientId = "07-tendermint-0" }, QueryClientStatusResponse.Parser).Status);
        var all = chain.Ask("/ibc.core.client.v1.Query/ClientStates", new QueryClientStatesRequest(), QueryClientStatesResponse.Parser);
        Assert.Equal("07-tendermint-0", Assert.Single(all.ClientStates).ClientId);
        var heights = chain.Ask("/ibc.core.client.v1.Query/ConsensusStateHeights", new QueryConsensusStateHeightsRequest { ClientId = "07-tendermint-0" }, QueryConsensusStateHeightsResponse.Parser);
        Assert.Equal(Heights.Of(1, 31), Assert.Single(heights.ConsensusStateHeights));

        // The stored bytes are the relayer's (ibc-go's encoding), and their store proofs verify against the next app hash.
        var proved = chain.ProveIbcKey(IbcPaths.ClientState("07-tendermint-0"));
        Assert.Equal(0u, proved.Code);
        Assert.Equal(msg.ClientState.ToByteArray(), proved.Value.ToByteArray());
        var path = MerkleProofs.ApplyPrefix(MerkleProofs.IbcPrefix, IbcPaths.ClientState("07-tendermint-0"));
        MerkleProofs.VerifyMembership(MerkleProofs.Parse(ByteString.CopyFrom(IbcChain.MerkleProofOf(proved))), MerkleProofs.SdkSpecs, chain.LastAppHash, path, proved.Value.ToByteArray());
        var processedHeight = chain.ProveIbcKey(IbcPaths.ProcessedHeight("07-tendermint-0", Heights.Of(1, 31)));
        Assert.Equal($"1-{chain.Height}", processedHeight.Value.ToStringUtf8());
        var absent = chain.ProveIbcKey(IbcPaths.ClientState("07-tendermint-1"));
        Assert.True(absent.Value.IsEmpty);
        MerkleProofs.VerifyNonMembership(MerkleProofs.Parse(ByteString.CopyFrom(IbcChain.MerkleProofOf(absent))), MerkleProofs.SdkSpecs, chain.LastAppHash,
            MerkleProofs.ApplyPrefix(MerkleProofs.IbcPrefix, IbcPaths.ClientState("07-tendermint-1")));
        Assert.Equal("0000000000000001", Convert.ToHexString(chain.ProveIbcKey(IbcPaths.NextClientSequence).Value.Span));
    }

    [Fact]
    public void A_client_of_a_consensus_state_older_than_its_trusting_period_is_refused_and_a_live_one_expires()
    {
        var late = new IbcChain("depin-a-1", RecordingTime.AddDays(30));
        var refused = late.Run(IbcChain.Relayer, RecordedCreateClient(late));
        Assert.Equal(("client", 29u), (refused.Codespace, refused.Code));
        Assert.Contains("Expired", refused.Log, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_clients_are_refused_with_ibc_gos_codes()
    {
        var chain = new IbcChain("depin-a-1", RecordingTime);
        var msg = RecordedCreateClient(chain);
        var cs = TendermintStates.UnpackClientState(msg.ClientState);

        var wrongType = msg.Clone();
        wrongType.ClientState = new Any { TypeUrl = "/ibc.lightclients.solomachine.v3.ClientState", Value = msg.ClientState.Value };
        var result = chain.Run(IbcChain.Relayer, wrongType);
        Assert.Equal(("ibc", 14u), (result.Codespace, result.Code));

        var trustingTooLong = cs.Clone();
        trustingTooLong.TrustingPeriod = trustingTooLong.UnbondingPeriod;
        result = chain.Run(IbcChain.Relayer, With(msg, trustingTooLong));
        Assert.Equal(("07-tendermint", 3u), (result.Codespace, result.Code));

        var wrongRevision = cs.Clone();
        wrongRevision.LatestHeight = Heights.Of(2, 31);
        result = chain.Run(IbcChain.Relayer, With(msg, wrongRevision));
        Assert.Equal(("07-tendermint", 5u), (result.Codespace, result.Code));

        var noSpecs = cs.Clone();
        noSpecs.ProofSpecs.Clear();
        result = chain.Run(IbcChain.Relayer, With(msg, noSpecs));
        Assert.Equal(("07-tendermint", 13u), (result.Codespace, result.Code));

        var noRoot = msg.Clone();
        var consensus = TendermintStates.UnpackConsensusState(msg.ConsensusState);
        consensus.Root = new MerkleRoot();
        noRoot.ConsensusState = TendermintStates.Pack(consensus);
        result = chain.Run(IbcChain.Relayer, noRoot);
        Assert.Equal(("client", 8u), (result.Codespace, result.Code));

        // None of them used up a client id.
        chain.Ok(IbcChain.Relayer, msg);
        Assert.Equal("07-tendermint-0", Assert.Single(chain.Ask("/ibc.core.client.v1.Query/ClientStates", new QueryClientStatesRequest(), QueryClientStatesResponse.Parser).ClientStates).ClientId);
    }

    private static MsgCreateClient With(MsgCreateClient msg, TmClientState cs)
    {
        var copy = msg.Clone();
        copy.ClientState = TendermintStates.Pack(cs);
        return copy;
    }

    // rly's updates of a's client of simd-b-1, in order (B's header h from trusted height t), as recorded in a's txs.
    private static readonly string[] RecordedUpdates =
    [
        "a-MsgConnectionOpenInit.json", "a-MsgConnectionOpenAck.json", "a-MsgChannelOpenInit.json", "a-MsgChannelOpenAck.json",
        "a-MsgAcknowledgement-1.json", "a-MsgRecvPacket-1.json", "a-MsgTimeout-2.json",
    ];

    private static MsgUpdateClient RecordedUpdate(string file)
    {
        var update = ConformanceTests.Message<MsgUpdateClient>(file);
        update.Signer = IbcChain.Relayer.Bech32;
        return update;
    }

    [Fact]
    public void The_recorded_CometBFT_headers_update_the_client_with_ibc_gos_events_and_end_in_ibc_gos_stored_state()
    {
        var chain = new IbcChain("depin-a-1", RecordingTime);
        chain.Ok(IbcChain.Relayer, RecordedCreateClient(chain));
        foreach (var file in RecordedUpdates)
        {
            var result = chain.Ok(IbcChain.Relayer, RecordedUpdate(file));
            Assert.Equal(RecordedAttributes(file, "update_client"), AttributeList(result.Events, "update_client"));
        }
        // After the same updates, the client and its last consensus state are byte for byte what simd-a-1 stored.
        Assert.Equal(SimdPair.State("a-state-clientState-h221.json").Value, chain.ProveIbcKey(IbcPaths.ClientState("07-tendermint-0")).Value.ToByteArray());
        Assert.Equal(SimdPair.State("a-state-consensusState-1-134-h221.json").Value,
            chain.ProveIbcKey(IbcPaths.ConsensusState("07-tendermint-0", Heights.Of(1, 134))).Value.ToByteArray());
        Assert.Equal(8, chain.Ask("/ibc.core.client.v1.Query/ConsensusStates", new QueryConsensusStatesRequest { ClientId = "07-tendermint-0" },
            QueryConsensusStatesResponse.Parser).ConsensusStates.Count);
        // The same header again is a no-op, not misbehaviour.
        chain.Ok(IbcChain.Relayer, RecordedUpdate(RecordedUpdates[^1]));
        Assert.Equal("Active", chain.Ask("/ibc.core.client.v1.Query/ClientStatus", new QueryClientStatusRequest { ClientId = "07-tendermint-0" }, QueryClientStatusResponse.Parser).Status);
    }

    [Fact]
    public void A_header_with_a_changed_signature_chain_id_or_validator_power_is_refused()
    {
        var chain = new IbcChain("depin-a-1", RecordingTime);
        chain.Ok(IbcChain.Relayer, RecordedCreateClient(chain));
        var update = RecordedUpdate(RecordedUpdates[0]);
        var header = TendermintLightClient.ParseHeader(update.ClientMessage);

        MsgUpdateClient With(Action<DePinChain.Protos.Ibc.LightClients.Tendermint.V1.Header> change)
        {
            var changed = header.Clone();
            change(changed);
            var copy = update.Clone();
            copy.ClientMessage = new Any { TypeUrl = TendermintStates.HeaderTypeUrl, Value = changed.ToByteString() };
            return copy;
        }

        var badSignature = With(h =>
        {
            var signature = h.SignedHeader.Commit.Signatures[0].Signature.ToByteArray();
            signature[0] ^= 1;
            h.SignedHeader.Commit.Signatures[0].Signature = ByteString.CopyFrom(signature);
        });
        var otherChain = With(h => h.SignedHeader.Header.ChainId = "simd-c-1");
        var otherPower = With(h => h.ValidatorSet.Validators[0].VotingPower += 1);
        foreach (var bad in new[] { badSignature, otherChain, otherPower })
        {
            var result = chain.Run(IbcChain.Relayer, bad);
            Assert.True(result.Code != 0, "a changed header was accepted");
            Assert.True(result.Codespace is "client" or "07-tendermint", result.Codespace + ": " + result.Log);
        }
        // Trusted validators that are not the trusted state's next validators.
        var result2 = chain.Run(IbcChain.Relayer, With(h => h.TrustedValidators.Validators[0].VotingPower += 1));
        Assert.Equal(("07-tendermint", 14u), (result2.Codespace, result2.Code));
        // A trusted height the client has no consensus state for.
        result2 = chain.Run(IbcChain.Relayer, With(h => h.TrustedHeight = Heights.Of(1, 30)));
        Assert.Equal(("client", 7u), (result2.Codespace, result2.Code));
        Assert.Equal(Heights.Of(1, 31), Assert.Single(chain.Ask("/ibc.core.client.v1.Query/ConsensusStateHeights",
            new QueryConsensusStateHeightsRequest { ClientId = "07-tendermint-0" }, QueryConsensusStateHeightsResponse.Parser).ConsensusStateHeights));
        // The untouched header still verifies.
        chain.Ok(IbcChain.Relayer, update);
    }

    [Fact]
    public void A_header_from_the_future_or_from_an_expired_trusted_state_is_refused()
    {
        // The chain's time is before the header's (beyond max clock drift): from the future.
        var early = new IbcChain("depin-a-1", new DateTimeOffset(2026, 12, 4, 3, 50, 0, TimeSpan.Zero));
        var create = RecordedCreateClient(early);
        // A client whose consensus state is younger than the chain (created with a shifted latest time is not possible:
        // consensus states are as recorded), so only the update is checked here.
        var result = early.Run(IbcChain.Relayer, create);
        Assert.Equal(0u, result.Code);
        result = early.Run(IbcChain.Relayer, RecordedUpdate(RecordedUpdates[0]));
        Assert.Equal(("client", 12u), (result.Codespace, result.Code));
        Assert.Contains("future", result.Log, StringComparison.Ordinal);
    }

    [Fact]
    public void ConnectionOpenInit_stores_the_INIT_end_and_emits_ibc_gos_event()
    {
        var chain = new IbcChain("depin-a-1", RecordingTime);
        chain.Ok(IbcChain.Relayer, RecordedCreateClient(chain));
        var init = ConformanceTests.Message<MsgConnectionOpenInit>("a-MsgConnectionOpenInit.json");
        init.Signer = IbcChain.Relayer.Bech32;
        var result = chain.Ok(IbcChain.Relayer, init);
        Assert.Equal(RecordedAttributes("a-MsgConnectionOpenInit.json", "connection_open_init"), AttributeList(result.Events, "connection_open_init"));

        var connection = chain.Ask("/ibc.core.connection.v1.Query/Connection", new QueryConnectionRequest { ConnectionId = "connection-0" }, QueryConnectionResponse.Parser).Connection;
        Assert.Equal(DePinChain.Protos.Ibc.Core.Connection.V1.State.Init, connection.State);
        Assert.Equal(ConnectionKeeper.DefaultVersion, Assert.Single(connection.Versions));
        Assert.Equal(["connection-0"], chain.Ask("/ibc.core.connection.v1.Query/ClientConnections", new QueryClientConnectionsRequest { ClientId = "07-tendermint-0" },
            QueryClientConnectionsResponse.Parser).ConnectionPaths);
        Assert.Equal("connection-0", Assert.Single(chain.Ask("/ibc.core.connection.v1.Query/Connections", new QueryConnectionsRequest(), QueryConnectionsResponse.Parser).Connections).Id);

        // A connection on a client that does not exist, or with a counterparty connection id, is refused.
        var unknown = init.Clone();
        unknown.ClientId = "07-tendermint-9";
        var refused = chain.Run(IbcChain.Relayer, unknown);
        Assert.Equal(("client", 29u), (refused.Codespace, refused.Code));
        var withId = init.Clone();
        withId.Counterparty.ConnectionId = "connection-3";
        refused = chain.Run(IbcChain.Relayer, withId);
        Assert.Equal(("connection", 7u), (refused.Codespace, refused.Code));
    }

    // ---- two chains ----

    /// <summary>A 07-tendermint client of <paramref name="counterparty"/> at <paramref name="height"/>, from its own
    /// historical info: what a relayer reads from the counterparty's header.</summary>
    private static MsgCreateClient ClientOf(IbcChain counterparty, long height)
    {
        var hist = counterparty.Ask("/cosmos.staking.v1beta1.Query/HistoricalInfo", new QueryHistoricalInfoRequest { Height = height }, QueryHistoricalInfoResponse.Parser).Hist;
        var unbonding = counterparty.Ask("/cosmos.staking.v1beta1.Query/Params", new QueryParamsRequest(), QueryParamsResponse.Parser).Params.UnbondingTime;
        var cs = new TmClientState
        {
            ChainId = counterparty.ChainId,
            TrustLevel = new DePinChain.Protos.Ibc.LightClients.Tendermint.V1.Fraction { Numerator = 1, Denominator = 3 },
            TrustingPeriod = Duration.FromTimeSpan(unbonding.ToTimeSpan() * 2 / 3),
            UnbondingPeriod = unbonding,
            MaxClockDrift = Duration.FromTimeSpan(TimeSpan.FromSeconds(600)),
            LatestHeight = Heights.Of(Heights.RevisionOf(counterparty.ChainId), (ulong)height),
            ProofSpecs = { MerkleProofs.SdkSpecs },
            UpgradePath = { "upgrade", "upgradedIBCState" },
        };
        var consensus = new TmConsensusState
        {
            Timestamp = hist.Header.Time,
            Root = new MerkleRoot { Hash = hist.Header.AppHash },
            NextValidatorsHash = hist.Header.NextValidatorsHash,
        };
        return new MsgCreateClient { ClientState = TendermintStates.Pack(cs), ConsensusState = TendermintStates.Pack(consensus), Signer = IbcChain.Relayer.Bech32 };
    }

    private static ByteString Proof(IbcChain chain, string path, long height)
    {
        var response = chain.ProveIbcKey(path, height);
        Assert.Equal(0u, response.Code);
        return ByteString.CopyFrom(IbcChain.MerkleProofOf(response));
    }

    [Fact]
    public void ConnectionOpenTry_verifies_the_counterpartys_INIT_end_client_and_consensus_state_with_proofs_from_its_store()
    {
        var start = DateTimeOffset.UnixEpoch.AddYears(56);
        var a = new IbcChain("depin-a-1", start);
        var b = new IbcChain("depin-b-1", start);
        for (var i = 0; i < 3; i++) { a.Block(); b.Block(); }

        // A's client of B at B's height 3.
        a.Ok(IbcChain.Relayer, ClientOf(b, 3));
        var init = new MsgConnectionOpenInit
        {
            ClientId = "07-tendermint-0",
            Counterparty = new ConnectionCounterparty { ClientId = "07-tendermint-0", Prefix = MerkleProofs.IbcPrefix },
            Signer = IbcChain.Relayer.Bech32,
        };
        a.Ok(IbcChain.Relayer, init);
        var initHeight = a.Height;
        a.Block();
        // B's client of A at the block after INIT: its root is A's state with the INIT end.
        var proofHeight = initHeight + 1;
        b.Ok(IbcChain.Relayer, ClientOf(a, proofHeight));
        b.Block();

        var clientOfB = a.Ask("/ibc.core.client.v1.Query/ClientState", new QueryClientStateRequest { ClientId = "07-tendermint-0" }, QueryClientStateResponse.Parser).ClientState;
        var tryMsg = new MsgConnectionOpenTry
        {
            ClientId = "07-tendermint-0",
            ClientState = clientOfB,
            Counterparty = new ConnectionCounterparty { ClientId = "07-tendermint-0", ConnectionId = "connection-0", Prefix = MerkleProofs.IbcPrefix },
            CounterpartyVersions = { ConnectionKeeper.DefaultVersion },
            ProofHeight = Heights.Of(1, (ulong)proofHeight),
            ProofInit = Proof(a, IbcPaths.Connection("connection-0"), initHeight),
            ProofClient = Proof(a, IbcPaths.ClientState("07-tendermint-0"), initHeight),
            ProofConsensus = Proof(a, IbcPaths.ConsensusState("07-tendermint-0", Heights.Of(1, 3)), initHeight),
            ConsensusHeight = Heights.Of(1, 3),
            Signer = IbcChain.Relayer.Bech32,
        };

        // Each proof is checked: a consensus proof swapped for the client proof is refused.
        var swapped = tryMsg.Clone();
        swapped.ProofConsensus = swapped.ProofClient;
        var refused = b.Run(IbcChain.Relayer, swapped);
        Assert.Equal(("commitment", 2u), (refused.Codespace, refused.Code));
        // A proof height the client has no consensus state for is refused.
        var otherHeight = tryMsg.Clone();
        otherHeight.ProofHeight = Heights.Of(1, (ulong)initHeight);
        refused = b.Run(IbcChain.Relayer, otherHeight);
        Assert.True(refused.Code != 0, refused.Log);
        // A client of B that B does not recognise as itself (another chain id) is refused.
        var foreign = tryMsg.Clone();
        var foreignState = TendermintStates.UnpackClientState(clientOfB);
        foreignState.ChainId = "depin-c-1";
        foreign.ClientState = TendermintStates.Pack(foreignState);
        refused = b.Run(IbcChain.Relayer, foreign);
        Assert.Equal(("client", 3u), (refused.Codespace, refused.Code));

        var result = b.Ok(IbcChain.Relayer, tryMsg);
        var attributes = Attributes(result, "connection_open_try");
        Assert.Equal("connection-0", attributes["connection_id"]);
        Assert.Equal("connection-0", attributes["counterparty_connection_id"]);
        var connection = b.Ask("/ibc.core.connection.v1.Query/Connection", new QueryConnectionRequest { ConnectionId = "connection-0" }, QueryConnectionResponse.Parser).Connection;
        Assert.Equal(DePinChain.Protos.Ibc.Core.Connection.V1.State.Tryopen, connection.State);
        Assert.Equal("connection-0", connection.Counterparty.ConnectionId);
    }
}
