using DePinChain.Crypto;
using DePinChain.Protos.Cosmos.Tx.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;

namespace DePinChain.App;

/// <summary>
/// A tx as the app executes it: the wire bytes, the decoded body and auth info, each message with its route,
/// and the signer addresses in order (first = fee payer).
/// </summary>
public sealed class DecodedTx
{
    private DecodedTx(byte[] bytes, TxRaw raw, TxBody body, AuthInfo authInfo, IReadOnlyList<(IMessage Msg, MsgRoute Route)> msgs, IReadOnlyList<byte[]> signers)
    {
        Bytes = bytes;
        Raw = raw;
        Body = body;
        AuthInfo = authInfo;
        Messages = msgs;
        Signers = signers;
        _signerKeyAddresses = new KeyAddress?[signers.Count];
        _signerKeys = new ParsedKey?[signers.Count];
    }

    private sealed record ParsedKey(string TypeUrl, ByteString Value, byte[] Key);

    private readonly ParsedKey?[] _signerKeys;

    /// <summary>
    /// <see cref="AnteHandler.ReadSecp256k1PubKey"/> of a signer's key, remembered per signer: the pipeline, the pubkey
    /// step and the signature step each read the same key (from the tx or the account). Keyed by the Any's content, so
    /// an equal key from either place is parsed once. Safe from several threads: a race only parses twice.
    /// </summary>
    /// <exception cref="SdkError">As ReadSecp256k1PubKey.</exception>
    internal byte[] Secp256k1KeyOf(int signer, Google.Protobuf.WellKnownTypes.Any any)
    {
        if (_signerKeys[signer] is { } known && known.TypeUrl == any.TypeUrl && known.Value.Span.SequenceEqual(any.Value.Span))
            return known.Key;
        var key = AnteHandler.ReadSecp256k1PubKey(any);
        _signerKeys[signer] = new ParsedKey(any.TypeUrl, any.Value, key);
        return key;
    }

    private sealed record KeyAddress(byte[] Key, byte[] Address);

    private sealed record SignDocHash(string ChainId, ulong AccountNumber, byte[] Hash);

    private readonly KeyAddress?[] _signerKeyAddresses;
    private SignDocHash? _signDocHash;

    public byte[] Bytes { get; }

    public TxRaw Raw { get; }

    public TxBody Body { get; }

    public AuthInfo AuthInfo { get; }

    public IReadOnlyList<(IMessage Msg, MsgRoute Route)> Messages { get; }

    public IReadOnlyList<byte[]> Signers { get; }

    public ulong GasLimit => AuthInfo.Fee?.GasLimit ?? 0;

    /// <summary>
    /// The account address of a signer's public key (SHA-256 then RIPEMD-160), remembered per signer so the parallel
    /// signature check can derive it ahead of the sequential ante chain. Safe from several threads: a race only
    /// computes the same value twice.
    /// </summary>
    internal byte[] AddressOfSignerKey(int signer, byte[] key)
    {
        if (_signerKeyAddresses[signer] is { } known && known.Key.AsSpan().SequenceEqual(key)) return known.Address;
        var address = CosmosAddress.FromSecp256k1PublicKey(key);
        _signerKeyAddresses[signer] = new KeyAddress(key, address);
        return address;
    }

    /// <summary>
    /// SHA-256 of the SIGN_MODE_DIRECT sign bytes for this chain id and account number, remembered for the last pair
    /// asked (the signature pipeline computes it ahead, the ante chain asks again). Safe from several threads: a race
    /// only computes the same value twice.
    /// </summary>
    public byte[] SignBytesHash(string chainId, ulong accountNumber)
    {
        if (_signDocHash is { } known && known.AccountNumber == accountNumber && known.ChainId == chainId) return known.Hash;
        var hash = SignModeDirect.SignBytesHash(Raw.BodyBytes, Raw.AuthInfoBytes, chainId, accountNumber);
        _signDocHash = new SignDocHash(chainId, accountNumber, hash);
        return hash;
    }

    /// <summary>SHA-256 of the wire bytes: the tx hash CometBFT and explorers show.</summary>
    public byte[] Hash() => Hashes.Sha256(Bytes);

    /// <summary>Decodes the wire bytes; every failure is code 2 (tx decode) with the reason.</summary>
    /// <exception cref="SdkError">Not a tx we can decode.</exception>
    public static DecodedTx Decode(byte[] bytes, MsgRouter router)
    {
        TxRaw raw;
        TxBody body;
        AuthInfo authInfo;
        try
        {
            raw = TxRaw.Parser.ParseFrom(new ReadOnlySpan<byte>(bytes));
            body = TxBody.Parser.ParseFrom(raw.BodyBytes.Span);
            authInfo = AuthInfo.Parser.ParseFrom(raw.AuthInfoBytes.Span);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw SdkErrors.TxDecode(e.Message);
        }
        if (body.ExtensionOptions.Count > 0) throw SdkErrors.UnknownExtensionOptions("no extension options are supported");

        var msgs = new List<(IMessage, MsgRoute)>(body.Messages.Count);
        var signers = new List<byte[]>(1);
        // The signer texts seen so far: a tx has one or two, so a list searched in order beats a hash set.
        var seen = new List<string>(1);
        foreach (var any in body.Messages)
        {
            var route = router.Find(any.TypeUrl) ?? throw SdkErrors.TxDecode($"unable to resolve type URL {any.TypeUrl}");
            IMessage msg;
            try { msg = route.Decode(any.Value); }
            catch (InvalidProtocolBufferException e) { throw SdkErrors.TxDecode($"{any.TypeUrl}: {e.Message}"); }
            msgs.Add((msg, route));
            // Required signers in message order, each once: the order SignerInfos must follow. One account may be named
            // twice in different forms (depin1… and its depinvaloper1…): the SDK counts address bytes, so do we.
            foreach (var signer in route.GetSigners(msg))
            {
                if (seen.Contains(signer)) continue; // string equality is ordinal
                seen.Add(signer);
                byte[] address = ValidatorAddress.ParseSigner(signer);
                if (!signers.Exists(known => known.AsSpan().SequenceEqual(address))) signers.Add(address);
            }
        }
        return new DecodedTx(bytes, raw, body, authInfo, msgs, signers);
    }
}
