using DePinChain.Modules.Ibc.Client;
using DePinChain.Modules.Ibc.Client.Tendermint;
using DePinChain.Modules.Ibc.Commitment;
using DePinChain.Modules.Ibc.Host;
using Height = DePinChain.Protos.Ibc.Core.Client.V1.Height;
using DePinChain.Protos.Ibc.Core.Connection.V1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using TmClientState = DePinChain.Protos.Ibc.LightClients.Tendermint.V1.ClientState;
using TmConsensusState = DePinChain.Protos.Ibc.LightClients.Tendermint.V1.ConsensusState;

namespace DePinChain.Modules.Ibc.Connection;

/// <summary>
/// ICS-03 (ibc-go v8 03-connection keeper): the four handshake steps, each proving the counterparty's connection end
/// (rebuilt here byte for byte as ibc-go encodes it), and on Try/Ack the counterparty's client of this chain (checked
/// against this chain: <see cref="ValidateSelfClient"/>) and its consensus state of this chain (rebuilt from staking's
/// historical info). Also the proofs channels and packets need, with the connection's delay.
/// </summary>
public sealed class ConnectionKeeper(ClientKeeper clients, IIbcStakingKeeper staking)
{
    public const string EventCategory = "ibc_connection";

    /// <summary>Nanoseconds: the SDK default expected block time, which turns a delay period into a block delay.</summary>
    public const ulong DefaultMaxExpectedTimePerBlock = 30_000_000_000;

    /// <summary>The only IBC version: "1" with both channel orderings.</summary>
    public static Protos.Ibc.Core.Connection.V1.Version DefaultVersion => new() { Identifier = "1", Features = { "ORDER_ORDERED", "ORDER_UNORDERED" } };

    public ClientKeeper Clients => clients;

    public static Params DefaultParams() => new() { MaxExpectedTimePerBlock = DefaultMaxExpectedTimePerBlock };

    public Params GetParams(Context ctx) => IbcStore.Of(ctx).GetMessage(IbcPaths.ConnectionParams, Params.Parser) ?? DefaultParams();

    public void SetParams(Context ctx, Params p) => IbcStore.Of(ctx).Set(IbcPaths.ConnectionParams, p);

    public ulong GetNextConnectionSequence(Context ctx) => IbcStore.Of(ctx).GetUInt64(IbcPaths.NextConnectionSequence) ?? 0;

    public void SetNextConnectionSequence(Context ctx, ulong sequence) => IbcStore.Of(ctx).SetUInt64(IbcPaths.NextConnectionSequence, sequence);

    public ConnectionEnd? GetConnection(Context ctx, string connectionId) => IbcStore.Of(ctx).GetMessage(IbcPaths.Connection(connectionId), ConnectionEnd.Parser);

    public ConnectionEnd MustConnection(Context ctx, string connectionId)
        => GetConnection(ctx, connectionId) ?? throw IbcErrors.Connection.ConnectionNotFound(connectionId);

    public void SetConnection(Context ctx, string connectionId, ConnectionEnd connection)
        => IbcStore.Of(ctx).Set(IbcPaths.Connection(connectionId), WithGogoDefaults(connection));

    /// <summary>The non-nullable sub-messages gogoproto always writes.</summary>
    public static ConnectionEnd WithGogoDefaults(ConnectionEnd c)
    {
        c.Counterparty ??= new Counterparty();
        c.Counterparty.Prefix ??= new Protos.Ibc.Core.Commitment.V1.MerklePrefix();
        return c;
    }

    public IEnumerable<(string Id, ConnectionEnd Connection)> Connections(Context ctx)
    {
        foreach (var (key, value) in IbcStore.Of(ctx).Prefixed("connections/"))
            yield return (System.Text.Encoding.UTF8.GetString(key)["connections/".Length..], ConnectionEnd.Parser.ParseFrom(value));
    }

    public IReadOnlyList<string> GetClientConnections(Context ctx, string clientId)
        => IbcStore.Of(ctx).GetMessage(IbcPaths.ClientConnections(clientId), ClientPaths.Parser)?.Paths.ToList() ?? [];

