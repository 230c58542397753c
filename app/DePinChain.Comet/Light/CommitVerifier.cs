using DePinChain.Comet.Hashing;
using DePinChain.Comet.Votes;
using DePinChain.Crypto;
using DePinChain.Protos.Types;

namespace DePinChain.Comet.Light;

/// <summary>
/// CometBFT v0.38's commit verification (types/validation.go). Every method returns normally when the commit is good
/// and throws <see cref="LightVerificationException"/> with CometBFT's reason otherwise. Power is compared as CometBFT
/// does: strictly more than <c>total * 2 / 3</c> (or <c>total * numerator / denominator</c>), in int64 integer math.
/// </summary>
public static class CommitVerifier
{
    /// <summary>
    /// <c>VerifyCommit</c>: +2/3 of the set signed this block, counting only COMMIT signatures, checking every
    /// non-absent signature (nil votes included), the set and the commit in the same order.
    /// </summary>
    public static void VerifyCommit(string chainId, TrustedValidatorSet vals, BlockID blockId, long height, Commit commit)
    {
        VerifyBasic(vals, commit, height, blockId);
        long needed = vals.TotalVotingPower * 2 / 3;
        VerifySingle(chainId, vals, commit, needed,
            ignore: s => s.BlockIdFlag == BlockIDFlag.Absent, count: s => s.BlockIdFlag == BlockIDFlag.Commit,
            countAllSignatures: true, lookUpByIndex: true, verified: null);
    }

    /// <summary>
    /// <c>VerifyCommitLight</c>: +2/3 of the set signed this block; only COMMIT signatures are checked, in the set's
    /// order, and checking stops once the power is reached.
    /// </summary>
    public static void VerifyCommitLight(string chainId, TrustedValidatorSet vals, BlockID blockId, long height, Commit commit)
        => VerifyCommitLight(chainId, vals, blockId, height, commit, verified: null);

    internal static void VerifyCommitLight(string chainId, TrustedValidatorSet vals, BlockID blockId, long height, Commit commit,
        VerifiedSignatures? verified)
    {
        VerifyBasic(vals, commit, height, blockId);
        long needed = vals.TotalVotingPower * 2 / 3;
        VerifySingle(chainId, vals, commit, needed,
            ignore: s => s.BlockIdFlag != BlockIDFlag.Commit, count: _ => true,
            countAllSignatures: false, lookUpByIndex: true, verified);
    }

    public static void VerifyCommitLight(string chainId, ValidatorSet vals, BlockID blockId, long height, Commit commit)
        => VerifyCommitLight(chainId, new TrustedValidatorSet(vals), blockId, height, commit);

    /// <summary>
    /// <c>VerifyCommitLightTrusting</c>: more than <paramref name="trustLevel"/> of this (older, trusted) set signed the
    /// commit. The set may differ from the one that made the commit, so signers are found by address (unknown ones
    /// skipped) and a validator that signs twice is refused.
    /// </summary>
    public static void VerifyCommitLightTrusting(string chainId, TrustedValidatorSet vals, Commit commit, TrustLevel trustLevel)
        => VerifyCommitLightTrusting(chainId, vals, commit, trustLevel, verified: null);

    internal static void VerifyCommitLightTrusting(string chainId, TrustedValidatorSet vals, Commit commit, TrustLevel trustLevel,
        VerifiedSignatures? verified)
    {
        if (commit is null) throw new LightVerificationException(LightFailure.Malformed, "nil commit");
        if (trustLevel.Denominator == 0) throw new LightVerificationException(LightFailure.InvalidTrustLevel, "trustLevel has zero Denominator");
        if (trustLevel.Numerator > long.MaxValue || trustLevel.Denominator > long.MaxValue)
            throw new LightVerificationException(LightFailure.Overflow, "trustLevel numerator or denominator overflows int64");
        long product;
        try
        {
            product = checked(vals.TotalVotingPower * (long)trustLevel.Numerator);
        }
        catch (OverflowException)
        {
            throw new LightVerificationException(LightFailure.Overflow,
                "int64 overflow while calculating voting power needed. please provide smaller trustLevel numerator");
        }
        long needed = product / (long)trustLevel.Denominator;
        VerifySingle(chainId, vals, commit, needed,
            ignore: s => s.BlockIdFlag != BlockIDFlag.Commit, count: _ => true,
            countAllSignatures: false, lookUpByIndex: false, verified);
    }

