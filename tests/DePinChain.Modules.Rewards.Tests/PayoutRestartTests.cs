using System.Numerics;
using System.Text.Json.Nodes;
using DePinChain.App;
using DePinChain.Modules.Mint;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Depin.Rewards.V1;
using DePinChain.Sdk;
using DePinChain.Store;
using DePinChain.Store.Backend.LevelDb;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.Modules.Rewards.Tests;

/// <summary>
/// A node that stops in the middle of a chunked payout (a block finalized but never committed, then the process gone)
/// and restarts from its LevelDB store: replaying the blocks gives the same app hash at every height as a node that
/// never stopped, and every device is paid exactly once.
/// </summary>
public sealed class PayoutRestartTests : IDisposable
{
    private const ulong One = RewardCalculator.UnitScale;
    private const int Devices = 14;
    private const long LastHeight = 16;

    private readonly string _dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "depin-rewards-restart-" + Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static byte[] DeviceKey(int i) => [0x02, (byte)(i * 37), (byte)i];

    private static byte[] Owner(int i) => Enumerable.Repeat((byte)(0x30 + i % 3), 20).ToArray();

    private static LazyPayoutSources Sources()
    {
        var units = Enumerable.Range(0, Devices)
            .Select(i => new CoverageUnits(DeviceKey(i), Owner(i), One * (ulong)(i + 1) / 3, One * (ulong)(i % 5), One / (ulong)(1 + i % 4))).ToList();
        return new LazyPayoutSources(units);
    }

    private static DePinApp Open(MultiStore store, bool init)
    {
        var sources = Sources();
        var app = new DePinApp(store, new AppOptions { ParallelSignatureVerification = false }, modules: new AppModules(new DepinWiring(sources, sources)));
        if (!init) return app;
        var appState = JsonNode.Parse(TxBuilder.GenesisAppState([(TxSigner.FromSeed("restart").Address, new BigInteger(1_000_000))]))!;
        var schedule = MintKeeper.DefaultSchedule();
        schedule.EpochBlocks = 4;
        appState["mint"] = JsonNode.Parse(MintGenesis.Json.Format(new Protos.Depin.Mint.V1.GenesisState { Params = MintKeeper.DefaultParams(), Schedule = schedule, Minter = MintKeeper.InitialMinter() }));
        // Three devices a block: epoch 0's 14 devices are paid over the epoch-end block and four more.
        appState["rewards"] = JsonNode.Parse(RewardsGenesis.Json.Format(new GenesisState { Params = new(RewardsKeeper.DefaultParams()) { PayoutDevicesPerBlock = 3 } }));
        app.InitChain(new RequestInitChain { ChainId = "restart", InitialHeight = 1, Time = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch), AppStateBytes = ByteString.CopyFromUtf8(appState.ToJsonString()) });
        return app;
    }

    private static ResponseFinalizeBlock Finalize(DePinApp app, long height)
        => app.FinalizeBlock(new RequestFinalizeBlock { Height = height, Time = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddSeconds(5 * height)), DecidedLastCommit = new Protos.Abci.CommitInfo() });

    private MultiStore OpenLevelDb() => OpenLevelDbAt(Path.Combine(_dir, "node"));

    private static T Query<T>(DePinApp app, string path, IMessage request, MessageParser<T> parser) where T : IMessage<T>
        => parser.ParseFrom(app.Query(new RequestQuery { Path = path, Data = request.ToByteString() }).Value);

    [Fact]
    public void Stopping_mid_payout_and_replaying_from_the_last_commit_reaches_the_same_app_hashes_and_pays_each_device_once()
    {
        // The node that never stops.
        var hashes = new Dictionary<long, ByteString>();
        using (var store = OpenLevelDbAt(Path.Combine(_dir, "reference")))
        {
            var app = Open(store, init: true);
            for (long h = 1; h <= LastHeight; h++)
            {
                hashes[h] = Finalize(app, h).AppHash;
                app.Commit(new RequestCommit());
            }
        }

        using (var store = OpenLevelDb())
        {
            var app = Open(store, init: true);
            long h = 1;
            for (; h <= 5; h++)
            {
                Assert.Equal(hashes[h], Finalize(app, h).AppHash);
                app.Commit(new RequestCommit());
            }
            var summary = Query(app, "/depin.rewards.v1.Query/EpochSummary", new QueryEpochSummaryRequest { Epoch = 0 }, QueryEpochSummaryResponse.Parser).Summary;
            Assert.False(summary.PayoutComplete); // epoch 0 ended at height 3; its payout is half way
            Assert.InRange(summary.DevicesRewarded, 1UL, (ulong)Devices - 1);
            // Height 6 is finalized (it settles three more devices) but the process dies before Commit.
            Finalize(app, h);
        }
        using (var store = OpenLevelDb())
        {
            var app = Open(store, init: false);
            var info = app.Info(new RequestInfo());
            Assert.Equal((5L, hashes[5]), (info.LastBlockHeight, info.LastBlockAppHash));
            for (long h = 6; h <= LastHeight; h++)
            {
                Assert.Equal(hashes[h], Finalize(app, h).AppHash);
                app.Commit(new RequestCommit());
            }
            var summary = Query(app, "/depin.rewards.v1.Query/EpochSummary", new QueryEpochSummaryRequest { Epoch = 0 }, QueryEpochSummaryResponse.Parser).Summary;
            Assert.True(summary.PayoutComplete);
            Assert.Equal(BigInteger.Parse(summary.Minted),
                BigInteger.Parse(summary.PaidToDevices) + BigInteger.Parse(summary.PaidToValidators) + BigInteger.Parse(summary.ToTreasury));
            // Each owner holds exactly the sum of its devices' settled records: nothing paid twice, nothing lost.
            var paid = BigInteger.Zero;
            for (int o = 0; o < 3; o++)
            {
                var owner = Owner(o);
                var records = Query(app, "/depin.rewards.v1.Query/OwnerRewards", new QueryOwnerRewardsRequest { Owner = Bech32Address.ToBech32(owner), Epoch = 0 }, QueryOwnerRewardsResponse.Parser);
                Assert.All(records.Records, r => Assert.True(r.Settled));
                var balance = Query(app, "/cosmos.bank.v1beta1.Query/Balance",
                    new Protos.Cosmos.Bank.V1Beta1.QueryBalanceRequest { Address = Bech32Address.ToBech32(owner), Denom = "udpin" }, Protos.Cosmos.Bank.V1Beta1.QueryBalanceResponse.Parser);
                Assert.Equal(records.Total, balance.Balance.Amount);
                paid += BigInteger.Parse(records.Total);
            }
            Assert.Equal(BigInteger.Parse(summary.PaidToDevices), paid);
            Assert.Equal((ulong)Devices, summary.DevicesRewarded);
        }
    }

    private static MultiStore OpenLevelDbAt(string dir)
        => MultiStore.OpenOwning(LevelDbStore.Open(dir, new LevelDbOptions { CreateIfMissing = true }), AppModules.AllStoreNames, new MultiStoreOptions { CreateIfEmpty = true });
}

