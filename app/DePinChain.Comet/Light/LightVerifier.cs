using DePinChain.Protos.Types;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.Comet.Light;

/// <summary>
/// CometBFT v0.38's light-client verification (light/verifier.go), as 07-tendermint runs it for MsgUpdateClient:
/// the caller passes the time (<paramref name="now"/>), the trusting period and the max clock drift; nothing here reads
/// a clock. Each method returns normally when the new header can be trusted and throws
/// <see cref="LightVerificationException"/> saying why not.
/// </summary>
public static class LightVerifier
{
    /// <summary>
    /// <c>VerifyAdjacent</c>: the new header is at trusted height + 1, so the trusted header's next_validators_hash
    /// names the set that must have signed it (+2/3 of it, checked with <see cref="CommitVerifier.VerifyCommitLight(string, TrustedValidatorSet, BlockID, long, Commit)"/>).
    /// </summary>
    public static void VerifyAdjacent(SignedHeader trustedHeader, SignedHeader untrustedHeader, TrustedValidatorSet untrustedVals,
        Duration trustingPeriod, Timestamp now, Duration maxClockDrift)
    {
        ArgumentNullException.ThrowIfNull(trustedHeader?.Header);
        ArgumentNullException.ThrowIfNull(untrustedHeader?.Header);
        ArgumentNullException.ThrowIfNull(untrustedVals);
        if (untrustedHeader.Header.Height != trustedHeader.Header.Height + 1)
            throw new LightVerificationException(LightFailure.WrongHeightGap, "headers must be adjacent in height");
        CheckNotExpired(trustedHeader.Header, trustingPeriod, now);
        VerifyNewHeaderAndVals(untrustedHeader, untrustedVals, trustedHeader.Header, now, maxClockDrift);
        if (!untrustedHeader.Header.ValidatorsHash.Span.SequenceEqual(trustedHeader.Header.NextValidatorsHash.Span))
            throw new LightVerificationException(LightFailure.NextValidatorsHashMismatch,
                $"expected old header next validators ({Convert.ToHexString(trustedHeader.Header.NextValidatorsHash.Span)}) to match those from new header ({Convert.ToHexString(untrustedHeader.Header.ValidatorsHash.Span)})");
        CommitVerifier.VerifyCommitLight(trustedHeader.Header.ChainId, untrustedVals, untrustedHeader.Commit.BlockId,
            untrustedHeader.Header.Height, untrustedHeader.Commit);
    }

    public static void VerifyAdjacent(SignedHeader trustedHeader, SignedHeader untrustedHeader, ValidatorSet untrustedVals,
        Duration trustingPeriod, Timestamp now, Duration maxClockDrift)
        => VerifyAdjacent(trustedHeader, untrustedHeader, new TrustedValidatorSet(untrustedVals), trustingPeriod, now, maxClockDrift);

    /// <summary>
    /// <c>VerifyNonAdjacent</c>: more than <paramref name="trustLevel"/> of the trusted set (the trusted header's next
    /// validators) signed the new header, and +2/3 of the new set did. When the trusted set's share falls short the
    /// failure is <see cref="LightFailure.NewValSetCantBeTrusted"/> (bisect: verify an intermediate header first).
    /// </summary>
    public static void VerifyNonAdjacent(SignedHeader trustedHeader, TrustedValidatorSet trustedVals, SignedHeader untrustedHeader,
        TrustedValidatorSet untrustedVals, Duration trustingPeriod, Timestamp now, Duration maxClockDrift, TrustLevel trustLevel)
    {
        ArgumentNullException.ThrowIfNull(trustedHeader?.Header);
        ArgumentNullException.ThrowIfNull(untrustedHeader?.Header);
        ArgumentNullException.ThrowIfNull(trustedVals);
        ArgumentNullException.ThrowIfNull(untrustedVals);
        if (untrustedHeader.Header.Height == trustedHeader.Header.Height + 1)
            throw new LightVerificationException(LightFailure.WrongHeightGap, "headers must be non adjacent in height");
        CheckNotExpired(trustedHeader.Header, trustingPeriod, now);
        VerifyNewHeaderAndVals(untrustedHeader, untrustedVals, trustedHeader.Header, now, maxClockDrift);
        var verified = new VerifiedSignatures(untrustedHeader.Commit);
        try
        {
            CommitVerifier.VerifyCommitLightTrusting(trustedHeader.Header.ChainId, trustedVals, untrustedHeader.Commit, trustLevel, verified);
        }
        catch (LightVerificationException e) when (e.Failure == LightFailure.NotEnoughVotingPower)
        {
            throw new LightVerificationException(LightFailure.NewValSetCantBeTrusted,
                $"cant trust new val set: {e.Message} (trust level {trustLevel})", e.Tallied, e.Needed);
        }
        CommitVerifier.VerifyCommitLight(trustedHeader.Header.ChainId, untrustedVals, untrustedHeader.Commit.BlockId,
            untrustedHeader.Header.Height, untrustedHeader.Commit, verified);
    }

