using System.Text;
using DePinChain.Protos.Ics23;
using DePinChain.Store.Proofs;
using Google.Protobuf;

namespace DePinChain.Store.Tests.Proofs;

/// <summary>
/// The two-step proof of an ABCI store query: an official IAVL vector as the store proof, and a multistore
/// (simple Merkle tree of store name → store root) built around its root.
/// </summary>
public class VerifyChainTests
{
    private const string StoreName = "bank";

    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    private static (List<ProofOp> Ops, byte[] AppHash) Chain(ProofCase storeVector)
    {
        var stores = new[] { "acc", "bank", "ibc", "staking", "upgrade" }
            .Select(name => (B(name), name == StoreName ? storeVector.Root : System.Security.Cryptography.SHA256.HashData(B(name))));
        var multistore = new SimpleMerkleTree(stores);
        var rootProof = new CommitmentProof { Exist = multistore.ProofOf(1) };
        return (
            [
                new ProofOp(Ics23Verifier.IavlProofType, storeVector.Key, storeVector.Proof),
                new ProofOp(Ics23Verifier.SimpleProofType, B(StoreName), rootProof.ToByteArray()),
            ],
            multistore.Root);
    }

    [Fact]
    public void A_present_key_is_proven_up_to_the_app_hash()
    {
        var vector = Ics23TestVectors.Load("iavl", "exist_middle");
        var (ops, appHash) = Chain(vector);

        var result = Ics23Verifier.VerifyChain(ops, appHash, StoreName, vector.Key, vector.Value);

        Assert.True(result.IsValid, result.Error);
    }

    [Fact]
    public void An_absent_key_is_proven_up_to_the_app_hash()
    {
        var vector = Ics23TestVectors.Load("iavl", "nonexist_middle");
        var (ops, appHash) = Chain(vector);

        var result = Ics23Verifier.VerifyChain(ops, appHash, StoreName, vector.Key, value: null);

        Assert.True(result.IsValid, result.Error);
    }

    [Fact]
    public void The_multistore_step_also_verifies_with_the_reference()
    {
        var vector = Ics23TestVectors.Load("iavl", "exist_middle");
        var (ops, appHash) = Chain(vector);

        var verdicts = ReferenceIcs23Verifier.Verify(
        [
            ReferenceProofCase.Iavl(vector.Root, ops[0].Data, vector.Key, vector.Value),
            ReferenceProofCase.Tendermint(appHash, ops[1].Data, B(StoreName), vector.Root),
            ReferenceProofCase.Tendermint(appHash, ops[1].Data, B(StoreName), Ics23TestVectors.Flip(vector.Root, 0)),
        ]);

        Assert.Equal([true, true, false], verdicts);
    }

    [Fact]
    public void Every_mismatch_breaks_the_chain()
    {
        var present = Ics23TestVectors.Load("iavl", "exist_middle");
        var absent = Ics23TestVectors.Load("iavl", "nonexist_middle");
        var (ops, appHash) = Chain(present);
        var (absentOps, absentAppHash) = Chain(absent);
        var garbage = new ProofOp(Ics23Verifier.IavlProofType, present.Key, [0xFF, 0xFF, 0xFF]);
        var nonExistRoot = new ProofOp(Ics23Verifier.SimpleProofType, B(StoreName), new CommitmentProof { Nonexist = new NonExistenceProof { Key = ByteString.CopyFrom(B(StoreName)) } }.ToByteArray());

        (string Case, Ics23Result Result)[] results =
        [
            ("other app hash", Ics23Verifier.VerifyChain(ops, Ics23TestVectors.Flip(appHash, 0), StoreName, present.Key, present.Value)),
            ("other store", Ics23Verifier.VerifyChain(ops, appHash, "staking", present.Key, present.Value)),
            ("other key", Ics23Verifier.VerifyChain(ops, appHash, StoreName, Ics23TestVectors.Flip(present.Key, ^1), present.Value)),
            ("other value", Ics23Verifier.VerifyChain(ops, appHash, StoreName, present.Key, Ics23TestVectors.Flip(present.Value!, ^1))),
            ("present key claimed absent", Ics23Verifier.VerifyChain(ops, appHash, StoreName, present.Key, null)),
            ("absent key claimed present", Ics23Verifier.VerifyChain(absentOps, absentAppHash, StoreName, absent.Key, [1, 2, 3])),
            ("ops swapped", Ics23Verifier.VerifyChain([ops[1], ops[0]], appHash, StoreName, present.Key, present.Value)),
            ("store op only", Ics23Verifier.VerifyChain([ops[0]], appHash, StoreName, present.Key, present.Value)),
            ("no ops", Ics23Verifier.VerifyChain(null, appHash, StoreName, present.Key, present.Value)),
            ("store proof garbage", Ics23Verifier.VerifyChain([garbage, ops[1]], appHash, StoreName, present.Key, present.Value)),
            ("multistore non-existence", Ics23Verifier.VerifyChain([ops[0], nonExistRoot], appHash, StoreName, present.Key, present.Value)),
            ("op key differs", Ics23Verifier.VerifyChain([ops[0] with { Key = B("other") }, ops[1]], appHash, StoreName, present.Key, present.Value)),
            ("op type differs", Ics23Verifier.VerifyChain([ops[0] with { Type = "iavl:v" }, ops[1]], appHash, StoreName, present.Key, present.Value)),
        ];

        Assert.All(results, r => Assert.False(r.Result.IsValid, r.Case));
        Assert.All(results, r => Assert.False(string.IsNullOrEmpty(r.Result.Error), r.Case));
        Assert.Contains("app hash", results[0].Result.Error);
    }
}
