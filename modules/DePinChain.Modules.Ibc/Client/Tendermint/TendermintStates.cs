using DePinChain.Modules.Ibc.Host;
using DePinChain.Protos.Ibc.Core.Client.V1;
using DePinChain.Protos.Ibc.Core.Commitment.V1;
using DePinChain.Protos.Ibc.LightClients.Tendermint.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.Modules.Ibc.Client.Tendermint;

/// <summary>
/// 07-tendermint client and consensus states as ibc-go stores them: packed in an <c>Any</c> after gogoproto's encoding,
/// where the non-nullable sub-messages (trust level, the three durations, frozen and latest height; timestamp and root)
/// are written even when empty. C# protobuf writes a set sub-message even when it is empty, so these fill in every
/// such field before encoding.
/// </summary>
public static class TendermintStates
{
    public const string ClientStateTypeUrl = "/ibc.lightclients.tendermint.v1.ClientState";
    public const string ConsensusStateTypeUrl = "/ibc.lightclients.tendermint.v1.ConsensusState";
    public const string HeaderTypeUrl = "/ibc.lightclients.tendermint.v1.Header";
    public const string MisbehaviourTypeUrl = "/ibc.lightclients.tendermint.v1.Misbehaviour";

    /// <summary>ibc-go's frozen height marker (0-1).</summary>
    public static Height FrozenHeight => Heights.Of(0, 1);

    public static ClientState WithGogoDefaults(ClientState cs)
    {
        cs.TrustLevel ??= new Fraction();
        cs.TrustingPeriod ??= new Duration();
        cs.UnbondingPeriod ??= new Duration();
        cs.MaxClockDrift ??= new Duration();
        cs.FrozenHeight ??= new Height();
        cs.LatestHeight ??= new Height();
        return cs;
    }

    public static ConsensusState WithGogoDefaults(ConsensusState cs)
    {
        cs.Timestamp ??= new Timestamp();
        cs.Root ??= new MerkleRoot();
        return cs;
    }

    public static Any Pack(ClientState cs) => new() { TypeUrl = ClientStateTypeUrl, Value = WithGogoDefaults(cs).ToByteString() };

    public static Any Pack(ConsensusState cs) => new() { TypeUrl = ConsensusStateTypeUrl, Value = WithGogoDefaults(cs).ToByteString() };

    public static ClientState UnpackClientState(Any any)
    {
        if (any?.TypeUrl != ClientStateTypeUrl) throw IbcErrors.Client.InvalidClient($"expected client state type {ClientStateTypeUrl}, got {any?.TypeUrl}");
        return Parse(any.Value, ClientState.Parser, "client state");
    }

    public static ConsensusState UnpackConsensusState(Any any)
    {
        if (any?.TypeUrl != ConsensusStateTypeUrl) throw IbcErrors.Client.InvalidConsensus($"invalid consensus state type: expected {ConsensusStateTypeUrl}, got {any?.TypeUrl}");
        return Parse(any.Value, ConsensusState.Parser, "consensus state");
    }

    public static T Parse<T>(ByteString bytes, MessageParser<T> parser, string what) where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw IbcErrors.Core.UnpackAny($"{what}: {e.Message}");
        }
    }

    /// <summary>Unix nanoseconds of a timestamp (signed: negative before 1970).</summary>
    public static Int128 Nanos(Timestamp? t) => t is null ? 0 : (Int128)t.Seconds * 1_000_000_000 + t.Nanos;

    public static Int128 Nanos(Duration? d) => d is null ? 0 : (Int128)d.Seconds * 1_000_000_000 + d.Nanos;

    public static Int128 Nanos(DateTimeOffset t) => (Int128)(t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    /// <summary>ClientState.ValidateBasic: what a client needs to verify anything.</summary>
    public static void Validate(ClientState cs)
    {
        if (string.IsNullOrWhiteSpace(cs.ChainId)) throw TendermintErrors.InvalidChainId("chain id cannot be empty string");
        if (cs.ChainId.Length > 50) throw TendermintErrors.InvalidChainId($"chainID is too long; got: {cs.ChainId.Length}, max: 50");
        var trust = cs.TrustLevel ?? new Fraction();
        // CometBFT's ValidateTrustLevel: 1/3 <= trust level <= 1.
        if (trust.Denominator == 0 || (UInt128)trust.Numerator * 3 < trust.Denominator || trust.Numerator > trust.Denominator)
            throw IbcErrors.Client.InvalidClient($"trustLevel must be within [1/3, 1], given {trust.Numerator}/{trust.Denominator}");
        if (Nanos(cs.TrustingPeriod) <= 0) throw TendermintErrors.InvalidTrustingPeriod("trusting period must be greater than zero");
        if (Nanos(cs.UnbondingPeriod) <= 0) throw TendermintErrors.InvalidUnbondingPeriod("unbonding period must be greater than zero");
        if (Nanos(cs.MaxClockDrift) <= 0) throw TendermintErrors.InvalidMaxClockDrift("max clock drift must be greater than zero");
        var latest = cs.LatestHeight ?? new Height();
        var revision = Heights.RevisionOf(cs.ChainId);
        if (latest.RevisionNumber != revision)
            throw TendermintErrors.InvalidHeaderHeight($"latest height revision number must match chain id revision number ({latest.RevisionNumber} != {revision})");
        if (latest.RevisionHeight == 0) throw TendermintErrors.InvalidHeaderHeight("tendermint client's latest height revision height cannot be zero");
        if (Nanos(cs.TrustingPeriod) >= Nanos(cs.UnbondingPeriod))
            throw TendermintErrors.InvalidTrustingPeriod($"trusting period ({cs.TrustingPeriod}) should be < unbonding period ({cs.UnbondingPeriod})");
        if (cs.ProofSpecs.Count == 0) throw TendermintErrors.InvalidProofSpecs("proof specs cannot be nil for tm client");
        for (var i = 0; i < cs.ProofSpecs.Count; i++)
        {
            if (cs.ProofSpecs[i] is null) throw TendermintErrors.InvalidProofSpecs($"proof spec cannot be nil at index: {i}");
        }
        for (var i = 0; i < cs.UpgradePath.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(cs.UpgradePath[i])) throw IbcErrors.Client.InvalidClient($"key in upgrade path at index {i} cannot be empty");
        }
    }

    /// <summary>ConsensusState.ValidateBasic.</summary>
    public static void Validate(ConsensusState cs)
    {
        if (cs.Root is null || cs.Root.Hash.IsEmpty) throw IbcErrors.Client.InvalidConsensus("root cannot be empty");
        if (cs.NextValidatorsHash.Length is not (0 or 32)) throw IbcErrors.Client.InvalidConsensus("next validators hash is invalid");
        if (cs.Timestamp is null || cs.Timestamp.Seconds <= 0) throw IbcErrors.Client.InvalidConsensus("timestamp must be a positive Unix time");
    }
}