    private void AddConnectionToClient(Context ctx, string clientId, string connectionId)
    {
        var paths = IbcStore.Of(ctx).GetMessage(IbcPaths.ClientConnections(clientId), ClientPaths.Parser) ?? new ClientPaths();
        paths.Paths.Add(connectionId);
        IbcStore.Of(ctx).Set(IbcPaths.ClientConnections(clientId), paths);
    }

    private string GenerateConnectionId(Context ctx)
    {
        var sequence = GetNextConnectionSequence(ctx);
        SetNextConnectionSequence(ctx, sequence + 1);
        return $"connection-{sequence}";
    }

    private static Counterparty SelfCounterparty(string clientId, string connectionId)
        => new() { ClientId = clientId, ConnectionId = connectionId, Prefix = MerkleProofs.IbcPrefix };

    // ---- the handshake ----

    public string ConnOpenInit(Context ctx, string clientId, Counterparty counterparty, Protos.Ibc.Core.Connection.V1.Version? version, ulong delayPeriod)
    {
        var versions = new List<Protos.Ibc.Core.Connection.V1.Version> { DefaultVersion };
        if (version is not null)
        {
            if (!IsSupportedVersion(versions, version)) throw IbcErrors.Connection.InvalidVersion("version is not supported");
            versions = [version];
        }
        var status = clients.GetStatus(ctx, clientId);
        if (status != ClientStatus.Active) throw IbcErrors.Client.ClientNotActive($"client ({clientId}) status is {status}");
        var connectionId = GenerateConnectionId(ctx);
        AddConnectionToClient(ctx, clientId, connectionId);
        var connection = new ConnectionEnd { ClientId = clientId, State = State.Init, Counterparty = counterparty, DelayPeriod = delayPeriod };
        connection.Versions.AddRange(versions);
        SetConnection(ctx, connectionId, connection);
        EmitEvent(ctx, "connection_open_init", connectionId, clientId, counterparty.ClientId, null);
        return connectionId;
    }

    public string ConnOpenTry(Context ctx, MsgConnectionOpenTry msg)
    {
        CheckConsensusHeightInPast(ctx, msg.ConsensusHeight);
        ValidateSelfClient(ctx, msg.ClientState);
        var expectedConsensus = GetSelfConsensusState(ctx, msg.ConsensusHeight);

        var expectedConnection = new ConnectionEnd
        {
            ClientId = msg.Counterparty.ClientId,
            State = State.Init,
            Counterparty = SelfCounterparty(msg.ClientId, ""),
            DelayPeriod = msg.DelayPeriod,
        };
        expectedConnection.Versions.AddRange(msg.CounterpartyVersions);
        var version = PickVersion([DefaultVersion], msg.CounterpartyVersions);
        var connection = new ConnectionEnd { ClientId = msg.ClientId, State = State.Tryopen, Counterparty = msg.Counterparty, DelayPeriod = msg.DelayPeriod, Versions = { version } };

        VerifyConnectionState(ctx, connection, msg.ProofHeight, msg.ProofInit, msg.Counterparty.ConnectionId, expectedConnection);
        VerifyClientState(ctx, connection, msg.ProofHeight, msg.ProofClient, msg.ClientState);
        VerifyClientConsensusState(ctx, connection, msg.ProofHeight, msg.ConsensusHeight, msg.ProofConsensus, expectedConsensus);

        var connectionId = GenerateConnectionId(ctx);
        AddConnectionToClient(ctx, msg.ClientId, connectionId);
        SetConnection(ctx, connectionId, connection);
        EmitEvent(ctx, "connection_open_try", connectionId, msg.ClientId, msg.Counterparty.ClientId, msg.Counterparty.ConnectionId);
        return connectionId;
    }

