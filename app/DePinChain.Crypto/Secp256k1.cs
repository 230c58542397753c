using System.Security.Cryptography;
using DePinChain.Crypto.Native;
using static DePinChain.Crypto.Native.Secp256k1Native;

namespace DePinChain.Crypto;

/// <summary>
/// ECDSA over secp256k1 as Cosmos uses it: 33-byte compressed keys, 64-byte compact R||S signatures over a
/// 32-byte hash, low-S only. Backed by the system libsecp256k1; one shared context, safe for concurrent use.
/// </summary>
public static unsafe class Secp256k1
{
    public const int PrivateKeyLength = 32;
    public const int CompressedPublicKeyLength = 33;
    public const int UncompressedPublicKeyLength = 65;
    public const int SignatureLength = 64;
    public const int MessageHashLength = 32;

    private static readonly Lock ContextGate = new();
    private static nint _context;

    /// <summary>
    /// Created on first use rather than in a type initializer, so a missing library surfaces as a plain
    /// DllNotFoundException with our message instead of a TypeInitializationException.
    /// </summary>
    private static nint Context
    {
        get
        {
            var context = Volatile.Read(ref _context);
            return context != 0 ? context : CreateContext();
        }
    }

    private static nint CreateContext()
    {
        lock (ContextGate)
        {
            if (_context != 0)
                return _context;
            NativeLibraries.EnsureResolver();
            var context = ContextCreate(ContextSign | ContextVerify);
            if (context == 0)
                throw new InvalidOperationException("secp256k1_context_create failed");

            // Blinding against side channels only; signing nonces stay RFC 6979 deterministic.
            Span<byte> blinding = stackalloc byte[32];
            RandomNumberGenerator.Fill(blinding);
            fixed (byte* seed = blinding)
            {
                if (ContextRandomize(context, seed) != 1)
                    throw new InvalidOperationException("secp256k1_context_randomize failed");
            }
            CryptographicOperations.ZeroMemory(blinding);

            Volatile.Write(ref _context, context);
            return context;
        }
    }

    /// <summary>
    /// Verifies a compact R||S signature over a 32-byte hash. Returns false, never throws, for malformed
    /// keys or signatures and for high-S signatures (Cosmos accepts only the low-S form). Allocation-free.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> messageHash32, ReadOnlySpan<byte> signature64)
    {
        if (messageHash32.Length != MessageHashLength || signature64.Length != SignatureLength || !HasKnownPublicKeyPrefix(publicKey))
            return false;

        var context = Context;
        byte* parsedKey = stackalloc byte[OpaqueStructSize];
        byte* parsedSignature = stackalloc byte[OpaqueStructSize];
        fixed (byte* key = publicKey)
        fixed (byte* hash = messageHash32)
        fixed (byte* signature = signature64)
        {
            if (EcPubkeyParse(context, parsedKey, key, (nuint)publicKey.Length) != 1)
                return false;
            // Fails when R or S is not below the group order.
            if (EcdsaSignatureParseCompact(context, parsedSignature, signature) != 1)
                return false;
            // Returns 1 when the input was high-S: the malleable twin of a valid signature, rejected by Cosmos.
            if (EcdsaSignatureNormalize(context, null, parsedSignature) == 1)
                return false;
            return EcdsaVerify(context, parsedSignature, hash, parsedKey) == 1;
        }
    }

    /// <summary>SHA-256 of <paramref name="message"/>, then <see cref="Verify"/>: the Cosmos SDK signature check over sign bytes.</summary>
    public static bool VerifyMessage(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature64)
    {
        Span<byte> hash = stackalloc byte[MessageHashLength];
        Hashes.Sha256(message, hash);
        return Verify(publicKey, hash, signature64);
    }

    /// <summary>RFC 6979 deterministic ECDSA; the 64-byte compact signature is always low-S.</summary>
    public static byte[] Sign(ReadOnlySpan<byte> privateKey32, ReadOnlySpan<byte> messageHash32)
    {
        if (messageHash32.Length != MessageHashLength)
            throw new ArgumentException($"message hash must be {MessageHashLength} bytes, got {messageHash32.Length}", nameof(messageHash32));
        RequireValidPrivateKey(privateKey32);

        var context = Context;
        byte* nativeSignature = stackalloc byte[OpaqueStructSize];
        var output = new byte[SignatureLength];
        fixed (byte* key = privateKey32)
        fixed (byte* hash = messageHash32)
        fixed (byte* result = output)
        {
            if (EcdsaSign(context, nativeSignature, hash, key, 0, 0) != 1)
                throw new CryptographicException("secp256k1_ecdsa_sign failed");
            EcdsaSignatureSerializeCompact(context, result, nativeSignature);
        }
        return output;
    }

