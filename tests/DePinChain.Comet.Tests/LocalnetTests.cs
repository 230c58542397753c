using DePinChain.Comet.Hashing;
using DePinChain.Comet.Light;
using DePinChain.Comet.Votes;
using DePinChain.Crypto;
using DePinChain.Protos.Types;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.Comet.Tests;

/// <summary>The real 4-validator CometBFT v0.38.25 network (Fixtures/localnet4): heights 2–6, equal power 10.</summary>
public class LocalnetTests
{
    private const string Set = "localnet4";
    private static readonly Duration TrustingPeriod = Duration.FromTimeSpan(TimeSpan.FromDays(14));
    private static readonly Duration MaxClockDrift = Duration.FromTimeSpan(TimeSpan.FromSeconds(10));

    private static SignedHeader Header(int h) => CometFixtures.SignedHeader(Set, $"commit-{h}.json");
    private static ValidatorSet Vals(int h) => CometFixtures.Validators(Set, $"validators-{h}.json");
    private static Timestamp After(SignedHeader h, int seconds) => CometTime.FromNanos(CometTime.Nanos(h.Header.Time) + seconds * CometTime.NanosPerSecond);

    public static TheoryData<int> Heights => new() { 2, 3, 4, 5, 6 };

    [Theory]
    [MemberData(nameof(Heights))]
    public void Header_hash_validators_hash_and_every_signature_verify(int height)
    {
        var sh = Header(height);
        var vals = Vals(height);
        Assert.Equal(Convert.ToHexString(sh.Commit.BlockId.Hash.Span), Convert.ToHexString(HeaderHasher.Hash(sh.Header)));
        Assert.Equal(Convert.ToHexString(sh.Header.ValidatorsHash.Span), Convert.ToHexString(ValidatorSetHasher.Hash(vals)));
        Assert.Equal(4, sh.Commit.Signatures.Count);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(BlockIDFlag.Commit, sh.Commit.Signatures[i].BlockIdFlag);
            var signBytes = CanonicalVoteSignBytes.ForCommitSig("depinchain-localnet", sh.Commit, i);
            Assert.True(Ed25519.Verify(vals.Validators[i].PubKey.Ed25519.Span, signBytes, sh.Commit.Signatures[i].Signature.Span));
        }
        CommitVerifier.VerifyCommit("depinchain-localnet", new TrustedValidatorSet(vals), sh.Commit.BlockId, height, sh.Commit);
        CommitVerifier.VerifyCommitLight("depinchain-localnet", vals, sh.Commit.BlockId, height, sh.Commit);
        HeaderValidation.ValidateSignedHeader(sh, "depinchain-localnet");
        if (height > 2) Assert.Equal(Header(height - 1).Commit.BlockId, sh.Header.LastBlockId);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Adjacent_headers_verify(int height)
    {
        var untrusted = Header(height + 1);
        LightVerifier.VerifyAdjacent(Header(height), untrusted, Vals(height + 1), TrustingPeriod, After(untrusted, 1), MaxClockDrift);
        LightVerifier.Verify(Header(height), Vals(height + 1), untrusted, Vals(height + 1), TrustingPeriod, After(untrusted, 1), MaxClockDrift, TrustLevel.OneThird);
    }

    [Fact]
    public void Non_adjacent_jump_from_2_to_6_verifies()
    {
        var untrusted = Header(6);
        LightVerifier.VerifyNonAdjacent(Header(2), Vals(3), untrusted, Vals(6), TrustingPeriod, After(untrusted, 1), MaxClockDrift, TrustLevel.OneThird);
        LightVerifier.Verify(Header(2), Vals(3), untrusted, Vals(6), TrustingPeriod, After(untrusted, 1), MaxClockDrift, new TrustLevel(2, 3));
    }

