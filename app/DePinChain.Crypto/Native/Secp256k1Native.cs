using System.Runtime.InteropServices;

namespace DePinChain.Crypto.Native;

/// <summary>
/// The subset of the libsecp256k1 C API (v0.2) we use. Opaque structs (secp256k1_pubkey,
/// secp256k1_ecdsa_signature) are 64 bytes each and are passed as byte pointers to stack buffers.
/// </summary>
internal static unsafe partial class Secp256k1Native
{
    internal const int OpaqueStructSize = 64;

    // SECP256K1_FLAGS_TYPE_CONTEXT | SECP256K1_FLAGS_BIT_CONTEXT_SIGN / _VERIFY (deprecated no-ops in 0.2, still accepted).
    internal const uint ContextSign = (1u << 0) | (1u << 9);
    internal const uint ContextVerify = (1u << 0) | (1u << 8);

    // SECP256K1_FLAGS_TYPE_COMPRESSION (| SECP256K1_FLAGS_BIT_COMPRESSION for compressed).
    internal const uint EcCompressed = (1u << 1) | (1u << 8);
    internal const uint EcUncompressed = 1u << 1;

    [LibraryImport(NativeLibraries.Secp256k1, EntryPoint = "secp256k1_context_create")]
    internal static partial nint ContextCreate(uint flags);

    [LibraryImport(NativeLibraries.Secp256k1, EntryPoint = "secp256k1_context_randomize")]
    internal static partial int ContextRandomize(nint ctx, byte* seed32);

    [LibraryImport(NativeLibraries.Secp256k1, EntryPoint = "secp256k1_ec_pubkey_parse")]
    internal static partial int EcPubkeyParse(nint ctx, byte* pubkey, byte* input, nuint inputLength);

    [LibraryImport(NativeLibraries.Secp256k1, EntryPoint = "secp256k1_ec_pubkey_serialize")]
    internal static partial int EcPubkeySerialize(nint ctx, byte* output, nuint* outputLength, byte* pubkey, uint flags);

    [LibraryImport(NativeLibraries.Secp256k1, EntryPoint = "secp256k1_ec_pubkey_create")]
    internal static partial int EcPubkeyCreate(nint ctx, byte* pubkey, byte* seckey);

    [LibraryImport(NativeLibraries.Secp256k1, EntryPoint = "secp256k1_ec_seckey_verify")]
    internal static partial int EcSeckeyVerify(nint ctx, byte* seckey);

    [LibraryImport(NativeLibraries.Secp256k1, EntryPoint = "secp256k1_ec_seckey_tweak_add")]
    internal static partial int EcSeckeyTweakAdd(nint ctx, byte* seckey, byte* tweak32);

    [LibraryImport(NativeLibraries.Secp256k1, EntryPoint = "secp256k1_ecdsa_signature_parse_compact")]
    internal static partial int EcdsaSignatureParseCompact(nint ctx, byte* signature, byte* input64);

    [LibraryImport(NativeLibraries.Secp256k1, EntryPoint = "secp256k1_ecdsa_signature_serialize_compact")]
    internal static partial int EcdsaSignatureSerializeCompact(nint ctx, byte* output64, byte* signature);

    [LibraryImport(NativeLibraries.Secp256k1, EntryPoint = "secp256k1_ecdsa_signature_normalize")]
    internal static partial int EcdsaSignatureNormalize(nint ctx, byte* signatureOut, byte* signatureIn);

    [LibraryImport(NativeLibraries.Secp256k1, EntryPoint = "secp256k1_ecdsa_verify")]
    internal static partial int EcdsaVerify(nint ctx, byte* signature, byte* messageHash32, byte* pubkey);

    // noncefp = NULL selects secp256k1_nonce_function_default (RFC 6979 with HMAC-SHA256).
    [LibraryImport(NativeLibraries.Secp256k1, EntryPoint = "secp256k1_ecdsa_sign")]
    internal static partial int EcdsaSign(nint ctx, byte* signature, byte* messageHash32, byte* seckey, nint nonceFunction, nint nonceData);
}