    /// <summary>SHA-256 of <paramref name="message"/>, then <see cref="Sign"/>.</summary>
    public static byte[] SignMessage(ReadOnlySpan<byte> privateKey32, ReadOnlySpan<byte> message)
    {
        Span<byte> hash = stackalloc byte[MessageHashLength];
        Hashes.Sha256(message, hash);
        return Sign(privateKey32, hash);
    }

    public static byte[] GetPublicKey(ReadOnlySpan<byte> privateKey32, bool compressed = true)
    {
        RequireValidPrivateKey(privateKey32);
        var context = Context;
        byte* nativeKey = stackalloc byte[OpaqueStructSize];
        var output = new byte[compressed ? CompressedPublicKeyLength : UncompressedPublicKeyLength];
        fixed (byte* key = privateKey32)
        fixed (byte* result = output)
        {
            if (EcPubkeyCreate(context, nativeKey, key) != 1)
                throw new CryptographicException("secp256k1_ec_pubkey_create failed");
            nuint length = (nuint)output.Length;
            EcPubkeySerialize(context, result, &length, nativeKey, compressed ? EcCompressed : EcUncompressed);
        }
        return output;
    }

    /// <summary>True for 32 bytes encoding an integer in [1, n-1].</summary>
    public static bool IsValidPrivateKey(ReadOnlySpan<byte> privateKey32)
    {
        if (privateKey32.Length != PrivateKeyLength)
            return false;
        var context = Context;
        fixed (byte* key = privateKey32)
            return EcSeckeyVerify(context, key) == 1;
    }

    /// <summary>True for a 33-byte compressed or 65-byte uncompressed encoding of a point on the curve.</summary>
    public static bool IsValidPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (!HasKnownPublicKeyPrefix(publicKey))
            return false;
        var context = Context;
        byte* parsedKey = stackalloc byte[OpaqueStructSize];
        fixed (byte* key = publicKey)
            return EcPubkeyParse(context, parsedKey, key, (nuint)publicKey.Length) == 1;
    }

    /// <summary>Re-encodes a valid public key as 33-byte compressed or 65-byte uncompressed.</summary>
    public static byte[] SerializePublicKey(ReadOnlySpan<byte> publicKey, bool compressed)
    {
        if (!HasKnownPublicKeyPrefix(publicKey))
            throw new ArgumentException($"public key must be 33 bytes (02/03 prefix) or 65 bytes (04 prefix), got {publicKey.Length} bytes", nameof(publicKey));
        var context = Context;
        byte* parsedKey = stackalloc byte[OpaqueStructSize];
        var output = new byte[compressed ? CompressedPublicKeyLength : UncompressedPublicKeyLength];
        fixed (byte* key = publicKey)
        fixed (byte* result = output)
        {
            if (EcPubkeyParse(context, parsedKey, key, (nuint)publicKey.Length) != 1)
                throw new ArgumentException("public key is not a point on secp256k1", nameof(publicKey));
            nuint length = (nuint)output.Length;
            EcPubkeySerialize(context, result, &length, parsedKey, compressed ? EcCompressed : EcUncompressed);
        }
        return output;
    }

    /// <summary>
    /// privateKey = (privateKey + tweak) mod n, in place (BIP-32 child derivation). False when the tweak is
    /// not below n or the sum is zero; BIP-32 then skips to the next index.
    /// </summary>
    internal static bool TryAddToPrivateKey(Span<byte> privateKey32, ReadOnlySpan<byte> tweak32)
    {
        if (privateKey32.Length != PrivateKeyLength || tweak32.Length != 32)
            return false;
        var context = Context;
        fixed (byte* key = privateKey32)
        fixed (byte* tweak = tweak32)
            return EcSeckeyTweakAdd(context, key, tweak) == 1;
    }

    /// <summary>libsecp256k1 also parses "hybrid" 06/07 keys; neither Cosmos nor Bitcoin accepts them.</summary>
    private static bool HasKnownPublicKeyPrefix(ReadOnlySpan<byte> publicKey) => publicKey.Length switch
    {
        CompressedPublicKeyLength => publicKey[0] is 0x02 or 0x03,
        UncompressedPublicKeyLength => publicKey[0] == 0x04,
        _ => false,
    };

    private static void RequireValidPrivateKey(ReadOnlySpan<byte> privateKey32)
    {
        if (privateKey32.Length != PrivateKeyLength)
            throw new ArgumentException($"private key must be {PrivateKeyLength} bytes, got {privateKey32.Length}", nameof(privateKey32));
        if (!IsValidPrivateKey(privateKey32))
            throw new ArgumentException("private key is zero or not below the secp256k1 group order", nameof(privateKey32));
    }
}