    public void ConnOpenAck(Context ctx, MsgConnectionOpenAck msg)
    {
        CheckConsensusHeightInPast(ctx, msg.ConsensusHeight);
        var connection = GetConnection(ctx, msg.ConnectionId) ?? throw IbcErrors.Connection.ConnectionNotFound($"connection not found for ID: {msg.ConnectionId}");
        if (connection.State != State.Init)
            throw IbcErrors.Connection.InvalidConnectionState($"connection state is not INIT (got {StateName(connection.State)})");
        if (!IsSupportedVersion(connection.Versions, msg.Version))
            throw IbcErrors.Connection.InvalidConnectionState($"the counterparty selected version {msg.Version} is not supported by versions selected on INIT");
        ValidateSelfClient(ctx, msg.ClientState);
        var expectedConsensus = GetSelfConsensusState(ctx, msg.ConsensusHeight);
        var expectedConnection = new ConnectionEnd
        {
            ClientId = connection.Counterparty.ClientId,
            State = State.Tryopen,
            Counterparty = SelfCounterparty(connection.ClientId, msg.ConnectionId),
            Versions = { msg.Version },
            DelayPeriod = connection.DelayPeriod,
        };
        VerifyConnectionState(ctx, connection, msg.ProofHeight, msg.ProofTry, msg.CounterpartyConnectionId, expectedConnection);
        VerifyClientState(ctx, connection, msg.ProofHeight, msg.ProofClient, msg.ClientState);
        VerifyClientConsensusState(ctx, connection, msg.ProofHeight, msg.ConsensusHeight, msg.ProofConsensus, expectedConsensus);

        connection.State = State.Open;
        connection.Versions.Clear();
        connection.Versions.Add(msg.Version);
        connection.Counterparty.ConnectionId = msg.CounterpartyConnectionId;
        SetConnection(ctx, msg.ConnectionId, connection);
        EmitEvent(ctx, "connection_open_ack", msg.ConnectionId, connection.ClientId, connection.Counterparty.ClientId, connection.Counterparty.ConnectionId);
    }

    public void ConnOpenConfirm(Context ctx, MsgConnectionOpenConfirm msg)
    {
        var connection = GetConnection(ctx, msg.ConnectionId) ?? throw IbcErrors.Connection.ConnectionNotFound($"connection not found for ID: {msg.ConnectionId}");
        if (connection.State != State.Tryopen)
            throw IbcErrors.Connection.InvalidConnectionState($"connection state is not TRYOPEN (got {StateName(connection.State)})");
        var expectedConnection = new ConnectionEnd
        {
            ClientId = connection.Counterparty.ClientId,
            State = State.Open,
            Counterparty = SelfCounterparty(connection.ClientId, msg.ConnectionId),
            DelayPeriod = connection.DelayPeriod,
        };
        expectedConnection.Versions.AddRange(connection.Versions);
        VerifyConnectionState(ctx, connection, msg.ProofHeight, msg.ProofAck, connection.Counterparty.ConnectionId, expectedConnection);
        connection.State = State.Open;
        SetConnection(ctx, msg.ConnectionId, connection);
        EmitEvent(ctx, "connection_open_confirm", msg.ConnectionId, connection.ClientId, connection.Counterparty.ClientId, connection.Counterparty.ConnectionId);
    }

    // The counterparty's consensus state of this chain must be of a past block.
    private static void CheckConsensusHeightInPast(Context ctx, Height consensusHeight)
    {
        var selfHeight = Heights.SelfHeight(ctx.ChainId, ctx.Height);
        if (Heights.Gte(consensusHeight, selfHeight))
            throw IbcErrors.Core.InvalidHeight($"consensus height is greater than or equal to the current block height ({Heights.Format(consensusHeight)} >= {Heights.Format(selfHeight)})");
    }

    private static void EmitEvent(Context ctx, string type, string connectionId, string clientId, string counterpartyClientId, string? counterpartyConnectionId)
    {
        ctx.Events.Emit(counterpartyConnectionId is null
            ? SdkEvent.Of(type, ("connection_id", connectionId), ("client_id", clientId), ("counterparty_client_id", counterpartyClientId))
            : SdkEvent.Of(type, ("connection_id", connectionId), ("client_id", clientId), ("counterparty_client_id", counterpartyClientId),
                ("counterparty_connection_id", counterpartyConnectionId)));
        ctx.Events.Emit(SdkEvent.Of("message", ("module", EventCategory)));
    }

