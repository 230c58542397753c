using System.Runtime.InteropServices;

namespace DePinChain.Crypto.Native;

/// <summary>The libsodium ed25519 calls we use (crypto_sign_* with detached signatures).</summary>
internal static unsafe partial class SodiumNative
{
    [LibraryImport(NativeLibraries.Sodium, EntryPoint = "sodium_init")]
    internal static partial int SodiumInit();

    [LibraryImport(NativeLibraries.Sodium, EntryPoint = "crypto_sign_seed_keypair")]
    internal static partial int CryptoSignSeedKeypair(byte* publicKey32, byte* secretKey64, byte* seed32);

    [LibraryImport(NativeLibraries.Sodium, EntryPoint = "crypto_sign_detached")]
    internal static partial int CryptoSignDetached(byte* signature64, ulong* signatureLength, byte* message, ulong messageLength, byte* secretKey64);

    [LibraryImport(NativeLibraries.Sodium, EntryPoint = "crypto_sign_verify_detached")]
    internal static partial int CryptoSignVerifyDetached(byte* signature64, byte* message, ulong messageLength, byte* publicKey32);
}
