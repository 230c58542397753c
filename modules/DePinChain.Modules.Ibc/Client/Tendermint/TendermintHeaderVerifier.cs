using DePinChain.Comet.Light;
using DePinChain.Modules.Ibc.Host;
using DePinChain.Protos.Ibc.LightClients.Tendermint.V1;
using DePinChain.Sdk;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.Modules.Ibc.Client.Tendermint;

/// <summary>
/// 07-tendermint's header and misbehaviour checks (ibc-go v8 update.go verifyHeader, misbehaviour_handle.go): the trusted
/// consensus state at the header's trusted height, the trusted validators hashing to its next_validators_hash, the same
/// revision, a greater height, then CometBFT's light-client verification (DePinChain.Comet's LightVerifier: adjacent by
/// validator-set hash, non-adjacent by the trust level of the trusted set, +2/3 of the new set, trusting period, clock
/// drift, monotonic time) against a header rebuilt from the consensus state, at this block's time.
/// </summary>
public static class TendermintHeaderVerifier
{
    public static void VerifyHeader(Context ctx, string clientId, ClientState cs, Header header)
    {
        CheckHeaderShape(header);
        var trustedHeight = header.TrustedHeight;
        var trusted = TendermintLightClient.GetConsensusState(ctx, clientId, trustedHeight)
            ?? throw IbcErrors.Client.ConsensusStateNotFound($"could not get trusted consensus state from clientStore for Header at TrustedHeight: {Heights.Format(trustedHeight)}");
        CheckTrustedValidators(header, trusted);
        var height = TendermintLightClient.HeightOf(header);
        if (height.RevisionNumber != trustedHeight.RevisionNumber)
            throw TendermintErrors.InvalidHeaderHeight($"header height revision {height.RevisionNumber} does not match trusted header revision {trustedHeight.RevisionNumber}");
        if (!Heights.Gt(height, trustedHeight))
            throw IbcErrors.Client.InvalidHeader($"header height ≤ consensus state height ({Heights.Format(height)} ≤ {Heights.Format(trustedHeight)})");

        // Only height, time and next validators hash of the trusted header matter to the verification.
        var trustedHeader = new DePinChain.Protos.Types.SignedHeader
        {
            Header = new DePinChain.Protos.Types.Header
            {
                ChainId = cs.ChainId,
                Height = checked((long)trustedHeight.RevisionHeight),
                Time = trusted.Timestamp,
                NextValidatorsHash = trusted.NextValidatorsHash,
            },
        };
        try
        {
            LightVerifier.Verify(trustedHeader, header.TrustedValidators, header.SignedHeader, header.ValidatorSet,
                cs.TrustingPeriod, Now(ctx), cs.MaxClockDrift, new TrustLevel(cs.TrustLevel.Numerator, cs.TrustLevel.Denominator));
        }
        catch (LightVerificationException e)
        {
            throw IbcErrors.Client.InvalidHeader($"failed to verify header: {e.Message}");
        }
    }

    /// <summary>Both headers of a misbehaviour would each have been accepted from their trusted consensus states: the
    /// trusted sets signed them with the trust level, within the trusting period, and each carries a valid commit of its
    /// own validator set.</summary>
    public static void VerifyMisbehaviour(Context ctx, string clientId, ClientState cs, Misbehaviour misbehaviour)
    {
        if (misbehaviour.Header1 is null || misbehaviour.Header2 is null) throw IbcErrors.Client.InvalidMisbehaviour("misbehaviour headers cannot be nil");
        CheckHeaderShape(misbehaviour.Header1);
        CheckHeaderShape(misbehaviour.Header2);
        var (h1, h2) = (TendermintLightClient.HeightOf(misbehaviour.Header1), TendermintLightClient.HeightOf(misbehaviour.Header2));
        if (Heights.Lt(h1, h2))
            throw IbcErrors.Client.InvalidMisbehaviour($"Header1 height is less than Header2 height ({Heights.Format(h1)} < {Heights.Format(h2)})");
        if (misbehaviour.Header1.SignedHeader.Header.ChainId != misbehaviour.Header2.SignedHeader.Header.ChainId)
            throw IbcErrors.Client.InvalidMisbehaviour("headers must have identical chainIDs");
        CheckMisbehaviourHeader(ctx, clientId, cs, misbehaviour.Header1, "Header1");
        CheckMisbehaviourHeader(ctx, clientId, cs, misbehaviour.Header2, "Header2");
    }

