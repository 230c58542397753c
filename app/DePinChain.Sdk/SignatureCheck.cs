using DePinChain.Crypto;

namespace DePinChain.Sdk;

/// <summary>How a <see cref="SignatureCheck"/> is verified.</summary>
public enum SignatureAlgorithm : byte
{
    /// <summary>secp256k1 ECDSA (low-S, compact 64 bytes) over a 32-byte digest the caller computed, as the SDK's tx signatures.</summary>
    Secp256k1Digest = 1,

    /// <summary>secp256k1 ECDSA (low-S, compact 64 bytes) over SHA-256 of the message.</summary>
    Secp256k1Sha256 = 2,

    /// <summary>Ed25519 over the message itself.</summary>
    Ed25519 = 3,
}

/// <summary>
/// One stateless signature check: its verdict is a pure function of these four parts, so a verdict computed ahead of
/// time (on another thread, before execution reaches it) for an equal check is the verdict verification would give.
/// Equality is by content.
/// </summary>
public sealed class SignatureCheck : IEquatable<SignatureCheck>
{
    private int _hash;

    public SignatureCheck(SignatureAlgorithm algorithm, ReadOnlyMemory<byte> publicKey, ReadOnlyMemory<byte> message, ReadOnlyMemory<byte> signature)
    {
        Algorithm = algorithm;
        PublicKey = publicKey;
        Message = message;
        Signature = signature;
    }

    public SignatureAlgorithm Algorithm { get; }

    public ReadOnlyMemory<byte> PublicKey { get; }

    /// <summary>The signed message, or for <see cref="SignatureAlgorithm.Secp256k1Digest"/> its 32-byte digest.</summary>
    public ReadOnlyMemory<byte> Message { get; }

    public ReadOnlyMemory<byte> Signature { get; }

    /// <summary>Verifies now. False, never an exception, for malformed keys, signatures or lengths.</summary>
    public bool Verify() => Algorithm switch
    {
        SignatureAlgorithm.Secp256k1Digest => Secp256k1.Verify(PublicKey.Span, Message.Span, Signature.Span),
        SignatureAlgorithm.Secp256k1Sha256 => Secp256k1.VerifyMessage(PublicKey.Span, Message.Span, Signature.Span),
        SignatureAlgorithm.Ed25519 => Ed25519.Verify(PublicKey.Span, Message.Span, Signature.Span),
        _ => false,
    };

    public bool Equals(SignatureCheck? other)
        => other is not null && (ReferenceEquals(this, other)
            || (Algorithm == other.Algorithm && GetHashCode() == other.GetHashCode()
                && PublicKey.Span.SequenceEqual(other.PublicKey.Span) && Signature.Span.SequenceEqual(other.Signature.Span)
                && Message.Span.SequenceEqual(other.Message.Span)));

    public override bool Equals(object? obj) => Equals(obj as SignatureCheck);

    public override int GetHashCode()
    {
        if (_hash != 0) return _hash;
        var hash = new HashCode();
        hash.Add(Algorithm);
        hash.AddBytes(PublicKey.Span);
        hash.AddBytes(Message.Span);
        hash.AddBytes(Signature.Span);
        int value = hash.ToHashCode();
        return _hash = value == 0 ? 1 : value;
    }
}

/// <summary>
/// Where handlers get signature verdicts from (<see cref="Context.Signatures"/>) instead of verifying themselves, so
/// the app can verify a block's signatures ahead of execution. Every implementation returns exactly
/// <see cref="SignatureCheck.Verify"/>'s result.
/// </summary>
public interface ISignatureVerifier
{
    bool Verify(SignatureCheck check);

    /// <summary>Verdicts for several checks, in order (those not known yet may be verified in parallel).</summary>
    bool[] VerifyAll(IReadOnlyList<SignatureCheck> checks);
}

/// <summary>Verifies every check when asked (no verdicts known ahead of time).</summary>
public sealed class DirectSignatureVerifier : ISignatureVerifier
{
    public static readonly DirectSignatureVerifier Instance = new();

    // Below this, fork-join costs more than it saves.
    internal const int ParallelThreshold = 4;

    private DirectSignatureVerifier() { }

    public bool Verify(SignatureCheck check) => check.Verify();

    public bool[] VerifyAll(IReadOnlyList<SignatureCheck> checks)
    {
        var results = new bool[checks.Count];
        // Fork-join over pure checks: the array is the same whatever the scheduling.
        if (checks.Count >= ParallelThreshold) Parallel.For(0, checks.Count, i => results[i] = checks[i].Verify());
        else for (int i = 0; i < checks.Count; i++) results[i] = checks[i].Verify();
        return results;
    }
}

/// <summary>
/// Verdicts computed ahead of time for a few checks (one tx's), looked up by content; a check not among them is
/// verified when asked. Filled by one thread before it is handed to the executing thread; read-only afterwards.
/// </summary>
public sealed class SignatureVerdicts : ISignatureVerifier
{
    private readonly List<(SignatureCheck Check, bool Valid)> _known = [];

    public int Count => _known.Count;

    /// <summary>Verifies <paramref name="check"/> now and remembers the verdict.</summary>
    public void Precompute(SignatureCheck check) => _known.Add((check, check.Verify()));

    public bool TryGet(SignatureCheck check, out bool valid)
    {
        foreach (var (known, verdict) in _known)
        {
            if (known.Equals(check))
            {
                valid = verdict;
                return true;
            }
        }
        valid = false;
        return false;
    }

    public bool Verify(SignatureCheck check) => TryGet(check, out bool valid) ? valid : check.Verify();

    public bool[] VerifyAll(IReadOnlyList<SignatureCheck> checks)
    {
        var results = new bool[checks.Count];
        List<int>? missing = null;
        for (int i = 0; i < checks.Count; i++)
        {
            if (!TryGet(checks[i], out results[i])) (missing ??= []).Add(i);
        }
        if (missing is null) return results;
        if (missing.Count >= DirectSignatureVerifier.ParallelThreshold)
            Parallel.For(0, missing.Count, j => results[missing[j]] = checks[missing[j]].Verify());
        else
            foreach (int i in missing) results[i] = checks[i].Verify();
        return results;
    }
}
