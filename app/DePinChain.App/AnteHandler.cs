using System.Text;
using DePinChain.Modules.Auth;
using DePinChain.Modules.Bank;
using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using DePinChain.Protos.Cosmos.Tx.Signing.V1Beta1;
using DePinChain.Protos.Cosmos.Tx.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Secp256k1PubKey = DePinChain.Protos.Cosmos.Crypto.Secp256k1.PubKey;

namespace DePinChain.App;

/// <summary>
/// The checks and charges every tx passes before its messages run, as an explicit ordered list (the SDK's
/// x/auth/ante). The writes of a successful ante (fee, pubkey, sequence) are kept even when a message later fails.
/// </summary>
public sealed class AnteHandler(AccountKeeper accounts, BankKeeper bank, AppOptions options)
{
    private delegate void AnteStep(AnteHandler self, Context ctx, DecodedTx tx, AnteState state);

    /// <summary>Per-tx scratch shared by the steps: the signers' accounts as the steps update them.</summary>
    private sealed class AnteState
    {
        public BaseAccount[] Accounts = [];
        public Params Params = null!;
    }

    // The order matters:
    // - Stateless limits first, so junk is rejected before it costs a store read.
    // - Timeout height next: an expired tx must not pay a fee.
    // - Size gas before anything that touches state, so an oversized tx runs out of gas early.
    // - The min-gas-price check (mempool only) before the fee is taken, so a cheap tx is refused, not charged.
    // - The fee is deducted before signatures are checked, like the SDK: the sig checks cost gas the fee pays for,
    //   and the whole ante is rolled back if a later step fails, so no one pays for a bad signature.
    // - Pubkeys are set before the sequence and signature checks, which need them.
    // - The sequence is checked before the (expensive) signature verification and incremented last, after
    //   every check passed.
    private static readonly AnteStep[] Steps =
    [
        static (h, ctx, tx, s) => h.ValidateLimits(ctx, tx, s),
        static (_, ctx, tx, _) => CheckTimeoutHeight(ctx, tx),
        static (_, ctx, tx, s) => ctx.GasMeter.Consume(s.Params.TxSizeCostPerByte * (ulong)tx.Bytes.Length, "txSize"),
        static (h, ctx, tx, _) => h.CheckMinGasPrice(ctx, tx),
        static (h, ctx, tx, s) => h.DeductFee(ctx, tx, s),
        static (h, ctx, tx, s) => h.SetPubKeys(ctx, tx, s),
        static (_, ctx, tx, s) => ctx.GasMeter.Consume(s.Params.SigVerifyCostSecp256K1 * (ulong)tx.Signers.Count, "sigVerify"),
        static (_, _, tx, s) => CheckSequences(tx, s),
        static (_, ctx, tx, s) => VerifySignatures(ctx, tx, s),
        static (h, ctx, tx, s) => h.IncrementSequences(ctx, tx, s),
    ];

    /// <summary>Runs every step in order on ctx's state; throws the first failure.</summary>
    public void Run(Context ctx, DecodedTx tx)
    {
        var state = new AnteState { Params = accounts.GetParams(ctx) };
        foreach (var run in Steps) run(this, ctx, tx, state);
    }