/// <summary>Coverage and the registry stand-in for the app: every device's units in epoch 0, with lookups and pages.</summary>
internal sealed class LazyPayoutSources(List<CoverageUnits> units) : ICoverageUnitsSource, IDeviceOwners
{
    private readonly List<CoverageUnits> _units = [.. units.OrderBy(u => u.DeviceKey, DePinChain.Store.Backend.ByteArrayComparer.Instance)];

    public (ulong Beacon, ulong Witness) EpochTotals(Context ctx, long epoch)
        => epoch == 0 ? (_units.Aggregate(0UL, (t, u) => t + u.BeaconUnits), _units.Aggregate(0UL, (t, u) => t + u.WitnessUnits)) : (0, 0);

    public CoverageUnits? DeviceUnits(Context ctx, long epoch, ReadOnlySpan<byte> deviceKey)
    {
        if (epoch != 0) return null;
        foreach (var u in _units) if (u.DeviceKey.AsSpan().SequenceEqual(deviceKey)) return u;
        return null;
    }

    public SourcePage<CoverageUnits> EpochUnitsPage(Context ctx, long epoch, byte[]? after, int limit)
    {
        if (epoch != 0) return new([], null);
        var page = _units.Where(u => after is null || u.DeviceKey.AsSpan().SequenceCompareTo(after) > 0).Take(limit).ToList();
        return new(page, page.Count == limit ? page[^1].DeviceKey : null);
    }

    public byte[]? GetActiveDeviceOwner(Context ctx, ReadOnlySpan<byte> deviceKey) => DeviceUnits(ctx, 0, deviceKey)?.Owner;

    public byte[]? GetDeviceOwner(Context ctx, ReadOnlySpan<byte> deviceKey) => GetActiveDeviceOwner(ctx, deviceKey);

    public IEnumerable<byte[]> DevicesOf(Context ctx, byte[] owner) => _units.Where(u => u.Owner.AsSpan().SequenceEqual(owner)).Select(u => u.DeviceKey);
}
