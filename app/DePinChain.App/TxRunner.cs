using System.Collections.Concurrent;
using DePinChain.Protos.Cosmos.Base.Abci.V1Beta1;
using DePinChain.Sdk;
using DePinChain.Store;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using AbciEvent = DePinChain.Protos.Abci.Event;

namespace DePinChain.App;

/// <summary>What running one tx came to: the result fields CheckTx, FinalizeBlock and simulate answer with.</summary>
/// <param name="Result">The full result, only for simulation.</param>
internal sealed record TxOutcome(uint Code, string Codespace, string Log, ByteString Data, ulong GasWanted, ulong GasUsed, IReadOnlyList<AbciEvent> Events, Result? Result)
{
    public static TxOutcome Failed(SdkError e, ulong wanted, ulong used, IReadOnlyList<AbciEvent> events)
        => new(e.Code, e.Codespace, e.Message, ByteString.Empty, wanted, used, events, null);
}

/// <summary>
/// Runs one tx the SDK's way (its runTx): decode → ValidateBasic → ante chain on a branch → messages on a branch,
/// each phase written to the parent only if it succeeds. CheckTx, the proposals, FinalizeBlock and simulation all run
/// txs through here; the mode decides how far a tx goes. Holds no state of its own: safe from any thread, on
/// whatever state the caller may touch.
/// </summary>
internal sealed class TxRunner(AnteHandler ante, MsgRouter router, EventIndexing indexing, ILogger logger, IReadOnlyList<IMempoolTxCheck>? mempoolChecks = null)
{
    /// <summary>Decodes and runs one tx on a branch of <paramref name="parent"/>; state changes reach the parent per the SDK's rules.</summary>
    public TxOutcome Run(IMultiStore parent, BlockHeader header, ExecMode mode, byte[] bytes)
    {
        DecodedTx decoded;
        try
        {
            decoded = DecodedTx.Decode(bytes, router);
        }
        catch (SdkError e)
        {
            return TxOutcome.Failed(e, 0, 0, []);
        }
        return Execute(parent, header, mode, decoded);
    }

