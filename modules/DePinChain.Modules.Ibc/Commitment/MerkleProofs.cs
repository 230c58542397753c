using DePinChain.Protos.Ibc.Core.Commitment.V1;
using DePinChain.Protos.Ics23;
using DePinChain.Store.Proofs;
using Google.Protobuf;

namespace DePinChain.Modules.Ibc.Commitment;

/// <summary>
/// ibc-go's 23-commitment MerkleProof checks (v8 merkle.go): a chain of ICS-23 proofs, leaf to root, one per proof spec
/// (for Cosmos chains the store's IAVL proof, then the multistore's proof of the store root), against a path root to
/// leaf (["ibc", "connections/connection-0"]). Each proof's calculated root is the value the next one proves; the
/// last root must be the consensus state's root (the counterparty's app hash). Failures are ibc-go's errors.
/// </summary>
public static class MerkleProofs
{
    /// <summary>The prefix Cosmos chains commit IBC state under: the "ibc" store.</summary>
    public static MerklePrefix IbcPrefix => new() { KeyPrefix = ByteString.CopyFromUtf8("ibc") };

    /// <summary>The ICS-23 specs of a Cosmos SDK chain (ibc-go's GetSDKSpecs): IAVL, then the simple tree.</summary>
    public static IReadOnlyList<ProofSpec> SdkSpecs => [ProofSpecs.Iavl, ProofSpecs.Tendermint];

    /// <summary>The path of <paramref name="path"/> under <paramref name="prefix"/> (ApplyPrefix).</summary>
    public static MerklePath ApplyPrefix(MerklePrefix prefix, string path)
    {
        if (prefix is null || prefix.KeyPrefix.IsEmpty) throw IbcErrors.Commitment.InvalidPrefix("prefix can't be empty");
        return new MerklePath { KeyPath = { prefix.KeyPrefix.ToStringUtf8(), path } };
    }

    /// <summary>Parses proof bytes as a MerkleProof (the light client's first step).</summary>
    /// <exception cref="DePinChain.Sdk.SdkError">Not a MerkleProof (commitment 2).</exception>
    public static MerkleProof Parse(ByteString proof)
    {
        try
        {
            return MerkleProof.Parser.ParseFrom(proof);
        }
        catch (InvalidProtocolBufferException)
        {
            throw IbcErrors.Commitment.InvalidProof("failed to unmarshal proof into ICS 23 commitment merkle proof");
        }
    }

    /// <summary>Checks that <paramref name="proof"/> proves <paramref name="path"/> → <paramref name="value"/> under <paramref name="root"/>.</summary>
    /// <exception cref="DePinChain.Sdk.SdkError">It does not (commitment 2 or 4, saying where).</exception>
    public static void VerifyMembership(MerkleProof proof, IReadOnlyList<ProofSpec> specs, ReadOnlySpan<byte> root, MerklePath path, ReadOnlySpan<byte> value)
    {
        ValidateArgs(proof, specs, root);
        if (path.KeyPath.Count != specs.Count)
            throw IbcErrors.Commitment.InvalidProof($"path length {path.KeyPath.Count} not same as proof {specs.Count}");
        if (value.IsEmpty) throw IbcErrors.Commitment.InvalidProof("empty value in membership proof");
        VerifyChained(root, specs, proof, path, value.ToArray(), 0);
    }

