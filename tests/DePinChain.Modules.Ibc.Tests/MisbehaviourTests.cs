using DePinChain.Comet.Hashing;
using DePinChain.Comet.Signing;
using DePinChain.Modules.Ibc.Client.Tendermint;
using DePinChain.Modules.Ibc.Commitment;
using DePinChain.Modules.Ibc.Host;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Ibc.Core.Client.V1;
using DePinChain.Protos.Ibc.Core.Commitment.V1;
using DePinChain.Protos.Ibc.Core.Connection.V1;
using DePinChain.Protos.Types;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using ConnectionCounterparty = DePinChain.Protos.Ibc.Core.Connection.V1.Counterparty;
using TmClientState = DePinChain.Protos.Ibc.LightClients.Tendermint.V1.ClientState;
using TmConsensusState = DePinChain.Protos.Ibc.LightClients.Tendermint.V1.ConsensusState;
using TmHeader = DePinChain.Protos.Ibc.LightClients.Tendermint.V1.Header;
using TmMisbehaviour = DePinChain.Protos.Ibc.LightClients.Tendermint.V1.Misbehaviour;

namespace DePinChain.Modules.Ibc.Tests;

/// <summary>
/// 07-tendermint misbehaviour through the app (ibc-go v8 misbehaviour_handle.go): a client of a counterparty whose
/// validator keys the test holds, so it can sign two conflicting headers at one height (a fork) or a higher header that
/// is not later in time (BFT time violation). Valid misbehaviour freezes the client (frozen height 0-1) whether it comes
/// in MsgSubmitMisbehaviour or, as ibc-go v8 prefers, in MsgUpdateClient; invalid misbehaviour is refused.
/// </summary>
public sealed class MisbehaviourTests
{
    private const string CounterpartyChainId = "counter-1";
    private const string ClientId = "07-tendermint-0";
    private static readonly DateTimeOffset Genesis = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly PartSetHeader Parts = new() { Total = 1, Hash = ByteString.CopyFrom(new byte[32]) };

    private readonly LocalValidatorSet _validators = LocalValidatorSet.Generate(CounterpartyChainId, 4, _ => 10);
    private readonly IbcChain _chain;

    public MisbehaviourTests()
    {
        _chain = new IbcChain("depin-a-1", Genesis);
        for (var i = 0; i < 5; i++) _chain.Block();
        var first = Signed(1);
        _chain.Ok(IbcChain.Relayer, new MsgCreateClient
        {
            ClientState = TendermintStates.Pack(new TmClientState
            {
                ChainId = CounterpartyChainId,
                TrustLevel = new DePinChain.Protos.Ibc.LightClients.Tendermint.V1.Fraction { Numerator = 1, Denominator = 3 },
                TrustingPeriod = Duration.FromTimeSpan(TimeSpan.FromDays(14)),
                UnbondingPeriod = Duration.FromTimeSpan(TimeSpan.FromDays(21)),
                MaxClockDrift = Duration.FromTimeSpan(TimeSpan.FromMinutes(10)),
                FrozenHeight = new Height(),
                LatestHeight = Heights.Of(1, 1),
                ProofSpecs = { MerkleProofs.SdkSpecs },
                UpgradePath = { "upgrade", "upgradedIBCState" },
            }),
            ConsensusState = TendermintStates.Pack(new TmConsensusState
            {
                Timestamp = first.Header.Time, Root = new MerkleRoot { Hash = first.Header.AppHash }, NextValidatorsHash = first.Header.NextValidatorsHash,
            }),
            Signer = IbcChain.Relayer.Bech32,
        });
        _chain.Ok(IbcChain.Relayer, Update(Header(2, trusted: 1)));
    }

