using DePinChain.Protos.Ics23;
using DePinChain.Store.Proofs;
using Google.Protobuf;

namespace DePinChain.Store.Tests.Proofs;

public class Ics23VerifierTests
{
    public static TheoryData<string, string> Vectors()
    {
        var data = new TheoryData<string, string>();
        foreach (var spec in new[] { "iavl", "tendermint" })
        {
            foreach (var name in Ics23TestVectors.Names) data.Add(spec, name);
        }
        return data;
    }

    public static TheoryData<string> TamperedNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Ics23TestVectors.Tampered()) data.Add(c.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Official_vectors_verify(string spec, string name)
    {
        var vector = Ics23TestVectors.Load(spec, name);

        var result = vector.VerifyWithOurs();

        Assert.True(result.IsValid, result.Error);
    }

    [Theory]
    [MemberData(nameof(TamperedNames))]
    public void Tampered_vectors_are_rejected(string tamperedName)
    {
        var tampered = Ics23TestVectors.Tampered().Single(c => c.Name == tamperedName);

        var result = tampered.VerifyWithOurs();

        Assert.False(result.IsValid);
        Assert.False(string.IsNullOrEmpty(result.Error));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Vectors_do_not_verify_under_the_other_spec(string spec, string name)
    {
        var vector = Ics23TestVectors.Load(spec, name);
        var other = vector with { Spec = spec == "iavl" ? "tendermint" : "iavl" };

        Assert.False(other.VerifyWithOurs().IsValid);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void The_calculated_root_of_a_vector_is_its_root(string spec, string name)
    {
        var vector = Ics23TestVectors.Load(spec, name);

        Assert.True(Ics23Verifier.TryCalculateRoot(vector.Parsed, out var root, out var error), error);
        Assert.Equal(vector.Root, root);
    }

    [Fact]
    public void A_membership_proof_does_not_prove_non_membership_and_vice_versa()
    {
        var exist = Ics23TestVectors.Load("iavl", "exist_middle");
        var nonExist = Ics23TestVectors.Load("iavl", "nonexist_middle");

        Assert.False(Ics23Verifier.VerifyNonMembership(ProofSpecs.Iavl, exist.Root, exist.Parsed, exist.Key).IsValid);
        Assert.False(Ics23Verifier.VerifyMembership(ProofSpecs.Iavl, nonExist.Root, nonExist.Parsed, nonExist.Key, [1]).IsValid);
    }

    [Fact]
    public void Batch_and_compressed_batch_proofs_verify_each_entry()
    {
        var vectors = Ics23TestVectors.Names.Select(n => Ics23TestVectors.Load("iavl", n)).ToList();
        var batch = new BatchProof();
        foreach (var v in vectors)
        {
            var parsed = v.Parsed;
            batch.Entries.Add(parsed.ProofCase == CommitmentProof.ProofOneofCase.Exist
                ? new BatchEntry { Exist = parsed.Exist }
                : new BatchEntry { Nonexist = parsed.Nonexist });
        }
        var batchProof = new CommitmentProof { Batch = batch };
        var compressedProof = Compress(batch);

        foreach (var proof in new[] { batchProof, compressedProof })
        {
            foreach (var v in vectors)
            {
                var result = v.Value is null
                    ? Ics23Verifier.VerifyNonMembership(ProofSpecs.Iavl, v.Root, proof, v.Key)
                    : Ics23Verifier.VerifyMembership(ProofSpecs.Iavl, v.Root, proof, v.Key, v.Value);
                Assert.True(result.IsValid, $"{v.Name}: {result.Error}");
                Assert.False(Ics23Verifier.VerifyMembership(ProofSpecs.Iavl, Ics23TestVectors.Flip(v.Root, 0), proof, v.Key, v.Value ?? [1]).IsValid);
            }
        }
        var reference = ReferenceIcs23Verifier.Verify(vectors.Select(v => ReferenceProofCase.Iavl(v.Root, compressedProof.ToByteArray(), v.Key, v.Value)));
        Assert.All(reference, Assert.True);
    }

    [Fact]
    public void A_compressed_path_index_outside_the_lookup_table_is_rejected()
    {
        var vector = Ics23TestVectors.Load("iavl", "exist_left");
        var compressed = Compress(new BatchProof { Entries = { new BatchEntry { Exist = vector.Parsed.Exist } } });
        compressed.Compressed.Entries[0].Exist.Path.Add(compressed.Compressed.LookupInners.Count);

        var result = Ics23Verifier.VerifyMembership(ProofSpecs.Iavl, vector.Root, compressed, vector.Key, vector.Value!);

        Assert.False(result.IsValid);
        Assert.Contains("lookup", result.Error);
    }

    [Fact]
    public void An_inner_op_carrying_the_leaf_prefix_is_rejected()
    {
        var vector = Ics23TestVectors.Load("tendermint", "exist_left");
        var proof = vector.Parsed;
        proof.Exist.Path[0].Prefix = ByteString.CopyFrom(0x00);

        var result = Ics23Verifier.VerifyMembership(ProofSpecs.Tendermint, vector.Root, proof, vector.Key, vector.Value!);

        Assert.False(result.IsValid);
        Assert.Contains("leaf prefix", result.Error);
    }

    [Theory]
    [InlineData("hash", "unexpected hash op")]
    [InlineData("prehash_key", "unexpected prehash key")]
    [InlineData("prehash_value", "unexpected prehash value")]
    [InlineData("length", "unexpected length op")]
    [InlineData("prefix", "prefix doesn't start with 00")]
    public void A_leaf_op_that_differs_from_the_spec_is_rejected_for_that_reason(string field, string reason)
    {
        var vector = Ics23TestVectors.Load("tendermint", "exist_middle");
        var proof = vector.Parsed;
        var leaf = proof.Exist.Leaf;
        switch (field)
        {
            case "hash": leaf.Hash = HashOp.Sha512; break;
            case "prehash_key": leaf.PrehashKey = HashOp.Sha256; break;
            case "prehash_value": leaf.PrehashValue = HashOp.NoHash; break;
            case "length": leaf.Length = LengthOp.NoPrefix; break;
            case "prefix": leaf.Prefix = ByteString.CopyFrom(0x01); break;
        }

        var result = Ics23Verifier.VerifyMembership(ProofSpecs.Tendermint, vector.Root, proof, vector.Key, vector.Value!);

        Assert.False(result.IsValid);
        Assert.Contains(reason, result.Error);
    }

    [Fact]
    public void Iavl_inner_prefixes_must_be_iavl_shaped()
    {
        var vector = Ics23TestVectors.Load("iavl", "exist_left");
        var proof = vector.Parsed;
        // A height below the node's layer, as a forged inner op would have.
        var prefix = proof.Exist.Path[3].Prefix.ToByteArray();
        prefix[0] = 0x02;
        proof.Exist.Path[3].Prefix = ByteString.CopyFrom(prefix);

        var result = Ics23Verifier.VerifyMembership(ProofSpecs.Iavl, vector.Root, proof, vector.Key, vector.Value!);

        Assert.False(result.IsValid);
        Assert.Contains("IAVL", result.Error);
    }

    [Fact]
    public void Depth_limits_of_the_spec_apply()
    {
        var vector = Ics23TestVectors.Load("iavl", "exist_left");
        var shallow = ProofSpecs.Iavl;
        shallow.MaxDepth = 3;
        var deep = ProofSpecs.Iavl;
        deep.MinDepth = 40;

        var tooLong = Ics23Verifier.VerifyMembership(shallow, vector.Root, vector.Parsed, vector.Key, vector.Value!);
        var tooShort = Ics23Verifier.VerifyMembership(deep, vector.Root, vector.Parsed, vector.Key, vector.Value!);

        Assert.Contains("too long", tooLong.Error);
        Assert.Contains("too short", tooShort.Error);
    }

    [Fact]
    public void Empty_keys_and_values_cannot_be_proven()
    {
        var vector = Ics23TestVectors.Load("iavl", "exist_left");
        var emptyValue = vector.Parsed;
        emptyValue.Exist.Value = ByteString.Empty;

        Assert.False(Ics23Verifier.VerifyMembership(ProofSpecs.Iavl, vector.Root, emptyValue, vector.Key, []).IsValid);
        Assert.False(Ics23Verifier.TryCalculateRoot(emptyValue.Exist, out _, out var error));
        Assert.Contains("needs value", error);
    }

    [Fact]
    public void Malformed_proofs_are_rejected_without_exceptions()
    {
        var vector = Ics23TestVectors.Load("iavl", "nonexist_middle");
        CommitmentProof[] malformed =
        [
            new(),
            new() { Exist = new ExistenceProof { Key = ByteString.CopyFrom(vector.Key) } },
            new() { Nonexist = new NonExistenceProof { Key = ByteString.CopyFrom(vector.Key) } },
            new() { Batch = new BatchProof() },
            new() { Batch = new BatchProof { Entries = { new BatchEntry() } } },
            new() { Compressed = new CompressedBatchProof { Entries = { new CompressedBatchEntry() } } },
            new() { Nonexist = new NonExistenceProof { Left = new ExistenceProof { Key = ByteString.CopyFrom(0), Value = ByteString.CopyFrom(1), Leaf = new LeafOp(), Path = { new InnerOp() } } } },
        ];

        foreach (var proof in malformed)
        {
            Assert.False(Ics23Verifier.VerifyMembership(ProofSpecs.Iavl, vector.Root, proof, vector.Key, [1]).IsValid);
            Assert.False(Ics23Verifier.VerifyNonMembership(ProofSpecs.Iavl, vector.Root, proof, vector.Key).IsValid);
            Assert.False(Ics23Verifier.VerifyNonMembership(ProofSpecs.Tendermint, vector.Root, proof, [0]).IsValid);
        }
        Assert.False(Ics23Verifier.VerifyMembership(ProofSpecs.Iavl, vector.Root, null, vector.Key, [1]).IsValid);
        Assert.False(Ics23Verifier.TryCalculateRoot(new CommitmentProof(), out _, out _));
    }

    [Fact]
    public void Random_bytes_as_proofs_never_throw()
    {
        var random = new Random(23);
        var vector = Ics23TestVectors.Load("iavl", "exist_middle");
        var original = vector.Proof;
        for (var i = 0; i < 300; i++)
        {
            var bytes = (byte[])original.Clone();
            for (var j = 0; j < 3; j++) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            CommitmentProof proof;
            try { proof = CommitmentProof.Parser.ParseFrom(bytes); }
            catch (InvalidProtocolBufferException) { continue; }

            var membership = Ics23Verifier.VerifyMembership(ProofSpecs.Iavl, vector.Root, proof, vector.Key, vector.Value!);
            var nonMembership = Ics23Verifier.VerifyNonMembership(ProofSpecs.Iavl, vector.Root, proof, vector.Key);

            Assert.False(nonMembership.IsValid);
            if (membership.IsValid) Assert.Equal(original, proof.ToByteArray());
        }
    }

    [Fact]
    public void The_specs_have_the_reference_values()
    {
        var iavl = ProofSpecs.Iavl;
        var tendermint = ProofSpecs.Tendermint;

        foreach (var spec in new[] { iavl, tendermint })
        {
            Assert.Equal([0x00], spec.LeafSpec.Prefix.ToByteArray());
            Assert.Equal(HashOp.NoHash, spec.LeafSpec.PrehashKey);
            Assert.Equal(HashOp.Sha256, spec.LeafSpec.PrehashValue);
            Assert.Equal(HashOp.Sha256, spec.LeafSpec.Hash);
            Assert.Equal(LengthOp.VarProto, spec.LeafSpec.Length);
            Assert.Equal([0, 1], spec.InnerSpec.ChildOrder);
            Assert.Equal(HashOp.Sha256, spec.InnerSpec.Hash);
            Assert.True(spec.InnerSpec.EmptyChild.IsEmpty);
            Assert.Equal(0, spec.MaxDepth);
            Assert.Equal(0, spec.MinDepth);
            Assert.False(spec.PrehashKeyBeforeComparison);
        }
        Assert.Equal((4, 12, 33), (iavl.InnerSpec.MinPrefixLength, iavl.InnerSpec.MaxPrefixLength, iavl.InnerSpec.ChildSize));
        Assert.Equal((1, 1, 32), (tendermint.InnerSpec.MinPrefixLength, tendermint.InnerSpec.MaxPrefixLength, tendermint.InnerSpec.ChildSize));
        Assert.NotSame(ProofSpecs.Iavl, ProofSpecs.Iavl);
    }

    /// <summary>The reference's compression: every distinct inner op once in a lookup table, paths as indexes.</summary>
    private static CommitmentProof Compress(BatchProof batch)
    {
        var compressed = new CompressedBatchProof();
        var index = new Dictionary<ByteString, int>();
        CompressedExistenceProof Squeeze(ExistenceProof proof)
        {
            var result = new CompressedExistenceProof { Key = proof.Key, Value = proof.Value, Leaf = proof.Leaf };
            foreach (var step in proof.Path)
            {
                var bytes = step.ToByteString();
                if (!index.TryGetValue(bytes, out var i))
                {
                    i = compressed.LookupInners.Count;
                    index[bytes] = i;
                    compressed.LookupInners.Add(step);
                }
                result.Path.Add(i);
            }
            return result;
        }
        foreach (var entry in batch.Entries)
        {
            compressed.Entries.Add(entry.ProofCase == BatchEntry.ProofOneofCase.Exist
                ? new CompressedBatchEntry { Exist = Squeeze(entry.Exist) }
                : new CompressedBatchEntry
                {
                    Nonexist = new CompressedNonExistenceProof
                    {
                        Key = entry.Nonexist.Key,
                        Left = entry.Nonexist.Left is null ? null : Squeeze(entry.Nonexist.Left),
                        Right = entry.Nonexist.Right is null ? null : Squeeze(entry.Nonexist.Right),
                    },
                });
        }
        return new CommitmentProof { Compressed = compressed };
    }
}
