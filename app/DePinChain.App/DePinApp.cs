using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using DePinChain.Abci;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using DePinChain.Protos.Cosmos.Base.Abci.V1Beta1;
using DePinChain.Protos.Cosmos.Tx.V1Beta1;
using DePinChain.Sdk;
using DePinChain.Store;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using AbciEvent = DePinChain.Protos.Abci.Event;
using AbciEventAttribute = DePinChain.Protos.Abci.EventAttribute;

namespace DePinChain.App;

/// <summary>
/// The ABCI application (the SDK's BaseApp): block lifecycle, tx pipeline (decode → validate → ante → messages),
/// the mempool state for CheckTx, and query routing. Consensus methods are called one at a time by the transport;
/// CheckTx and Query run beside them on committed state only.
/// </summary>
public sealed class DePinApp : IAbciApplication
{
    public const string AppName = "depinchain";
    public const ulong AppVersion = 1;

    private static readonly byte[] ChainIdKey = [0x01];
    private static readonly byte[] ConsensusParamsKey = [0x02];

    private readonly ICommitMultiStore _store;
    private readonly AppOptions _options;
    private readonly ILogger _logger;
    private readonly MsgRouter _msgRouter = new();
    private readonly QueryRouter _queryRouter = new();
    private readonly AnteHandler _ante;
    private readonly object _checkLock = new();

    private string _chainId;
    private long _blockMaxGas;
    private CheckState? _checkState;

    /// <summary>The mempool's view: a branch of the last committed version, replaced after every Commit.</summary>
    private sealed record CheckState(long Height, ICacheMultiStore Branch);

    /// <param name="modules">The wired modules; null = <c>new AppModules()</c> (tests pass their own coverage/device sources).</param>
    public DePinApp(ICommitMultiStore store, AppOptions? options = null, ILogger<DePinApp>? logger = null, string version = "dev", AppModules? modules = null)
    {
        _store = store;
        _options = options ?? new AppOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Version = version;
        Modules = modules ?? new AppModules();
        Modules.RegisterRoutes(_msgRouter, _queryRouter);
        _ante = new AnteHandler(Modules.AccountKeeper, Modules.BankKeeper, _options);

        var baseApp = _store.GetStore(AppModules.BaseAppStoreName);
        _chainId = baseApp.Get(ChainIdKey) is { } id ? Encoding.UTF8.GetString(id) : "";
        _blockMaxGas = ReadBlockMaxGas(baseApp);
        if (_store.LastCommitId.Version > 0) ResetCheckState();
    }

    public AppModules Modules { get; }

    public string Version { get; }

    public string ChainId => _chainId;

    public MsgRouter MsgRouter => _msgRouter;

    public QueryRouter QueryRouter => _queryRouter;

    // ---------------------------------------------------------------- Info / InitChain

    public ResponseInfo Info(RequestInfo request)
    {
        var last = _store.LastCommitId;
        return new ResponseInfo
        {
            Data = AppName,
            Version = Version,
            AppVersion = AppVersion,
            LastBlockHeight = last.Version,
            LastBlockAppHash = ByteString.CopyFrom(last.Version == 0 ? [] : last.Hash),
        };
    }

