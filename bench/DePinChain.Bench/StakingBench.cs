using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using DePinChain.App;
using DePinChain.Crypto;
using DePinChain.Modules.Mint;
using DePinChain.Modules.Staking;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Cosmos.Staking.V1Beta1;
using DePinChain.Sdk;
using DePinChain.Store;
using DePinChain.Store.Backend;
using DePinChain.Store.Backend.LevelDb;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using static DePinChain.Bench.Stats;
using ProtoCoin = DePinChain.Protos.Cosmos.Base.V1Beta1.Coin;
using static DePinChain.Bench.BenchArgs;

namespace DePinChain.Bench;

/// <summary>
/// Staking, slashing and distribution through DePinApp (issue 13). Both parts start from the same chain: 100 validators
/// created by signed MsgCreateValidator txs in block 2, every later block voted by all of them.
/// <para>Epoch end: N delegations written through the staking keeper (Delegate, so distribution's hooks run and every
/// delegation gets its starting info and historical period) on a branch of the app's multistore (IAVL over the in-memory
/// backend, as the rewards suite), carried by one block; then the FinalizeBlock and the Commit of the second epoch end
/// after them (mint fills the rewards pool, rewards pays each validator's share to distribution with
/// AllocateFromModule: O(validators), never O(delegators)), next to an ordinary block's.</para>
/// <para>MsgDelegate: blocks of signed txs from distinct funded delegators to a few validators, FinalizeBlock + Commit on
/// LevelDB, as the app suite's bank sends.</para>
/// Options: --staking-delegations=100000[,1000000] (default 100000; 1,000,000 takes minutes and GBs to set up)
///          --staking-block-size=5000 --staking-blocks=5 (measured MsgDelegate blocks, after one warm-up block)
///          --staking-validators=100 --dir=PATH (the MsgDelegate part's LevelDB; default a temp dir)
/// </summary>
public static class StakingBench
{
    private const string Suite = "staking";
    private const string ChainId = "depin-staking-bench-1";
    private const string Denom = "udpin";
    private const long EpochBlocks = 5; // epoch ends at heights 4, 9, 14, …
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture);
    private static readonly BigInteger SelfBond = 1_000_000_000; // 1,000 DPIN: power 1,000

    public static IEnumerable<BenchResult> Run(IReadOnlyList<string> args)
    {
        var sizes = Option(args, "staking-delegations", "100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        int validators = int.Parse(Option(args, "staking-validators", "100"), CultureInfo.InvariantCulture);
        int blockSize = int.Parse(Option(args, "staking-block-size", "5000"), CultureInfo.InvariantCulture);
        int blocks = int.Parse(Option(args, "staking-blocks", "5"), CultureInfo.InvariantCulture);
        foreach (var n in sizes)
        {
            foreach (var row in EpochEnd(validators, n)) yield return row;
            GC.Collect();
        }
        string dir = Path.Combine(Option(args, "dir", Path.GetTempPath()), $"depin-staking-bench-{Environment.ProcessId}");
        try
        {
            foreach (var row in DelegateBlocks(validators, blockSize, blocks, dir)) yield return row;
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>An app at height 2 with <paramref name="validators"/> bonded validators (created by txs in block 2),
    /// over <paramref name="funded"/> funded accounts (account numbers 0…, operators after them).</summary>
    private sealed class Chain
    {
        public required DePinApp App { get; init; }
        public required ICommitMultiStore Store { get; init; }
        public required TxSigner[] Operators { get; init; }
        public long Height { get; set; }

        /// <summary>Consensus address → power of the last validator set (what CometBFT's votes carry).</summary>
        public List<(byte[] ConsAddress, long Power)> Votes { get; } = [];

        public RequestFinalizeBlock Request(IEnumerable<ByteString> txs)
        {
            long height = Height + 1;
            var request = new RequestFinalizeBlock
            {
                Height = height,
                Time = Timestamp.FromDateTimeOffset(Start.AddSeconds(5 * height)),
                Hash = ByteString.CopyFrom(Hashes.Sha256(BitConverter.GetBytes(height))),
                ProposerAddress = ByteString.CopyFrom(Votes.Count > 0 ? Votes[(int)(height % Votes.Count)].ConsAddress : new byte[20]),
                DecidedLastCommit = new Protos.Abci.CommitInfo(),
            };
            foreach (var (cons, power) in Votes)
                request.DecidedLastCommit.Votes.Add(new Protos.Abci.VoteInfo { Validator = new Protos.Abci.Validator { Address = ByteString.CopyFrom(cons), Power = power }, BlockIdFlag = Protos.Types.BlockIDFlag.Commit });
            request.Txs.AddRange(txs);
            return request;
        }

        public ResponseFinalizeBlock Block(IEnumerable<ByteString> txs)
        {
            var response = App.FinalizeBlock(Request(txs));
            App.Commit(new RequestCommit());
            Height++;
            return response;
        }

        /// <summary>Reads the bonded set's powers from the committed state (after the set changed).</summary>
        public void RefreshVotes()
        {
            var ctx = new Context(Store.Branch(), new BlockHeader(ChainId, Height, Start), ExecMode.Finalize, GasMeter.Infinite(), new EventManager());
            Votes.Clear();
            foreach (var (op, power) in App.Modules.StakingKeeper.GetLastValidatorPowers(ctx))
                Votes.Add((App.Modules.StakingKeeper.GetValidator(ctx, op)!.ConsAddress(), power));
        }
    }

    private static TxSigner Signer(string kind, int i) => new(Hashes.Sha256(System.Text.Encoding.UTF8.GetBytes($"{kind}-{i}")));

    private static Chain NewChain(ICommitMultiStore store, int validators, IReadOnlyList<TxSigner> funded, BigInteger fundedAmount, (byte[] Address, BigInteger Amount)? whale)
    {
        var operators = Enumerable.Range(0, validators).Select(i => Signer("operator", i)).ToArray();
        var balances = funded.Select(s => (s.Address, fundedAmount)).Concat(operators.Select(o => (o.Address, SelfBond * 2))).ToList();
        if (whale is { } w) balances.Add(w);
        var appState = JsonNode.Parse(TxBuilder.GenesisAppState(balances, Denom))!;
        var schedule = MintKeeper.DefaultSchedule();
        schedule.EpochBlocks = EpochBlocks;
        appState["mint"] = JsonNode.Parse(MintGenesis.Json.Format(new Protos.Depin.Mint.V1.GenesisState
        {
            Params = MintKeeper.DefaultParams(), Schedule = schedule, Minter = MintKeeper.InitialMinter(),
        }));
        var app = new DePinApp(store, new AppOptions { ParallelSignatureVerification = true }, version: "bench");
        app.InitChain(new RequestInitChain
        {
            ChainId = ChainId, InitialHeight = 1, Time = Timestamp.FromDateTimeOffset(Start),
            AppStateBytes = ByteString.CopyFromUtf8(appState.ToJsonString()),
        });
        var chain = new Chain { App = app, Store = store, Operators = operators };
        chain.Block([]);
        var creates = operators.Select((o, i) => new TxBuilder().AddMessage(new MsgCreateValidator
        {
            Description = new Description { Moniker = $"validator-{i}" },
            Commission = new CommissionRates { Rate = "100000000000000000", MaxRate = "200000000000000000", MaxChangeRate = "10000000000000000" },
            MinSelfDelegation = "1",
            ValidatorAddress = ValidatorAddress.ToOperatorBech32(o.Address),
            Pubkey = ValidatorMath.PackEd25519(Hashes.Sha256([.. o.PrivateKey, .. "cons"u8])),
            Value = new ProtoCoin { Denom = Denom, Amount = SelfBond.ToString(CultureInfo.InvariantCulture) },
        }).WithFee(Denom, 500, 400_000).Sign(o, ChainId, (ulong)(funded.Count + i), 0).ToByteString());
        var response = chain.Block(creates);
        if (response.TxResults.FirstOrDefault(r => r.Code != 0) is { } failed) throw new InvalidOperationException($"MsgCreateValidator failed: {failed.Log}");
        if (response.ValidatorUpdates.Count != validators) throw new InvalidOperationException($"{response.ValidatorUpdates.Count} validator updates, expected {validators}");
        chain.RefreshVotes();
        return chain;
    }

    private static IEnumerable<BenchResult> EpochEnd(int validators, int delegations)
    {
        var whale = Signer("whale", 0);
        var perDelegation = new BigInteger(1_000_000);
        using var store = MultiStore.OpenOwning(new MemoryKeyValueStore(), AppModules.AllStoreNames, new MultiStoreOptions { CreateIfEmpty = true });
        var chain = NewChain(store, validators, [], 0, (whale.Address, perDelegation * 2 * delegations));

        // The delegations, on a branch of the working state at height 3, written into it and carried by block 3.
        var setup = Stopwatch.StartNew();
        var branch = store.Branch();
        var ctx = new Context(branch, new BlockHeader(ChainId, chain.Height + 1, Start.AddSeconds(5 * (chain.Height + 1))), ExecMode.Finalize, GasMeter.Infinite(), new EventManager());
        var staking = chain.App.Modules.StakingKeeper;
        var operators = chain.Operators.Select(o => o.Address).ToArray();
        BigInteger total = 0;
        for (int i = 0; i < delegations; i++) total += perDelegation + i % 1000;
        // The tokens the delegations bond go into the bonded pool in one send; each Delegate then bonds from it (token
        // source bonded, to a bonded validator: no per-delegation pool move). The delegators have no accounts.
        chain.App.Modules.BankKeeper.SendCoinsFromAccountToModule(ctx, whale.Address, StakingKeys.BondedPoolName, Coins.Of(new Coin(Denom, total)));
        var delegator = new byte[20];
        for (int i = 0; i < delegations; i++)
        {
            BitConverter.TryWriteBytes(delegator.AsSpan(0, 4), i + 1);
            delegator[4] = 0xde;
            var op = operators[i % operators.Length];
            var validator = staking.GetValidator(ctx, op)!;
            staking.Delegate(ctx, (byte[])delegator.Clone(), perDelegation + i % 1000, BondStatus.Bonded, validator, subtractAccount: false);
        }
        var keepers = setup.Elapsed;
        branch.Write();
        chain.Block([]);
        chain.RefreshVotes();
        var setupTotal = setup.Elapsed;

        // Blocks 4 … : block 4 ends epoch 0 (warm-up); then the ends of epochs 1…3 (heights 9, 14, 19) are measured,
        // the blocks between them are the ordinary ones.
        const int measuredEpochs = 3;
        var ordinary = new List<(double Finalize, double Commit)>();
        var epochs = new List<(double Finalize, double FinalizeCpu, double Mb, double Commit, double CommitCpu, int Gcs, double PauseMs)>();
        ResponseFinalizeBlock? epochResponse = null;
        while (chain.Height < (measuredEpochs + 1) * EpochBlocks - 1)
        {
            long height = chain.Height + 1;
            var request = chain.Request([]);
            ResponseFinalizeBlock? response = null;
            int gcs = GC.CollectionCount(0);
            var paused = GC.GetTotalPauseDuration();
            var f = Measure(() => response = chain.App.FinalizeBlock(request));
            var c = Measure(() => chain.App.Commit(new RequestCommit()));
            chain.Height++;
            if (height % EpochBlocks == EpochBlocks - 1)
            {
                if (height < EpochBlocks) continue;
                epochResponse = response;
                epochs.Add((f.Wall, f.Cpu, f.AllocatedMb, c.Wall, c.Cpu, GC.CollectionCount(0) - gcs, (GC.GetTotalPauseDuration() - paused).TotalMilliseconds));
            }
            else if (height > EpochBlocks) ordinary.Add((f.Wall, c.Wall));
        }
        double M(Func<(double Finalize, double FinalizeCpu, double Mb, double Commit, double CommitCpu, int Gcs, double PauseMs), double> pick) => Median(epochs.Select(pick).ToList());
        int allocations = epochResponse!.Events.Count(e => e.Type == "rewards");
        var summary = Protos.Depin.Rewards.V1.QueryEpochSummaryResponse.Parser.ParseFrom(chain.App.Query(new RequestQuery
        {
            Path = "/depin.rewards.v1.Query/EpochSummary", Data = new Protos.Depin.Rewards.V1.QueryEpochSummaryRequest { Epoch = measuredEpochs }.ToByteString(),
        }).Value).Summary;
        string optIn = delegations > 100_000 ? "" : " (1,000,000: --staking-delegations=100000,1000000)";
        var totals = epochs.Select(e => e.Finalize + e.Commit).ToList();
        yield return new BenchResult(Suite, $"epoch end, {validators} validators, {delegations:N0} delegations: FinalizeBlock + Commit (median of {measuredEpochs})",
            $"{Median(totals):F0} ms", "≤ 50 ms",
            $"finalize {M(e => e.Finalize):F0} ms (CPU {M(e => e.FinalizeCpu):F0} ms, {M(e => e.Mb):F1} MB allocated) + commit {M(e => e.Commit):F0} ms (CPU {M(e => e.CommitCpu):F0} ms); "
            + $"each: {string.Join(", ", totals.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))} ms, GCs {string.Join(",", epochs.Select(e => e.Gcs))} paused {string.Join(",", epochs.Select(e => e.PauseMs.ToString("F0", CultureInfo.InvariantCulture)))} ms; "
            + $"an ordinary block: finalize {Median(ordinary.Select(o => o.Finalize).ToList()):F0} + commit {Median(ordinary.Select(o => o.Commit).ToList()):F0} ms (median of {ordinary.Count}); "
            + $"{allocations} validators paid {summary.PaidToValidators} {Denom} through distribution; IAVL over the in-memory backend; "
            + $"setup {setupTotal.TotalSeconds:F0} s (Delegate ×{delegations:N0} {keepers.TotalSeconds:F0} s){optIn}");
    }

    private static IEnumerable<BenchResult> DelegateBlocks(int validators, int blockSize, int blocks, string dir)
    {
        var setup = Stopwatch.StartNew();
        int count = (blocks + 1) * blockSize;
        var delegators = Enumerable.Range(0, count).Select(i => Signer("delegator", i)).ToArray();
        using var store = MultiStore.OpenOwning(LevelDbStore.Open(dir, LevelDbOptions.CreateNew), AppModules.AllStoreNames,
            new MultiStoreOptions { CreateIfEmpty = true, Pruning = PruningOptions.Default, NodeCacheSize = 100_000, PinnedHeight = 0 });
        var chain = NewChain(store, validators, delegators, 1_000_000_000, null);
        const int targets = 4; // "a few validators"
        var valopers = chain.Operators.Take(targets).Select(o => ValidatorAddress.ToOperatorBech32(o.Address)).ToArray();
        ByteString DelegateTx(int i) => new TxBuilder().AddMessage(new MsgDelegate
        {
            DelegatorAddress = delegators[i].Bech32, ValidatorAddress = valopers[i % targets],
            Amount = new ProtoCoin { Denom = Denom, Amount = (1_000_000 + i % 1000).ToString(CultureInfo.InvariantCulture) },
        }).WithFee(Denom, 500, 400_000).Sign(delegators[i], ChainId, (ulong)i, 0).ToByteString();
        var txBlocks = Enumerable.Range(0, blocks + 1).Select(b => Enumerable.Range(b * blockSize, blockSize).Select(DelegateTx).ToList()).ToList();
        var setupTime = setup.Elapsed;

        var throughputs = new List<double>();
        var finalizeMs = new List<double>();
        var commitMs = new List<double>();
        var cpuUsPerTx = new List<double>();
        var threadUsPerTx = new List<double>();
        var allocatedPerTx = new List<double>();
        int failed = 0;
        string? firstFailure = null;
        using var allocations = Environment.GetEnvironmentVariable("DEPIN_ALLOC_PROFILE") == "1" ? new AppBench.AllocationSampler() : null;
        for (int b = 0; b <= blocks; b++)
        {
            var request = chain.Request(txBlocks[b]);
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            double threadBefore = ThreadCpu.Milliseconds();
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var sw = Stopwatch.StartNew();
            var response = chain.App.FinalizeBlock(request);
            var finalized = sw.Elapsed;
            chain.App.Commit(new RequestCommit());
            var total = sw.Elapsed;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            double thread = ThreadCpu.Milliseconds() - threadBefore;
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            chain.Height++;
            chain.RefreshVotes();
            failed += response.TxResults.Count(r => r.Code != 0);
            firstFailure ??= response.TxResults.FirstOrDefault(r => r.Code != 0)?.Log;
            Console.Error.WriteLine($"  [staking] block {chain.Height}: {blockSize} MsgDelegate: finalize {finalized.TotalMilliseconds:F0} ms, commit {(total - finalized).TotalMilliseconds:F0} ms; CPU {cpu.TotalMicroseconds / blockSize:F0} µs/tx, executing thread {thread * 1000 / blockSize:F0} µs/tx");
            if (b == 0) continue; // warm-up
            throughputs.Add(blockSize / total.TotalSeconds);
            finalizeMs.Add(finalized.TotalMilliseconds);
            commitMs.Add((total - finalized).TotalMilliseconds);
            cpuUsPerTx.Add(cpu.TotalMicroseconds / blockSize);
            threadUsPerTx.Add(thread * 1000 / blockSize);
            allocatedPerTx.Add((double)allocated / blockSize);
        }
        allocations?.Report((blocks + 1) * blockSize);
        string failures = failed == 0 ? "" : $"; {failed} txs FAILED (figures invalid): {firstFailure}";
        yield return new BenchResult(Suite, $"block of {blockSize:N0} MsgDelegate txs, FinalizeBlock + Commit (median of {blocks})",
            $"{Median(throughputs):F0} tx/s", "≥ 5,000 tx/s",
            $"finalize {Median(finalizeMs):F0} ms + commit {Median(commitMs):F0} ms; process CPU {Median(cpuUsPerTx):F0} µs/tx, of it the executing thread {Median(threadUsPerTx):F0} µs/tx; "
            + $"allocated {Median(allocatedPerTx) / 1024:F1} KiB/tx; distinct delegators to {targets} of {validators} validators; LevelDB; setup {setupTime.TotalSeconds:F0} s{failures}");
    }
}
