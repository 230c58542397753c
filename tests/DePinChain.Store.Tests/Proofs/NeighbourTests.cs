using System.Text;
using DePinChain.Protos.Ics23;
using DePinChain.Store.Proofs;
using Google.Protobuf;

namespace DePinChain.Store.Tests.Proofs;

/// <summary>Non-existence proofs must name adjacent leaves: checked on a tree whose every proof we hold.</summary>
public class NeighbourTests
{
    // Five leaves, so the tree is unbalanced: ((b d)(f h)) j.
    private static readonly SimpleMerkleTree Tree = new(new[] { "b", "d", "f", "h", "j" }.Select(k => (B(k), B("value of " + k))));

    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    public static TheoryData<string, int?, int?, bool> Cases() => new()
    {
        // key, left leaf, right leaf, valid
        { "a", null, 0, true },     // before the first key: right neighbour is the left-most leaf
        { "a", null, 1, false },    // ... and not any other
        { "c", 0, 1, true },
        { "e", 1, 2, true },        // neighbours in different subtrees
        { "e", 0, 2, false },       // skips d
        { "g", 2, 3, true },
        { "g", 1, 3, false },
        { "i", 3, 4, true },        // across the top split
        { "i", 2, 4, false },
        { "k", 4, null, true },     // after the last key: left neighbour is the right-most leaf
        { "k", 3, null, false },
        { "d", 0, 2, false },       // d exists: its neighbours do not prove it absent
        { "e", 2, 1, false },       // neighbours swapped
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Only_adjacent_leaves_prove_absence(string key, int? left, int? right, bool valid)
    {
        var proof = Tree.NonExistence(B(key), left, right);

        var result = Ics23Verifier.VerifyNonMembership(ProofSpecs.Tendermint, Tree.Root, proof, B(key));

        Assert.Equal(valid, result.IsValid);
    }

    [Fact]
    public void The_reference_agrees_on_which_leaves_prove_absence()
    {
        var cases = Cases().Select(row => ((string)row[0], (int?)row[1], (int?)row[2], (bool)row[3])).ToList();

        var verdicts = ReferenceIcs23Verifier.Verify(cases.Select(c =>
            ReferenceProofCase.Tendermint(Tree.Root, Tree.NonExistence(B(c.Item1), c.Item2, c.Item3).ToByteArray(), B(c.Item1), null)));

        Assert.Equal(cases.Select(c => c.Item4), verdicts);
    }

    [Fact]
    public void Every_leaf_of_the_tree_proves_its_membership()
    {
        var cases = Enumerable.Range(0, 5).Select(i =>
        {
            var proof = Tree.ProofOf(i);
            Assert.True(Ics23Verifier.VerifyMembership(ProofSpecs.Tendermint, Tree.Root, new CommitmentProof { Exist = proof }, proof.Key.Span, proof.Value.Span).IsValid);
            return ReferenceProofCase.Tendermint(Tree.Root, new CommitmentProof { Exist = proof }.ToByteArray(), proof.Key.ToByteArray(), proof.Value.ToByteArray());
        });

        Assert.All(ReferenceIcs23Verifier.Verify(cases), Assert.True);
    }
}