    [Fact]
    public void One_flipped_signature_byte_is_refused_naming_the_signature()
    {
        var untrusted = Header(4);
        var bytes = untrusted.Commit.Signatures[0].Signature.ToByteArray();
        bytes[10] ^= 0x01;
        untrusted.Commit.Signatures[0].Signature = ByteString.CopyFrom(bytes);
        var e = Assert.Throws<LightVerificationException>(() =>
            LightVerifier.VerifyAdjacent(Header(3), untrusted, Vals(4), TrustingPeriod, After(untrusted, 1), MaxClockDrift));
        Assert.Equal(LightFailure.WrongSignature, e.Failure);
        Assert.Equal(0, e.SignatureIndex);
        Assert.Contains("wrong signature (#0)", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<LightVerificationException>(() =>
            LightVerifier.VerifyNonAdjacent(Header(2), Vals(3), untrusted, Vals(4), TrustingPeriod, After(untrusted, 1), MaxClockDrift, TrustLevel.OneThird));
        Assert.Equal(LightFailure.WrongSignature, e.Failure);
    }

    [Fact]
    public void Another_chain_id_is_refused()
    {
        var untrusted = Header(5);
        // The signatures were made for depinchain-localnet: checked under another chain id none verifies.
        var e = Assert.Throws<LightVerificationException>(() =>
            CommitVerifier.VerifyCommitLight("depinchain-other", Vals(5), untrusted.Commit.BlockId, 5, untrusted.Commit));
        Assert.Equal(LightFailure.WrongSignature, e.Failure);
        // A header claiming another chain is no longer the block the commit signs.
        untrusted.Header.ChainId = "depinchain-other";
        var trusted = Header(4);
        trusted.Header.ChainId = "depinchain-other";
        e = Assert.Throws<LightVerificationException>(() =>
            LightVerifier.VerifyAdjacent(trusted, untrusted, Vals(5), TrustingPeriod, After(untrusted, 1), MaxClockDrift));
        Assert.Equal(LightFailure.Malformed, e.Failure);
        Assert.Contains("commit signs block", e.Message, StringComparison.Ordinal);
        // And a trusted header of another chain refuses this chain's header.
        e = Assert.Throws<LightVerificationException>(() =>
            LightVerifier.VerifyAdjacent(trusted, Header(5), Vals(5), TrustingPeriod, After(untrusted, 1), MaxClockDrift));
        Assert.Contains("header belongs to another chain", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_validator_power_is_refused()
    {
        var untrusted = Header(5);
        var vals = Vals(5);
        vals.Validators[3].VotingPower = 11;
        var e = Assert.Throws<LightVerificationException>(() =>
            LightVerifier.VerifyAdjacent(Header(4), untrusted, vals, TrustingPeriod, After(untrusted, 1), MaxClockDrift));
        Assert.Equal(LightFailure.ValidatorsHashMismatch, e.Failure);
        // Against the commit alone: with one validator at 100 the other three's 30 is not +2/3 of 130.
        vals = Vals(5);
        vals.Validators[0].VotingPower = 100;
        untrusted.Commit.Signatures[0].BlockIdFlag = BlockIDFlag.Absent;
        untrusted.Commit.Signatures[0].ValidatorAddress = ByteString.Empty;
        untrusted.Commit.Signatures[0].Signature = ByteString.Empty;
        e = Assert.Throws<LightVerificationException>(() =>
            CommitVerifier.VerifyCommitLight("depinchain-localnet", vals, untrusted.Commit.BlockId, 5, untrusted.Commit));
        Assert.Equal(LightFailure.NotEnoughVotingPower, e.Failure);
        Assert.Equal((30, 86), (e.Tallied, e.Needed));
    }

    [Fact]
    public void A_changed_header_time_and_a_time_past_the_drift_are_refused()
    {
        var untrusted = Header(5);
        untrusted.Header.Time = CometTime.FromNanos(CometTime.Nanos(untrusted.Header.Time) + 1);
        var e = Assert.Throws<LightVerificationException>(() =>
            LightVerifier.VerifyAdjacent(Header(4), untrusted, Vals(5), TrustingPeriod, After(untrusted, 1), MaxClockDrift));
        Assert.Contains("commit signs block", e.Message, StringComparison.Ordinal);

        // The real header, seen by a clock 11 s behind with 10 s drift allowed: from the future.
        untrusted = Header(5);
        e = Assert.Throws<LightVerificationException>(() =>
            LightVerifier.VerifyAdjacent(Header(4), untrusted, Vals(5), TrustingPeriod, After(untrusted, -11), MaxClockDrift));
        Assert.Equal(LightFailure.HeaderFromFuture, e.Failure);
        // 9 s behind is within the drift.
        LightVerifier.VerifyAdjacent(Header(4), untrusted, Vals(5), TrustingPeriod, After(untrusted, -9), MaxClockDrift);
    }

    [Fact]
    public void An_expired_trusting_period_is_refused()
    {
        var trusted = Header(2);
        var untrusted = Header(6);
        var period = Duration.FromTimeSpan(TimeSpan.FromHours(1));
        // Exactly trusted time + period is already expired (CometBFT: expiration must be after now).
        var now = CometTime.Add(trusted.Header.Time, period);
        var e = Assert.Throws<LightVerificationException>(() =>
            LightVerifier.VerifyNonAdjacent(trusted, Vals(3), untrusted, Vals(6), period, now, MaxClockDrift, TrustLevel.OneThird));
        Assert.Equal(LightFailure.TrustedHeaderExpired, e.Failure);
        LightVerifier.VerifyNonAdjacent(trusted, Vals(3), untrusted, Vals(6), period,
            CometTime.FromNanos(CometTime.Nanos(now) - 1), MaxClockDrift, TrustLevel.OneThird);
    }

    [Fact]
    public void A_commit_signed_by_a_third_of_the_power_is_refused()
    {
        var untrusted = Header(6);
        // Keep validator 0's signature only (10 of 40): absent for the others.
        for (int i = 1; i < 4; i++)
            untrusted.Commit.Signatures[i] = new CommitSig { BlockIdFlag = BlockIDFlag.Absent, Timestamp = CometTime.GoZeroTime };
        var e = Assert.Throws<LightVerificationException>(() =>
            LightVerifier.VerifyAdjacent(Header(5), untrusted, Vals(6), TrustingPeriod, After(untrusted, 1), MaxClockDrift));
        Assert.Equal(LightFailure.NotEnoughVotingPower, e.Failure);
        Assert.Equal((10, 26), (e.Tallied, e.Needed));
        e = Assert.Throws<LightVerificationException>(() =>
            LightVerifier.VerifyNonAdjacent(Header(2), Vals(3), untrusted, Vals(6), TrustingPeriod, After(untrusted, 1), MaxClockDrift, TrustLevel.OneThird));
        Assert.Equal(LightFailure.NewValSetCantBeTrusted, e.Failure);
        Assert.Equal((10, 13), (e.Tallied, e.Needed));
    }

    [Fact]
    public void Adjacent_and_non_adjacent_refuse_the_other_gap_and_time_must_move_forward()
    {
        var e = Assert.Throws<LightVerificationException>(() =>
            LightVerifier.VerifyAdjacent(Header(2), Header(4), Vals(4), TrustingPeriod, After(Header(4), 1), MaxClockDrift));
        Assert.Equal(LightFailure.WrongHeightGap, e.Failure);
        e = Assert.Throws<LightVerificationException>(() =>
            LightVerifier.VerifyNonAdjacent(Header(2), Vals(3), Header(3), Vals(3), TrustingPeriod, After(Header(3), 1), MaxClockDrift, TrustLevel.OneThird));
        Assert.Equal(LightFailure.WrongHeightGap, e.Failure);
        e = Assert.Throws<LightVerificationException>(() =>
            LightVerifier.VerifyNonAdjacent(Header(6), Vals(6), Header(3), Vals(3), TrustingPeriod, After(Header(6), 1), MaxClockDrift, TrustLevel.OneThird));
        Assert.Equal(LightFailure.NotMonotonic, e.Failure);
        var invalid = Assert.Throws<LightVerificationException>(() => new TrustLevel(1, 4).Validate());
        Assert.Equal(LightFailure.InvalidTrustLevel, invalid.Failure);
        e = Assert.Throws<LightVerificationException>(() =>
            LightVerifier.VerifyNonAdjacent(Header(2), Vals(3), Header(6), Vals(6), TrustingPeriod, After(Header(6), 1), MaxClockDrift, new TrustLevel(1, 0)));
        Assert.Equal(LightFailure.InvalidTrustLevel, e.Failure);
    }
}