    public static string StateName(State s) => s switch
    {
        State.Init => "STATE_INIT",
        State.Tryopen => "STATE_TRYOPEN",
        State.Open => "STATE_OPEN",
        _ => "STATE_UNINITIALIZED_UNSPECIFIED",
    };

    // ---- versions ----

    public static bool IsSupportedVersion(IEnumerable<Protos.Ibc.Core.Connection.V1.Version> supported, Protos.Ibc.Core.Connection.V1.Version? proposed)
    {
        if (proposed is null) return false;
        var match = supported.FirstOrDefault(v => v.Identifier == proposed.Identifier);
        return match is not null && proposed.Features.All(f => match.Features.Contains(f));
    }

    /// <summary>PickVersion: the first supported version the counterparty also offers, with the features both have.</summary>
    public static Protos.Ibc.Core.Connection.V1.Version PickVersion(IEnumerable<Protos.Ibc.Core.Connection.V1.Version> supported, IEnumerable<Protos.Ibc.Core.Connection.V1.Version> counterparty)
    {
        foreach (var ours in supported)
        {
            var theirs = counterparty.FirstOrDefault(v => v.Identifier == ours.Identifier);
            if (theirs is null) continue;
            var features = ours.Features.Where(theirs.Features.Contains).ToList();
            if (features.Count == 0) throw IbcErrors.Connection.VersionNegotiationFailed($"failed to find a matching feature set between {ours} and {theirs}");
            var picked = new Protos.Ibc.Core.Connection.V1.Version { Identifier = ours.Identifier };
            picked.Features.AddRange(features);
            return picked;
        }
        throw IbcErrors.Connection.VersionNegotiationFailed("failed to find a matching counterparty version");
    }

    /// <summary>Whether a connection's (single) version allows a channel ordering ("ORDER_UNORDERED").</summary>
    public static bool SupportsFeature(Protos.Ibc.Core.Connection.V1.Version version, string feature) => version.Features.Contains(feature);

    // ---- this chain as the counterparty sees it ----

    /// <summary>
    /// ibc-go's ValidateSelfClient: the counterparty's client of this chain must be an unfrozen 07-tendermint client for
    /// this chain id and revision, behind our height, with the SDK proof specs, a valid trust level, our unbonding period
    /// (at least its trusting period) and the SDK upgrade path when it has one.
    /// </summary>
    public void ValidateSelfClient(Context ctx, Any clientStateAny)
    {
        if (clientStateAny?.TypeUrl != TendermintStates.ClientStateTypeUrl)
            throw IbcErrors.Client.InvalidClient($"client must be a Tendermint client, expected: {TendermintStates.ClientStateTypeUrl}, got: {clientStateAny?.TypeUrl}");
        var cs = TendermintStates.Parse(clientStateAny.Value, TmClientState.Parser, "client state");
        if (!Heights.IsZero(cs.FrozenHeight)) throw IbcErrors.Client.ClientFrozen("tendermint client is frozen");
        if (ctx.ChainId != cs.ChainId) throw IbcErrors.Client.InvalidClient($"invalid chain-id. expected: {ctx.ChainId}, got: {cs.ChainId}");
        var revision = Heights.RevisionOf(ctx.ChainId);
        var latest = cs.LatestHeight ?? Heights.Zero;
        if (latest.RevisionNumber != revision)
            throw IbcErrors.Client.InvalidClient($"client is not in the same revision as the chain. expected revision: {revision}, got: {latest.RevisionNumber}");
        var selfHeight = Heights.SelfHeight(ctx.ChainId, ctx.Height);
        if (Heights.Gte(latest, selfHeight))
            throw IbcErrors.Client.InvalidClient($"client has LatestHeight {Heights.Format(latest)} greater than or equal to chain height {Heights.Format(selfHeight)}");
        var specs = MerkleProofs.SdkSpecs;
        if (cs.ProofSpecs.Count != specs.Count || !cs.ProofSpecs.Zip(specs).All(pair => pair.First.Equals(pair.Second)))
            throw IbcErrors.Client.InvalidClient("client has invalid proof specs");
        var trust = cs.TrustLevel ?? new DePinChain.Protos.Ibc.LightClients.Tendermint.V1.Fraction();
        if (trust.Denominator == 0 || (UInt128)trust.Numerator * 3 < trust.Denominator || trust.Numerator > trust.Denominator)
            throw IbcErrors.Client.InvalidClient($"trust-level invalid: {trust.Numerator}/{trust.Denominator}");
        var unbonding = Duration.FromTimeSpan(staking.UnbondingTime(ctx));
        var clientUnbonding = cs.UnbondingPeriod ?? new Duration();
        if (!unbonding.Equals(clientUnbonding))
            throw IbcErrors.Client.InvalidClient($"invalid unbonding period. expected: {unbonding}, got: {clientUnbonding}");
        if (TendermintStates.Nanos(cs.UnbondingPeriod) < TendermintStates.Nanos(cs.TrustingPeriod))
            throw IbcErrors.Client.InvalidClient($"unbonding period must be greater than trusting period. unbonding period ({cs.UnbondingPeriod}) < trusting period ({cs.TrustingPeriod})");
        if (cs.UpgradePath.Count != 0 && !(cs.UpgradePath.Count == 2 && cs.UpgradePath[0] == "upgrade" && cs.UpgradePath[1] == "upgradedIBCState"))
            throw IbcErrors.Client.InvalidClient($"upgrade path must be the upgrade path defined by upgrade module. expected [upgrade upgradedIBCState], got [{string.Join(" ", cs.UpgradePath)}]");
    }

