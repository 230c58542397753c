namespace DePinChain.Comet.Light;

/// <summary>Why CometBFT's light verification refused a header or commit (its error types in types/ and light/).</summary>
public enum LightFailure
{
    /// <summary>A header, commit or validator set that fails CometBFT's ValidateBasic, or a header for another chain.</summary>
    Malformed,
    /// <summary>The commit does not fit the header or set: wrong height, block id or number of signatures.</summary>
    CommitMismatch,
    /// <summary>A signature does not verify over the canonical vote sign bytes (<c>wrong signature (#i)</c>).</summary>
    WrongSignature,
    /// <summary>The same validator signed twice in a commit checked by address.</summary>
    DoubleVote,
    /// <summary><c>ErrNotEnoughVotingPowerSigned</c>: the tallied power did not exceed the power needed.</summary>
    NotEnoughVotingPower,
    /// <summary><c>ErrNewValSetCantBeTrusted</c>: less than the trust level of the trusted set signed the new header.</summary>
    NewValSetCantBeTrusted,
    /// <summary><c>ErrOldHeaderExpired</c>: the trusted header is older than the trusting period.</summary>
    TrustedHeaderExpired,
    /// <summary>The new header's height or time is not after the trusted one's.</summary>
    NotMonotonic,
    /// <summary>The new header's time is at or past now + max clock drift.</summary>
    HeaderFromFuture,
    /// <summary>The supplied validator set does not hash to the header's validators_hash.</summary>
    ValidatorsHashMismatch,
    /// <summary>Adjacent headers: the new header's validators_hash is not the trusted header's next_validators_hash.</summary>
    NextValidatorsHashMismatch,
    /// <summary>Adjacent verification for non-adjacent heights, or the other way round.</summary>
    WrongHeightGap,
    /// <summary>A trust level outside [1/3, 1] or with a zero denominator.</summary>
    InvalidTrustLevel,
    /// <summary>Voting power sums that overflow int64 (or exceed CometBFT's MaxTotalVotingPower).</summary>
    Overflow,
}

/// <summary>
/// A refused header or commit, with the reason as CometBFT words it and the numbers behind it: the power tallied and
/// needed for a power shortfall, the index of the signature that failed.
/// </summary>
public sealed class LightVerificationException : Exception
{
    public LightVerificationException(LightFailure failure, string message, long tallied = 0, long needed = 0, int signatureIndex = -1)
        : base(message)
    {
        Failure = failure;
        Tallied = tallied;
        Needed = needed;
        SignatureIndex = signatureIndex;
    }

    public LightVerificationException() : this(LightFailure.Malformed, "light verification failed") { }

    public LightVerificationException(string message) : this(LightFailure.Malformed, message) { }

    public LightVerificationException(string message, Exception inner) : base(message, inner) { }

    public LightFailure Failure { get; }

    /// <summary>For <see cref="LightFailure.NotEnoughVotingPower"/> and <see cref="LightFailure.NewValSetCantBeTrusted"/>: the power that signed.</summary>
    public long Tallied { get; }

    /// <summary>The power that had to be exceeded.</summary>
    public long Needed { get; }

    /// <summary>For <see cref="LightFailure.WrongSignature"/> and <see cref="LightFailure.DoubleVote"/>: the commit signature's index; else -1.</summary>
    public int SignatureIndex { get; }
}
