using System.Diagnostics;
using DePinChain.Protos.Abci;
using DePinChain.Sdk;
using DePinChain.Store;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace DePinChain.App;

/// <summary>
/// FinalizeBlock and Commit: begin-blockers → txs (each on its own branch of the block branch, signatures verified
/// ahead by the <see cref="SignaturePipeline"/>) → end-blockers → the block branch written into the working state →
/// app hash; Commit persists it. The consensus connection's part that writes state: called one at a time.
/// </summary>
internal sealed class BlockExecutor(
    ICommitMultiStore store, CommittedState committed, AppModules modules, TxRunner runner, SignaturePipeline signatures, ChainSettings chain, AppOptions options, ILogger logger)
{
    // The time of the block FinalizeBlock executed, recorded for its height at Commit.
    private DateTimeOffset? _finalizedTime;

    public ResponseFinalizeBlock FinalizeBlock(RequestFinalizeBlock request)
    {
        long expected = store.LastCommitId.Version + 1;
        if (request.Height != expected)
            throw new InvalidOperationException($"FinalizeBlock for height {request.Height}, but the next height is {expected}");
        var started = Stopwatch.GetTimestamp();
        var votes = request.DecidedLastCommit?.Votes.Select(v => new DePinChain.Sdk.VoteInfo(
            v.Validator?.Address.ToByteArray() ?? [], v.Validator?.Power ?? 0,
            v.BlockIdFlag == DePinChain.Protos.Types.BlockIDFlag.Commit,
            v.BlockIdFlag is DePinChain.Protos.Types.BlockIDFlag.Absent or DePinChain.Protos.Types.BlockIDFlag.Unknown)).ToArray() ?? [];
        var evidence = request.Misbehavior.Select(m => new DePinChain.Sdk.Misbehavior((MisbehaviorKind)(int)m.Type,
            m.Validator?.Address.ToByteArray() ?? [], m.Validator?.Power ?? 0, m.Height, AbciConvert.Time(m.Time), m.TotalVotingPower)).ToArray();
        var header = new BlockHeader(chain.ChainId, request.Height, AbciConvert.Time(request.Time),
            request.Hash.ToByteArray(), request.ProposerAddress.ToByteArray(), votes,
            request.NextValidatorsHash.ToByteArray(), LastAppHash(), evidence);
        _finalizedTime = header.Time;
        long blockMaxGas = chain.BlockMaxGas;
        var block = store.Branch();
        var response = new ResponseFinalizeBlock();

        var blockCtx = NewContext(block, header);
        foreach (var hook in modules.BeginBlockers) hook.BeginBlock(blockCtx);
        response.Events.AddRange(AbciConvert.Events(blockCtx.Events.Events, options.IndexEvents));

        // Decoding and signature checks run ahead on the other cores, in tx order, while this thread executes; it
        // takes each tx's preparation when it gets there (doing it itself if no worker has started it).
        ulong blockGas = 0;
        int failed = 0;
        // One tx branch serves the whole block: emptied before each tx, it is a fresh branch of the block each time.
        var txBranch = block.Branch();
        using (var pipeline = signatures.Start(request.Txs))
        {
            for (int i = 0; i < request.Txs.Count; i++)
            {
                var prepared = pipeline.Take(i);
                TxOutcome outcome;
                if (prepared.Error is { } decodeError)
                {
                    outcome = TxOutcome.Failed(decodeError, 0, 0, []);
                }
                else if (blockMaxGas > 0 && blockGas + prepared.Tx!.GasLimit > (ulong)blockMaxGas)
                {
                    outcome = TxOutcome.Failed(SdkErrors.OutOfGas($"block gas limit {blockMaxGas} reached"), prepared.Tx!.GasLimit, 0, []);
                }
                else
                {
                    outcome = runner.Execute(block, header, ExecMode.Finalize, prepared.Tx!, prepared.Signatures, prepared.Validation, txBranch);
                }
                blockGas += outcome.GasWanted;
                if (outcome.Code != 0) failed++;
                response.TxResults.Add(new ExecTxResult
                {
                    Code = outcome.Code,
                    Codespace = outcome.Codespace,
                    Log = outcome.Log,
                    Data = outcome.Data,
                    GasWanted = (long)outcome.GasWanted,
                    GasUsed = (long)outcome.GasUsed,
                    Events = { outcome.Events },
                });
            }
        }
        var executed = Stopwatch.GetTimestamp();

        var endCtx = NewContext(block, header);
        foreach (var hook in modules.EndBlockers) hook.EndBlock(endCtx);
        if (modules.ValidatorSet is { } validatorSet)
            response.ValidatorUpdates.AddRange(AbciConvert.ValidatorUpdates(validatorSet.EndBlockValidatorUpdates(endCtx)));
        response.Events.AddRange(AbciConvert.Events(endCtx.Events.Events, options.IndexEvents));

        block.Write();
        byte[] appHash = store.WorkingHash();
        response.AppHash = ByteString.CopyFrom(appHash);
        var done = Stopwatch.GetTimestamp();
        logger.LogInformation(
            "FinalizeBlock height={Height} txs={TxCount} failed={Failed} app_hash={AppHash} execute_ms={ExecuteMs:F1} total_ms={TotalMs:F1}",
            request.Height, request.Txs.Count, failed, Convert.ToHexString(appHash),
            Stopwatch.GetElapsedTime(started, executed).TotalMilliseconds, Stopwatch.GetElapsedTime(started, done).TotalMilliseconds);
        return response;
    }

    /// <summary>Persists the working state as the next version (one atomic write in the store).</summary>
    public ResponseCommit Commit()
    {
        var started = Stopwatch.GetTimestamp();
        var id = store.Commit();
        if (_finalizedTime is { } time) committed.RecordBlockTime(id.Version, time);
        long retain = options.MinRetainBlocks > 0 ? Math.Max(0, id.Version - options.MinRetainBlocks) : 0;
        var phases = store.LastCommitTimings;
        // With write-behind, stage and write are the previous height's, done meanwhile on another thread.
        logger.LogInformation("Commit height={Height} app_hash={AppHash} retain_height={Retain} ms={Ms:F1} waited_ms={WaitedMs:F1} seal_ms={SealMs:F1} stage_ms={StageMs:F1} write_ms={WriteMs:F1} write_behind={WriteBehind}",
            id.Version, Convert.ToHexString(id.Hash), retain, Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            phases.Waited.TotalMilliseconds, phases.Seal.TotalMilliseconds, phases.Stage.TotalMilliseconds, phases.Write.TotalMilliseconds, phases.WriteBehind);
        return new ResponseCommit { RetainHeight = retain };
    }

    // The app hash this block's header carries: the last commit's, or at the first block genesis's (InitChain's answer,
    // still the working state's hash: genesis is persisted with block 1).
    private byte[] LastAppHash() => store.LastCommitId.Version == 0 ? store.WorkingHash() : store.LastCommitId.Hash ?? [];

    private Context NewContext(IMultiStore state, BlockHeader header)
        => new(state, header, ExecMode.Finalize, GasMeter.Infinite(), new EventManager(), logger);
}
