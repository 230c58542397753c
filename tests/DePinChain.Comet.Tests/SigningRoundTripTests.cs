using DePinChain.Comet.Hashing;
using DePinChain.Comet.Light;
using DePinChain.Comet.Signing;
using DePinChain.Protos.Types;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.Comet.Tests;

/// <summary>The signing side: generated ed25519 validators sign headers that the verifier accepts, and tampering is caught.</summary>
public class SigningRoundTripTests
{
    private const string ChainId = "depin-a-1";
    private static readonly Duration TrustingPeriod = new() { Seconds = 14 * 24 * 3600 };
    private static readonly Duration MaxClockDrift = new() { Seconds = 10 };
    private static readonly Timestamp Genesis = new() { Seconds = 1_800_000_000, Nanos = 123_456_789 };

    /// <summary>A header at <paramref name="height"/> of a chain whose validators are <paramref name="vals"/> throughout.</summary>
    internal static Header MakeHeader(LocalValidatorSet vals, LocalValidatorSet next, long height, BlockID lastBlockId)
        => HeaderFactory.Create(ChainId, height, CometTime.FromNanos(CometTime.Nanos(Genesis) + height * 5 * CometTime.NanosPerSecond),
            lastBlockId, lastCommit: null, vals, next, ByteString.CopyFrom(new byte[32]));

    private static readonly PartSetHeader Parts = new() { Total = 1, Hash = ByteString.CopyFrom(new byte[32]) };

    private static Timestamp Now(SignedHeader h) => CometTime.FromNanos(CometTime.Nanos(h.Header.Time) + CometTime.NanosPerSecond);

