using System.Security.Cryptography;
using DePinChain.Crypto.Native;
using static DePinChain.Crypto.Native.SodiumNative;

namespace DePinChain.Crypto;

/// <summary>
/// Ed25519 (RFC 8032) for CometBFT validator and node keys, backed by the system libsodium. Keys are
/// handled as 32-byte seeds; CometBFT's 64-byte private key is seed ‖ public key.
/// </summary>
/// <remarks>
/// libsodium verification is strict (rejects small-order and non-canonical keys and non-canonical S);
/// CometBFT verifies with ZIP-215 rules, which accept a few such edge-case signatures that no honest
/// signer produces. Signatures from real keys verify identically under both.
/// </remarks>
public static unsafe class Ed25519
{
    public const int SeedLength = 32;
    public const int PublicKeyLength = 32;
    public const int SignatureLength = 64;

    /// <summary>CometBFT's validator address length: the first 20 bytes of SHA-256(public key).</summary>
    public const int AddressLength = 20;

    private const int SodiumSecretKeyLength = 64;

    private static readonly Lock InitGate = new();
    private static bool _initialized;

    public static byte[] PublicKeyFromSeed(ReadOnlySpan<byte> seed32)
    {
        RequireSeed(seed32);
        EnsureInitialized();
        var publicKey = new byte[PublicKeyLength];
        byte* secretKey = stackalloc byte[SodiumSecretKeyLength];
        fixed (byte* seed = seed32)
        fixed (byte* pub = publicKey)
        {
            var result = CryptoSignSeedKeypair(pub, secretKey, seed);
            new Span<byte>(secretKey, SodiumSecretKeyLength).Clear();
            if (result != 0)
                throw new CryptographicException("crypto_sign_seed_keypair failed");
        }
        return publicKey;
    }

    public static byte[] Sign(ReadOnlySpan<byte> seed32, ReadOnlySpan<byte> message)
    {
        RequireSeed(seed32);
        EnsureInitialized();
        var signature = new byte[SignatureLength];
        byte* publicKey = stackalloc byte[PublicKeyLength];
        byte* secretKey = stackalloc byte[SodiumSecretKeyLength];
        fixed (byte* seed = seed32)
        fixed (byte* data = message)
        fixed (byte* sig = signature)
        {
            try
            {
                if (CryptoSignSeedKeypair(publicKey, secretKey, seed) != 0)
                    throw new CryptographicException("crypto_sign_seed_keypair failed");
                ulong signatureLength;
                if (CryptoSignDetached(sig, &signatureLength, data, (ulong)message.Length, secretKey) != 0)
                    throw new CryptographicException("crypto_sign_detached failed");
            }
            finally
            {
                new Span<byte>(secretKey, SodiumSecretKeyLength).Clear();
            }
        }
        return signature;
    }

    /// <summary>libsodium's 64-byte private key for a seed: seed ‖ public key (CometBFT's private key layout too).</summary>
    public static byte[] ExpandSeed(ReadOnlySpan<byte> seed32)
    {
        var publicKey = PublicKeyFromSeed(seed32);
        return [.. seed32, .. publicKey];
    }

    /// <summary>
    /// Signs with a 64-byte private key from <see cref="ExpandSeed"/>: the same signature as <see cref="Sign"/> without
    /// deriving the public key again, for a signer that signs many messages (a simulated fleet's devices).
    /// </summary>
    public static byte[] SignExpanded(ReadOnlySpan<byte> privateKey64, ReadOnlySpan<byte> message)
    {
        if (privateKey64.Length != SodiumSecretKeyLength)
            throw new ArgumentException($"ed25519 private key must be {SodiumSecretKeyLength} bytes (seed ‖ public key), got {privateKey64.Length}", nameof(privateKey64));
        EnsureInitialized();
        var signature = new byte[SignatureLength];
        fixed (byte* secretKey = privateKey64)
        fixed (byte* data = message)
        fixed (byte* sig = signature)
        {
            ulong signatureLength;
            if (CryptoSignDetached(sig, &signatureLength, data, (ulong)message.Length, secretKey) != 0)
                throw new CryptographicException("crypto_sign_detached failed");
        }
        return signature;
    }

    /// <summary>False, never throws, for wrong lengths, invalid keys and bad signatures.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey32, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature64)
    {
        if (publicKey32.Length != PublicKeyLength || signature64.Length != SignatureLength)
            return false;
        EnsureInitialized();
        fixed (byte* pub = publicKey32)
        fixed (byte* data = message)
        fixed (byte* sig = signature64)
            return CryptoSignVerifyDetached(sig, data, (ulong)message.Length, pub) == 0;
    }

    /// <summary>CometBFT address of an ed25519 key: SHA-256(public key) truncated to 20 bytes.</summary>
    public static byte[] Address(ReadOnlySpan<byte> publicKey32)
    {
        if (publicKey32.Length != PublicKeyLength)
            throw new ArgumentException($"ed25519 public key must be {PublicKeyLength} bytes, got {publicKey32.Length}", nameof(publicKey32));
        return Hashes.Sha256(publicKey32)[..AddressLength];
    }

    private static void RequireSeed(ReadOnlySpan<byte> seed32)
    {
        if (seed32.Length != SeedLength)
            throw new ArgumentException($"ed25519 seed must be {SeedLength} bytes, got {seed32.Length}", nameof(seed32));
    }

    private static void EnsureInitialized()
    {
        if (Volatile.Read(ref _initialized))
            return;
        lock (InitGate)
        {
            if (_initialized)
                return;
            NativeLibraries.EnsureResolver();
            // 0 = initialized now, 1 = already initialized by someone else in the process, -1 = failure.
            if (SodiumInit() < 0)
                throw new InvalidOperationException("sodium_init failed");
            Volatile.Write(ref _initialized, true);
        }
    }
}