    /// <summary>Checks that <paramref name="proof"/> proves <paramref name="path"/> absent under <paramref name="root"/>:
    /// a non-existence proof in the store, then membership of the store root.</summary>
    /// <exception cref="DePinChain.Sdk.SdkError">It does not (commitment 2 or 4, saying where).</exception>
    public static void VerifyNonMembership(MerkleProof proof, IReadOnlyList<ProofSpec> specs, ReadOnlySpan<byte> root, MerklePath path)
    {
        ValidateArgs(proof, specs, root);
        if (path.KeyPath.Count != specs.Count)
            throw IbcErrors.Commitment.InvalidProof($"path length {path.KeyPath.Count} not same as proof {specs.Count}");
        var first = proof.Proofs[0];
        switch (first.ProofCase)
        {
            case CommitmentProof.ProofOneofCase.Nonexist:
                if (!Ics23Verifier.TryCalculateRoot(first, out var subroot, out var error))
                    throw IbcErrors.Commitment.InvalidProof($"failed to calculate root for proof index 0, merkle tree is likely empty. {error}");
                var key = System.Text.Encoding.UTF8.GetBytes(path.KeyPath[^1]);
                var absent = Ics23Verifier.VerifyNonMembership(specs[0], subroot, first, key);
                if (!absent) throw IbcErrors.Commitment.InvalidProof($"could not verify absence of key {path.KeyPath[^1]}. Please ensure that the path is correct. ({absent.Error})");
                VerifyChained(root, specs, proof, path, subroot, 1);
                break;
            case CommitmentProof.ProofOneofCase.Exist:
                throw IbcErrors.Commitment.InvalidProof("got ExistenceProof in VerifyNonMembership. If this is unexpected, please ensure that proof was queried with the correct key.");
            default:
                throw IbcErrors.Commitment.InvalidProof($"expected proof type: NonExistenceProof, got: {first.ProofCase}");
        }
    }

    private static void ValidateArgs(MerkleProof proof, IReadOnlyList<ProofSpec> specs, ReadOnlySpan<byte> root)
    {
        if (proof is null || proof.Proofs.Count == 0) throw IbcErrors.Commitment.InvalidMerkleProof("proof cannot be empty");
        if (root.IsEmpty) throw IbcErrors.Commitment.InvalidMerkleProof("root cannot be empty");
        if (specs.Count != proof.Proofs.Count)
            throw IbcErrors.Commitment.InvalidMerkleProof($"length of specs: {specs.Count} not equal to length of proof: {proof.Proofs.Count}");
        for (var i = 0; i < specs.Count; i++)
        {
            if (specs[i] is null) throw IbcErrors.Commitment.InvalidProof($"spec at position {i} is nil");
        }
    }

    // Each proof from `index` on is an existence proof of path key (len-1-i) → value; its root becomes the next value.
    private static void VerifyChained(ReadOnlySpan<byte> root, IReadOnlyList<ProofSpec> specs, MerkleProof proof, MerklePath keys, byte[] value, int index)
    {
        var subroot = value;
        for (var i = index; i < proof.Proofs.Count; i++)
        {
            var step = proof.Proofs[i];
            switch (step.ProofCase)
            {
                case CommitmentProof.ProofOneofCase.Exist:
                    if (!Ics23Verifier.TryCalculateRoot(step, out subroot, out var error))
                        throw IbcErrors.Commitment.InvalidProof($"could not calculate proof root at index {i}, merkle tree may be empty. {error}");
                    var key = System.Text.Encoding.UTF8.GetBytes(keys.KeyPath[keys.KeyPath.Count - 1 - i]);
                    var member = Ics23Verifier.VerifyMembership(specs[i], subroot, step, key, value);
                    if (!member)
                        throw IbcErrors.Commitment.InvalidProof($"chained membership proof failed to verify membership of value: {Convert.ToHexString(value)} in subroot {Convert.ToHexString(subroot)} at index {i}. Please ensure the path and value are both correct. ({member.Error})");
                    value = subroot;
                    break;
                case CommitmentProof.ProofOneofCase.Nonexist:
                    throw IbcErrors.Commitment.InvalidProof($"chained membership proof contains nonexistence proof at index {i}. If this is unexpected, please ensure that proof was queried from a height that contained the value in store and was queried with the correct key. The key used: {string.Join("/", keys.KeyPath)}");
                default:
                    throw IbcErrors.Commitment.InvalidProof($"expected proof type: ExistenceProof, got: {step.ProofCase}");
            }
        }
        if (!root.SequenceEqual(subroot))
            throw IbcErrors.Commitment.InvalidProof($"proof did not commit to expected root: {Convert.ToHexString(root)}, got: {Convert.ToHexString(subroot)}. Please ensure proof was submitted with correct proofHeight and to the correct chain.");
    }
}