    /// <summary>Stateless checks (the SDK's ValidateBasic on the tx and its messages).</summary>
    /// <param name="simulate">Simulation (gas estimation) accepts a missing fee and a zero gas limit, as clients such
    /// as CosmJS send them; it runs on an unlimited gas meter.</param>
    public void ValidateBasic(DecodedTx tx, bool simulate = false)
    {
        if (tx.Messages.Count == 0) throw SdkErrors.InvalidRequest("must contain at least one message");
        if (tx.Messages.Count > options.MaxMsgsPerTx)
            throw SdkErrors.InvalidRequest($"tx has {tx.Messages.Count} messages; the limit is {options.MaxMsgsPerTx}");
        if (simulate) tx.AuthInfo.Fee ??= new Fee();
        var fee = tx.AuthInfo.Fee ?? throw SdkErrors.InsufficientFee("missing fee");
        Coins.FromProto(fee.Amount);
        if (fee.GasLimit == 0 && !simulate) throw SdkErrors.InvalidGasLimit("gas limit must be positive");
        if (fee.GasLimit > long.MaxValue) throw SdkErrors.InvalidGasLimit($"gas limit {fee.GasLimit} is too large");
        if (!string.IsNullOrEmpty(fee.Granter)) throw SdkErrors.NotSupported("fee grants");
        if (tx.Raw.Signatures.Count == 0) throw SdkErrors.NoSignatures("no signatures");
        if (tx.Raw.Signatures.Count != tx.AuthInfo.SignerInfos.Count)
            throw SdkErrors.Unauthorized($"wrong number of signatures; expected {tx.AuthInfo.SignerInfos.Count}, got {tx.Raw.Signatures.Count}");
        if (tx.Signers.Count != tx.AuthInfo.SignerInfos.Count)
            throw SdkErrors.Unauthorized($"wrong number of signers; expected {tx.Signers.Count}, got {tx.AuthInfo.SignerInfos.Count}");
        if (!string.IsNullOrEmpty(fee.Payer) && !Bech32Address.Parse(fee.Payer).AsSpan().SequenceEqual(tx.Signers[0]))
            throw SdkErrors.Unauthorized("fee payer must be the first signer");
        foreach (var (msg, route) in tx.Messages) route.ValidateBasic(msg);
    }

    private void ValidateLimits(Context ctx, DecodedTx tx, AnteState s)
    {
        if (tx.Bytes.Length > options.MaxTxBytes)
            throw SdkErrors.TxTooLarge($"tx is {tx.Bytes.Length} bytes; the limit is {options.MaxTxBytes}");
        int memoBytes = Encoding.UTF8.GetByteCount(tx.Body.Memo);
        if ((ulong)memoBytes > s.Params.MaxMemoCharacters)
            throw SdkErrors.MemoTooLarge($"maximum number of characters is {s.Params.MaxMemoCharacters} but received {memoBytes} characters");
        if ((ulong)tx.Raw.Signatures.Count > s.Params.TxSigLimit)
            throw SdkErrors.TooManySignatures($"signatures: {tx.Raw.Signatures.Count}, limit: {s.Params.TxSigLimit}");
    }

    private static void CheckTimeoutHeight(Context ctx, DecodedTx tx)
    {
        ulong timeout = tx.Body.TimeoutHeight;
        if (timeout > 0 && (ulong)ctx.Height > timeout)
            throw SdkErrors.TxTimeoutHeight($"block height: {ctx.Height}, timeout height: {timeout}");
    }

    private void CheckMinGasPrice(Context ctx, DecodedTx tx)
    {
        // Node-local policy: only the mempool applies it; blocks must not depend on a node's settings.
        if (!ctx.IsCheckTx || options.MinGasPrices.Count == 0) return;
        var fee = Coins.FromProto(tx.AuthInfo.Fee.Amount);
        foreach (var price in options.MinGasPrices)
        {
            var required = price.RequiredFee(tx.GasLimit);
            if (required.IsZero || fee.AmountOf(price.Denom) >= required) return;
        }
        string needed = string.Join(",", options.MinGasPrices.Select(p => p.RequiredFee(tx.GasLimit) + p.Denom));
        throw SdkErrors.InsufficientFee($"got: {fee}, required: {needed}");
    }

    private void DeductFee(Context ctx, DecodedTx tx, AnteState s)
    {
        s.Accounts = new BaseAccount[tx.Signers.Count];
        for (int i = 0; i < tx.Signers.Count; i++)
        {
            s.Accounts[i] = accounts.GetAccount(ctx, tx.Signers[i])
                ?? throw SdkErrors.UnknownAddress($"account {Bech32Address.ToBech32(tx.Signers[i])} does not exist");
        }
        var fee = Coins.FromProto(tx.AuthInfo.Fee.Amount);
        if (!fee.IsEmpty)
        {
            try
            {
                bank.SendCoinsFromAccountToModule(ctx, tx.Signers[0], AuthKeys.FeeCollectorName, fee);
            }
            catch (SdkError e) when (e.Code == SdkErrors.InsufficientFundsCode)
            {
                throw e.Wrap("insufficient funds to pay for fees");
            }
        }
        ctx.Events.Emit(SdkEvent.Of("tx", ("fee", fee.ToString()), ("fee_payer", Bech32Address.ToBech32(tx.Signers[0]))));
    }

