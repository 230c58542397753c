using DePinChain.Abci;
using DePinChain.Comet;
using DePinChain.Comet.Hashing;
using DePinChain.Comet.Signing;
using DePinChain.Crypto;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Types;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;

namespace DePinChain.CometStandIn;

/// <summary>Settings of a <see cref="StandInNode"/>.</summary>
public sealed record StandInOptions
{
    /// <summary>ed25519 seeds of the validators this stand-in signs for; a validator whose key is missing is absent
    /// from every commit (so its power does not count).</summary>
    public IReadOnlyList<byte[]> ValidatorSeeds { get; init; } = [];

    /// <summary>Shared by the stand-ins of one test so their block times agree; null = a clock at genesis time.</summary>
    public StandInClock? Clock { get; init; }

    /// <summary>Each tx accepted by broadcast_tx_sync/async is put in a block at once (deterministic tests that wait
    /// for inclusion); off: blocks only when <see cref="StandInNode.ProduceBlockAsync"/> is called.</summary>
    public bool BlockOnBroadcast { get; init; }

    /// <summary>Serve CometBFT's RPC on a free 127.0.0.1 port.</summary>
    public bool ServeRpc { get; init; } = true;

    public string Moniker { get; init; } = "stand-in";
}

/// <summary>
/// Stands in for CometBFT v0.38 in tests: drives a real ABCI app over a real socket exactly as CometBFT's consensus
/// does (InitChain, then per height PrepareProposal → ProcessProposal → FinalizeBlock → Commit on the consensus
/// connection, CheckTx on the mempool connection, Query on the query connection) and produces real blocks: headers
/// with every hash CometBFT computes (via <see cref="HeaderFactory"/>), commits signed with the held validator keys over
/// the canonical vote sign bytes, validator updates taking effect at H+2. Blocks are made on demand, so a test decides
/// when time moves. Serves CometBFT's RPC (<see cref="CometRpcServer"/>).
/// </summary>
public sealed class StandInNode : IAsyncDisposable
{
    private readonly AbciSocketServer _server;
    private readonly AbciDriver _driver;
    private readonly StandInOptions _options;
    private readonly Dictionary<string, byte[]> _seedsByKey = new(StringComparer.Ordinal);
    private readonly List<StandInBlock> _blocks = [];
    private readonly List<byte[]> _mempool = [];
    private readonly Dictionary<string, (long Height, int Index)> _txIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<long, ValidatorRoster> _rosters = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private CometRpcServer? _rpc;
    private ByteString _appHash;
    private long _blockMaxBytes;
    private long _blockMaxGas;

    private StandInNode(IAbciApplication app, AbciSocketServer server, AbciDriver driver, StandInGenesis genesis, StandInOptions options)
    {
        App = app;
        _server = server;
        _driver = driver;
        Genesis = genesis;
        _options = options;
        Clock = options.Clock ?? new StandInClock(genesis.TimeOrZero);
        foreach (var seed in options.ValidatorSeeds)
            _seedsByKey[Convert.ToBase64String(Ed25519.PublicKeyFromSeed(seed))] = seed;
        _appHash = ByteString.Empty;
        _blockMaxBytes = genesis.BlockMaxBytes;
        _blockMaxGas = genesis.BlockMaxGas;
    }

    public IAbciApplication App { get; }

    public StandInGenesis Genesis { get; }

    public string ChainId => Genesis.ChainId;

    public StandInClock Clock { get; }

    /// <summary>The RPC's base URL (http://127.0.0.1:port); null when <see cref="StandInOptions.ServeRpc"/> is off.</summary>
    public string? RpcUrl => _rpc?.Url;

    /// <summary>The RPC server (its switches: catching_up, a block per status or per missed tx lookup); null when off.</summary>
    public CometRpcServer? Rpc => _rpc;

    public long Height => _blocks.Count == 0 ? 0 : _blocks[^1].Height;

    public long EarliestHeight => Genesis.InitialHeight;

    /// <summary>The app hash after the last committed block (the next header's app_hash).</summary>
    public ByteString AppHash => _appHash;

    public StandInOptions Options => _options;

    /// <summary>Txs accepted by CheckTx and not yet in a block.</summary>
    public int MempoolSize
    {
        get { lock (_mempool) return _mempool.Count; }
    }

    public IReadOnlyList<byte[]> MempoolTxs
    {
        get { lock (_mempool) return [.. _mempool]; }
    }

