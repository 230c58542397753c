using DePinChain.Protos.Depin.Devices.V1;
using System.Text.Json.Nodes;
using DePinChain.App;
using DePinChain.Fleet.Sim;
using DePinChain.Fleet.Tests.Chain;
using DePinChain.Modules.Devices.Geo;

namespace DePinChain.Fleet.Tests;

/// <summary>The simulator against the real app over ABCI (the in-repo driver): honest reports pass, each cheat gets its code, and a seed fixes the chain.</summary>
public sealed class SimulatorTests
{
    internal static readonly TxSigner Authority = TxSigner.FromSeed("fleet-test-authority");
    internal static readonly TxSigner Funder = TxSigner.FromSeed("fleet-test-funder");
    private static readonly GeoPoint Berlin = new(52_520_008, 13_404_954);

    internal static readonly FleetChainParams TestParams = new() { EpochBlocks = 10, BeaconIntervalBlocks = 4, EntropyWindowBlocks = 5, ReciprocityWindowBlocks = 40 };

    internal static JsonObject AppState()
    {
        var state = (JsonObject)JsonNode.Parse(TxBuilder.GenesisAppState([(Authority.Address, 1_000_000_000_000), (Funder.Address, 1_000_000_000_000)]))!;
        FleetGenesis.Apply(state, Authority.Bech32, TestParams);
        return state;
    }

    private static async Task<(FleetSummary Summary, List<byte[]> Txs, byte[] AppHash, List<string> Log)> RunAsync(ulong seed, int devices, int epochs, int cheatPermille = 400)
    {
        await using var chain = await DriverChain.StartAsync(AppState());
        var world = new FleetWorld(new FleetWorldOptions { Seed = seed, Devices = devices, Center = Berlin, RadiusMetres = 6_000, CheatPermille = cheatPermille });
        var txs = new List<byte[]>();
        var log = new List<string>();
        var simulator = new FleetSimulator(chain, world, new FleetRunOptions
        {
            Authority = Authority, Funder = Funder, Epochs = epochs, PollInterval = TimeSpan.Zero, OnTx = txs.Add, Log = log.Add,
            OnEpoch = e => log.Add(e.ToText("udpin")),
        });
        var summary = await simulator.RunAsync(CancellationToken.None);
        return (summary, txs, chain.AppHash, log);
    }

    [Fact]
    public async Task Honest_reports_are_accepted_and_every_cheat_is_rejected_with_its_code()
    {
        var (summary, _, _, log) = await RunAsync(seed: 7, devices: 30, epochs: 4);
        var detail = string.Join("\n", log.Concat(summary.ToText("udpin")));

        Assert.True(summary.Total.Unexpected == 0, detail);
        Assert.Equal(4, summary.Epochs.Count);
        Assert.True(summary.Total.ReportsAccepted > 20, detail);
        Assert.True(summary.Total.WitnessVerdicts.GetValueOrDefault("Valid") > 50, detail);
        foreach (var kind in new[] { CheatKind.StrongSignal, CheatKind.ReplayedEntropy, CheatKind.FakeDistance, CheatKind.SelfWitness, CheatKind.BeaconSpam })
        {
            var (attempts, caught) = summary.Total.Cheats.GetValueOrDefault(kind.ToString());
            Assert.True(attempts > 0 && caught == attempts, $"{kind}: caught {caught} of {attempts}\n{detail}");
        }
        Assert.True(summary.Total.WitnessVerdicts.GetValueOrDefault("SignalTooStrong") > 0, detail);
        Assert.True(summary.Total.WitnessVerdicts.GetValueOrDefault("TooFar") > 0, detail);
        Assert.True(summary.Total.WitnessVerdicts.GetValueOrDefault("SelfWitness") > 0, detail);
        Assert.True(summary.Total.ReportsRejected.GetValueOrDefault("EntropyOutsideWindow") > 0, detail);
        Assert.True(summary.Total.ReportsRejected.GetValueOrDefault("BeaconIntervalNotElapsed") > 0, detail);
        Assert.Equal(["BeaconIntervalNotElapsed", "EntropyOutsideWindow"], summary.Total.ReportsRejected.Keys);
        Assert.True(summary.Total.TrafficReports > 0, detail);
        Assert.True(summary.RewardsPaid > 0, detail);
    }