    /// <summary>
    /// ValidateBasic, then the ante chain on a branch (written to <paramref name="parent"/> if it passes), then the
    /// messages on the same, emptied branch (written only if all succeed). CheckTx and proposal checks stop after
    /// the ante, like the SDK: the mempool tracks fees and sequences, not message effects.
    /// </summary>
    /// <param name="signatures">Signature verdicts found ahead of execution (null: verify when asked).</param>
    /// <param name="validated">ValidateBasic's outcome found ahead of execution (null: run it here).</param>
    /// <param name="reusableBranch">A branch of <paramref name="parent"/> to run on (emptied first) instead of a new one.</param>
    public TxOutcome Execute(IMultiStore parent, BlockHeader header, ExecMode mode, DecodedTx tx, ISignatureVerifier? signatures = null,
        StatelessValidation? validated = null, ICacheMultiStore? reusableBranch = null)
    {
        ulong gasWanted = tx.GasLimit;
        // Simulation measures gas, so it must not run out of it.
        var meter = mode == ExecMode.Simulate ? GasMeter.Infinite() : new GasMeter(Math.Max(1, gasWanted));
        var anteEvents = new EventManager();
        // One branch serves both phases: written after the ante, it is empty again and takes the messages' writes.
        reusableBranch?.Discard(); // what a failed tx before left behind
        var branch = reusableBranch ?? parent.Branch();
        try
        {
            if (validated is null) ante.ValidateBasic(tx, simulate: mode == ExecMode.Simulate);
            else validated.Failure?.Throw();
            var anteCtx = NewContext(branch, header, mode, meter, anteEvents, signatures);
            ante.Run(anteCtx, tx);
            if (mode is ExecMode.CheckTx or ExecMode.ReCheckTx && mempoolChecks is { Count: > 0 })
            {
                var messages = tx.Messages.Select(m => m.Msg).ToArray();
                foreach (var check in mempoolChecks) check.Check(anteCtx, messages);
            }
            branch.Write();
        }
        catch (SdkError e)
        {
            return TxOutcome.Failed(e, gasWanted, meter.Consumed, []);
        }
        catch (OutOfGasException e)
        {
            return TxOutcome.Failed(SdkErrors.OutOfGas(e.Message), gasWanted, meter.Consumed, []);
        }
        catch (Exception e) when (IsDeterministicFault(e))
        {
            logger.LogError(e, "ante handler threw at height {Height}", header.Height);
            return TxOutcome.Failed(SdkErrors.Internal($"ante handler failed: {e.GetType().Name}: {e.Message}"), gasWanted, meter.Consumed, []);
        }

        if (mode is ExecMode.CheckTx or ExecMode.ReCheckTx or ExecMode.PrepareProposal)
            return new TxOutcome(0, "", "", ByteString.Empty, gasWanted, meter.Consumed, AbciConvert.Events(anteEvents.Events, indexing), null);

        var msgEvents = new EventManager();
        try
        {
            var ctx = NewContext(branch, header, mode, meter, msgEvents, signatures);
            var data = new TxMsgData();
            foreach (var (msg, route) in tx.Messages)
            {
                ctx.Events.Emit(SdkEvent.Of("message", ("action", route.TypeUrl)));
                data.MsgResponses.Add(PackResponse(route.Handle(ctx, msg)));
            }
            branch.Write();
            var events = AbciConvert.Events(anteEvents.Events, msgEvents.Events, indexing);
            // Only simulation returns the full result; blocks need just the data bytes and events.
            var result = mode == ExecMode.Simulate ? new Result { Log = "", Events = { events }, MsgResponses = { data.MsgResponses } } : null;
            return new TxOutcome(0, "", "", Serialize(data), gasWanted, meter.Consumed, events, result);
        }
        catch (SdkError e)
        {
            return TxOutcome.Failed(e.Wrap("failed to execute message"), gasWanted, meter.Consumed, AbciConvert.Events(anteEvents.Events, indexing));
        }
        catch (OutOfGasException e)
        {
            return TxOutcome.Failed(SdkErrors.OutOfGas(e.Message), gasWanted, meter.Consumed, AbciConvert.Events(anteEvents.Events, indexing));
        }
        catch (Exception e) when (IsDeterministicFault(e))
        {
            // A handler bug hit by one tx must fail that tx, the same way on every node (the SDK recovers panics
            // in runTx likewise), not halt the chain. Faults of the node itself (storage) are not caught: they crash.
            logger.LogError(e, "message handler threw at height {Height}", header.Height);
            return TxOutcome.Failed(SdkErrors.Internal($"message handler failed: {e.GetType().Name}: {e.Message}"), gasWanted, meter.Consumed, AbciConvert.Events(anteEvents.Events, indexing));
        }
    }

    /// <summary>Exceptions that depend only on the tx and state (handler bugs), as opposed to faults of this node.</summary>
    public static bool IsDeterministicFault(Exception e)
        => e is not (StoreCorruptedException or VersionNotFoundException or DePinChain.Store.Backend.LevelDb.LevelDbException
            or IOException or OutOfMemoryException or InsufficientExecutionStackException
            or System.Runtime.InteropServices.ExternalException);

    private Context NewContext(IMultiStore store, BlockHeader header, ExecMode mode, GasMeter meter, EventManager events, ISignatureVerifier? signatures)
        => new(store, header, mode, meter, events, logger, signatures: signatures);

    /// <summary>The message's bytes written straight into their array (ToByteString would go through an output stream).</summary>
    private static ByteString Serialize(IMessage message)
    {
        int size = message.CalculateSize();
        if (size == 0) return ByteString.Empty;
        var bytes = new byte[size];
        message.WriteTo(bytes.AsSpan());
        return UnsafeByteOperations.UnsafeWrap(bytes);
    }

    private static readonly ConcurrentDictionary<MessageDescriptor, string> ResponseTypeUrls = new();

    /// <summary>The same Any as <c>Any.Pack(response, "")</c>, with the type URL built once per message type.</summary>
    private static Any PackResponse(IMessage response)
        => new()
        {
            TypeUrl = ResponseTypeUrls.GetOrAdd(response.Descriptor, static d => "/" + d.FullName),
            Value = Serialize(response),
        };
}