    /// <summary>Starts <paramref name="app"/> behind an ABCI socket server, runs InitChain and commits the first block.</summary>
    public static async Task<StandInNode> StartAsync(IAbciApplication app, StandInGenesis genesis, StandInOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(genesis);
        options ??= new StandInOptions();
        var server = new AbciSocketServer("tcp://127.0.0.1:0", app, NullLogger<AbciSocketServer>.Instance, e => throw e);
        server.Start();
        AbciDriver driver;
        try
        {
            driver = await AbciDriver.ConnectAsync(server.ListenAddress, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var node = new StandInNode(app, server, driver, genesis, options);
        try
        {
            await node.InitChainAsync(cancellationToken).ConfigureAwait(false);
            await node.ProduceBlockAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (options.ServeRpc) node._rpc = new CometRpcServer(node);
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return node;
    }

    private async Task InitChainAsync(CancellationToken cancellationToken)
    {
        var request = new RequestInitChain
        {
            ChainId = Genesis.ChainId,
            InitialHeight = Genesis.InitialHeight,
            Time = Genesis.TimeOrZero,
            AppStateBytes = ByteString.CopyFromUtf8(Genesis.AppStateJson),
            ConsensusParams = new ConsensusParams
            {
                Block = new BlockParams { MaxBytes = Genesis.BlockMaxBytes, MaxGas = Genesis.BlockMaxGas },
                Evidence = new EvidenceParams { MaxAgeNumBlocks = 100000, MaxAgeDuration = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromHours(48)), MaxBytes = 1048576 },
                Validator = new ValidatorParams { PubKeyTypes = { "ed25519" } },
                Version = new VersionParams(),
                Abci = new ABCIParams(),
            },
        };
        foreach (var v in Genesis.Validators)
            request.Validators.Add(new ValidatorUpdate { PubKey = new Protos.Crypto.PublicKey { Ed25519 = ByteString.CopyFrom(v.PublicKey) }, Power = v.Power });
        ResponseInitChain answer = await _driver.InitChainAsync(request, cancellationToken).ConfigureAwait(false);
        // CometBFT: a non-empty answer replaces the genesis validators; the genesis set signs the first two heights.
        var updates = answer.Validators.Count > 0 ? answer.Validators : request.Validators;
        var set = ValidatorRoster.From(updates.Select(u => (u.PubKey.Ed25519.ToByteArray(), u.Power)));
        if (set.Validators.Count == 0) throw new InvalidOperationException("the chain starts with no validators (neither genesis nor InitChain named any)");
        _rosters[Genesis.InitialHeight] = set;
        _rosters[Genesis.InitialHeight + 1] = set;
        if (answer.ConsensusParams?.Block is { } block)
            (_blockMaxBytes, _blockMaxGas) = (block.MaxBytes, block.MaxGas);
        _appHash = answer.AppHash;
    }

    /// <summary>The validator set that signs <paramref name="height"/> (known up to the latest height + 2).</summary>
    public ValidatorRoster ValidatorsAt(long height)
        => _rosters.TryGetValue(height, out var roster) ? roster : throw new ArgumentOutOfRangeException(nameof(height), $"no validator set for height {height} (latest height {Height})");

    /// <summary>The committed block at <paramref name="height"/>.</summary>
    public StandInBlock BlockAt(long height)
    {
        lock (_blocks)
        {
            long index = height - EarliestHeight;
            if (index < 0 || index >= _blocks.Count)
                throw new ArgumentOutOfRangeException(nameof(height), $"height {height} must be less than or equal to the current blockchain height {Height}");
            return _blocks[(int)index];
        }
    }

    public StandInBlock LatestBlock => BlockAt(Height);

    /// <summary>Looks a committed tx up by its SHA-256.</summary>
    public (StandInBlock Block, int Index)? FindTx(ReadOnlySpan<byte> hash)
    {
        (long Height, int Index) at;
        lock (_mempool)
            if (!_txIndex.TryGetValue(Convert.ToHexString(hash), out at)) return null;
        return (BlockAt(at.Height), at.Index);
    }

    /// <summary>Every committed tx in height and index order.</summary>
    public IEnumerable<(StandInBlock Block, int Index)> AllTxs()
    {
        StandInBlock[] blocks;
        lock (_blocks) blocks = [.. _blocks];
        foreach (var b in blocks)
            for (int i = 0; i < b.Block.Data.Txs.Count; i++)
                yield return (b, i);
    }

    /// <summary>CheckTx (type New) on the mempool connection; an accepted tx joins the mempool (and, with
    /// <see cref="StandInOptions.BlockOnBroadcast"/>, a block at once). A tx already in the mempool or a block is refused
    /// as CometBFT's cache refuses it.</summary>
    public async Task<ResponseCheckTx> BroadcastAsync(byte[] tx, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tx);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        ResponseCheckTx check;
        try
        {
            string hash = Convert.ToHexString(Hashes.Sha256(tx));
            lock (_mempool)
                if (_txIndex.ContainsKey(hash) || _mempool.Any(t => Convert.ToHexString(Hashes.Sha256(t)) == hash))
                    throw new TxInCacheException();
            check = await _driver.CheckTxAsync(new RequestCheckTx { Tx = ByteString.CopyFrom(tx), Type = CheckTxType.New }, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (check.Code == 0)
                lock (_mempool) _mempool.Add(tx);
        }
        finally
        {
            _gate.Release();
        }
        if (check.Code == 0 && _options.BlockOnBroadcast)
            await ProduceBlockAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return check;
    }

    /// <summary>ABCI Query on the query connection, as <c>abci_query</c> forwards it.</summary>
    public Task<ResponseQuery> QueryAsync(string path, byte[] data, long height, bool prove, CancellationToken cancellationToken = default)
        => _driver.QueryAsync(new RequestQuery { Path = path, Data = ByteString.CopyFrom(data), Height = height, Prove = prove }, cancellationToken);

    public Task<ResponseInfo> InfoAsync(CancellationToken cancellationToken = default)
        => _driver.InfoAsync(new RequestInfo { Version = "0.38.25", BlockVersion = 11, P2PVersion = 8, AbciVersion = "2.0.0" }, cancellationToken);

    /// <summary>Produces and commits the next block with the mempool's txs (as many as fit).</summary>
    /// <param name="signs">Which validators (by index in the height's set) sign its commit; default every held key.</param>
    public async Task<StandInBlock> ProduceBlockAsync(Func<int, bool>? signs = null, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ProduceLockedAsync(signs, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Produces <paramref name="count"/> blocks.</summary>
    public async Task ProduceBlocksAsync(int count, CancellationToken cancellationToken = default)
    {
        for (int i = 0; i < count; i++) await ProduceBlockAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task<StandInBlock> ProduceLockedAsync(Func<int, bool>? signs, CancellationToken cancellationToken)
    {
        long height = Height == 0 ? Genesis.InitialHeight : Height + 1;
        StandInBlock? previous = _blocks.Count == 0 ? null : _blocks[^1];
        ValidatorRoster validators = ValidatorsAt(height);
        ValidatorRoster next = ValidatorsAt(height + 1);
        var time = previous is null ? Genesis.TimeOrZero : Clock.TakeBlockTime(previous.Block.Header.Time);
        if (previous is null) Clock.TakeBlockTime(null);
        byte[] proposer = validators.ProposerAddress;

        List<byte[]> candidates;
        lock (_mempool) candidates = [.. _mempool];
        long maxTxBytes = _blockMaxBytes > 0 ? _blockMaxBytes - 1024 : 100 * 1024 * 1024;
        var local = new ExtendedCommitInfo { Round = previous?.Commit.Round ?? 0 };
        var decided = new CommitInfo { Round = previous?.Commit.Round ?? 0 };
        if (previous is not null)
            for (int i = 0; i < previous.Validators.Validators.Count; i++)
            {
                var v = previous.Validators.Validators[i];
                var flag = previous.Commit.Signatures[i].BlockIdFlag;
                var abciValidator = new Protos.Abci.Validator { Address = v.Address, Power = v.VotingPower };
                local.Votes.Add(new ExtendedVoteInfo { Validator = abciValidator, BlockIdFlag = flag });
                decided.Votes.Add(new VoteInfo { Validator = abciValidator, BlockIdFlag = flag });
            }

        var prepare = new RequestPrepareProposal
        {
            MaxTxBytes = maxTxBytes,
            LocalLastCommit = local,
            Height = height,
            Time = time,
            NextValidatorsHash = ByteString.CopyFrom(next.Hash),
            ProposerAddress = ByteString.CopyFrom(proposer),
        };
        long size = 0;
        foreach (var tx in candidates)
        {
            if (size + tx.Length > maxTxBytes) break;
            size += tx.Length;
            prepare.Txs.Add(ByteString.CopyFrom(tx));
        }
        ResponsePrepareProposal prepared = await _driver.PrepareProposalAsync(prepare, cancellationToken).ConfigureAwait(false);
        var txs = prepared.Txs.ToList();

        Commit lastCommit = previous?.Commit ?? new Commit { BlockId = BlockIds.OrEmpty(null) };
        Header header = HeaderFactory.Create(ChainId, height, time, previous?.BlockId ?? BlockIds.OrEmpty(null),
            previous?.Commit, validators.Hash, next.Hash, proposer, _appHash, txs,
            previous?.Results.TxResults.ToList() ?? [], _blockMaxBytes, _blockMaxGas, appVersion: 1);
        var block = new Block { Header = header, Data = new Data(), Evidence = new EvidenceList(), LastCommit = lastCommit };
        block.Data.Txs.AddRange(txs);
        BlockID blockId = BlockHashes.BlockId(block);

        var process = new RequestProcessProposal
        {
            ProposedLastCommit = decided,
            Hash = blockId.Hash,
            Height = height,
            Time = time,
            NextValidatorsHash = ByteString.CopyFrom(next.Hash),
            ProposerAddress = ByteString.CopyFrom(proposer),
        };
        process.Txs.AddRange(txs);
        ResponseProcessProposal processed = await _driver.ProcessProposalAsync(process, cancellationToken).ConfigureAwait(false);
        if (processed.Status != ResponseProcessProposal.Types.ProposalStatus.Accept)
            throw new InvalidOperationException($"the app rejected its own proposal at height {height} (ProcessProposal {processed.Status})");

        // Precommits come after the proposal: the votes carry the clock's time, which the next block's time follows.
        Commit commit = CommitSigner.Sign(ChainId, validators.Signers(_seedsByKey, signs), height, 0, blockId, Clock.Now);

        var finalize = new RequestFinalizeBlock
        {
            DecidedLastCommit = decided,
            Hash = blockId.Hash,
            Height = height,
            Time = time,
            NextValidatorsHash = ByteString.CopyFrom(next.Hash),
            ProposerAddress = ByteString.CopyFrom(proposer),
        };
        finalize.Txs.AddRange(txs);
        var (finalized, _) = await _driver.FinalizeAndCommitAsync(finalize, cancellationToken).ConfigureAwait(false);
        if (finalized.TxResults.Count != txs.Count)
            throw new InvalidOperationException($"FinalizeBlock at height {height} returned {finalized.TxResults.Count} tx results for {txs.Count} txs");

        _rosters[height + 2] = next.Apply(finalized.ValidatorUpdates);
        if (finalized.ConsensusParamUpdates?.Block is { } blockParams)
            (_blockMaxBytes, _blockMaxGas) = (blockParams.MaxBytes, blockParams.MaxGas);
        _appHash = finalized.AppHash;
        var stored = new StandInBlock(block, blockId, commit, validators, next, finalized);
        lock (_blocks) _blocks.Add(stored);
        lock (_mempool)
        {
            var included = txs.Select(t => Convert.ToHexString(Hashes.Sha256(t.Span))).ToHashSet(StringComparer.Ordinal);
            _mempool.RemoveAll(t => included.Contains(Convert.ToHexString(Hashes.Sha256(t))));
            for (int i = 0; i < txs.Count; i++)
                _txIndex[Convert.ToHexString(Hashes.Sha256(txs[i].Span))] = (height, i);
        }
        await RecheckMempoolAsync(cancellationToken).ConfigureAwait(false);
        return stored;
    }

    // CometBFT rechecks what is left in the mempool after every commit and drops what the new state refuses.
    private async Task RecheckMempoolAsync(CancellationToken cancellationToken)
    {
        List<byte[]> left;
        lock (_mempool) left = [.. _mempool];
        foreach (var tx in left)
        {
            var check = await _driver.CheckTxAsync(new RequestCheckTx { Tx = ByteString.CopyFrom(tx), Type = CheckTxType.Recheck }, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (check.Code != 0)
                lock (_mempool) _mempool.Remove(tx);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_rpc is not null) await _rpc.DisposeAsync().ConfigureAwait(false);
        await _driver.DisposeAsync().ConfigureAwait(false);
        await _server.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }
}

/// <summary>CometBFT's mempool cache refused a tx it has already seen.</summary>
public sealed class TxInCacheException() : Exception("tx already exists in cache");