    public static void VerifyNonAdjacent(SignedHeader trustedHeader, ValidatorSet trustedVals, SignedHeader untrustedHeader,
        ValidatorSet untrustedVals, Duration trustingPeriod, Timestamp now, Duration maxClockDrift, TrustLevel trustLevel)
        => VerifyNonAdjacent(trustedHeader, new TrustedValidatorSet(trustedVals), untrustedHeader, new TrustedValidatorSet(untrustedVals),
            trustingPeriod, now, maxClockDrift, trustLevel);

    /// <summary><c>Verify</c>: adjacent or non-adjacent by the heights (the trusted set is only used for a jump).</summary>
    public static void Verify(SignedHeader trustedHeader, TrustedValidatorSet trustedVals, SignedHeader untrustedHeader,
        TrustedValidatorSet untrustedVals, Duration trustingPeriod, Timestamp now, Duration maxClockDrift, TrustLevel trustLevel)
    {
        ArgumentNullException.ThrowIfNull(trustedHeader?.Header);
        ArgumentNullException.ThrowIfNull(untrustedHeader?.Header);
        if (untrustedHeader.Header.Height != trustedHeader.Header.Height + 1)
            VerifyNonAdjacent(trustedHeader, trustedVals, untrustedHeader, untrustedVals, trustingPeriod, now, maxClockDrift, trustLevel);
        else
            VerifyAdjacent(trustedHeader, untrustedHeader, untrustedVals, trustingPeriod, now, maxClockDrift);
    }

    public static void Verify(SignedHeader trustedHeader, ValidatorSet trustedVals, SignedHeader untrustedHeader,
        ValidatorSet untrustedVals, Duration trustingPeriod, Timestamp now, Duration maxClockDrift, TrustLevel trustLevel)
        => Verify(trustedHeader, new TrustedValidatorSet(trustedVals), untrustedHeader, new TrustedValidatorSet(untrustedVals),
            trustingPeriod, now, maxClockDrift, trustLevel);

    /// <summary><c>HeaderExpired</c>: expired unless header time + trusting period is strictly after now.</summary>
    public static bool HeaderExpired(Header header, Duration trustingPeriod, Timestamp now)
    {
        ArgumentNullException.ThrowIfNull(header);
        return !(CometTime.Nanos(header.Time) + CometTime.Nanos(trustingPeriod) > CometTime.Nanos(now));
    }

    private static void CheckNotExpired(Header trusted, Duration trustingPeriod, Timestamp now)
    {
        if (HeaderExpired(trusted, trustingPeriod, now))
            throw new LightVerificationException(LightFailure.TrustedHeaderExpired,
                $"old header has expired at {CometTime.Format(CometTime.FromNanos(CometTime.Nanos(trusted.Time) + CometTime.Nanos(trustingPeriod)))} (now: {CometTime.Format(now)})");
    }

    private static void VerifyNewHeaderAndVals(SignedHeader untrusted, TrustedValidatorSet untrustedVals, Header trusted,
        Timestamp now, Duration maxClockDrift)
    {
        HeaderValidation.ValidateSignedHeader(untrusted, trusted.ChainId);
        var header = untrusted.Header;
        if (header.Height <= trusted.Height)
            throw new LightVerificationException(LightFailure.NotMonotonic,
                $"expected new header height {header.Height} to be greater than one of old header {trusted.Height}");
        if (!(CometTime.Nanos(header.Time) > CometTime.Nanos(trusted.Time)))
            throw new LightVerificationException(LightFailure.NotMonotonic,
                $"expected new header time {CometTime.Format(header.Time)} to be after old header time {CometTime.Format(trusted.Time)}");
        if (!(CometTime.Nanos(header.Time) < CometTime.Nanos(now) + CometTime.Nanos(maxClockDrift)))
            throw new LightVerificationException(LightFailure.HeaderFromFuture,
                $"new header has a time from the future {CometTime.Format(header.Time)} (now: {CometTime.Format(now)}; max clock drift: {CometTime.Format(maxClockDrift)})");
        byte[] valsHash = untrustedVals.Hash();
        if (!header.ValidatorsHash.Span.SequenceEqual(valsHash))
            throw new LightVerificationException(LightFailure.ValidatorsHashMismatch,
                $"expected new header validators ({Convert.ToHexString(header.ValidatorsHash.Span)}) to match those that were supplied ({Convert.ToHexString(valsHash)}) at height {header.Height}");
    }
}