    public ResponseInitChain InitChain(RequestInitChain request)
    {
        if (_store.LastCommitId.Version != 0)
            throw new InvalidOperationException($"InitChain at height {_store.LastCommitId.Version}: the chain is already initialized");
        if (string.IsNullOrEmpty(request.ChainId)) throw new InvalidOperationException("InitChain without a chain id");

        var genesisStates = ReadAppState(request.AppStateBytes);
        var branch = _store.Branch();
        var ctx = NewContext(branch, new BlockHeader(request.ChainId, request.InitialHeight, ToTime(request.Time)), ExecMode.Genesis, GasMeter.Infinite());
        var baseApp = branch.GetStore(AppModules.BaseAppStoreName);
        baseApp.Set(ChainIdKey, Encoding.UTF8.GetBytes(request.ChainId));
        if (request.ConsensusParams is not null) baseApp.Set(ConsensusParamsKey, request.ConsensusParams.ToByteArray());
        foreach (var module in Modules.Modules)
        {
            string json = genesisStates.GetValueOrDefault(module.Name) ?? module.DefaultGenesis();
            try
            {
                module.ValidateGenesis(json);
                module.InitGenesis(ctx, json);
            }
            catch (SdkError e)
            {
                throw new InvalidOperationException($"genesis of module {module.Name} is invalid: {e.Message}", e);
            }
        }
        // Written into the working state only; the first Commit persists genesis together with block 1.
        branch.Write();
        _chainId = request.ChainId;
        _blockMaxGas = request.ConsensusParams?.Block?.MaxGas ?? 0;
        byte[] appHash = _store.WorkingHash();
        _logger.LogInformation("InitChain chain_id={ChainId} modules={Modules} app_hash={AppHash}",
            request.ChainId, string.Join(",", Modules.Modules.Select(m => m.Name)), Convert.ToHexString(appHash));
        var response = new ResponseInitChain { AppHash = ByteString.CopyFrom(appHash) };
        response.Validators.AddRange(request.Validators);
        return response;
    }

