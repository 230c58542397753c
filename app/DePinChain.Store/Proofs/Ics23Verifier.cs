using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using DePinChain.Protos.Ics23;
using Google.Protobuf;
using Google.Protobuf.Collections;

namespace DePinChain.Store.Proofs;

/// <summary>The outcome of a proof check: valid, or invalid with the first reason found.</summary>
public readonly record struct Ics23Result(bool IsValid, string? Error)
{
    public static Ics23Result Valid => new(true, null);

    public static Ics23Result Invalid(string error) => new(false, error);

    public static implicit operator bool(Ics23Result result) => result.IsValid;

    public override string ToString() => IsValid ? "valid" : $"invalid: {Error}";
}

/// <summary>
/// ICS-23 proof verification with the checks of the cosmos/ics23 reference (Go v0.11): the leaf and every inner
/// op must match the spec (hash ops, length op, leaf prefix, inner prefix lengths, inner prefixes must not start
/// with the leaf prefix, suffix a multiple of the child size, depth limits with 128 when the spec leaves the
/// maximum at 0, and for IavlSpec the structure of IAVL's varint prefixes); non-existence proofs need their
/// neighbours to be adjacent (left/right-most paths, one step apart at the split, by child order and padding).
/// Malformed input gives an invalid result, never an exception.
/// Supported hash ops: SHA-256 and SHA-512 (anything else is rejected as unsupported).
/// </summary>
public static class Ics23Verifier
{
    public const string IavlProofType = "ics23:iavl";
    public const string SimpleProofType = "ics23:simple";

    /// <summary>The depth cosmos/ics23 (v0.11) assumes when a spec's max_depth is 0.</summary>
    public const int DefaultMaxDepth = 128;

    /// <summary>
    /// True when <paramref name="proof"/> holds an existence proof for <paramref name="key"/> → <paramref name="value"/>
    /// (directly, in a batch, or compressed) that matches <paramref name="spec"/> and hashes to <paramref name="root"/>.
    /// </summary>
    public static Ics23Result VerifyMembership(ProofSpec spec, ReadOnlySpan<byte> root, CommitmentProof? proof, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(spec);
        try
        {
            if (proof is null) return Ics23Result.Invalid("no proof");
            var existence = FindExistence(Decompress(proof), key)
                ?? throw new ProofException("the proof holds no existence proof for this key");
            VerifyExistence(existence, spec, root, key, value);
            return Ics23Result.Valid;
        }
        catch (Exception e)
        {
            return Ics23Result.Invalid(Describe(e));
        }
    }

    /// <summary>
    /// True when <paramref name="proof"/> holds a non-existence proof for <paramref name="key"/>: valid existence
    /// proofs of the neighbours around it (or of the first/last key when the key is outside the range), which
    /// are adjacent in the tree, under <paramref name="spec"/> and <paramref name="root"/>.
    /// </summary>
    public static Ics23Result VerifyNonMembership(ProofSpec spec, ReadOnlySpan<byte> root, CommitmentProof? proof, ReadOnlySpan<byte> key)
    {
        ArgumentNullException.ThrowIfNull(spec);
        try
        {
            if (proof is null) return Ics23Result.Invalid("no proof");
            var nonExistence = FindNonExistence(Decompress(proof), key)
                ?? throw new ProofException("the proof holds no non-existence proof around this key");
            VerifyNonExistence(nonExistence, spec, root, key);
            return Ics23Result.Valid;
        }
        catch (Exception e)
        {
            return Ics23Result.Invalid(Describe(e));
        }
    }

