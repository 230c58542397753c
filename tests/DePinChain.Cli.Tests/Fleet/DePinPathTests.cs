using System.Numerics;
using System.Text.Json.Nodes;
using DePinChain.Cli.Tests.Rpc;
using DePinChain.Fleet.Sim;

namespace DePinChain.Cli.Tests.Fleet;

/// <summary>
/// The whole DePIN path through `depinchaind` alone, against the real app behind the fake CometBFT RPC: the authority
/// adds a maker, three devices are onboarded with the offline file flow and located, one beacons and two witness it,
/// the owner submits the report files, the verdicts are queried, a router buys credits and reports traffic, the epoch
/// ends, and `query rewards device` equals the documented formula (modules/DePinChain.Modules.Rewards/README.md)
/// recomputed here from the epoch's summary and the device's record.
/// </summary>
public sealed class DePinPathTests : IAsyncLifetime
{
    private const string ChainId = "depin-path-1";
    private readonly string _dir = Directory.CreateTempSubdirectory("depin-path-").FullName;
    private string Home => Path.Combine(_dir, "home");
    private FakeCometNode _node = null!;

    public async Task InitializeAsync()
    {
        Check(Cli("init", "path", "--chain-id", ChainId));
        foreach (var key in new[] { "alice", "bob", "carol" })
        {
            Check(Cli("keys", "add", key, "--keyring-backend", "test"));
            Check(Cli("genesis", "add-account", key, "1000000000udpin", "--keyring-backend", "test"));
        }
        string alice = Check(Cli("keys", "show", "alice", "--address", "--keyring-backend", "test")).Out.Trim();
        // Alice is the authority of the DePIN modules, as on the localnet; epochs of 40 blocks hold the whole setup.
        string path = Path.Combine(Home, "config", "genesis.json");
        var genesis = Genesis.GenesisDocument.Load(path);
        FleetGenesis.Apply((JsonObject)genesis.Root["app_state"]!, alice,
            new FleetChainParams { EpochBlocks = 40, BeaconIntervalBlocks = 4, EntropyWindowBlocks = 5, ReciprocityWindowBlocks = 160 });
        genesis.Save(path);
        _node = await FakeCometNode.StartAsync(Path.Combine(Home, "config", "genesis.json"));
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private CliRun Cli(params string[] args) => CliRunner.RunAt(Home, "", args);

    private CliRun Chain(params string[] args) => Cli([.. args, "--node", _node.Url, "--keyring-backend", "test"]);

    private CliRun Tx(params string[] args) => Check(Chain([.. args, "--yes"]));

    private JsonNode Json(params string[] args) => JsonNode.Parse(Check(Chain([.. args, "--output", "json"])).Out)!;

    private static CliRun Check(CliRun run) => CliRunner.Check(run);

    private string File(string name) => Path.Combine(_dir, name);

    private static BigInteger Int(JsonNode? node) => BigInteger.Parse((string)node!);

    [Fact]
    public void A_maker_devices_a_report_traffic_and_an_epoch_end_pay_the_documented_reward()
    {
        // Keys: three hotspots and the maker's key live in the device keyring, not the account keyring.
        foreach (var device in new[] { "d1", "d2", "d3" })
            Check(Cli("device", "keys", "add", device, "--keyring-backend", "test"));
        Check(Cli("device", "keys", "add", "acme-key", "--keyring-backend", "test"));
        Tx("tx", "devices", "add-maker", "acme", "acme-key", "--key-type", "secp256k1", "--fee-payer", "alice", "--from", "alice");

        // Each device signs offline, the maker countersigns offline, the owner (bob) submits both files.
        var positions = new[] { ("d1", "52.52", "13.405"), ("d2", "52.538", "13.405"), ("d3", "52.52", "13.435") };
        foreach (var (device, lat, lon) in positions)
        {
            Check(Cli("device", "sign-onboarding", device, "--chain-id", ChainId, "--owner", "bob", "--maker", "acme",
                "--keyring-backend", "test", "--output-document", File($"{device}-device.json")));
            Check(Cli("maker", "sign-onboarding", File($"{device}-device.json"), "--key", "acme-key", "--keyring-backend", "test",
                "--output-document", File($"{device}-maker.json")));
            Tx("tx", "devices", "onboard", "--device-signature", File($"{device}-device.json"), "--maker-signature", File($"{device}-maker.json"), "--from", "bob");
            Tx("tx", "devices", "assert-location", device, lat, lon, "--antenna-gain", "3", "--elevation-metres", "20", "--from", "bob");
        }
        Assert.Equal(3, Json("query", "devices", "by-owner", "bob")["devices"]!.AsArray().Count);

        // d1 beacons over the node's latest block; d2 and d3 heard it 2 km away. Anyone may submit: bob does.
        System.IO.File.WriteAllText(File("beacon.json"), Check(Chain("device", "beacon", "d1")).Out);
        foreach (var witness in new[] { "d2", "d3" })
            Check(Cli("device", "witness", File("beacon.json"), "--key", witness, "--rssi", "-95.5", "--snr", "7.2", "--keyring-backend", "test",
                "--output-document", File($"witness-{witness}.json")));
        long epoch = long.Parse((string)Json("query", "mint", "current-epoch")["epoch"]!);
        Tx("tx", "coverage", "submit-poc", File("beacon.json"), File("witness-d2.json"), File("witness-d3.json"), "--from", "bob", "--gas", "1000000");

        // The verdicts, with their codes and reasons, as an owner reads them.
        string d1 = Check(Cli("device", "keys", "show", "d1", "--pubkey", "--keyring-backend", "test")).Out.Trim();
        JsonNode report = Json("query", "coverage", "reports", "d1", "--epoch", epoch.ToString())["reports"]![0]!;
        Assert.Equal(0, (int)report["beacon_verdict"]!);
        Assert.All(report["witnesses"]!.AsArray(), w => Assert.Equal(0, (int)w!["verdict"]!));
        string text = Check(Chain("query", "coverage", "reports", d1, "--epoch", epoch.ToString())).Out;
        Assert.Contains("beacon: Valid (code 0)", text);
        Assert.Equal(2, text.Split('\n').Count(l => l.StartsWith("  witness ", StringComparison.Ordinal) && l.Contains("(code 0)")));

        // A router buys credits and reports the traffic d1 carried.
        Tx("tx", "datacredits", "register-router", "carol", "carol-router", "--from", "alice");
        Tx("tx", "datacredits", "buy", "2000000udpin", "--from", "carol");
        Tx("tx", "datacredits", "report-traffic", "d1", "1000000", "--payer", "carol", "--from", "carol");

        // Blocks until the epoch has ended (its last block pays).
        long end = long.Parse((string)Json("query", "mint", "current-epoch")["epoch_end_height"]!);
        _node.BlockOnStatus = true;
        while (_node.Height <= end) Check(Chain("status"));
        _node.BlockOnStatus = false;

        // The documented formula, from the epoch's summary and params and the device's own record.
        JsonNode summary = Json("query", "rewards", "epoch-summary", epoch.ToString())["summary"]!;
        JsonNode p = Json("query", "rewards", "params")["params"]!;
        JsonNode record = Json("query", "rewards", "device", "d1", "--epoch", epoch.ToString())["record"]!;
        BigInteger minted = Int(summary["minted"]);
        BigInteger Share(BigInteger amount, string bps) => amount * (int)p[bps]! / 10_000;
        BigInteger beaconPool = Share(minted, "beacon_bps"), witnessPool = Share(minted, "witness_bps"), dataPool = Share(minted, "data_transfer_bps");
        Assert.Equal((beaconPool, witnessPool, dataPool), (Int(summary["beacon_pool"]), Int(summary["witness_pool"]), Int(summary["data_pool"])));
        BigInteger dataPaid = BigInteger.Min(dataPool, Int(summary["data_cap"]));
        BigInteger overflow = dataPool - dataPaid;
        BigInteger witnessExtra = Share(overflow, "overflow_witness_bps");
        BigInteger beaconTotal = beaconPool + overflow - witnessExtra, witnessTotal = witnessPool + witnessExtra;
        BigInteger Part(BigInteger pool, JsonNode? units, JsonNode? total) => Int(total) == 0 ? 0 : pool * Int(units) / Int(total);
        BigInteger beacon = Part(beaconTotal, record["beacon_units"], summary["total_beacon_units"]);
        BigInteger witnessAmount = Part(witnessTotal, record["witness_units"], summary["total_witness_units"]);
        BigInteger data = Part(dataPaid, record["traffic_dc"], summary["total_traffic_dc"]);
        Assert.True(beacon > 0 && data > 0, $"beacon {beacon}, data {data}: d1 beaconed and carried traffic");
        Assert.Equal((beacon, witnessAmount, data), (Int(record["beacon_amount"]), Int(record["witness_amount"]), Int(record["data_amount"])));
        Assert.Equal(beacon + witnessAmount + data, Int(record["amount"]));

        // The same breakdown as an owner reads it.
        string explained = Check(Chain("query", "rewards", "device", "d1", "--epoch", epoch.ToString())).Out;
        Assert.Contains($"amount: {beacon + witnessAmount + data}\n", explained);
        Assert.Contains("traffic: 1000000 bytes", explained);
    
        // A witness file of another beacon, or a file that is not a report, is one line and exit 2, and nothing is sent.
        System.IO.File.WriteAllText(File("beacon-d2.json"), Check(Chain("device", "beacon", "d2")).Out);
        Check(Cli("device", "witness", File("beacon-d2.json"), "--key", "d3", "--rssi", "-95.5", "--snr", "7.2", "--keyring-backend", "test",
            "--output-document", File("witness-of-d2.json")));
        long height = _node.Height;
        CliRun mismatched = Chain("tx", "coverage", "submit-poc", File("beacon.json"), File("witness-of-d2.json"), "--from", "bob", "--yes");
        Assert.Equal(2, mismatched.ExitCode);
        Assert.Single(mismatched.Error.TrimEnd('\n').Split('\n'));
        Assert.Contains("witness-of-d2.json", mismatched.Error);
        CliRun notAReport = Chain("tx", "coverage", "submit-poc", File("d1-device.json"), "--from", "bob", "--yes");
        Assert.Equal(2, notAReport.ExitCode);
        Assert.Contains("expected 'depinchain/beacon-report/v1'", notAReport.Error);
        Assert.Equal(height, _node.Height);
    }
}