    /// <summary>The counterparty's header at <paramref name="height"/> (one second per block from the host's genesis),
    /// its app hash derived from <paramref name="state"/>, signed by <paramref name="signers"/> (default its own set).</summary>
    private SignedHeader Signed(long height, string state = "state", long timeSeconds = -1, LocalValidatorSet? signers = null, string chainId = CounterpartyChainId)
    {
        var time = Timestamp.FromDateTimeOffset(Genesis.AddSeconds(timeSeconds >= 0 ? timeSeconds : height));
        var appHash = ByteString.CopyFrom(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{state}-{height}")));
        var set = signers ?? _validators;
        var header = HeaderFactory.Create(chainId, height, time, BlockIds.OrEmpty(null), lastCommit: null, set, set, appHash);
        return CommitSigner.SignHeader(header, set, Parts);
    }

    private TmHeader Header(long height, long trusted, string state = "state", long timeSeconds = -1, LocalValidatorSet? signers = null,
        string chainId = CounterpartyChainId) => new()
    {
        SignedHeader = Signed(height, state, timeSeconds, signers, chainId),
        ValidatorSet = (signers ?? _validators).ValidatorSet,
        TrustedHeight = Heights.Of(1, (ulong)trusted),
        TrustedValidators = _validators.ValidatorSet,
    };

    private static MsgUpdateClient Update(IMessage clientMessage)
        => new() { ClientId = ClientId, ClientMessage = Any.Pack(clientMessage, ""), Signer = IbcChain.Relayer.Bech32 };

    // Deprecated in ibc-go v8 (MsgUpdateClient carries misbehaviour too) but still served, and sent by relayers.
#pragma warning disable CS0612
    private static MsgSubmitMisbehaviour Submit(TmMisbehaviour misbehaviour)
        => new() { ClientId = ClientId, Misbehaviour = Any.Pack(misbehaviour, ""), Signer = IbcChain.Relayer.Bech32 };
#pragma warning restore CS0612

    private string Status() => _chain.Ask("/ibc.core.client.v1.Query/ClientStatus", new QueryClientStatusRequest { ClientId = ClientId }, QueryClientStatusResponse.Parser).Status;

    private TmClientState ClientState() => TendermintStates.UnpackClientState(
        _chain.Ask("/ibc.core.client.v1.Query/ClientState", new QueryClientStateRequest { ClientId = ClientId }, QueryClientStateResponse.Parser).ClientState);

    private TmMisbehaviour Fork() => new() { Header1 = Header(3, trusted: 2, state: "fork-a"), Header2 = Header(3, trusted: 2, state: "fork-b") };

    private void AssertFrozen(ExecTxResult result)
    {
        Assert.True(result.Code == 0, $"code {result.Code} ({result.Codespace}): {result.Log}");
        var misbehaviour = result.Events.Single(e => e.Type == "client_misbehaviour");
        Assert.Equal([("client_id", ClientId), ("client_type", "07-tendermint")],
            misbehaviour.Attributes.Where(a => a.Key != "msg_index").Select(a => (a.Key, a.Value)).ToList());
        Assert.DoesNotContain(result.Events, e => e.Type == "update_client");
        Assert.Equal("Frozen", Status());
        // ibc-go's FrozenHeight: revision 0, height 1; the latest height and consensus states are left as they were.
        var state = ClientState();
        Assert.Equal(Heights.Of(0, 1), state.FrozenHeight);
        Assert.Equal(Heights.Of(1, 2), state.LatestHeight);
        Assert.Equal(2, _chain.Ask("/ibc.core.client.v1.Query/ConsensusStateHeights", new QueryConsensusStateHeightsRequest { ClientId = ClientId },
            QueryConsensusStateHeightsResponse.Parser).ConsensusStateHeights.Count);
    }

    [Fact]
    public void Two_conflicting_headers_at_one_height_freeze_the_client_which_then_refuses_updates_and_connections()
    {
        AssertFrozen(_chain.Run(IbcChain.Relayer, Submit(Fork())));

        var update = _chain.Run(IbcChain.Relayer, Update(Header(3, trusted: 2)));
        Assert.Equal(("client", 29u), (update.Codespace, update.Code));
        Assert.Contains($"cannot update client ({ClientId}) with status Frozen", update.Log, StringComparison.Ordinal);
        var again = _chain.Run(IbcChain.Relayer, Submit(Fork()));
        Assert.Equal(("client", 29u), (again.Codespace, again.Code));
        var connection = _chain.Run(IbcChain.Relayer, new MsgConnectionOpenInit
        {
            ClientId = ClientId,
            Counterparty = new ConnectionCounterparty { ClientId = "07-tendermint-0", Prefix = MerkleProofs.IbcPrefix },
            Signer = IbcChain.Relayer.Bech32,
        });
        Assert.Equal(("client", 29u), (connection.Codespace, connection.Code));
        Assert.Contains($"client ({ClientId}) status is Frozen", connection.Log, StringComparison.Ordinal);
    }

    [Fact]
    public void MsgUpdateClient_carrying_the_misbehaviour_freezes_the_client_as_ibc_go_v8_prefers()
        => AssertFrozen(_chain.Run(IbcChain.Relayer, Update(Fork())));

    [Fact]
    public void A_higher_header_that_is_not_later_in_time_is_misbehaviour()
    {
        // Header1 at height 4 is stamped at second 3, Header2 at height 3 at second 3: time did not move forward.
        var misbehaviour = new TmMisbehaviour { Header1 = Header(4, trusted: 2, timeSeconds: 3), Header2 = Header(3, trusted: 2, timeSeconds: 3) };
        AssertFrozen(_chain.Run(IbcChain.Relayer, Submit(misbehaviour)));
    }

    [Fact]
    public void A_header_conflicting_with_a_stored_consensus_state_freezes_the_client()
    {
        _chain.Ok(IbcChain.Relayer, Update(Header(3, trusted: 2)));
        var result = _chain.Run(IbcChain.Relayer, Update(Header(3, trusted: 2, state: "other")));
        Assert.True(result.Code == 0, result.Log);
        Assert.Single(result.Events, e => e.Type == "client_misbehaviour");
        Assert.Equal("Frozen", Status());
    }

    [Fact]
    public void Invalid_misbehaviour_is_refused_with_a_clear_code_and_leaves_the_client_active()
    {
        var header = Header(3, trusted: 2);
        var sameTwice = _chain.Run(IbcChain.Relayer, Submit(new TmMisbehaviour { Header1 = header, Header2 = header.Clone() }));
        Assert.Equal(("client", 13u), (sameTwice.Codespace, sameTwice.Code));
        Assert.Contains("show no misbehaviour", sameTwice.Log, StringComparison.Ordinal);

        // Later in time at the higher height: a valid chain, not misbehaviour.
        var ordered = _chain.Run(IbcChain.Relayer, Submit(new TmMisbehaviour { Header1 = Header(4, trusted: 2), Header2 = Header(3, trusted: 2) }));
        Assert.Equal(("client", 13u), (ordered.Codespace, ordered.Code));

        var badSignature = Fork();
        var signature = badSignature.Header2.SignedHeader.Commit.Signatures[0].Signature.ToByteArray();
        signature[5] ^= 0x01;
        badSignature.Header2.SignedHeader.Commit.Signatures[0].Signature = ByteString.CopyFrom(signature);
        var refused = _chain.Run(IbcChain.Relayer, Submit(badSignature));
        Assert.Equal(("client", 13u), (refused.Codespace, refused.Code));
        Assert.Contains("Header2", refused.Log, StringComparison.Ordinal);

        // Signed by a set the client never trusted (and naming it as the trusted validators): the trusted state's next
        // validators hash does not match.
        var strangers = LocalValidatorSet.Generate("strangers", 4, _ => 10);
        var forged = Fork();
        forged.Header2 = Header(3, trusted: 2, state: "fork-b", signers: strangers);
        forged.Header2.TrustedValidators = strangers.ValidatorSet;
        refused = _chain.Run(IbcChain.Relayer, Submit(forged));
        Assert.Equal(("07-tendermint", 14u), (refused.Codespace, refused.Code));

        // Signed by strangers while claiming the trusted set: they hold none of its power.
        forged.Header2.TrustedValidators = _validators.ValidatorSet;
        refused = _chain.Run(IbcChain.Relayer, Submit(forged));
        Assert.Equal(("client", 13u), (refused.Codespace, refused.Code));

        // Two headers of another chain, signed by the client's validators: not the client's chain's misbehaviour.
        var otherChain = new TmMisbehaviour
        {
            Header1 = Header(3, trusted: 2, state: "fork-a", chainId: "elsewhere-1"),
            Header2 = Header(3, trusted: 2, state: "fork-b", chainId: "elsewhere-1"),
        };
        refused = _chain.Run(IbcChain.Relayer, Submit(otherChain));
        Assert.Equal(("client", 13u), (refused.Codespace, refused.Code));
        Assert.Contains("too much change", refused.Log, StringComparison.Ordinal);

        var lowerFirst = Fork();
        lowerFirst.Header1 = Header(2, trusted: 1);
        refused = _chain.Run(IbcChain.Relayer, Submit(lowerFirst));
        Assert.Equal(("client", 13u), (refused.Codespace, refused.Code));
        Assert.Contains("Header1 height is less than Header2 height", refused.Log, StringComparison.Ordinal);

        var untrusted = Fork();
        untrusted.Header2.TrustedHeight = Heights.Of(1, 3);
        refused = _chain.Run(IbcChain.Relayer, Submit(untrusted));
        Assert.Equal(("07-tendermint", 5u), (refused.Codespace, refused.Code));

        Assert.Equal("Active", Status());
        Assert.True(Heights.IsZero(ClientState().FrozenHeight));
        // The client still takes headers.
        _chain.Ok(IbcChain.Relayer, Update(Header(3, trusted: 2)));
    }
}