    public static void VerifyCommitLightTrusting(string chainId, ValidatorSet vals, Commit commit, TrustLevel trustLevel)
        => VerifyCommitLightTrusting(chainId, new TrustedValidatorSet(vals), commit, trustLevel);

    private static void VerifyBasic(TrustedValidatorSet vals, Commit commit, long height, BlockID blockId)
    {
        ArgumentNullException.ThrowIfNull(vals);
        if (commit is null) throw new LightVerificationException(LightFailure.Malformed, "nil commit");
        if (vals.Count != commit.Signatures.Count)
            throw new LightVerificationException(LightFailure.CommitMismatch,
                $"invalid commit -- wrong set size: {vals.Count} vs {commit.Signatures.Count}");
        if (height != commit.Height)
            throw new LightVerificationException(LightFailure.CommitMismatch, $"invalid commit -- wrong height: {height} vs {commit.Height}");
        if (!BlockIds.Equal(blockId, commit.BlockId))
            throw new LightVerificationException(LightFailure.CommitMismatch,
                $"invalid commit -- wrong block ID: want {BlockIds.Describe(blockId)}, got {BlockIds.Describe(commit.BlockId)}");
    }

    private static void VerifySingle(string chainId, TrustedValidatorSet vals, Commit commit, long needed,
        Func<CommitSig, bool> ignore, Func<CommitSig, bool> count, bool countAllSignatures, bool lookUpByIndex, VerifiedSignatures? verified)
    {
        ArgumentNullException.ThrowIfNull(chainId);
        // By address, a validator's first signature index; an array indexed by the validator (no map iteration).
        int[]? seen = lookUpByIndex ? null : new int[vals.Count];
        if (seen is not null) Array.Fill(seen, -1);
        long tallied = 0;
        for (int idx = 0; idx < commit.Signatures.Count; idx++)
        {
            var sig = commit.Signatures[idx];
            if (ignore(sig)) continue;
            int valIdx;
            if (lookUpByIndex)
            {
                valIdx = idx;
            }
            else
            {
                valIdx = vals.IndexOf(sig.ValidatorAddress.Span);
                if (valIdx < 0) continue;
                if (seen![valIdx] >= 0)
                    throw new LightVerificationException(LightFailure.DoubleVote,
                        $"double vote from {Convert.ToHexString(sig.ValidatorAddress.Span)} ({seen[valIdx]} and {idx})", signatureIndex: idx);
                seen[valIdx] = idx;
            }
            byte[] key = vals.PublicKeys[valIdx];
            if (verified?.Contains(commit, idx, key) != true)
            {
                if (!Ed25519.Verify(key, CanonicalVoteSignBytes.ForCommitSig(chainId, commit, idx), sig.Signature.Span))
                    throw new LightVerificationException(LightFailure.WrongSignature,
                        $"wrong signature (#{idx}): {Convert.ToHexString(sig.Signature.Span)}", signatureIndex: idx);
                verified?.Add(commit, idx, key);
            }
            if (count(sig)) tallied += vals.Validators[valIdx].VotingPower; // ≤ total ≤ MaxTotalVotingPower: no overflow
            if (!countAllSignatures && tallied > needed) return;
        }
        if (tallied <= needed)
            throw new LightVerificationException(LightFailure.NotEnoughVotingPower,
                $"invalid commit -- insufficient voting power: got {tallied}, needed more than {needed}", tallied, needed);
    }
}

/// <summary>
/// Signatures of one commit already verified under one chain id, by signature index and key: VerifyNonAdjacent checks
/// the same commit against the trusted and the new set, and a validator in both need not be verified twice (CometBFT
/// v1 keeps the same cache). Skipping changes no outcome: the same key, bytes and signature verify the same way.
/// </summary>
internal sealed class VerifiedSignatures
{
    private readonly Commit _commit;
    private readonly byte[]?[] _keyByIndex;

    public VerifiedSignatures(Commit commit)
    {
        _commit = commit;
        _keyByIndex = new byte[commit.Signatures.Count][];
    }

    public bool Contains(Commit commit, int index, byte[] key)
        => ReferenceEquals(commit, _commit) && index < _keyByIndex.Length && _keyByIndex[index] is { } k && k.AsSpan().SequenceEqual(key);

    public void Add(Commit commit, int index, byte[] key)
    {
        if (ReferenceEquals(commit, _commit) && index < _keyByIndex.Length) _keyByIndex[index] = key;
    }
}
