using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using DePinChain.App;
using DePinChain.Modules.DataCredits;
using DePinChain.Modules.Mint;
using DePinChain.Modules.Rewards;
using DePinChain.Protos.Abci;
using DePinChain.Sdk;
using DePinChain.Store;
using DePinChain.Store.Backend;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using static DePinChain.Bench.BenchArgs;

namespace DePinChain.Bench;

/// <summary>
/// Epoch-end reward computation (issue 6): the pure split over N devices (target ≤ 1 s at 100k), and the whole
/// epoch-end block through the app (FinalizeBlock: records, owner transfers, events; then Commit into the IAVL
/// multistore over the in-memory backend). Deterministic data: 5 devices per owner, 30% with paid traffic,
/// 100 validators. Options: --rewards-devices=100000[,1000000] (default 100000), --rewards-full-max=N (largest
/// N also run through the app; default 100000).
/// </summary>
public static class RewardsBench
{
    private const ulong One = RewardCalculator.UnitScale;

    public static IEnumerable<BenchResult> Run(IReadOnlyList<string> args)
    {
        var sizes = Option(args, "rewards-devices", "100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        int fullMax = int.Parse(Option(args, "rewards-full-max", "100000"), CultureInfo.InvariantCulture);
        foreach (var n in sizes)
        {
            yield return Compute(n);
            if (n <= fullMax) foreach (var row in FullBlock(n)) yield return row;
        }
    }

    private static byte[] DeviceKey(int i)
    {
        var key = new byte[33];
        key[0] = 0x02;
        BitConverter.TryWriteBytes(key.AsSpan(1), (uint)i);
        return key;
    }

    private static byte[] Owner(int i)
    {
        var owner = new byte[20];
        BitConverter.TryWriteBytes(owner.AsSpan(0), i / 5 + 1);
        return owner;
    }

    private static BenchResult Compute(int n)
    {
        var random = new Random(42);
        var devices = new DeviceEpochInput[n];
        for (int i = 0; i < n; i++)
        {
            ulong dc = random.Next(10) < 3 ? (ulong)random.Next(1, 100_000) : 0;
            devices[i] = new DeviceEpochInput(DeviceKey(i), Owner(i), (ulong)random.NextInt64(0, 2 * (long)One), (ulong)random.NextInt64(0, 5 * (long)One),
                (ulong)random.NextInt64(1, (long)One + 1), dc * 24, dc);
        }
        var validators = Enumerable.Range(0, 100).Select(i => new ValidatorWeight([(byte)i, 1], [(byte)i, 2], (ulong)random.Next(1, 1_000_000))).ToArray();

        var times = new List<double>();
        EpochRewards? result = null;
        for (int run = 0; run < 7; run++)
        {
            var sw = Stopwatch.StartNew();
            result = RewardCalculator.Compute(28_538_000_000, RewardShares.Default, 100_000, devices, validators);
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        bool exact = result!.PaidToDevices + result.PaidToValidators + result.ToTreasury == result.Minted;
        return new BenchResult("rewards", $"split {n:N0} devices (pure)", $"{times[3]:F1} ms", n == 100_000 ? "≤ 1 s" : "",
            $"median of 7; paid + treasury = minted: {exact}");
    }

    private sealed class Sources(IReadOnlyList<CoverageUnits> units, Dictionary<string, byte[]> owners) : ICoverageUnitsSource, IDeviceOwners
    {
        public IReadOnlyList<CoverageUnits> EpochUnits(Context ctx, long epoch) => epoch == 0 ? units : [];

        public byte[]? GetActiveDeviceOwner(Context ctx, ReadOnlySpan<byte> deviceKey) => owners.GetValueOrDefault(Convert.ToHexString(deviceKey));
    }

    private static IEnumerable<BenchResult> FullBlock(int n)
    {
        var random = new Random(7);
        var units = new List<CoverageUnits>(n);
        for (int i = 0; i < n; i++)
            units.Add(new CoverageUnits(DeviceKey(i), Owner(i), (ulong)random.NextInt64(1, 2 * (long)One), (ulong)random.NextInt64(0, 5 * (long)One), One));
        units.Sort((a, b) => a.DeviceKey.AsSpan().SequenceCompareTo(b.DeviceKey));
        var sources = new Sources(units, []);
        var authority = TxSigner.FromSeed("bench-authority");

        using var store = MultiStore.OpenOwning(new MemoryKeyValueStore(), AppModules.AllStoreNames, new MultiStoreOptions { CreateIfEmpty = true });
        var app = new DePinApp(store, new AppOptions { ParallelSignatureVerification = false }, modules: new AppModules(new DepinWiring(sources, sources)));
        var appState = JsonNode.Parse(TxBuilder.GenesisAppState([(authority.Address, new BigInteger(1_000_000))]))!;
        var schedule = MintKeeper.DefaultSchedule();
        schedule.EpochBlocks = 3;
        appState["mint"] = JsonNode.Parse(MintGenesis.Json.Format(new Protos.Depin.Mint.V1.GenesisState
        {
            Params = MintKeeper.DefaultParams(), Schedule = schedule, Minter = MintKeeper.InitialMinter(),
        }));
        app.InitChain(new RequestInitChain { ChainId = "bench", InitialHeight = 1, Time = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch), AppStateBytes = ByteString.CopyFromUtf8(appState.ToJsonString()) });

        ResponseFinalizeBlock Finalize(long height)
        {
            var request = new RequestFinalizeBlock { Height = height, Time = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddSeconds(5 * height)), DecidedLastCommit = new Protos.Abci.CommitInfo() };
            for (int v = 0; v < 100; v++)
                request.DecidedLastCommit.Votes.Add(new Protos.Abci.VoteInfo { Validator = new Validator { Address = ByteString.CopyFrom(Enumerable.Repeat((byte)v, 20).ToArray()), Power = 100 + v }, BlockIdFlag = Protos.Types.BlockIDFlag.Commit });
            return app.FinalizeBlock(request);
        }
        Finalize(1);
        app.Commit(new RequestCommit());
        int owners = (n + 4) / 5;

        // The keepers alone, on a block branch that is then dropped: mint, split, records, transfers, events.
        // Run twice; the second run (JIT warm) is reported.
        double wall = 0, cpu = 0, allocated = 0;
        for (int run = 0; run < 2; run++)
        {
            var ctx = new Context(store.Branch(), new BlockHeader("bench", 2, DateTimeOffset.UnixEpoch), ExecMode.Finalize, GasMeter.Infinite(), new EventManager());
            (wall, cpu, allocated) = Measure(() =>
            {
                app.Modules.MintKeeper.MintEpoch(ctx, 0);
                app.Modules.RewardsKeeper.DistributeEpoch(ctx, 0);
            });
        }
        yield return new BenchResult("rewards", $"epoch-end keepers, {n:N0} devices", $"{wall:F0} ms", "",
            $"CPU {cpu:F0} ms (warm), {allocated:F0} MB allocated; {owners:N0} owner transfers, {n:N0} records, on a block branch");

        ResponseFinalizeBlock? response = null;
        (wall, cpu, allocated) = Measure(() => response = Finalize(2)); // height 2 is the last block of epoch 0 (3-block epochs)
        yield return new BenchResult("rewards", $"epoch-end FinalizeBlock, {n:N0} devices", $"{wall:F0} ms", "",
            $"CPU {cpu:F0} ms, {allocated:F0} MB allocated; incl. writing the branch into the trees and the app hash; {response!.Events.Count:N0} events");
        (wall, cpu, allocated) = Measure(() => app.Commit(new RequestCommit()));
        // The committed epoch summary, read back through ABCI Query: what was paid, and whether it adds up.
        var query = app.Query(new RequestQuery
        {
            Path = "/depin.rewards.v1.Query/EpochSummary", Data = new Protos.Depin.Rewards.V1.QueryEpochSummaryRequest { Epoch = 0 }.ToByteString(),
        });
        var summary = Protos.Depin.Rewards.V1.QueryEpochSummaryResponse.Parser.ParseFrom(query.Value).Summary;
        bool adds = BigInteger.Parse(summary.PaidToDevices, CultureInfo.InvariantCulture) + BigInteger.Parse(summary.PaidToValidators, CultureInfo.InvariantCulture)
            + BigInteger.Parse(summary.ToTreasury, CultureInfo.InvariantCulture) == BigInteger.Parse(summary.Minted, CultureInfo.InvariantCulture);
        yield return new BenchResult("rewards", $"epoch-end Commit, {n:N0} devices", $"{wall:F0} ms", "",
            $"CPU {cpu:F0} ms, {allocated:F0} MB allocated; IAVL over the in-memory backend; minted {summary.Minted} = devices {summary.PaidToDevices} + validators {summary.PaidToValidators} + treasury {summary.ToTreasury}: {adds}");
    }
}