    /// <summary>
    /// The Cosmos two-step check of an ABCI query proof: <paramref name="ops"/>[0] (<c>ics23:iavl</c>, IavlSpec)
    /// proves <paramref name="key"/> → <paramref name="value"/> (or, when <paramref name="value"/> is null, its
    /// absence) under the root of store <paramref name="storeName"/>; <paramref name="ops"/>[1] (<c>ics23:simple</c>,
    /// TendermintSpec) proves storeName → that root under <paramref name="appHash"/>. This is what ibc-go's
    /// MerkleProof verification and the SDK's proof runtime do.
    /// </summary>
    public static Ics23Result VerifyChain(IReadOnlyList<ProofOp>? ops, byte[] appHash, string storeName, byte[] key, byte[]? value)
    {
        ArgumentNullException.ThrowIfNull(appHash);
        ArgumentNullException.ThrowIfNull(storeName);
        ArgumentNullException.ThrowIfNull(key);
        if (ops is null || ops.Count != 2)
            return Ics23Result.Invalid($"expected 2 proof ops ({IavlProofType}, {SimpleProofType}), got {ops?.Count ?? 0}");
        var (storeOp, rootOp) = (ops[0], ops[1]);
        if (storeOp is null || rootOp is null) return Ics23Result.Invalid("missing proof op");
        if (storeOp.Type != IavlProofType) return Ics23Result.Invalid($"first proof op is '{storeOp.Type}', expected {IavlProofType}");
        if (rootOp.Type != SimpleProofType) return Ics23Result.Invalid($"second proof op is '{rootOp.Type}', expected {SimpleProofType}");
        var storeNameBytes = Encoding.UTF8.GetBytes(storeName);
        if (storeOp.Key is null || !key.SequenceEqual(storeOp.Key)) return Ics23Result.Invalid("the store proof op is for another key");
        if (rootOp.Key is null || !storeNameBytes.AsSpan().SequenceEqual(rootOp.Key)) return Ics23Result.Invalid("the multistore proof op is for another store");

        if (!TryParse(storeOp.Data, out var storeProof)) return Ics23Result.Invalid("the store proof is not a CommitmentProof");
        if (!TryParse(rootOp.Data, out var rootProof)) return Ics23Result.Invalid("the multistore proof is not a CommitmentProof");

        if (!TryCalculateRoot(storeProof, out var storeRoot, out var error)) return Ics23Result.Invalid($"store proof: {error}");
        var storeCheck = value is null
            ? VerifyNonMembership(ProofSpecs.Iavl, storeRoot, storeProof, key)
            : VerifyMembership(ProofSpecs.Iavl, storeRoot, storeProof, key, value);
        if (!storeCheck) return Ics23Result.Invalid($"store proof: {storeCheck.Error}");

        if (rootProof.ProofCase != CommitmentProof.ProofOneofCase.Exist)
            return Ics23Result.Invalid("the multistore proof must be an existence proof");
        if (!TryCalculateRoot(rootProof, out var appRoot, out error)) return Ics23Result.Invalid($"multistore proof: {error}");
        var rootCheck = VerifyMembership(ProofSpecs.Tendermint, appRoot, rootProof, storeNameBytes, storeRoot);
        if (!rootCheck) return Ics23Result.Invalid($"multistore proof: {rootCheck.Error}");

        return appHash.AsSpan().SequenceEqual(appRoot)
            ? Ics23Result.Valid
            : Ics23Result.Invalid($"the proof leads to app hash {Convert.ToHexString(appRoot)}, not {Convert.ToHexString(appHash)}");
    }

    /// <summary>
    /// The root an existence proof hashes to, without checking it against a spec (the reference's
    /// <c>ExistenceProof.Calculate</c>). Verify against a spec before trusting it.
    /// </summary>
    public static bool TryCalculateRoot(ExistenceProof? proof, [NotNullWhen(true)] out byte[]? root, out string? error)
    {
        try
        {
            if (proof is null) throw new ProofException("no proof");
            root = Calculate(proof, spec: null);
            error = null;
            return true;
        }
        catch (Exception e)
        {
            root = null;
            error = Describe(e);
            return false;
        }
    }

