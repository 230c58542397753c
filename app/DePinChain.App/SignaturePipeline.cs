using System.Runtime.ExceptionServices;
using DePinChain.Modules.Auth;
using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using DePinChain.Sdk;
using DePinChain.Store;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace DePinChain.App;

/// <summary>A tx of the block as execution needs it: decoded (or why not), and the signature verdicts found ahead.</summary>
/// <param name="Validation">ValidateBasic's outcome computed ahead (null: not run yet).</param>
internal sealed record PreparedTx(DecodedTx? Tx, SdkError? Error, ISignatureVerifier Signatures, StatelessValidation? Validation = null);

/// <summary>The outcome of the stateless ValidateBasic: passed, or the exception it threw, rethrown where it would run.</summary>
internal sealed record StatelessValidation(ExceptionDispatchInfo? Failure)
{
    public static readonly StatelessValidation Passed = new((ExceptionDispatchInfo?)null);
}

/// <summary>
/// Prepares a block's txs on the other cores, in tx order, while the block executor runs them: decode, ValidateBasic,
/// and every signature the execution will ask about (the tx signers' and those its messages declare). It reads only
/// committed state (the signers' accounts as the block starts), which any thread may read while the block writes the
/// working state; a verdict is used only for the exact check it was made for, so results equal sequential execution.
/// </summary>
internal sealed class SignaturePipeline(
    CommittedState committed, ChainSettings chain, AnteHandler ante, MsgRouter router, AccountKeeper accounts, AppOptions options, ILogger logger)
{
    /// <summary>
    /// Starts preparing the block's txs on the other cores (none when <see cref="AppOptions.ParallelSignatureVerification"/>
    /// is off: then each tx is only decoded, when execution reaches it, and every signature is verified when asked).
    /// </summary>
    public OrderedPipeline<PreparedTx> Start(IList<ByteString> txs)
    {
        if (!options.ParallelSignatureVerification)
            return new OrderedPipeline<PreparedTx>(txs.Count, i => Prepare(txs[i], null), workers: 0);
        // The signers' accounts come from the last committed version, which any thread may read while this one
        // executes on the working state. Before the first commit there is none: tx signatures are then verified
        // during execution (messages' own checks still run ahead).
        long height = committed.LatestHeight;
        string chainId = chain.ChainId;
        var lookup = new AccountLookup(
            height == 0 ? null : committed.ViewAt(height), new BlockHeader(chainId, height, DateTimeOffset.UnixEpoch), chainId);
        return new OrderedPipeline<PreparedTx>(txs.Count, i => Prepare(txs[i], lookup), OrderedPipeline<PreparedTx>.DefaultWorkers);
    }

    private sealed record AccountLookup(IMultiStore? CommittedView, BlockHeader Header, string ChainId);

    /// <summary>
    /// Decodes one tx and verifies ahead what its execution will ask about: each signer's signature with the key and
    /// account number committed state has (the ante chain's check matches only if execution sees the same ones), and
    /// the checks its messages declare. Pure: depends on the bytes, the chain id and committed state.
    /// </summary>
    private PreparedTx Prepare(ByteString bytes, AccountLookup? lookup)
    {
        DecodedTx tx;
        try
        {
            tx = DecodedTx.Decode(AbciConvert.ArrayOf(bytes), router);
        }
        catch (SdkError e)
        {
            return new PreparedTx(null, e, DirectSignatureVerifier.Instance);
        }
        if (lookup is null) return new PreparedTx(tx, null, DirectSignatureVerifier.Instance);

        // Stateless, so it can run ahead too: its outcome (pass or the exact exception) is replayed at its place.
        StatelessValidation validation;
        try
        {
            ante.ValidateBasic(tx);
            validation = StatelessValidation.Passed;
        }
        catch (Exception e) when (TxRunner.IsDeterministicFault(e)) // SdkError included; faults of the node itself propagate
        {
            validation = new StatelessValidation(ExceptionDispatchInfo.Capture(e));
        }

        var verdicts = new SignatureVerdicts();
        if (lookup.CommittedView is { } view && tx.Raw.Signatures.Count == tx.Signers.Count && tx.AuthInfo.SignerInfos.Count == tx.Signers.Count)
        {
            var ctx = new Context(view, lookup.Header, ExecMode.Query, GasMeter.Infinite(), new EventManager(), logger);
            for (int s = 0; s < tx.Signers.Count; s++) PrecomputeSignerCheck(ctx, tx, s, lookup.ChainId, verdicts);
        }
        foreach (var (msg, route) in tx.Messages)
        {
            if (!route.HasSignatureChecks) continue;
            IReadOnlyList<SignatureCheck> checks;
            try { checks = route.SignatureChecks(msg, lookup.ChainId); }
            catch (Exception e) when (TxRunner.IsDeterministicFault(e)) { continue; } // malformed: the handler reports it
            foreach (var check in checks) verdicts.Precompute(check);
        }
        return new PreparedTx(tx, null, verdicts.Count == 0 ? DirectSignatureVerifier.Instance : verdicts, validation);
    }

    private void PrecomputeSignerCheck(Context committedCtx, DecodedTx tx, int signer, string chainId, SignatureVerdicts verdicts)
    {
        BaseAccount? account;
        try
        {
            account = accounts.GetAccount(committedCtx, tx.Signers[signer]);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return; // no verdict; the ante chain reads the account itself and reports (or crashes on) the problem
        }
        if (account is null) return;
        var keyInTx = tx.AuthInfo.SignerInfos[signer].PublicKey;
        var keyAny = keyInTx ?? account.PubKey;
        if (keyAny is null) return;
        byte[] key;
        try { key = tx.Secp256k1KeyOf(signer, keyAny); }
        catch (SdkError) { return; }
        // Also pure work the ante chain would otherwise do sequentially: the key's address.
        if (keyInTx is not null) tx.AddressOfSignerKey(signer, key);
        verdicts.Precompute(new SignatureCheck(SignatureAlgorithm.Secp256k1Digest, key,
            tx.SignBytesHash(chainId, account.AccountNumber), tx.Raw.Signatures[signer].Memory));
    }
}
