using DePinChain.Modules.Ibc.Commitment;
using DePinChain.Protos.Ibc.Core.Commitment.V1;
using DePinChain.Sdk;
using Google.Protobuf;

namespace DePinChain.Modules.Ibc.Tests;

/// <summary>ibc-go's MerkleProof verification on real ibc-go v8 proofs: every stored key of both simd chains at height
/// 221 proves against the app hash of block 222; absent keys prove absent; any change is refused with commitment's
/// codes.</summary>
public sealed class MerkleProofTests
{
    public static TheoryData<string> States()
    {
        var data = new TheoryData<string>();
        foreach (var chain in new[] { "a", "b" })
            foreach (var file in SimdPair.StateFiles(chain)) data.Add(file);
        return data;
    }

    private static MerklePath PathOf(byte[] key) => MerkleProofs.ApplyPrefix(MerkleProofs.IbcPrefix, System.Text.Encoding.UTF8.GetString(key));

    [Theory]
    [MemberData(nameof(States))]
    public void Recorded_state_proofs_verify_against_the_next_blocks_app_hash(string file)
    {
        var (key, value, proof) = SimdPair.State(file);
        var root = SimdPair.AppHash(file[..1], 222);
        if (value is null) MerkleProofs.VerifyNonMembership(proof, MerkleProofs.SdkSpecs, root, PathOf(key));
        else MerkleProofs.VerifyMembership(proof, MerkleProofs.SdkSpecs, root, PathOf(key), value);
    }

    [Fact]
    public void There_are_recorded_absent_keys_and_present_keys()
    {
        var files = SimdPair.StateFiles("a").Concat(SimdPair.StateFiles("b")).ToList();
        Assert.Contains(files, f => f.Contains("ABSENT", StringComparison.Ordinal));
        Assert.Equal(32, files.Count);
    }

    [Theory]
    [InlineData("a-state-connection-0-h221.json")]
    [InlineData("b-state-channelEnd-h221.json")]
    [InlineData("a-state-commitment-3-h221.json")]
    public void A_changed_value_a_wrong_root_or_another_key_is_refused(string file)
    {
        var (key, value, proof) = SimdPair.State(file);
        var root = SimdPair.AppHash(file[..1], 222);
        var changed = (byte[])value!.Clone();
        changed[^1] ^= 1;
        AssertInvalidProof(() => MerkleProofs.VerifyMembership(proof, MerkleProofs.SdkSpecs, root, PathOf(key), changed));
        var otherRoot = (byte[])root.Clone();
        otherRoot[0] ^= 1;
        AssertInvalidProof(() => MerkleProofs.VerifyMembership(proof, MerkleProofs.SdkSpecs, otherRoot, PathOf(key), value));
        AssertInvalidProof(() => MerkleProofs.VerifyMembership(proof, MerkleProofs.SdkSpecs, root, PathOf([.. key, (byte)'x']), value));
        // The same proof under another store name ("bank" instead of "ibc") does not verify.
        var bankPath = new MerklePath { KeyPath = { "bank", System.Text.Encoding.UTF8.GetString(key) } };
        AssertInvalidProof(() => MerkleProofs.VerifyMembership(proof, MerkleProofs.SdkSpecs, root, bankPath, value));
        // A present key is not provably absent.
        AssertInvalidProof(() => MerkleProofs.VerifyNonMembership(proof, MerkleProofs.SdkSpecs, root, PathOf(key)));
    }

    [Fact]
    public void A_tampered_inner_node_or_a_missing_proof_step_is_refused()
    {
        var (key, value, proof) = SimdPair.State("a-state-ack-1-h221.json");
        var root = SimdPair.AppHash("a", 222);
        var tampered = proof.Clone();
        var inner = tampered.Proofs[0].Exist.Path[1];
        var suffix = inner.Suffix.ToByteArray();
        var prefix = inner.Prefix.ToByteArray();
        if (suffix.Length > 0) suffix[^1] ^= 1; else prefix[^1] ^= 1;
        inner.Suffix = ByteString.CopyFrom(suffix);
        inner.Prefix = ByteString.CopyFrom(prefix);
        AssertInvalidProof(() => MerkleProofs.VerifyMembership(tampered, MerkleProofs.SdkSpecs, root, PathOf(key), value!));

        var oneStep = new MerkleProof { Proofs = { proof.Proofs[0] } };
        var error = Assert.Throws<SdkError>(() => MerkleProofs.VerifyMembership(oneStep, MerkleProofs.SdkSpecs, root, PathOf(key), value!));
        Assert.Equal(("commitment", 4u), (error.Codespace, error.Code));
        error = Assert.Throws<SdkError>(() => MerkleProofs.VerifyMembership(new MerkleProof(), MerkleProofs.SdkSpecs, root, PathOf(key), value!));
        Assert.Equal(("commitment", 4u), (error.Codespace, error.Code));
    }

    [Fact]
    public void The_absent_receipt_on_b_is_proved_by_its_left_neighbour_alone_and_a_present_receipt_is_not_absent()
    {
        var (key, value, proof) = SimdPair.State("b-state-ABSENT-receipt-2-h221.json");
        Assert.Null(value);
        Assert.Null(proof.Proofs[0].Nonexist.Right);
        var root = SimdPair.AppHash("b", 222);
        MerkleProofs.VerifyNonMembership(proof, MerkleProofs.SdkSpecs, root, PathOf(key));
        // The neighbour's own key is in the store: the same proof cannot show it absent.
        var left = proof.Proofs[0].Nonexist.Left.Key.ToByteArray();
        AssertInvalidProof(() => MerkleProofs.VerifyNonMembership(proof, MerkleProofs.SdkSpecs, root, PathOf(left)));
    }

    private static void AssertInvalidProof(Action verify)
    {
        var error = Assert.Throws<SdkError>(verify);
        Assert.Equal(("commitment", 2u), (error.Codespace, error.Code));
    }
}