    private void SetPubKeys(Context ctx, DecodedTx tx, AnteState s)
    {
        for (int i = 0; i < tx.Signers.Count; i++)
        {
            var info = tx.AuthInfo.SignerInfos[i];
            if (info.PublicKey is null) continue;
            byte[] key = tx.Secp256k1KeyOf(i, info.PublicKey);
            if (!tx.AddressOfSignerKey(i, key).AsSpan().SequenceEqual(tx.Signers[i]))
                throw SdkErrors.InvalidPubKey($"pubKey does not match signer address {Bech32Address.ToBech32(tx.Signers[i])} with signer index: {i}");
            var account = s.Accounts[i];
            if (account.PubKey is null)
            {
                account.PubKey = info.PublicKey;
                accounts.SetAccount(ctx, account);
            }
        }
    }

    private static void CheckSequences(DecodedTx tx, AnteState s)
    {
        for (int i = 0; i < tx.Signers.Count; i++)
        {
            ulong expected = s.Accounts[i].Sequence, got = tx.AuthInfo.SignerInfos[i].Sequence;
            if (expected != got) throw SdkErrors.WrongSequence($"account sequence mismatch, expected {expected}, got {got}");
        }
    }

    private static void VerifySignatures(Context ctx, DecodedTx tx, AnteState s)
    {
        for (int i = 0; i < tx.Signers.Count; i++)
        {
            var account = s.Accounts[i];
            if (account.PubKey is null) throw SdkErrors.InvalidPubKey("pubkey on account is not set");
            // Simulation has no signatures to check (clients send empty ones, CosmJS with SIGN_MODE_UNSPECIFIED);
            // it still paid the signature gas above.
            if (ctx.Mode == ExecMode.Simulate) continue;
            var mode = tx.AuthInfo.SignerInfos[i].ModeInfo;
            if (mode?.Single is null || mode.Single.Mode != SignMode.Direct)
                throw SdkErrors.NotSupported("only SIGN_MODE_DIRECT single-key signatures");
            byte[] key = tx.Secp256k1KeyOf(i, account.PubKey);
            // The sign bytes are a function of the tx, the chain id and the account number; the check's verdict comes
            // from the context, which may have it from verifying ahead of execution (equal check, equal verdict).
            // Genesis txs are signed before the chain numbers accounts: with account number 0, as the SDK's ante does at genesis.
            ulong accountNumber = ctx.Mode == ExecMode.Genesis ? 0 : account.AccountNumber;
            var check = new SignatureCheck(SignatureAlgorithm.Secp256k1Digest, key,
                tx.SignBytesHash(ctx.ChainId, accountNumber), tx.Raw.Signatures[i].Memory);
            bool valid = ctx.Signatures.Verify(check);
            if (!valid)
                throw SdkErrors.Unauthorized($"signature verification failed; please verify account number ({accountNumber}) and chain-id ({ctx.ChainId})");
        }
    }

    private void IncrementSequences(Context ctx, DecodedTx tx, AnteState s)
    {
        var seqs = new List<string>(tx.Signers.Count);
        for (int i = 0; i < tx.Signers.Count; i++)
        {
            var account = s.Accounts[i];
            account.Sequence++;
            accounts.SetAccount(ctx, account);
            seqs.Add($"{account.Address}/{account.Sequence - 1}");
        }
        foreach (var seq in seqs) ctx.Events.Emit(SdkEvent.Of("tx", ("acc_seq", seq)));
    }

    /// <exception cref="SdkError">Not a 33-byte /cosmos.crypto.secp256k1.PubKey (code 8).</exception>
    public static byte[] ReadSecp256k1PubKey(Any any)
    {
        if (any.TypeUrl != AuthKeys.Secp256k1PubKeyTypeUrl) throw SdkErrors.InvalidPubKey($"unsupported key type {any.TypeUrl}");
        Secp256k1PubKey key;
        try { key = Secp256k1PubKey.Parser.ParseFrom(any.Value.Span); }
        catch (InvalidProtocolBufferException e) { throw SdkErrors.InvalidPubKey(e.Message); }
        if (key.Key.Length != 33 || key.Key[0] is not (0x02 or 0x03))
            throw SdkErrors.InvalidPubKey($"secp256k1 public key must be 33 compressed bytes, got {key.Key.Length}");
        return key.Key.ToByteArray();
    }
}