    private Dictionary<string, string> ReadAppState(ByteString appStateBytes)
    {
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        if (appStateBytes.IsEmpty) return states;
        try
        {
            using var doc = JsonDocument.Parse(appStateBytes.Memory);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidOperationException("app_state must be a JSON object");
            var known = Modules.Modules.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (!known.Contains(property.Name)) throw new InvalidOperationException($"app_state has an unknown module \"{property.Name}\"");
                states[property.Name] = property.Value.GetRawText();
            }
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"app_state is not valid JSON: {e.Message}", e);
        }
        return states;
    }

    /// <summary>Exports every module's genesis from the latest committed state (the app_state JSON object).</summary>
    public string ExportAppState() => ExportAppState(0);

    /// <summary>Exports every module's genesis from the state committed at <paramref name="height"/> (0 = latest).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, or above the latest committed height.</exception>
    /// <exception cref="VersionNotFoundException">That height was pruned.</exception>
    public string ExportAppState(long height)
    {
        long latest = _store.LastCommitId.Version;
        if (height < 0 || height > latest)
            throw new ArgumentOutOfRangeException(nameof(height), height, $"cannot export height {height}; latest committed height is {latest}");
        if (height == 0) height = latest;
        var view = _store.ViewAt(height);
        var ctx = NewContext(view.Branch(), new BlockHeader(_chainId, height, DateTimeOffset.UnixEpoch), ExecMode.Query, GasMeter.Infinite());
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            foreach (var module in Modules.Modules)
            {
                writer.WritePropertyName(module.Name);
                using var doc = JsonDocument.Parse(module.ExportGenesis(ctx));
                doc.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    // ---------------------------------------------------------------- CheckTx

    public ResponseCheckTx CheckTx(RequestCheckTx request)
    {
        var mode = request.Type == CheckTxType.Recheck ? ExecMode.ReCheckTx : ExecMode.CheckTx;
        lock (_checkLock)
        {
            var state = Volatile.Read(ref _checkState);
            if (state is null)
                return CheckTxError(SdkErrors.InvalidRequest("the chain has no committed block yet; retry after the first block"), 0, 0);
            var header = new BlockHeader(_chainId, state.Height + 1, DateTimeOffset.UnixEpoch);
            var outcome = RunTx(state.Branch, header, mode, ArrayOf(request.Tx), null);
            return new ResponseCheckTx
            {
                Code = outcome.Code,
                Codespace = outcome.Codespace,
                Log = outcome.Log,
                GasWanted = (long)outcome.GasWanted,
                GasUsed = (long)outcome.GasUsed,
                Events = { outcome.Events },
            };
        }
    }

    private static ResponseCheckTx CheckTxError(SdkError e, ulong wanted, ulong used)
        => new() { Code = e.Code, Codespace = e.Codespace, Log = e.Message, GasWanted = (long)wanted, GasUsed = (long)used };

    private void ResetCheckState()
    {
        long height = _store.LastCommitId.Version;
        var view = _store.ViewAt(height);
        Volatile.Write(ref _checkState, new CheckState(height, view.Branch()));
    }

    // ---------------------------------------------------------------- Proposals

    public ResponsePrepareProposal PrepareProposal(RequestPrepareProposal request)
    {
        // Each candidate is checked (decode, validate, ante) on a scratch branch in order, so sequences chain the
        // way they will in FinalizeBlock; invalid ones are dropped and the total stays within max_tx_bytes.
        var scratch = _store.Branch();
        var header = new BlockHeader(_chainId, request.Height, ToTime(request.Time));
        var response = new ResponsePrepareProposal();
        long total = 0;
        long maxBytes = request.MaxTxBytes > 0 ? request.MaxTxBytes : long.MaxValue;
        ulong gasWanted = 0;
        foreach (var tx in request.Txs)
        {
            if (tx.Length > _options.MaxTxBytes || total + tx.Length > maxBytes) continue;
            var outcome = RunTx(scratch, header, ExecMode.PrepareProposal, ArrayOf(tx), null);
            if (outcome.Code != 0) continue;
            if (_blockMaxGas > 0 && gasWanted + outcome.GasWanted > (ulong)_blockMaxGas) continue;
            gasWanted += outcome.GasWanted;
            total += tx.Length;
            response.Txs.Add(tx);
        }
        return response;
    }

    public ResponseProcessProposal ProcessProposal(RequestProcessProposal request)
    {
        // Deterministic and cheap: only what PrepareProposal guarantees (decodable, not oversized). A proposal with
        // txs that fail later is still valid; each such tx gets its failing result in FinalizeBlock.
        foreach (var tx in request.Txs)
        {
            if (tx.Length > _options.MaxTxBytes) return Reject($"tx of {tx.Length} bytes exceeds {_options.MaxTxBytes}");
            try
            {
                DecodedTx.Decode(ArrayOf(tx), _msgRouter);
            }
            catch (SdkError e)
            {
                return Reject(e.Message);
            }
        }
        return new ResponseProcessProposal { Status = ResponseProcessProposal.Types.ProposalStatus.Accept };

        ResponseProcessProposal Reject(string reason)
        {
            _logger.LogWarning("ProcessProposal rejects block at height {Height}: {Reason}", request.Height, reason);
            return new ResponseProcessProposal { Status = ResponseProcessProposal.Types.ProposalStatus.Reject };
        }
    }

    public ResponseExtendVote ExtendVote(RequestExtendVote request) => new();

    public ResponseVerifyVoteExtension VerifyVoteExtension(RequestVerifyVoteExtension request)
        => new() { Status = ResponseVerifyVoteExtension.Types.VerifyStatus.Accept };

    // ---------------------------------------------------------------- FinalizeBlock / Commit

    public ResponseFinalizeBlock FinalizeBlock(RequestFinalizeBlock request)
    {
        long expected = _store.LastCommitId.Version + 1;
        if (request.Height != expected)
            throw new InvalidOperationException($"FinalizeBlock for height {request.Height}, but the next height is {expected}");
        var started = Stopwatch.GetTimestamp();
        var votes = request.DecidedLastCommit?.Votes.Select(v => new DePinChain.Sdk.VoteInfo(
            v.Validator?.Address.ToByteArray() ?? [], v.Validator?.Power ?? 0,
            v.BlockIdFlag == DePinChain.Protos.Types.BlockIDFlag.Commit)).ToArray() ?? [];
        var header = new BlockHeader(_chainId, request.Height, ToTime(request.Time),
            request.Hash.ToByteArray(), request.ProposerAddress.ToByteArray(), votes);
        var block = _store.Branch();
        var response = new ResponseFinalizeBlock();

        var blockCtx = NewContext(block, header, ExecMode.Finalize, GasMeter.Infinite());
        foreach (var hook in Modules.BeginBlockers) hook.BeginBlock(blockCtx);
        response.Events.AddRange(ToAbciEvents(blockCtx.Events.Events));

        // Decoding and signature checks run ahead on the other cores, in tx order, while this thread executes; it
        // takes each tx's preparation when it gets there (doing it itself if no worker has started it).
        ulong blockGas = 0;
        int failed = 0;
        // One tx branch serves the whole block: emptied before each tx, it is a fresh branch of the block each time.
        var txBranch = block.Branch() as DePinChain.Store.Cache.CacheMultiStore;
        using (var pipeline = StartPreparation(request.Txs))
        {
            for (int i = 0; i < request.Txs.Count; i++)
            {
                var prepared = pipeline.Take(i);
                TxOutcome outcome;
                if (prepared.Error is { } decodeError)
                {
                    outcome = TxOutcome.Failed(decodeError, 0, 0, []);
                }
                else if (_blockMaxGas > 0 && blockGas + prepared.Tx!.GasLimit > (ulong)_blockMaxGas)
                {
                    outcome = TxOutcome.Failed(SdkErrors.OutOfGas($"block gas limit {_blockMaxGas} reached"), prepared.Tx!.GasLimit, 0, []);
                }
                else
                {
                    outcome = ExecuteDecoded(block, header, ExecMode.Finalize, prepared.Tx!, prepared.Signatures, prepared.Validation, txBranch);
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

        var endCtx = NewContext(block, header, ExecMode.Finalize, GasMeter.Infinite());
        foreach (var hook in Modules.EndBlockers) hook.EndBlock(endCtx);
        response.Events.AddRange(ToAbciEvents(endCtx.Events.Events));

        block.Write();
        byte[] appHash = _store.WorkingHash();
        response.AppHash = ByteString.CopyFrom(appHash);
        var done = Stopwatch.GetTimestamp();
        _logger.LogInformation(
            "FinalizeBlock height={Height} txs={TxCount} failed={Failed} app_hash={AppHash} execute_ms={ExecuteMs:F1} total_ms={TotalMs:F1}",
            request.Height, request.Txs.Count, failed, Convert.ToHexString(appHash),
            Stopwatch.GetElapsedTime(started, executed).TotalMilliseconds, Stopwatch.GetElapsedTime(started, done).TotalMilliseconds);
        return response;
    }

    public ResponseCommit Commit(RequestCommit request)
    {
        var started = Stopwatch.GetTimestamp();
        var id = _store.Commit();
        ResetCheckState();
        long retain = _options.MinRetainBlocks > 0 ? Math.Max(0, id.Version - _options.MinRetainBlocks) : 0;
        var phases = _store.LastCommitTimings;
        // With write-behind, stage and write are the previous height's, done meanwhile on another thread.
        _logger.LogInformation("Commit height={Height} app_hash={AppHash} retain_height={Retain} ms={Ms:F1} waited_ms={WaitedMs:F1} seal_ms={SealMs:F1} stage_ms={StageMs:F1} write_ms={WriteMs:F1} write_behind={WriteBehind}",
            id.Version, Convert.ToHexString(id.Hash), retain, Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            phases.Waited.TotalMilliseconds, phases.Seal.TotalMilliseconds, phases.Stage.TotalMilliseconds, phases.Write.TotalMilliseconds, phases.WriteBehind);
        return new ResponseCommit { RetainHeight = retain };
    }

    // ---------------------------------------------------------------- Tx pipeline

    /// <summary>A tx of the block as execution needs it: decoded (or why not), and the signature verdicts found ahead.</summary>
    /// <param name="Validation">ValidateBasic's outcome computed ahead (null: not run yet).</param>
    private sealed record PreparedTx(DecodedTx? Tx, SdkError? Error, ISignatureVerifier Signatures, StatelessValidation? Validation = null);

    /// <summary>The outcome of the stateless ValidateBasic: passed, or the exception it threw, rethrown where it would run.</summary>
    private sealed record StatelessValidation(ExceptionDispatchInfo? Failure)
    {
        public static readonly StatelessValidation Passed = new((ExceptionDispatchInfo?)null);
    }

    /// <summary>
    /// Starts preparing the block's txs on the other cores (none when <see cref="AppOptions.ParallelSignatureVerification"/>
    /// is off: then each tx is only decoded, when execution reaches it, and every signature is verified when asked).
    /// </summary>
    private OrderedPipeline<PreparedTx> StartPreparation(IList<ByteString> txs)
    {
        if (!_options.ParallelSignatureVerification)
            return new OrderedPipeline<PreparedTx>(txs.Count, i => Prepare(txs[i], null), workers: 0);
        // The signers' accounts come from the last committed version, which any thread may read while this one
        // executes on the working state. Before the first commit there is none: tx signatures are then verified
        // during execution (messages' own checks still run ahead).
        long committed = _store.LastCommitId.Version;
        var lookup = new AccountLookup(
            committed == 0 ? null : _store.ViewAt(committed), new BlockHeader(_chainId, committed, DateTimeOffset.UnixEpoch), _chainId);
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
            tx = DecodedTx.Decode(ArrayOf(bytes), _msgRouter);
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
            _ante.ValidateBasic(tx);
            validation = StatelessValidation.Passed;
        }
        catch (Exception e) when (IsDeterministicFault(e)) // SdkError included; faults of the node itself propagate
        {
            validation = new StatelessValidation(ExceptionDispatchInfo.Capture(e));
        }

        var verdicts = new SignatureVerdicts();
        if (lookup.CommittedView is { } view && tx.Raw.Signatures.Count == tx.Signers.Count && tx.AuthInfo.SignerInfos.Count == tx.Signers.Count)
        {
            var ctx = NewContext(view, lookup.Header, ExecMode.Query, GasMeter.Infinite());
            for (int s = 0; s < tx.Signers.Count; s++) PrecomputeSignerCheck(ctx, tx, s, lookup.ChainId, verdicts);
        }
        foreach (var (msg, route) in tx.Messages)
        {
            if (!route.HasSignatureChecks) continue;
            IReadOnlyList<SignatureCheck> checks;
            try { checks = route.SignatureChecks(msg, lookup.ChainId); }
            catch (Exception e) when (IsDeterministicFault(e)) { continue; } // malformed: the handler reports it
            foreach (var check in checks) verdicts.Precompute(check);
        }
        return new PreparedTx(tx, null, verdicts.Count == 0 ? DirectSignatureVerifier.Instance : verdicts, validation);
    }

    private void PrecomputeSignerCheck(Context committed, DecodedTx tx, int signer, string chainId, SignatureVerdicts verdicts)
    {
        BaseAccount? account;
        try
        {
            account = Modules.AccountKeeper.GetAccount(committed, tx.Signers[signer]);
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

    internal sealed record TxOutcome(uint Code, string Codespace, string Log, ByteString Data, ulong GasWanted, ulong GasUsed, IReadOnlyList<AbciEvent> Events, Result? Result)
    {
        public static TxOutcome Failed(SdkError e, ulong wanted, ulong used, IReadOnlyList<AbciEvent> events)
            => new(e.Code, e.Codespace, e.Message, ByteString.Empty, wanted, used, events, null);
    }

    /// <summary>Decodes and runs one tx on a branch of <paramref name="parent"/>; state changes reach the parent per the SDK's rules.</summary>
    private TxOutcome RunTx(IMultiStore parent, BlockHeader header, ExecMode mode, byte[] bytes, DecodedTx? decoded)
    {
        try
        {
            decoded ??= DecodedTx.Decode(bytes, _msgRouter);
        }
        catch (SdkError e)
        {
            return TxOutcome.Failed(e, 0, 0, []);
        }
        return ExecuteDecoded(parent, header, mode, decoded);
    }

    /// <summary>
    /// ValidateBasic, then the ante chain on a branch (written to <paramref name="parent"/> if it passes), then the
    /// messages on the same, emptied branch (written only if all succeed). CheckTx and proposal checks stop after
    /// the ante, like the SDK: the mempool tracks fees and sequences, not message effects.
    /// </summary>
    /// <param name="reusableBranch">A branch of <paramref name="parent"/> to run on (emptied first) instead of a new one.</param>
    private TxOutcome ExecuteDecoded(IMultiStore parent, BlockHeader header, ExecMode mode, DecodedTx tx, ISignatureVerifier? signatures = null,
        StatelessValidation? validated = null, DePinChain.Store.Cache.CacheMultiStore? reusableBranch = null)
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
            if (validated is null) _ante.ValidateBasic(tx, simulate: mode == ExecMode.Simulate);
            else validated.Failure?.Throw();
            _ante.Run(NewContext(branch, header, mode, meter, anteEvents, signatures), tx);
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
            _logger.LogError(e, "ante handler threw at height {Height}", header.Height);
            return TxOutcome.Failed(SdkErrors.Internal($"ante handler failed: {e.GetType().Name}: {e.Message}"), gasWanted, meter.Consumed, []);
        }

        if (mode is ExecMode.CheckTx or ExecMode.ReCheckTx or ExecMode.PrepareProposal)
            return new TxOutcome(0, "", "", ByteString.Empty, gasWanted, meter.Consumed, ToAbciEvents(anteEvents.Events), null);

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
            var events = ToAbciEvents(anteEvents.Events, msgEvents.Events);
            // Only simulation returns the full result; blocks need just the data bytes and events.
            var result = mode == ExecMode.Simulate ? new Result { Log = "", Events = { events }, MsgResponses = { data.MsgResponses } } : null;
            return new TxOutcome(0, "", "", Serialize(data), gasWanted, meter.Consumed, events, result);
        }
        catch (SdkError e)
        {
            return TxOutcome.Failed(e.Wrap("failed to execute message"), gasWanted, meter.Consumed, ToAbciEvents(anteEvents.Events));
        }
        catch (OutOfGasException e)
        {
            return TxOutcome.Failed(SdkErrors.OutOfGas(e.Message), gasWanted, meter.Consumed, ToAbciEvents(anteEvents.Events));
        }
        catch (Exception e) when (IsDeterministicFault(e))
        {
            // A handler bug hit by one tx must fail that tx, the same way on every node (the SDK recovers panics
            // in runTx likewise), not halt the chain. Faults of the node itself (storage) are not caught: they crash.
            _logger.LogError(e, "message handler threw at height {Height}", header.Height);
            return TxOutcome.Failed(SdkErrors.Internal($"message handler failed: {e.GetType().Name}: {e.Message}"), gasWanted, meter.Consumed, ToAbciEvents(anteEvents.Events));
        }
    }

    /// <summary>Exceptions that depend only on the tx and state (handler bugs), as opposed to faults of this node.</summary>
    private static bool IsDeterministicFault(Exception e)
        => e is not (StoreCorruptedException or VersionNotFoundException or DePinChain.Store.Backend.LevelDb.LevelDbException
            or IOException or OutOfMemoryException or InsufficientExecutionStackException
            or System.Runtime.InteropServices.ExternalException);

    // ---------------------------------------------------------------- Query

    public ResponseQuery Query(RequestQuery request)
    {
        long latest = _store.LastCommitId.Version;
        if (latest == 0) return QueryError(SdkErrors.InvalidRequest("no committed state yet; query after the first block"), 0);
        long height = request.Height == 0 ? latest : request.Height;
        if (height < 0 || height > latest)
            return QueryError(SdkErrors.InvalidRequest($"cannot query height {request.Height}; latest committed height is {latest}"), latest);
        try
        {
            if (request.Path.StartsWith("store/", StringComparison.Ordinal)) return QueryStore(request, height);
            if (request.Path == "app/version")
                return new ResponseQuery { Height = height, Value = ByteString.CopyFromUtf8(Version) };
            if (request.Path == "/cosmos.tx.v1beta1.Service/Simulate") return Simulate(request, height);
            var route = _queryRouter.Find(request.Path);
            if (route is null) return QueryError(SdkErrors.UnknownRequest($"unknown query path {request.Path}"), height);
            var view = _store.ViewAt(height);
            var ctx = NewContext(view.Branch(), new BlockHeader(_chainId, height, DateTimeOffset.UnixEpoch), ExecMode.Query, GasMeter.Infinite());
            return new ResponseQuery { Height = height, Value = ByteString.CopyFrom(route.Handle(ctx, request.Data)) };
        }
        catch (SdkError e)
        {
            return QueryError(e, height);
        }
        catch (VersionNotFoundException e)
        {
            return QueryError(SdkErrors.InvalidRequest(e.Message), height);
        }
    }

    private ResponseQuery QueryStore(RequestQuery request, long height)
    {
        // store/<name>/key: raw value of one key, with an ICS-23 proof chain when asked.
        var parts = request.Path.Split('/');
        if (parts.Length != 3 || parts[2] != "key")
            return QueryError(SdkErrors.UnknownRequest($"unknown store query {request.Path}; use store/<name>/key"), height);
        if (!_store.StoreNames.Contains(parts[1])) return QueryError(SdkErrors.UnknownRequest($"no store named {parts[1]}"), height);
        if (request.Data.IsEmpty) return QueryError(SdkErrors.InvalidRequest("store query needs a key in data"), height);
        var result = _store.Query(parts[1], request.Data.Span, height, request.Prove);
        var response = new ResponseQuery
        {
            Height = result.Version,
            Key = ByteString.CopyFrom(result.Key),
            Value = result.Value is null ? ByteString.Empty : ByteString.CopyFrom(result.Value),
        };
        if (request.Prove)
        {
            response.ProofOps = new DePinChain.Protos.Crypto.ProofOps();
            foreach (var op in result.ProofOps)
                response.ProofOps.Ops.Add(new DePinChain.Protos.Crypto.ProofOp { Type = op.Type, Key = ByteString.CopyFrom(op.Key), Data = ByteString.CopyFrom(op.Data) });
        }
        return response;
    }

    private ResponseQuery Simulate(RequestQuery request, long height)
    {
        SimulateRequest simulate;
        try { simulate = SimulateRequest.Parser.ParseFrom(request.Data); }
        catch (InvalidProtocolBufferException e) { return QueryError(SdkErrors.InvalidRequest($"cannot decode SimulateRequest: {e.Message}"), height); }
#pragma warning disable CS0612 // The deprecated tx field: older clients still send it.
        byte[] bytes = !simulate.TxBytes.IsEmpty
            ? simulate.TxBytes.ToByteArray()
            : simulate.Tx is { } tx
                ? new TxRaw { BodyBytes = tx.Body?.ToByteString() ?? ByteString.Empty, AuthInfoBytes = tx.AuthInfo?.ToByteString() ?? ByteString.Empty, Signatures = { tx.Signatures } }.ToByteArray()
                : throw SdkErrors.InvalidRequest("empty tx");
#pragma warning restore CS0612
        var view = _store.ViewAt(height);
        var outcome = RunTx(view.Branch(), new BlockHeader(_chainId, height + 1, DateTimeOffset.UnixEpoch), ExecMode.Simulate, bytes, null);
        if (outcome.Code != 0) return new ResponseQuery { Code = outcome.Code, Codespace = outcome.Codespace, Log = outcome.Log, Height = height };
        var response = new SimulateResponse
        {
            GasInfo = new GasInfo { GasWanted = outcome.GasWanted, GasUsed = outcome.GasUsed },
            Result = outcome.Result,
        };
        return new ResponseQuery { Height = height, Value = response.ToByteString() };
    }

    private static ResponseQuery QueryError(SdkError e, long height)
        => new() { Code = e.Code, Codespace = e.Codespace, Log = e.Message, Height = Math.Max(height, 1) };

    // ---------------------------------------------------------------- Snapshots (not offered)

    public ResponseListSnapshots ListSnapshots(RequestListSnapshots request) => new();

    public ResponseOfferSnapshot OfferSnapshot(RequestOfferSnapshot request)
        => new() { Result = ResponseOfferSnapshot.Types.Result.Reject };

    public ResponseLoadSnapshotChunk LoadSnapshotChunk(RequestLoadSnapshotChunk request) => new();

    public ResponseApplySnapshotChunk ApplySnapshotChunk(RequestApplySnapshotChunk request)
        => new() { Result = ResponseApplySnapshotChunk.Types.Result.Abort };

    // ---------------------------------------------------------------- helpers

    private Context NewContext(IMultiStore store, BlockHeader header, ExecMode mode, GasMeter meter, EventManager? events = null,
        ISignatureVerifier? signatures = null)
        => new(store, header, mode, meter, events ?? new EventManager(), _logger, signatures: signatures);

    private static DateTimeOffset ToTime(Timestamp? time) => time is null ? DateTimeOffset.UnixEpoch : time.ToDateTimeOffset();

    private static long ReadBlockMaxGas(IKVStore baseApp)
    {
        var bytes = baseApp.Get(ConsensusParamsKey);
        return bytes is null ? 0 : DePinChain.Protos.Types.ConsensusParams.Parser.ParseFrom(bytes).Block?.MaxGas ?? 0;
    }

    /// <summary>
    /// The bytes a ByteString holds, without a copy when it owns exactly one whole array (as parsed requests do).
    /// Tx bytes are only read, never written, so sharing them is safe.
    /// </summary>
    private static byte[] ArrayOf(ByteString bytes)
        => System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes.Memory, out var segment)
            && segment.Offset == 0 && segment.Array is { } array && segment.Count == array.Length
            ? array
            : bytes.ToByteArray();

    /// <summary>The message's bytes written straight into their array (ToByteString would go through an output stream).</summary>
    private static ByteString Serialize(IMessage message)
    {
        int size = message.CalculateSize();
        if (size == 0) return ByteString.Empty;
        var bytes = new byte[size];
        message.WriteTo(bytes.AsSpan());
        return UnsafeByteOperations.UnsafeWrap(bytes);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Google.Protobuf.Reflection.MessageDescriptor, string> ResponseTypeUrls = new();

    /// <summary>The same Any as <c>Any.Pack(response, "")</c>, with the type URL built once per message type.</summary>
    private static Any PackResponse(IMessage response)
        => new()
        {
            TypeUrl = ResponseTypeUrls.GetOrAdd(response.Descriptor, static d => "/" + d.FullName),
            Value = Serialize(response),
        };

    private static IReadOnlyList<AbciEvent> ToAbciEvents(IReadOnlyList<SdkEvent> events) => ToAbciEvents(events, []);

    /// <summary><paramref name="first"/> then <paramref name="then"/> converted, in one array.</summary>
    private static AbciEvent[] ToAbciEvents(IReadOnlyList<SdkEvent> first, IReadOnlyList<SdkEvent> then)
    {
        if (first.Count + then.Count == 0) return [];
        var result = new AbciEvent[first.Count + then.Count];
        ConvertInto(first, result, 0);
        ConvertInto(then, result, first.Count);
        return result;
    }

    private static void ConvertInto(IReadOnlyList<SdkEvent> events, AbciEvent[] into, int at)
    {
        for (int i = 0; i < events.Count; i++)
        {
            var e = new AbciEvent { Type = events[i].Type };
            var attributes = events[i].Attributes;
            e.Attributes.Capacity = attributes.Count;
            for (int a = 0; a < attributes.Count; a++)
                e.Attributes.Add(new AbciEventAttribute { Key = attributes[a].Key, Value = attributes[a].Value, Index = true });
            into[at + i] = e;
        }
    }
}