    private static void CheckMisbehaviourHeader(Context ctx, string clientId, ClientState cs, Header header, string which)
    {
        // Header.ValidateBasic: each header is above the height it is trusted from.
        if (!Heights.Gt(TendermintLightClient.HeightOf(header), header.TrustedHeight))
            throw TendermintErrors.InvalidHeaderHeight($"{which}: TrustedHeight {Heights.Format(header.TrustedHeight)} must be less than header height {Heights.Format(TendermintLightClient.HeightOf(header))}");
        var trusted = TendermintLightClient.GetConsensusState(ctx, clientId, header.TrustedHeight)
            ?? throw IbcErrors.Client.ConsensusStateNotFound($"could not get trusted consensus state from clientStore for {which} at TrustedHeight: {Heights.Format(header.TrustedHeight)}");
        CheckTrustedValidators(header, trusted);
        if (TendermintStates.Nanos(ctx.Header.Time) - TendermintStates.Nanos(trusted.Timestamp) >= TendermintStates.Nanos(cs.TrustingPeriod))
            throw TendermintErrors.TrustingPeriodExpired($"verifying {which} in Misbehaviour failed: current timestamp minus the latest consensus state timestamp is greater than or equal to the trusting period");
        var signed = header.SignedHeader;
        try
        {
            // Header.ValidateBasic: the set that signs is the one the header names.
            if (!signed.Header.ValidatorsHash.Span.SequenceEqual(new TrustedValidatorSet(header.ValidatorSet).Hash()))
                throw IbcErrors.Client.InvalidHeader($"{which}: validator set does not match hash");
            HeaderValidation.ValidateSignedHeader(signed, signed.Header.ChainId);
            CommitVerifier.VerifyCommitLight(signed.Header.ChainId, header.ValidatorSet, signed.Commit.BlockId, signed.Header.Height, signed.Commit);
        }
        catch (LightVerificationException e)
        {
            throw IbcErrors.Client.InvalidMisbehaviour($"verifying {which} in Misbehaviour failed: {e.Message}");
        }
        // The trusted set signed for the client's chain (its revision set to the header's), not whatever the header names.
        var chainId = cs.ChainId;
        if (Heights.IsRevisionFormat(chainId))
            chainId = $"{chainId[..chainId.LastIndexOf('-')]}-{TendermintLightClient.HeightOf(header).RevisionNumber}";
        try
        {
            CommitVerifier.VerifyCommitLightTrusting(chainId, header.TrustedValidators, signed.Commit,
                new TrustLevel(cs.TrustLevel.Numerator, cs.TrustLevel.Denominator));
        }
        catch (LightVerificationException e)
        {
            throw IbcErrors.Client.InvalidMisbehaviour($"validator set in header has too much change from trusted validator set: {e.Message}");
        }
    }

    // The trusted validators must be the trusted consensus state's next validators.
    private static void CheckTrustedValidators(Header header, ConsensusState trusted)
    {
        byte[] hash;
        try
        {
            hash = new TrustedValidatorSet(header.TrustedValidators).Hash();
        }
        catch (LightVerificationException e)
        {
            throw TendermintErrors.InvalidValidatorSet($"trusted validator set is not a tendermint validator set: {e.Message}");
        }
        if (!trusted.NextValidatorsHash.Span.SequenceEqual(hash))
            throw TendermintErrors.InvalidValidatorSet($"trusted validators {header.TrustedValidators.Validators.Count}, does not hash to latest trusted validators. Expected: {Convert.ToHexString(trusted.NextValidatorsHash.Span)}, got: {Convert.ToHexString(hash)}");
    }

    private static Timestamp Now(Context ctx)
    {
        var nanos = TendermintStates.Nanos(ctx.Header.Time);
        return new Timestamp { Seconds = (long)(nanos / 1_000_000_000), Nanos = (int)(nanos % 1_000_000_000) };
    }

    private static void CheckHeaderShape(Header header)
    {
        if (header.SignedHeader?.Header is null) throw IbcErrors.Client.InvalidHeader("tendermint signed header cannot be nil");
        if (header.SignedHeader.Commit is null) throw IbcErrors.Client.InvalidHeader("tendermint commit cannot be nil");
        if (header.ValidatorSet is null) throw TendermintErrors.InvalidValidatorSet("validator set is nil");
        if (header.TrustedValidators is null) throw TendermintErrors.InvalidValidatorSet("trusted validator set is nil");
        if (header.TrustedHeight is null) throw TendermintErrors.InvalidHeaderHeight("trusted height cannot be nil");
        if (header.SignedHeader.Header.Height <= 0) throw TendermintErrors.InvalidHeaderHeight("header height must be positive");
    }
}