    /// <summary>
    /// The root of the first existence proof in <paramref name="proof"/> (for a non-existence proof: its left
    /// neighbour, else its right one; for a batch: its first entry), as the reference's
    /// <c>CommitmentProof.Calculate</c>.
    /// </summary>
    public static bool TryCalculateRoot(CommitmentProof? proof, [NotNullWhen(true)] out byte[]? root, out string? error)
    {
        try
        {
            if (proof is null) throw new ProofException("no proof");
            var existence = FirstExistence(Decompress(proof));
            return TryCalculateRoot(existence, out root, out error);
        }
        catch (Exception e)
        {
            root = null;
            error = Describe(e);
            return false;
        }
    }

    // Verification runs on untrusted input: whatever goes wrong inside is an invalid proof, never a crash.
    private static string Describe(Exception e)
        => e is ProofException ? e.Message : $"malformed proof ({e.GetType().Name}: {e.Message})";

    private static bool TryParse(byte[]? data, [NotNullWhen(true)] out CommitmentProof? proof)
    {
        proof = null;
        if (data is null) return false;
        try
        {
            proof = CommitmentProof.Parser.ParseFrom(data);
            return true;
        }
        catch (InvalidProtocolBufferException)
        {
            return false;
        }
    }

    // ---- Locating the sub-proof for a key -------------------------------------------------------------------

    private static ExistenceProof FirstExistence(CommitmentProof proof)
    {
        switch (proof.ProofCase)
        {
            case CommitmentProof.ProofOneofCase.Exist:
                return proof.Exist;
            case CommitmentProof.ProofOneofCase.Nonexist:
                return proof.Nonexist.Left ?? proof.Nonexist.Right
                    ?? throw new ProofException("non-existence proof has neither a left nor a right proof");
            case CommitmentProof.ProofOneofCase.Batch:
                if (proof.Batch.Entries.Count == 0 || proof.Batch.Entries[0] is null) throw new ProofException("batch proof has no entries");
                var first = proof.Batch.Entries[0];
                return first.ProofCase switch
                {
                    BatchEntry.ProofOneofCase.Exist => first.Exist,
                    BatchEntry.ProofOneofCase.Nonexist => first.Nonexist.Left ?? first.Nonexist.Right
                        ?? throw new ProofException("non-existence proof has neither a left nor a right proof"),
                    _ => throw new ProofException("batch entry is empty"),
                };
            default:
                throw new ProofException("unrecognized proof type");
        }
    }

    private static ExistenceProof? FindExistence(CommitmentProof proof, ReadOnlySpan<byte> key)
    {
        if (proof.ProofCase == CommitmentProof.ProofOneofCase.Exist)
            return key.SequenceEqual(proof.Exist.Key.Span) ? proof.Exist : null;
        if (proof.ProofCase == CommitmentProof.ProofOneofCase.Batch)
        {
            foreach (var entry in proof.Batch.Entries)
            {
                if (entry?.ProofCase == BatchEntry.ProofOneofCase.Exist && key.SequenceEqual(entry.Exist.Key.Span)) return entry.Exist;
            }
        }
        return null;
    }

    private static NonExistenceProof? FindNonExistence(CommitmentProof proof, ReadOnlySpan<byte> key)
    {
        if (proof.ProofCase == CommitmentProof.ProofOneofCase.Nonexist)
            return Brackets(proof.Nonexist, key) ? proof.Nonexist : null;
        if (proof.ProofCase == CommitmentProof.ProofOneofCase.Batch)
        {
            foreach (var entry in proof.Batch.Entries)
            {
                if (entry?.ProofCase == BatchEntry.ProofOneofCase.Nonexist && Brackets(entry.Nonexist, key)) return entry.Nonexist;
            }
        }
        return null;

        static bool Brackets(NonExistenceProof proof, ReadOnlySpan<byte> key)
            => (proof.Left is null || proof.Left.Key.Span.SequenceCompareTo(key) < 0)
            && (proof.Right is null || proof.Right.Key.Span.SequenceCompareTo(key) > 0);
    }

