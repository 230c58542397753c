using System.Text.Json.Nodes;
using DePinChain.App;
using DePinChain.Cli.Genesis;
using DePinChain.Cli.Rpc;
using DePinChain.Cli.Tests.Rpc;
using DePinChain.Crypto.Keyring;
using DePinChain.Fleet.Files;
using DePinChain.Fleet.Sim;
using DePinChain.Protos.Depin.Coverage.V1;
using DePinChain.Protos.Depin.Devices.V1;
using Google.Protobuf;

namespace DePinChain.Cli.Tests.Fleet;

/// <summary>
/// The device side end to end against the real app behind the fake CometBFT RPC: keys, the three-signature onboarding
/// as files, a beacon over the node's latest block, an offline witness, and the submit message built from the files,
/// which the chain accepts. Bad input is one line, a non-zero exit, and nothing sent.
/// </summary>
public sealed class DeviceCommandsTests : IAsyncLifetime
{
    private const string ChainId = "depin-device-1";
    private readonly string _dir = Directory.CreateTempSubdirectory("depin-device-cli-").FullName;
    private string Home => Path.Combine(_dir, "home");
    private FakeCometNode _node = null!;
    private string _alice = "";

    public async Task InitializeAsync()
    {
        Check(Cli("", "init", "devices", "--chain-id", ChainId));
        Check(Cli("", "keys", "add", "alice", "--keyring-backend", "test"));
        _alice = Cli("", "keys", "show", "alice", "--address", "--keyring-backend", "test").Out.Trim();
        Check(Cli("", "genesis", "add-account", "alice", "1000000000udpin", "--keyring-backend", "test"));
        PatchGenesis(Home, _alice);
        _node = await FakeCometNode.StartAsync(Path.Combine(Home, "config", "genesis.json"));
    }