    [Fact]
    public async Task A_localnet_sized_fleet_with_the_localnet_params_gets_every_verdict_it_expects()
    {
        var state = (JsonObject)JsonNode.Parse(TxBuilder.GenesisAppState([(Authority.Address, 1_000_000_000_000), (Funder.Address, 1_000_000_000_000)]))!;
        FleetGenesis.Apply(state, Authority.Bech32, new FleetChainParams());
        await using var chain = await DriverChain.StartAsync(state);
        var world = new FleetWorld(new FleetWorldOptions { Seed = 1, Devices = 200, Center = Berlin, RadiusMetres = 10_000, CheatPermille = 100 });
        var log = new List<string>();
        var summary = await new FleetSimulator(chain, world, new FleetRunOptions
        {
            Authority = Authority, Funder = Funder, Epochs = 2, PollInterval = TimeSpan.Zero, OnEpoch = e => log.Add(e.ToText("udpin")),
        }).RunAsync(CancellationToken.None);

        var detail = string.Join("\n", log.Concat(summary.ToText("udpin")));
        Assert.True(summary.Total.Unexpected == 0, detail);
        Assert.All(summary.Epochs, e => Assert.True(e.PaidToDevices > 0 && e.DevicesRewarded > 150, detail));
        Assert.All(summary.Total.Cheats.Values, c => Assert.Equal(c.Attempts, c.Caught));
    }

    [Fact]
    public async Task Two_runs_with_one_seed_send_identical_txs_and_reach_the_same_app_hash()
    {
        var first = await RunAsync(seed: 42, devices: 12, epochs: 2);
        var second = await RunAsync(seed: 42, devices: 12, epochs: 2);
        var other = await RunAsync(seed: 43, devices: 12, epochs: 2);

        Assert.Equal(first.Txs.Count, second.Txs.Count);
        Assert.True(first.Txs.Count > 30);
        for (var i = 0; i < first.Txs.Count; i++) Assert.Equal(first.Txs[i], second.Txs[i]);
        Assert.Equal(first.AppHash, second.AppHash);
        Assert.Equal(first.Summary.ToJson().ToJsonString(), second.Summary.ToJson().ToJsonString());
        Assert.NotEqual(first.AppHash, other.AppHash);
    }

    [Fact]
    public void The_world_follows_the_seed_and_the_options()
    {
        var options = new FleetWorldOptions { Seed = 5, Devices = 200, Center = Berlin, RadiusMetres = 10_000, CheatPermille = 100 };
        var a = new FleetWorld(options);
        var b = new FleetWorld(options);
        Assert.Equal(a.Devices.Select(d => (d.KeyHex, d.At, d.Asserted, d.ElevationMetres, d.AntennaGainTenthsDbi, d.Cheat)),
            b.Devices.Select(d => (d.KeyHex, d.At, d.Asserted, d.ElevationMetres, d.AntennaGainTenthsDbi, d.Cheat)));
        Assert.Equal(20, a.Devices.Count(d => d.Cheat != CheatKind.None));
        Assert.All(Enum.GetValues<CheatKind>().Where(k => k != CheatKind.None), k => Assert.Equal(4, a.CountOf(k)));
        Assert.All(a.Devices.Where(d => d.Cheat != CheatKind.FakeDistance), d =>
        {
            Assert.Equal(d.At, d.Asserted);
            Assert.InRange(GreatCircle.DistanceMetres(Berlin, d.At), 0, 10_010);
        });
        Assert.All(a.Devices.Where(d => d.Cheat == CheatKind.FakeDistance), d => Assert.InRange(GreatCircle.DistanceMetres(d.At, d.Asserted), 149_000, 151_000));
        Assert.InRange(a.Devices.Count(d => d.Key.Type == KeyType.Ed25519), 70, 130);
        Assert.NotEqual(a.Devices[0].KeyHex, new FleetWorld(options with { Seed = 6 }).Devices[0].KeyHex);
        Assert.Equal(50, a.Owners.Count);
    }
}