    /// <summary>Expands a compressed batch (inner ops referenced by index into a lookup table); other proofs pass through.</summary>
    private static CommitmentProof Decompress(CommitmentProof proof)
    {
        if (proof.ProofCase != CommitmentProof.ProofOneofCase.Compressed) return proof;
        var compressed = proof.Compressed;
        var batch = new BatchProof();
        foreach (var entry in compressed.Entries)
        {
            batch.Entries.Add(entry?.ProofCase switch
            {
                CompressedBatchEntry.ProofOneofCase.Exist => new BatchEntry { Exist = Expand(entry.Exist, compressed.LookupInners) },
                CompressedBatchEntry.ProofOneofCase.Nonexist => new BatchEntry
                {
                    Nonexist = new NonExistenceProof
                    {
                        Key = entry.Nonexist.Key,
                        Left = entry.Nonexist.Left is null ? null : Expand(entry.Nonexist.Left, compressed.LookupInners),
                        Right = entry.Nonexist.Right is null ? null : Expand(entry.Nonexist.Right, compressed.LookupInners),
                    },
                },
                _ => throw new ProofException("compressed batch entry is empty"),
            });
        }
        return new CommitmentProof { Batch = batch };

        static ExistenceProof Expand(CompressedExistenceProof proof, RepeatedField<InnerOp> lookup)
        {
            var expanded = new ExistenceProof { Key = proof.Key, Value = proof.Value, Leaf = proof.Leaf };
            foreach (var index in proof.Path)
            {
                if (index < 0 || index >= lookup.Count) throw new ProofException($"compressed path index {index} outside the lookup table");
                expanded.Path.Add(lookup[index]);
            }
            return expanded;
        }
    }

    // ---- Existence and non-existence ------------------------------------------------------------------------

    private static void VerifyExistence(ExistenceProof proof, ProofSpec spec, ReadOnlySpan<byte> root, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        CheckAgainstSpec(proof, spec);
        if (!key.SequenceEqual(proof.Key.Span)) throw new ProofException("provided key doesn't match proof");
        if (!value.SequenceEqual(proof.Value.Span)) throw new ProofException("provided value doesn't match proof");
        var calculated = Calculate(proof, spec);
        if (!root.SequenceEqual(calculated)) throw new ProofException("calculated root doesn't match provided root");
    }

    private static void VerifyNonExistence(NonExistenceProof proof, ProofSpec spec, ReadOnlySpan<byte> root, ReadOnlySpan<byte> key)
    {
        var (left, right) = (proof.Left, proof.Right);
        if (left is null && right is null) throw new ProofException("both left and right proofs missing");
        if (left is not null)
        {
            try { VerifyExistence(left, spec, root, left.Key.Span, left.Value.Span); }
            catch (ProofException e) { throw new ProofException($"left proof, {e.Message}"); }
        }
        if (right is not null)
        {
            try { VerifyExistence(right, spec, root, right.Key.Span, right.Value.Span); }
            catch (ProofException e) { throw new ProofException($"right proof, {e.Message}"); }
        }

        var compareKey = KeyForComparison(spec, key);
        if (right is not null && compareKey.AsSpan().SequenceCompareTo(KeyForComparison(spec, right.Key.Span)) >= 0)
            throw new ProofException("key is not left of right proof");
        if (left is not null && compareKey.AsSpan().SequenceCompareTo(KeyForComparison(spec, left.Key.Span)) <= 0)
            throw new ProofException("key is not right of left proof");

        var inner = spec.InnerSpec;
        if (left is null)
        {
            if (!IsLeftMost(inner, right!.Path, 0, right.Path.Count)) throw new ProofException("left proof missing, right proof must be left-most");
        }
        else if (right is null)
        {
            if (!IsRightMost(inner, left.Path, 0, left.Path.Count)) throw new ProofException("right proof missing, left proof must be right-most");
        }
        else if (!IsLeftNeighbor(inner, left.Path, right.Path))
        {
            throw new ProofException("left and right proofs are not neighbours");
        }
    }

    private static byte[] KeyForComparison(ProofSpec spec, ReadOnlySpan<byte> key)
        => spec.PrehashKeyBeforeComparison ? HashOrNoop(spec.LeafSpec.PrehashKey, key) : key.ToArray();