    /// <summary>This chain's consensus state at a past height, from staking's historical info (time, app hash, next
    /// validators hash of that block's header).</summary>
    public TmConsensusState GetSelfConsensusState(Context ctx, Height height)
    {
        var revision = Heights.RevisionOf(ctx.ChainId);
        if (revision != height.RevisionNumber)
            throw IbcErrors.Core.InvalidHeight($"chainID revision number does not match height revision number: expected {revision}, got {height.RevisionNumber}");
        var info = height.RevisionHeight > long.MaxValue ? null : staking.GetHistoricalInfo(ctx, (long)height.RevisionHeight);
        if (info?.Header is null)
            throw IbcErrors.Client.SelfConsensusStateNotFound($"self consensus state not found for height {Heights.Format(height)}: no historical info found");
        return new TmConsensusState
        {
            Timestamp = info.Header.Time ?? new Timestamp(),
            Root = new Protos.Ibc.Core.Commitment.V1.MerkleRoot { Hash = info.Header.AppHash },
            NextValidatorsHash = info.Header.NextValidatorsHash,
        };
    }

    // ---- proofs of the counterparty's state ----

    private void RequireActive(Context ctx, string clientId)
    {
        var status = clients.GetStatus(ctx, clientId);
        if (status != ClientStatus.Active) throw IbcErrors.Client.ClientNotActive($"client ({clientId}) status is {status}");
    }

    private void VerifyMembership(Context ctx, ConnectionEnd connection, Height height, ulong delayTime, ulong delayBlocks, ByteString proof, string path, byte[] value, string what)
    {
        RequireActive(ctx, connection.ClientId);
        if (proof.IsEmpty) throw IbcErrors.Commitment.InvalidProof("cannot submit an empty proof");
        var merklePath = MerkleProofs.ApplyPrefix(connection.Counterparty.Prefix, path);
        try
        {
            clients.VerifyMembership(ctx, connection.ClientId, height, delayTime, delayBlocks, proof.ToByteArray(), merklePath, value);
        }
        catch (SdkError e)
        {
            throw e.Wrap($"failed {what} verification for client ({connection.ClientId})");
        }
    }

    public void VerifyConnectionState(Context ctx, ConnectionEnd connection, Height height, ByteString proof, string counterpartyConnectionId, ConnectionEnd expected)
        => VerifyMembership(ctx, connection, height, 0, 0, proof, IbcPaths.Connection(counterpartyConnectionId), WithGogoDefaults(expected).ToByteArray(), "connection state");