    [Theory]
    [InlineData(4)]
    [InlineData(150)]
    public void Generated_validators_sign_headers_the_verifier_accepts_and_tampering_is_refused(int count)
    {
        var vals = LocalValidatorSet.Generate("round-trip", count, i => 100 + i % 7);
        var h1 = CommitSigner.SignHeader(MakeHeader(vals, vals, 1, BlockIds.OrEmpty(null)), vals, Parts);
        var h2 = CommitSigner.SignHeader(MakeHeader(vals, vals, 2, h1.Commit.BlockId), vals, Parts);
        var h9 = CommitSigner.SignHeader(MakeHeader(vals, vals, 9, h1.Commit.BlockId), vals, Parts);

        CommitVerifier.VerifyCommit(ChainId, new TrustedValidatorSet(vals.ValidatorSet), h1.Commit.BlockId, 1, h1.Commit);
        LightVerifier.VerifyAdjacent(h1, h2, vals.ValidatorSet, TrustingPeriod, Now(h2), MaxClockDrift);
        LightVerifier.VerifyNonAdjacent(h1, vals.ValidatorSet, h9, vals.ValidatorSet, TrustingPeriod, Now(h9), MaxClockDrift, TrustLevel.OneThird);

        // The last signature CometBFT checks before +2/3 is reached: flip a byte of each in turn for the 4-set.
        var tampered = h9.Clone();
        var sig = tampered.Commit.Signatures[0].Signature.ToByteArray();
        sig[0] ^= 1;
        tampered.Commit.Signatures[0].Signature = ByteString.CopyFrom(sig);
        var e = Assert.Throws<LightVerificationException>(() =>
            LightVerifier.VerifyNonAdjacent(h1, vals.ValidatorSet, tampered, vals.ValidatorSet, TrustingPeriod, Now(h9), MaxClockDrift, TrustLevel.OneThird));
        Assert.Equal((LightFailure.WrongSignature, 0), (e.Failure, e.SignatureIndex));

        tampered = h2.Clone();
        tampered.Header.AppHash = ByteString.CopyFrom(new byte[32] { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 });
        e = Assert.Throws<LightVerificationException>(() =>
            LightVerifier.VerifyAdjacent(h1, tampered, vals.ValidatorSet, TrustingPeriod, Now(h2), MaxClockDrift));
        Assert.Contains("commit signs block", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_set_is_ordered_by_power_then_address_and_hashes_like_its_proto()
    {
        var vals = LocalValidatorSet.Generate("order", 20, i => i % 3);
        for (int i = 1; i < vals.Validators.Count; i++)
        {
            var (a, b) = (vals.Validators[i - 1], vals.Validators[i]);
            Assert.True(a.VotingPower > b.VotingPower || (a.VotingPower == b.VotingPower && a.Address.AsSpan().SequenceCompareTo(b.Address) < 0));
        }
        Assert.Equal(ValidatorSetHasher.Hash(vals.ValidatorSet), vals.Hash);
        Assert.Equal(vals.Validators.Sum(v => v.VotingPower), new TrustedValidatorSet(vals.ValidatorSet).TotalVotingPower);
    }

    [Fact]
    public void A_third_of_the_power_is_not_enough_and_a_new_set_needs_a_third_of_the_trusted_one()
    {
        var vals = LocalValidatorSet.Generate("thirds", 150, _ => 10);
        var h1 = CommitSigner.SignHeader(MakeHeader(vals, vals, 1, BlockIds.OrEmpty(null)), vals, Parts);
        // 50 of 150 equal validators: exactly 1/3, which is not more than 1/3 nor more than 2/3.
        var third = CommitSigner.SignHeader(MakeHeader(vals, vals, 2, h1.Commit.BlockId), vals, Parts, i => i < 50);
        var e = Assert.Throws<LightVerificationException>(() =>
            LightVerifier.VerifyAdjacent(h1, third, vals.ValidatorSet, TrustingPeriod, Now(third), MaxClockDrift));
        Assert.Equal((LightFailure.NotEnoughVotingPower, 500L, 1000L), (e.Failure, e.Tallied, e.Needed));

        // A new set that shares only 50 of 150 validators with the trusted set: the trusted set's share is 1/3, not more.
        var newVals = new LocalValidatorSet(Enumerable.Range(0, 150).Select(i =>
            (LocalValidatorSet.Seed(i < 50 ? "thirds" : "others", i), 10L)));
        var trustedAddresses = vals.Validators.Select(v => Convert.ToHexString(v.Address)).ToHashSet();
        int overlap = newVals.Validators.Count(v => trustedAddresses.Contains(Convert.ToHexString(v.Address)));
        Assert.Equal(50, overlap);
        var jump = CommitSigner.SignHeader(MakeHeader(newVals, newVals, 7, h1.Commit.BlockId), newVals, Parts);
        e = Assert.Throws<LightVerificationException>(() =>
            LightVerifier.VerifyNonAdjacent(h1, vals.ValidatorSet, jump, newVals.ValidatorSet, TrustingPeriod, Now(jump), MaxClockDrift, TrustLevel.OneThird));
        Assert.Equal((LightFailure.NewValSetCantBeTrusted, 500L, 500L), (e.Failure, e.Tallied, e.Needed));
        // With 51 shared validators it is trusted.
        var newVals51 = new LocalValidatorSet(Enumerable.Range(0, 150).Select(i => (LocalValidatorSet.Seed(i < 51 ? "thirds" : "others", i), 10L)));
        var jump51 = CommitSigner.SignHeader(MakeHeader(newVals51, newVals51, 7, h1.Commit.BlockId), newVals51, Parts);
        LightVerifier.VerifyNonAdjacent(h1, vals.ValidatorSet, jump51, newVals51.ValidatorSet, TrustingPeriod, Now(jump51), MaxClockDrift, TrustLevel.OneThird);

        // A bad signature of a validator only in the new set is caught by the +2/3 check of the new set.
        int onlyNew = Enumerable.Range(0, 150).First(i => !trustedAddresses.Contains(Convert.ToHexString(newVals51.Validators[i].Address)));
        var forged = jump51.Clone();
        var bytes = forged.Commit.Signatures[onlyNew].Signature.ToByteArray();
        bytes[5] ^= 0x10;
        forged.Commit.Signatures[onlyNew].Signature = ByteString.CopyFrom(bytes);
        e = Assert.Throws<LightVerificationException>(() =>
            LightVerifier.VerifyNonAdjacent(h1, vals.ValidatorSet, forged, newVals51.ValidatorSet, TrustingPeriod, Now(jump51), MaxClockDrift, TrustLevel.OneThird));
        Assert.Equal((LightFailure.WrongSignature, onlyNew), (e.Failure, e.SignatureIndex));
    }

    [Fact]
    public void A_validator_signing_twice_is_refused_when_counting_by_address()
    {
        var vals = LocalValidatorSet.Generate("double", 4, _ => 10);
        var h1 = CommitSigner.SignHeader(MakeHeader(vals, vals, 1, BlockIds.OrEmpty(null)), vals, Parts);
        var h5 = CommitSigner.SignHeader(MakeHeader(vals, vals, 5, h1.Commit.BlockId), vals, Parts);
        var doubled = h5.Commit.Clone();
        doubled.Signatures[1] = doubled.Signatures[0].Clone();
        var e = Assert.Throws<LightVerificationException>(() =>
            CommitVerifier.VerifyCommitLightTrusting(ChainId, vals.ValidatorSet, doubled, new TrustLevel(2, 3)));
        Assert.Equal((LightFailure.DoubleVote, 1), (e.Failure, e.SignatureIndex));
    }
}