    /// <summary>What `testnet init-files --authority --short-epochs` writes for a localnet: alice is every fleet module's authority, epochs are short.</summary>
    internal static void PatchGenesis(string home, string authority)
    {
        string path = Path.Combine(home, "config", "genesis.json");
        var genesis = GenesisDocument.Load(path);
        FleetGenesis.Apply((JsonObject)genesis.Root["app_state"]!, authority, new FleetChainParams { EpochBlocks = 10, BeaconIntervalBlocks = 4, EntropyWindowBlocks = 5, ReciprocityWindowBlocks = 40 });
        genesis.Save(path);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private CliRun Cli(string stdin, params string[] args) => CliRunner.RunAt(Home, stdin, args);

    private static CliRun Check(CliRun run) => CliRunner.Check(run);

    private string File(string name) => Path.Combine(_dir, name);

    /// <summary>Signs and sends a tx from alice and waits for its block (what `tx devices …` / `tx coverage submit-poc` will do).</summary>
    private async Task<TxResult> SendAsync(params IMessage[] msgs)
    {
        var keyring = DirectoryKeyring.Open("test", Home);
        var signer = new TxSigner(keyring.GetPrivateKey("alice"));
        var client = new CometRpcClient(_node.Url, new HttpClient());
        var answer = await client.AbciQueryAsync("/cosmos.auth.v1beta1.Query/Account", new Protos.Cosmos.Auth.V1Beta1.QueryAccountRequest { Address = _alice }.ToByteArray(), 0);
        var account = Protos.Cosmos.Auth.V1Beta1.QueryAccountResponse.Parser.ParseFrom(answer.Value).Account.Unpack<Protos.Cosmos.Auth.V1Beta1.BaseAccount>();
        var builder = new TxBuilder { GasLimit = 2_000_000 };
        foreach (var m in msgs) builder.AddMessage(m);
        var raw = builder.Sign(signer, ChainId, account.AccountNumber, account.Sequence).ToByteArray();
        var check = await client.BroadcastTxSyncAsync(raw);
        Assert.True(check.Code == 0, check.Log);
        for (var i = 0; i < 5; i++)
            if (await client.TxAsync(check.Hash) is { } included) return included;
        throw new InvalidOperationException("not included");
    }

    private string PublicKey(string name) => Check(Cli("", "device", "keys", "show", name, "--pubkey", "--keyring-backend", "test")).Out.Trim();

    private MsgAssertLocation Locate(string name, int lat, int lon) => new()
    {
        Owner = _alice, DeviceKey = ByteString.CopyFrom(Convert.FromHexString(PublicKey(name))), LatitudeMicro = lat, LongitudeMicro = lon,
        AntennaGainTenthsDbi = 30, ElevationMetres = 20, Nonce = 1,
    };

    [Fact]
    public async Task Keys_onboarding_files_beacon_and_witness_make_a_report_the_chain_accepts()
    {
        Check(Cli("", "device", "keys", "add", "hotspot", "--type", "ed25519", "--keyring-backend", "test"));
        Check(Cli("", "device", "keys", "add", "neighbour", "--keyring-backend", "test"));
        var makerKey = JsonNode.Parse(Check(Cli("", "device", "keys", "add", "acme-key", "--keyring-backend", "test", "-o", "json")).Out)!;
        Assert.Equal("secp256k1", (string?)makerKey["key_type"]);
        Assert.Equal("acme-key\tsecp256k1\t", Check(Cli("", "device", "keys", "list", "--keyring-backend", "test")).Out.Split('\n')[0][..19]);
        Assert.Contains("\"type\": \"depinchain-armored-device-key\"", Check(Cli("pass\n", "device", "keys", "export", "hotspot", "--keyring-backend", "test")).Out);

        // The authority adds the maker; each device signs, the maker countersigns, the owner submits.
        await SendAsync(new MsgAddMaker
        {
            Authority = _alice, Name = "acme", Key = ByteString.CopyFrom(Convert.FromHexString((string)makerKey["pub_key"]!)), KeyType = KeyType.Secp256K1, FeePayer = _alice,
        });
        foreach (var (device, lat) in new[] { ("hotspot", 52_520_000), ("neighbour", 52_538_000) })
        {
            Check(Cli("", "device", "sign-onboarding", device, "--chain-id", ChainId, "--owner", "alice", "--maker", "acme", "--keyring-backend", "test", "--output-document", File($"{device}-device.json")));
            Check(Cli("", "maker", "sign-onboarding", File($"{device}-device.json"), "--key", "acme-key", "--keyring-backend", "test", "--output-document", File($"{device}-maker.json")));
            var onboard = OnboardingFiles.BuildMessage(_alice, File($"{device}-device.json"), File($"{device}-maker.json"));
            Assert.Equal(0u, (await SendAsync(onboard, Locate(device, lat, 13_405_000))).Code);
        }

        var beacon = Check(Cli("", "device", "beacon", "hotspot", "--node", _node.Url, "--keyring-backend", "test", "--timestamp-ms", "1767225600000"));
        System.IO.File.WriteAllText(File("beacon.json"), beacon.Out);
        Assert.Contains("\"frequency_hz\": 868100000", beacon.Out); // Berlin: EU868's default channel
        Check(Cli("", "device", "witness", File("beacon.json"), "--key", "neighbour", "--rssi", "-95.5", "--snr", "7.2", "--keyring-backend", "test",
            "--output-document", File("witness.json")));
        var witness = PocFiles.ReadWitness(File("witness.json"));
        Assert.Equal((-955, 72, 1_767_225_600_500L), (witness.Witness.RssiTenthsDbm, witness.Witness.SnrTenthsDb, witness.Witness.TimestampMs));

        var submit = PocFiles.BuildMessage(_alice, File("beacon.json"), [File("witness.json")]);
        var included = await SendAsync(submit);
        Assert.True(included.Code == 0, included.Log);
        var client = new CometRpcClient(_node.Url, new HttpClient());
        var answer = await client.AbciQueryAsync("/depin.coverage.v1.Query/Reports",
            new QueryReportsRequest { DeviceKey = submit.Beacon.BeaconerKey, Epoch = (ulong)(included.Height / 10) }.ToByteArray(), 0);
        var report = QueryReportsResponse.Parser.ParseFrom(answer.Value).Reports.Single();
        Assert.Equal((0u, 0u), (report.BeaconVerdict, report.Witnesses.Single().Verdict));
    }

    [Fact]
    public void Bad_input_is_one_line_a_non_zero_exit_and_nothing_sent()
    {
        Check(Cli("", "device", "keys", "add", "stranger", "--keyring-backend", "test"));
        long height = _node.Height;

        AssertError(Cli("", "device", "beacon", "stranger", "--node", _node.Url, "--keyring-backend", "test"),
            $"Error: unknown device {PublicKey("stranger")}: it is not onboarded on this chain\n");
        AssertError(Cli("", "device", "beacon", "nobody", "--node", _node.Url, "--keyring-backend", "test"),
            $"Error: device key 'nobody' not found in the test device keyring ({Path.Combine(Home, "device-keyring-test")})\n");
        Assert.Equal(2, Cli("", "device", "keys", "add", "rsa-one", "--type", "rsa", "--keyring-backend", "test").ExitCode);
        System.IO.File.WriteAllText(File("junk.json"), "{\"type\": \"depinchain/beacon-report/v1\", \"chain_id\": 5}");
        AssertError(Cli("", "device", "witness", File("junk.json"), "--key", "stranger", "--rssi", "-90", "--snr", "1", "--keyring-backend", "test"),
            $"Error: {File("junk.json")}: chain_id must be a string\n");
        AssertError(Cli("", "device", "witness", File("none.json"), "--key", "stranger", "--rssi", "-90", "--snr", "1", "--keyring-backend", "test"),
            $"Error: {File("none.json")}: no such file\n");
        AssertError(Cli("", "device", "witness", File("junk.json"), "--key", "stranger", "--rssi", "-90.25", "--snr", "1", "--keyring-backend", "test"),
            "Error: --rssi: '-90.25' has 2 decimals; at most 1\n");
        AssertError(Cli("", "maker", "sign-onboarding", File("junk.json"), "--key", "stranger", "--keyring-backend", "test"),
            $"Error: {File("junk.json")}: is a 'depinchain/beacon-report/v1' file, expected 'depinchain/onboarding-signature/v1'\n");
        var badMaker = Cli("", "device", "sign-onboarding", "stranger", "--chain-id", ChainId, "--owner", "alice", "--maker", "Bad Maker", "--keyring-backend", "test");
        Assert.Equal((1, ""), (badMaker.ExitCode, badMaker.Out));
        Assert.StartsWith("Error: maker: invalid maker: name \"Bad Maker\" must be", badMaker.Error);
        Assert.Single(badMaker.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        AssertError(Cli("", "simulate", "fleet", "--node", _node.Url, "--center", "91,13.4"), "Error: --center latitude: 91 is outside -90..90 degrees\n");
        AssertError(Cli("", "simulate", "fleet", "--node", _node.Url, "--center", "52.1234567,13.4"), "Error: --center latitude: '52.1234567' has 7 decimals; at most 6\n");
        AssertError(Cli("", "simulate", "fleet", "--node", _node.Url, "--center", "52.5,13.4", "--cheaters", "1.5"), "Error: --cheaters: 1.5 is not within 0..1\n");
        AssertError(Cli("", "simulate", "fleet", "--node", _node.Url, "--center", "0,-30"),
            "Error: --center (0.000000, -30.000000) has no LoRaWAN frequency plan (open ocean or an uncovered area); pick a city\n");
        Assert.Equal(height, _node.Height);
    }

    private static void AssertError(CliRun run, string error)
    {
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(error, run.Error);
        Assert.Equal("", run.Out);
    }
}