    public void VerifyClientState(Context ctx, ConnectionEnd connection, Height height, ByteString proof, Any clientState)
    {
        // The counterparty stores the client state re-encoded (gogoproto, non-nullables written): compare that form.
        var cs = TendermintStates.Parse(clientState.Value, TmClientState.Parser, "client state");
        VerifyMembership(ctx, connection, height, 0, 0, proof, IbcPaths.ClientState(connection.Counterparty.ClientId),
            TendermintStates.Pack(cs).ToByteArray(), "client state");
    }

    public void VerifyClientConsensusState(Context ctx, ConnectionEnd connection, Height height, Height consensusHeight, ByteString proof, TmConsensusState expected)
        => VerifyMembership(ctx, connection, height, 0, 0, proof, IbcPaths.ConsensusState(connection.Counterparty.ClientId, consensusHeight),
            TendermintStates.Pack(expected).ToByteArray(), "consensus state");

    public void VerifyChannelState(Context ctx, ConnectionEnd connection, Height height, ByteString proof, string portId, string channelId,
        Protos.Ibc.Core.Channel.V1.Channel expected)
        => VerifyMembership(ctx, connection, height, 0, 0, proof, IbcPaths.ChannelEnd(portId, channelId),
            Channel.ChannelKeeper.WithGogoDefaults(expected).ToByteArray(), "channel state");

    public void VerifyPacketCommitment(Context ctx, ConnectionEnd connection, Height height, ByteString proof, string portId, string channelId, ulong sequence, byte[] commitment)
        => VerifyMembership(ctx, connection, height, connection.DelayPeriod, BlockDelay(ctx, connection), proof,
            IbcPaths.PacketCommitment(portId, channelId, sequence), commitment, "packet commitment");

    public void VerifyPacketAcknowledgement(Context ctx, ConnectionEnd connection, Height height, ByteString proof, string portId, string channelId, ulong sequence, byte[] acknowledgement)
        => VerifyMembership(ctx, connection, height, connection.DelayPeriod, BlockDelay(ctx, connection), proof,
            IbcPaths.PacketAcknowledgement(portId, channelId, sequence), Channel.PacketCommitments.CommitAcknowledgement(acknowledgement), "packet acknowledgement");

    public void VerifyNextSequenceRecv(Context ctx, ConnectionEnd connection, Height height, ByteString proof, string portId, string channelId, ulong nextSequenceRecv)
    {
        var value = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(value, nextSequenceRecv);
        VerifyMembership(ctx, connection, height, connection.DelayPeriod, BlockDelay(ctx, connection), proof,
            IbcPaths.NextSequenceRecv(portId, channelId), value, "next sequence receive");
    }

    public void VerifyPacketReceiptAbsence(Context ctx, ConnectionEnd connection, Height height, ByteString proof, string portId, string channelId, ulong sequence)
    {
        RequireActive(ctx, connection.ClientId);
        if (proof.IsEmpty) throw IbcErrors.Commitment.InvalidProof("cannot submit an empty proof");
        var merklePath = MerkleProofs.ApplyPrefix(connection.Counterparty.Prefix, IbcPaths.PacketReceipt(portId, channelId, sequence));
        try
        {
            clients.VerifyNonMembership(ctx, connection.ClientId, height, connection.DelayPeriod, BlockDelay(ctx, connection), proof.ToByteArray(), merklePath);
        }
        catch (SdkError e)
        {
            throw e.Wrap($"failed packet receipt absence verification for client ({connection.ClientId})");
        }
    }

    /// <summary>The connection's delay in blocks: its delay period over the expected block time, rounded up.</summary>
    public ulong BlockDelay(Context ctx, ConnectionEnd connection)
    {
        var expected = GetParams(ctx).MaxExpectedTimePerBlock;
        if (expected == 0) return 0;
        return (ulong)(((UInt128)connection.DelayPeriod + expected - 1) / expected);
    }

    public ulong GetTimestampAtHeight(Context ctx, ConnectionEnd connection, Height height) => clients.GetTimestampAtHeight(ctx, connection.ClientId, height);
}