    // ---- Hashing --------------------------------------------------------------------------------------------

    private static byte[] Calculate(ExistenceProof proof, ProofSpec? spec)
    {
        if (proof.Leaf is null) throw new ProofException("existence proof needs a defined LeafOp");
        var result = ApplyLeaf(proof.Leaf, proof.Key.Span, proof.Value.Span);
        foreach (var step in proof.Path)
        {
            if (step is null) throw new ProofException("inner op is missing");
            result = ApplyInner(step, result);
            // A hash longer than a child slot could smuggle extra bytes into the parent's preimage.
            if (spec is not null && result.Length > spec.InnerSpec.ChildSize && spec.InnerSpec.ChildSize >= 32)
                throw new ProofException("inner op produced a hash longer than the spec's child size");
        }
        return result;
    }

    private static byte[] ApplyLeaf(LeafOp op, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (key.IsEmpty) throw new ProofException("leaf op needs key");
        if (value.IsEmpty) throw new ProofException("leaf op needs value");
        var preparedKey = PrepareLeafData(op.PrehashKey, op.Length, key);
        var preparedValue = PrepareLeafData(op.PrehashValue, op.Length, value);
        return Hash(op.Hash, Concat(op.Prefix.Span, preparedKey, preparedValue));
    }

    private static byte[] ApplyInner(InnerOp op, ReadOnlySpan<byte> child)
    {
        if (child.IsEmpty) throw new ProofException("inner op needs child value");
        return Hash(op.Hash, Concat(op.Prefix.Span, child, op.Suffix.Span));
    }

    private static byte[] PrepareLeafData(HashOp prehash, LengthOp length, ReadOnlySpan<byte> data)
        => ApplyLength(length, HashOrNoop(prehash, data));

    private static byte[] HashOrNoop(HashOp op, ReadOnlySpan<byte> data) => op == HashOp.NoHash ? data.ToArray() : Hash(op, data);

    private static byte[] Hash(HashOp op, ReadOnlySpan<byte> data) => op switch
    {
        HashOp.Sha256 => Sha256(data),
        HashOp.Sha512 => SHA512.HashData(data),
        _ => throw new ProofException($"unsupported hash op {op}"),
    };

    // A proof hashes ~20 short messages; SHA256.HashData's one-shot EVP context costs several times the hashing there
    // (an IBC relayer tx verifies one proof per packet), so short inputs take the tree's low-level libcrypto path.
    private static byte[] Sha256(ReadOnlySpan<byte> data)
    {
        var digest = new byte[32];
        if (!(Iavl.Sha256Native.IsAvailable && data.Length <= Iavl.Sha256Native.MaxLength && Iavl.Sha256Native.TryHash(data, digest)))
            SHA256.HashData(data, digest);
        return digest;
    }

    private static byte[] ApplyLength(LengthOp op, byte[] data)
    {
        switch (op)
        {
            case LengthOp.NoPrefix:
                return data;
            case LengthOp.VarProto:
                Span<byte> varint = stackalloc byte[10];
                var n = 0;
                var length = (ulong)data.Length;
                while (length >= 0x80)
                {
                    varint[n++] = (byte)(length | 0x80);
                    length >>= 7;
                }
                varint[n++] = (byte)length;
                return Concat(varint[..n], data, []);
            case LengthOp.Require32Bytes:
                if (data.Length != 32) throw new ProofException($"data was {data.Length} bytes, not 32");
                return data;
            case LengthOp.Require64Bytes:
                if (data.Length != 64) throw new ProofException($"data was {data.Length} bytes, not 64");
                return data;
            case LengthOp.Fixed32Little:
                var prefixed = new byte[4 + data.Length];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(prefixed, (uint)data.Length);
                data.CopyTo(prefixed, 4);
                return prefixed;
            default:
                throw new ProofException($"unsupported length op {op}");
        }
    }

