using DePinChain.Protos.Ics23;
using DePinChain.Store.Backend;
using DePinChain.Store.Iavl;
using DePinChain.Store.Proofs;
using DePinChain.Store.Tests.Proofs;
using Google.Protobuf;
using static DePinChain.Store.Tests.Iavl.TreeTestKit;

namespace DePinChain.Store.Tests.Iavl;

/// <summary>Our tree's proofs under ICS-23 IavlSpec, checked by our verifier and by the reference @confio/ics23.</summary>
public class IavlIcs23Tests
{
    private sealed record Case(string Name, byte[] Root, CommitmentProof Proof, byte[] Key, byte[]? Value)
    {
        public bool Ours() => Value is null
            ? Ics23Verifier.VerifyNonMembership(ProofSpecs.Iavl, Root, Proof, Key).IsValid
            : Ics23Verifier.VerifyMembership(ProofSpecs.Iavl, Root, Proof, Key, Value).IsValid;

        public ReferenceProofCase Reference() => ReferenceProofCase.Iavl(Root, Proof.ToByteArray(), Key, Value);
    }

    private static IReadOnlyTree BuildView()
    {
        var db = new MemoryKeyValueStore();
        var tree = Open(db, cache: 20);
        var random = new Random(31);
        for (var v = 0; v < 5; v++)
        {
            for (var i = 0; i < 60; i++)
            {
                var k = random.Next(200);
                if (random.Next(5) == 0) tree.Delete(B($"key{k:D3}"));
                else tree.Set(B($"key{k:D3}"), B($"value {v}.{i}"));
            }
            tree.Commit(db);
        }
        return tree.GetImmutable(5);
    }

    private static List<Case> ValidCases(IReadOnlyTree view)
    {
        var root = view.RootHash;
        var cases = view.Iterate(null, null).Select(e => new Case($"exist {S(e.Key)}", root, view.GetProof(e.Key), e.Key, e.Value)).ToList();
        var present = cases.Select(c => S(c.Key)).ToHashSet();
        foreach (var absent in new[] { "a", "key", "zzz" }.Concat(Enumerable.Range(0, 200).Select(k => $"key{k:D3}").Where(k => !present.Contains(k))))
            cases.Add(new Case($"absent {absent}", root, view.GetProof(B(absent)), B(absent), null));
        return cases;
    }

    [Fact]
    public void Every_proof_of_the_tree_verifies_under_IavlSpec_with_our_verifier_and_the_reference()
    {
        var cases = ValidCases(BuildView());
        Assert.Contains(cases, c => c.Value is null && c.Proof.Nonexist.Left is null);  // before the first key
        Assert.Contains(cases, c => c.Value is null && c.Proof.Nonexist.Right is null); // after the last key

        var reference = ReferenceIcs23Verifier.VerifyWithReasons(cases.Select(c => c.Reference()));
        Assert.All(cases.Zip(reference), pair =>
        {
            Assert.True(pair.First.Ours(), $"we rejected {pair.First.Name}");
            Assert.True(pair.Second.Ok, $"reference rejected {pair.First.Name}: {pair.Second.Error}");
        });
    }

    [Fact]
    public void Tampered_proofs_fail_under_both_verifiers()
    {
        var view = BuildView();
        var valid = ValidCases(view);
        var exist = valid.Where(c => c.Value is not null).Take(20).ToList();
        var absent = valid.Where(c => c.Value is null).Take(20).ToList();
        var tampered = new List<Case>();
        foreach (var c in exist)
        {
            tampered.Add(c with { Name = c.Name + " wrong value", Value = [.. c.Value!, 1] });
            tampered.Add(c with { Name = c.Name + " wrong root", Root = Flip(c.Root, 0) });
            tampered.Add(c with { Name = c.Name + " claimed absent", Value = null });
            var p = c.Proof.Clone();
            var op = p.Exist.Path[p.Exist.Path.Count / 2];
            if (op.Suffix.IsEmpty) op.Prefix = ByteString.CopyFrom(Flip(op.Prefix.ToByteArray(), op.Prefix.Length - 2));
            else op.Suffix = ByteString.CopyFrom(Flip(op.Suffix.ToByteArray(), 5));
            tampered.Add(c with { Name = c.Name + " flipped sibling", Proof = p });
            var leaf = c.Proof.Clone();
            leaf.Exist.Leaf.Prefix = ByteString.CopyFrom(Flip(leaf.Exist.Leaf.Prefix.ToByteArray(), 2)); // the leaf's version
            tampered.Add(c with { Name = c.Name + " wrong leaf version", Proof = leaf });
        }
        foreach (var c in absent)
        {
            tampered.Add(c with { Name = c.Name + " wrong root", Root = Flip(c.Root, 31) });
            // A non-existence proof for a present key: reuse this proof's neighbour as the key.
            var neighbour = c.Proof.Nonexist.Left ?? c.Proof.Nonexist.Right;
            tampered.Add(c with { Name = c.Name + " for a present key", Key = neighbour.Key.ToByteArray() });
        }

        var reference = ReferenceIcs23Verifier.Verify(tampered.Select(c => c.Reference()));
        Assert.All(tampered.Zip(reference), pair =>
        {
            Assert.False(pair.First.Ours(), $"we accepted {pair.First.Name}");
            Assert.False(pair.Second, $"reference accepted {pair.First.Name}");
        });
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        var copy = (byte[])bytes.Clone();
        copy[index] ^= 0x01;
        return copy;
    }
}
