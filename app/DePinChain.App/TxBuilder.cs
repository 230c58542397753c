using DePinChain.Crypto;
using DePinChain.Modules.Auth;
using DePinChain.Protos.Cosmos.Tx.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Secp256k1PubKey = DePinChain.Protos.Cosmos.Crypto.Secp256k1.PubKey;

namespace DePinChain.App;

/// <summary>A secp256k1 key that signs txs: the private key and what the chain derives from it.</summary>
public sealed class TxSigner
{
    public TxSigner(byte[] privateKey)
    {
        PrivateKey = privateKey;
        PublicKey = Secp256k1.GetPublicKey(privateKey);
        Address = CosmosAddress.FromSecp256k1PublicKey(PublicKey);
    }

    /// <summary>A deterministic test key: SHA-256 of the seed text (never use for real funds).</summary>
    public static TxSigner FromSeed(string seed) => new(Hashes.Sha256(System.Text.Encoding.UTF8.GetBytes(seed)));

    public byte[] PrivateKey { get; }

    public byte[] PublicKey { get; }

    public byte[] Address { get; }

    public string Bech32 => Bech32Address.ToBech32(Address);

    public Any PublicKeyAny => Any.Pack(new Secp256k1PubKey { Key = ByteString.CopyFrom(PublicKey) }, "");
}

/// <summary>
/// Builds and signs Cosmos txs (TxRaw, SIGN_MODE_DIRECT) exactly as wallets do. Used by the CLI to sign real txs
/// and by tests to build valid and deliberately broken ones.
/// </summary>
public sealed class TxBuilder
{
    private readonly List<IMessage> _messages = [];

    public string Memo { get; set; } = "";

    public ulong TimeoutHeight { get; set; }

    public ulong GasLimit { get; set; } = 200_000;

    public List<Protos.Cosmos.Base.V1Beta1.Coin> Fee { get; } = [];

    /// <summary>Leave the signer's public key out of SignerInfo (accounts that already have one on chain).</summary>
    public bool OmitPublicKey { get; set; }

    public TxBuilder AddMessage(IMessage message)
    {
        _messages.Add(message);
        return this;
    }

    public TxBuilder WithFee(string denom, System.Numerics.BigInteger amount, ulong gasLimit)
    {
        Fee.Clear();
        if (!amount.IsZero) Fee.Add(new() { Denom = denom, Amount = amount.ToString() });
        GasLimit = gasLimit;
        return this;
    }

    public TxBody BuildBody()
    {
        var body = new TxBody { Memo = Memo, TimeoutHeight = TimeoutHeight };
        foreach (var m in _messages) body.Messages.Add(Any.Pack(m, ""));
        return body;
    }

    public AuthInfo BuildAuthInfo(IReadOnlyList<(TxSigner Signer, ulong Sequence)> signers)
    {
        var authInfo = new AuthInfo { Fee = new Protos.Cosmos.Tx.V1Beta1.Fee { GasLimit = GasLimit } };
        authInfo.Fee.Amount.AddRange(Fee);
        foreach (var (signer, sequence) in signers)
        {
            authInfo.SignerInfos.Add(SignModeDirect.SignerInfo(OmitPublicKey ? null : signer.PublicKeyAny, sequence));
        }
        return authInfo;
    }

    /// <summary>Builds and signs a tx with one signer.</summary>
    public TxRaw Sign(TxSigner signer, string chainId, ulong accountNumber, ulong sequence)
        => Sign(chainId, [(signer, accountNumber, sequence)]);

    /// <summary>Builds and signs a tx; signers in the order the messages require them.</summary>
    public TxRaw Sign(string chainId, IReadOnlyList<(TxSigner Signer, ulong AccountNumber, ulong Sequence)> signers)
    {
        var bodyBytes = BuildBody().ToByteString();
        var authInfoBytes = BuildAuthInfo(signers.Select(s => (s.Signer, s.Sequence)).ToArray()).ToByteString();
        var raw = new TxRaw { BodyBytes = bodyBytes, AuthInfoBytes = authInfoBytes };
        foreach (var (signer, accountNumber, _) in signers)
            raw.Signatures.Add(SignModeDirect.Sign(signer, bodyBytes, authInfoBytes, chainId, accountNumber));
        return raw;
    }

    /// <summary>A MsgSend of one coin.</summary>
    public static Protos.Cosmos.Bank.V1Beta1.MsgSend Send(string from, string to, string denom, System.Numerics.BigInteger amount)
        => new() { FromAddress = from, ToAddress = to, Amount = { new Protos.Cosmos.Base.V1Beta1.Coin { Denom = denom, Amount = amount.ToString() } } };

    /// <summary>Genesis app_state JSON giving each address the listed balance (auth accounts numbered in order).</summary>
    public static string GenesisAppState(IReadOnlyList<(byte[] Address, System.Numerics.BigInteger Amount)> balances, string denom = "udpin")
    {
        var auth = new Protos.Cosmos.Auth.V1Beta1.GenesisState { Params = AccountKeeper.DefaultParams() };
        var bank = new Protos.Cosmos.Bank.V1Beta1.GenesisState { Params = Modules.Bank.BankKeeper.DefaultParams() };
        ulong number = 0;
        foreach (var (address, amount) in balances)
        {
            auth.Accounts.Add(AuthModule.GenesisAccount(address, number++));
            bank.Balances.Add(new Protos.Cosmos.Bank.V1Beta1.Balance
            {
                Address = Bech32Address.ToBech32(address),
                Coins = { new Protos.Cosmos.Base.V1Beta1.Coin { Denom = denom, Amount = amount.ToString() } },
            });
        }
        return $"{{\"auth\":{AuthModule.FormatGenesis(auth)},\"bank\":{Modules.Bank.BankModule.FormatGenesis(bank)}}}";
    }
}