    private static byte[] Concat(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c)
    {
        var result = new byte[a.Length + b.Length + c.Length];
        a.CopyTo(result);
        b.CopyTo(result.AsSpan(a.Length));
        c.CopyTo(result.AsSpan(a.Length + b.Length));
        return result;
    }

    // ---- Spec conformance -----------------------------------------------------------------------------------

    private static void CheckAgainstSpec(ExistenceProof proof, ProofSpec spec)
    {
        if (spec.LeafSpec is null || spec.InnerSpec is null) throw new ProofException("spec needs a leaf spec and an inner spec");
        if (proof.Leaf is null) throw new ProofException("existence proof needs a defined LeafOp");
        var iavl = IsIavlSpec(spec);
        CheckLeaf(proof.Leaf, spec, iavl);

        var depth = proof.Path.Count;
        if (spec.MinDepth > 0 && depth < spec.MinDepth) throw new ProofException($"innerOps depth too short: {depth}");
        var maxDepth = spec.MaxDepth > 0 ? spec.MaxDepth : DefaultMaxDepth;
        if (depth > maxDepth) throw new ProofException($"innerOps depth too long: {depth}");

        for (var i = 0; i < depth; i++)
        {
            var step = proof.Path[i] ?? throw new ProofException("inner op is missing");
            CheckInner(step, spec, layer: i + 1, iavl);
        }
    }

    private static void CheckLeaf(LeafOp op, ProofSpec spec, bool iavl)
    {
        var expected = spec.LeafSpec;
        if (iavl) ValidateIavlPrefix(op.Prefix.Span, op.Hash, layer: 0);
        if (op.Hash != expected.Hash) throw new ProofException($"leaf: unexpected hash op {op.Hash}");
        if (op.PrehashKey != expected.PrehashKey) throw new ProofException($"leaf: unexpected prehash key {op.PrehashKey}");
        if (op.PrehashValue != expected.PrehashValue) throw new ProofException($"leaf: unexpected prehash value {op.PrehashValue}");
        if (op.Length != expected.Length) throw new ProofException($"leaf: unexpected length op {op.Length}");
        if (!op.Prefix.Span.StartsWith(expected.Prefix.Span)) throw new ProofException($"leaf: prefix doesn't start with {Convert.ToHexString(expected.Prefix.Span)}");
    }

    private static void CheckInner(InnerOp op, ProofSpec spec, int layer, bool iavl)
    {
        var inner = spec.InnerSpec;
        if (op.Hash != inner.Hash) throw new ProofException($"inner: unexpected hash op {op.Hash}");
        if (iavl) ValidateIavlPrefix(op.Prefix.Span, op.Hash, layer);
        // Domain separation: an inner node must never be mistaken for a leaf.
        if (op.Prefix.Span.StartsWith(spec.LeafSpec.Prefix.Span)) throw new ProofException($"inner: prefix starts with the leaf prefix {Convert.ToHexString(spec.LeafSpec.Prefix.Span)}");
        if (op.Prefix.Length < inner.MinPrefixLength) throw new ProofException($"inner: prefix too short ({op.Prefix.Length})");
        var maxLeftChildBytes = (long)(inner.ChildOrder.Count - 1) * inner.ChildSize;
        if (op.Prefix.Length > inner.MaxPrefixLength + maxLeftChildBytes) throw new ProofException($"inner: prefix too long ({op.Prefix.Length})");
        if (inner.ChildSize <= 0) throw new ProofException("spec: child size must be >= 1");
        if (inner.MaxPrefixLength >= (long)inner.MinPrefixLength + inner.ChildSize) throw new ProofException("spec: max prefix length must be < min prefix length + child size");
        if (op.Suffix.Length % inner.ChildSize != 0) throw new ProofException("inner: suffix is not a multiple of the child size");
    }

