using DePinChain.Crypto;
using DePinChain.Protos.Cosmos.Tx.Signing.V1Beta1;
using DePinChain.Protos.Cosmos.Tx.V1Beta1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.App;

/// <summary>
/// SIGN_MODE_DIRECT, the one definition of what a tx signer signs: the ante chain verifies against it, and
/// <see cref="TxBuilder"/> and the CLI sign with it.
/// </summary>
public static class SignModeDirect
{
    /// <summary>
    /// SHA-256 of the sign bytes, SignDoc{body_bytes, auth_info_bytes, chain_id, account_number}: the digest a
    /// secp256k1 signature signs.
    /// </summary>
    public static byte[] SignBytesHash(ByteString bodyBytes, ByteString authInfoBytes, string chainId, ulong accountNumber)
    {
        var doc = new SignDoc { BodyBytes = bodyBytes, AuthInfoBytes = authInfoBytes, ChainId = chainId, AccountNumber = accountNumber };
        // Serialized into a stack (or one-off) buffer: no output stream, no copy of the sign bytes kept.
        int size = doc.CalculateSize();
        Span<byte> bytes = size <= 2048 ? stackalloc byte[size] : new byte[size];
        doc.WriteTo(bytes);
        return Hashes.Sha256(bytes);
    }

    /// <summary>The signer's signature over the tx's sign bytes for <paramref name="accountNumber"/>.</summary>
    public static ByteString Sign(TxSigner signer, ByteString bodyBytes, ByteString authInfoBytes, string chainId, ulong accountNumber)
        => ByteString.CopyFrom(Secp256k1.Sign(signer.PrivateKey, SignBytesHash(bodyBytes, authInfoBytes, chainId, accountNumber)));

    /// <summary>A single-key SIGN_MODE_DIRECT signer info; a null <paramref name="publicKey"/> leaves the key out (an
    /// account that already has one on chain).</summary>
    public static SignerInfo SignerInfo(Any? publicKey, ulong sequence)
        => new()
        {
            PublicKey = publicKey,
            ModeInfo = new ModeInfo { Single = new ModeInfo.Types.Single { Mode = SignMode.Direct } },
            Sequence = sequence,
        };
}
