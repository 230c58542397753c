using System.Text.Json.Nodes;
using DePinChain.Protos.Ics23;
using DePinChain.Store.Proofs;
using Google.Protobuf;

namespace DePinChain.Store.Tests.Proofs;

/// <summary>One proof to check: an official vector or a tampered copy of one.</summary>
public sealed record ProofCase(string Name, string Spec, byte[] Root, byte[] Proof, byte[] Key, byte[]? Value)
{
    public ProofSpec ProofSpec => Spec == "iavl" ? ProofSpecs.Iavl : ProofSpecs.Tendermint;

    public CommitmentProof Parsed => CommitmentProof.Parser.ParseFrom(Proof);

    public Ics23Result VerifyWithOurs() => Value is null
        ? Ics23Verifier.VerifyNonMembership(ProofSpec, Root, Parsed, Key)
        : Ics23Verifier.VerifyMembership(ProofSpec, Root, Parsed, Key, Value);

    public ReferenceProofCase ToReference() => new(Spec, Root, Proof, Key, Value);

    public override string ToString() => Name;
}

/// <summary>
/// The cosmos/ics23 test vectors in Proofs/Vectors (see the README there), and tampered variants that every
/// correct verifier must reject.
/// </summary>
public static class Ics23TestVectors
{
    public static readonly string[] Names = ["exist_left", "exist_right", "exist_middle", "nonexist_left", "nonexist_right", "nonexist_middle"];

    public static IEnumerable<ProofCase> Valid()
    {
        foreach (var spec in new[] { "iavl", "tendermint" })
        {
            foreach (var name in Names) yield return Load(spec, name);
        }
    }

    public static ProofCase Load(string spec, string name)
    {
        var path = Path.Combine(RepoRoot.Path, "tests", "DePinChain.Store.Tests", "Proofs", "Vectors", spec, name + ".json");
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        var value = json["value"]!.GetValue<string>();
        return new ProofCase(
            $"{spec}/{name}",
            spec,
            Convert.FromHexString(json["root"]!.GetValue<string>()),
            Convert.FromHexString(json["proof"]!.GetValue<string>()),
            Convert.FromHexString(json["key"]!.GetValue<string>()),
            value.Length == 0 ? null : Convert.FromHexString(value));
    }

    /// <summary>Changes that break a proof; each must be rejected by any verifier.</summary>
    public static IEnumerable<ProofCase> Tampered()
    {
        foreach (var valid in Valid())
        {
            yield return valid with { Name = valid.Name + " root flipped", Root = Flip(valid.Root, 0) };
            if (valid.Value is not null)
            {
                yield return valid with { Name = valid.Name + " value flipped", Value = Flip(valid.Value, ^1) };
                yield return valid with { Name = valid.Name + " key flipped", Key = Flip(valid.Key, ^1) };
                yield return valid with { Name = valid.Name + " value flipped in proof and query", Value = Flip(valid.Value, ^1), Proof = Edit(valid, p => p.Exist.Value = ByteString.CopyFrom(Flip(p.Exist.Value.ToByteArray(), ^1))) };
                yield return valid with { Name = valid.Name + " path step flipped", Proof = Edit(valid, p => FlipStep(p.Exist)) };
                yield return valid with { Name = valid.Name + " leaf prefix changed", Proof = Edit(valid, p => p.Exist.Leaf.Prefix = ByteString.CopyFrom(Flip(p.Exist.Leaf.Prefix.ToByteArray(), ^1))) };
                yield return valid with { Name = valid.Name + " top step dropped", Proof = Edit(valid, p => p.Exist.Path.RemoveAt(p.Exist.Path.Count - 1)) };
            }
            else
            {
                var nonExist = valid.Parsed.Nonexist;
                var neighbour = nonExist.Left ?? nonExist.Right;
                yield return valid with { Name = valid.Name + " key is the neighbour's", Key = neighbour.Key.ToByteArray() };
                yield return valid with { Name = valid.Name + " neighbour path step flipped", Proof = Edit(valid, p => FlipStep(p.Nonexist.Left ?? p.Nonexist.Right)) };
                if (nonExist.Left is not null && nonExist.Right is not null)
                {
                    yield return valid with { Name = valid.Name + " left neighbour dropped", Proof = Edit(valid, p => p.Nonexist.Left = null) };
                    yield return valid with { Name = valid.Name + " right neighbour dropped", Proof = Edit(valid, p => p.Nonexist.Right = null) };
                    yield return valid with { Name = valid.Name + " neighbours swapped", Proof = Edit(valid, p => (p.Nonexist.Left, p.Nonexist.Right) = (p.Nonexist.Right, p.Nonexist.Left)) };
                }
            }
        }
    }

    /// <summary>
    /// Each vector under the other spec. Only non-existence proofs must fail there in every verifier: the pinned
    /// reference (@confio/ics23 0.6.8) predates the suffix and IAVL-prefix checks of cosmos/ics23 v0.10+, so it
    /// accepts iavl/exist_left under TendermintSpec and tendermint/exist_right under IavlSpec; we reject them.
    /// </summary>
    public static IEnumerable<ProofCase> UnderTheOtherSpec()
        => Valid().Select(v => v with { Name = v.Name + " under the other spec", Spec = v.Spec == "iavl" ? "tendermint" : "iavl" });

    public static byte[] Flip(byte[] data, Index at)
    {
        var copy = (byte[])data.Clone();
        copy[at] ^= 0x01;
        return copy;
    }

    public static byte[] Edit(ProofCase valid, Action<CommitmentProof> edit)
    {
        var proof = valid.Parsed;
        edit(proof);
        return proof.ToByteArray();
    }

    /// <summary>Flips the last byte of the hash a middle step carries (in its suffix or prefix).</summary>
    private static void FlipStep(ExistenceProof proof)
    {
        var step = proof.Path[proof.Path.Count / 2];
        if (step.Suffix.Length > 0) step.Suffix = ByteString.CopyFrom(Flip(step.Suffix.ToByteArray(), ^1));
        else step.Prefix = ByteString.CopyFrom(Flip(step.Prefix.ToByteArray(), ^1));
    }
}