    /// <summary>Equality as the reference defines it for "this is IavlSpec" (it deliberately over-declares).</summary>
    private static bool IsIavlSpec(ProofSpec spec)
    {
        var iavl = ProofSpecs.Iavl;
        return spec.LeafSpec.Hash == iavl.LeafSpec.Hash
            && spec.LeafSpec.PrehashKey == iavl.LeafSpec.PrehashKey
            && spec.LeafSpec.PrehashValue == iavl.LeafSpec.PrehashValue
            && spec.LeafSpec.Length == iavl.LeafSpec.Length
            && spec.InnerSpec.Hash == iavl.InnerSpec.Hash
            && spec.InnerSpec.MinPrefixLength == iavl.InnerSpec.MinPrefixLength
            && spec.InnerSpec.MaxPrefixLength == iavl.InnerSpec.MaxPrefixLength
            && spec.InnerSpec.ChildSize == iavl.InnerSpec.ChildSize
            && spec.InnerSpec.ChildOrder.Count == iavl.InnerSpec.ChildOrder.Count;
    }

    /// <summary>
    /// IAVL prefixes are height, size and version as zig-zag varints (all non-negative, height at least the
    /// layer), then nothing for a leaf, or for an inner node the child's length byte (child on the left: 1 byte
    /// left) or the left child's length-prefixed hash plus the child's length byte (child on the right: 34 bytes).
    /// </summary>
    private static void ValidateIavlPrefix(ReadOnlySpan<byte> prefix, HashOp hash, int layer)
    {
        long height = 0;
        for (var i = 0; i < 3; i++)
        {
            var value = ReadZigZagVarint(ref prefix);
            if (value < 0) throw new ProofException("wrong value in IAVL op prefix");
            if (i == 0) height = value;
        }
        if (height < layer) throw new ProofException("wrong value in IAVL op prefix");
        var rest = prefix.Length;
        if (layer == 0)
        {
            if (rest != 0) throw new ProofException("invalid IAVL leaf op prefix");
        }
        else
        {
            if (rest != 1 && rest != 34) throw new ProofException("invalid IAVL inner op prefix");
            if (hash != HashOp.Sha256) throw new ProofException("invalid IAVL inner op hash");
        }
    }

    private static long ReadZigZagVarint(ref ReadOnlySpan<byte> data)
    {
        ulong result = 0;
        for (var i = 0; ; i++)
        {
            if (i >= data.Length) throw new ProofException("truncated varint in IAVL op prefix");
            if (i == 10) throw new ProofException("varint overflow in IAVL op prefix");
            var b = data[i];
            if (i == 9 && b > 1) throw new ProofException("varint overflow in IAVL op prefix");
            result |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                data = data[(i + 1)..];
                return (long)(result >> 1) ^ -(long)(result & 1);
            }
        }
    }

    // ---- Neighbours -----------------------------------------------------------------------------------------

    private static bool IsLeftMost(InnerSpec spec, RepeatedField<InnerOp> path, int from, int to)
    {
        if (!TryGetPadding(spec, 0, out var padding)) return false;
        for (var i = from; i < to; i++)
        {
            var step = path[i];
            if (step is null) return false;
            if (!HasPadding(step, padding) && !LeftBranchesAreEmpty(spec, step)) return false;
        }
        return true;
    }

    private static bool IsRightMost(InnerSpec spec, RepeatedField<InnerOp> path, int from, int to)
    {
        if (!TryGetPadding(spec, spec.ChildOrder.Count - 1, out var padding)) return false;
        for (var i = from; i < to; i++)
        {
            var step = path[i];
            if (step is null) return false;
            if (!HasPadding(step, padding) && !RightBranchesAreEmpty(spec, step)) return false;
        }
        return true;
    }

    /// <summary>
    /// The paths share their top (equal steps near the root); at the first step where they differ the left
    /// path must sit exactly one branch left of the right path, below it the left path must be right-most and
    /// the right path left-most.
    /// </summary>
    private static bool IsLeftNeighbor(InnerSpec spec, RepeatedField<InnerOp> left, RepeatedField<InnerOp> right)
    {
        var l = left.Count - 1;
        var r = right.Count - 1;
        while (l >= 0 && r >= 0 && left[l] is not null && right[r] is not null
            && left[l].Prefix.Span.SequenceEqual(right[r].Prefix.Span)
            && left[l].Suffix.Span.SequenceEqual(right[r].Suffix.Span))
        {
            l--;
            r--;
        }
        if (l < 0 || r < 0 || left[l] is null || right[r] is null) return false;
        if (!IsLeftStep(spec, left[l], right[r])) return false;
        return IsRightMost(spec, left, 0, l) && IsLeftMost(spec, right, 0, r);
    }

    private static bool IsLeftStep(InnerSpec spec, InnerOp left, InnerOp right)
        => TryOrderFromPadding(spec, left, out var leftBranch)
        && TryOrderFromPadding(spec, right, out var rightBranch)
        && rightBranch == leftBranch + 1;

    private readonly record struct Padding(long MinPrefix, long MaxPrefix, long Suffix);

    private static bool HasPadding(InnerOp op, Padding padding)
        => op.Prefix.Length >= padding.MinPrefix && op.Prefix.Length <= padding.MaxPrefix && op.Suffix.Length == padding.Suffix;

    /// <summary>The prefix and suffix lengths of a node whose child sits in <paramref name="branch"/>.</summary>
    private static bool TryGetPadding(InnerSpec spec, int branch, out Padding padding)
    {
        padding = default;
        if (!TryGetPosition(spec, branch, out var position)) return false;
        long prefix = (long)position * spec.ChildSize;
        padding = new Padding(
            prefix + spec.MinPrefixLength,
            prefix + spec.MaxPrefixLength,
            (long)(spec.ChildOrder.Count - 1 - position) * spec.ChildSize);
        return true;
    }

    private static bool TryGetPosition(InnerSpec spec, int branch, out int position)
    {
        position = -1;
        if (branch < 0 || branch >= spec.ChildOrder.Count) return false;
        position = spec.ChildOrder.IndexOf(branch);
        return position >= 0;
    }

    private static bool TryOrderFromPadding(InnerSpec spec, InnerOp op, out int branch)
    {
        for (branch = 0; branch < spec.ChildOrder.Count; branch++)
        {
            if (TryGetPadding(spec, branch, out var padding) && HasPadding(op, padding)) return true;
        }
        return false;
    }

    /// <summary>A placeholder on a left-most path: every sibling to its left is the spec's empty child.</summary>
    private static bool LeftBranchesAreEmpty(InnerSpec spec, InnerOp op)
    {
        if (!TryOrderFromPadding(spec, op, out var leftBranches) || leftBranches == 0) return false;
        var childSize = spec.ChildSize;
        var actualPrefix = op.Prefix.Length - (long)leftBranches * childSize;
        if (actualPrefix < 0) return false;
        for (var i = 0; i < leftBranches; i++)
        {
            if (!TryGetPosition(spec, i, out var position)) return false;
            var from = actualPrefix + (long)position * childSize;
            if (from < 0 || from + childSize > op.Prefix.Length) return false;
            if (!spec.EmptyChild.Span.SequenceEqual(op.Prefix.Span.Slice((int)from, childSize))) return false;
        }
        return true;
    }

    /// <summary>A placeholder on a right-most path: every sibling to its right is the spec's empty child.</summary>
    private static bool RightBranchesAreEmpty(InnerSpec spec, InnerOp op)
    {
        if (!TryOrderFromPadding(spec, op, out var branch)) return false;
        var rightBranches = spec.ChildOrder.Count - 1 - branch;
        if (rightBranches == 0) return false;
        var childSize = spec.ChildSize;
        if (op.Suffix.Length != (long)rightBranches * childSize) return false;
        for (var i = 0; i < rightBranches; i++)
        {
            if (!TryGetPosition(spec, i, out var position)) return false;
            var from = (long)position * childSize;
            if (from + childSize > op.Suffix.Length) return false;
            if (!spec.EmptyChild.Span.SequenceEqual(op.Suffix.Span.Slice((int)from, childSize))) return false;
        }
        return true;
    }

    private sealed class ProofException(string message) : Exception(message);
}
