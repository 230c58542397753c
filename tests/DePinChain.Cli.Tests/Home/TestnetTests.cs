using System.Text.Json.Nodes;
using DePinChain.Cli.Genesis;
using DePinChain.Cli.Home;
using DePinChain.Crypto.Keyring;

namespace DePinChain.Cli.Tests.Home;

public sealed class TestnetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("depin-testnet-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Output => Path.Combine(_dir, "net");

    [Fact]
    public void Four_validators_share_one_genesis_whose_gentxs_give_cometbft_each_nodes_own_key()
    {
        CliRun run = CliRunner.Run("", "testnet", "init-files", "--validators", "4", "--output-dir", Output, "--starting-port", "30000", "--chain-id", "local-7");
        Assert.Equal(0, run.ExitCode);

        var homes = Enumerable.Range(0, 4).Select(i => new NodeHome(Path.Combine(Output, $"node{i}"))).ToList();
        string genesisText = File.ReadAllText(homes[0].Genesis);
        Assert.All(homes, h => Assert.Equal(genesisText, File.ReadAllText(h.Genesis)));
        var genesis = GenesisDocument.Parse(genesisText);
        genesis.Validate("local-7");

        // The set comes from staking: genesis.json lists no validators, its gentxs bond 10 DPIN per node, and InitChain
        // answers CometBFT with each node's own consensus key at power 10.
        Assert.Empty(genesis.Root["validators"]!.AsArray());
        Assert.Equal(4, genesis.Root["app_state"]!["genutil"]!["gen_txs"]!.AsArray().Count);
        var app = new DePinChain.App.DePinApp(new DePinChain.App.Tests.TestCommitMultiStore(DePinChain.App.AppModules.AllStoreNames));
        var answer = app.InitChain(new DePinChain.Protos.Abci.RequestInitChain
        {
            ChainId = "local-7", InitialHeight = 1,
            Time = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
            AppStateBytes = Google.Protobuf.ByteString.CopyFromUtf8(genesis.Root["app_state"]!.ToJsonString()),
        });
        var started = answer.Validators.Select(v => (Convert.ToHexString(v.PubKey.Ed25519.Span), v.Power)).Order().ToList();
        var expected = homes.Select(h => CometEd25519Key.ReadKeyFile(h.PrivValidatorKey))
            .Select(k => (Convert.ToHexString(k.PublicKey), 10L)).Order().ToList();
        Assert.Equal(expected, started);
    }

    [Fact]
    public void Ports_are_distinct_and_peers_name_every_other_nodes_id()
    {
        CliRunner.Run("", "testnet", "init-files", "--validators", "4", "--output-dir", Output, "--starting-port", "30000");
        var homes = Enumerable.Range(0, 4).Select(i => new NodeHome(Path.Combine(Output, $"node{i}"))).ToList();
        var configs = homes.Select(h => CometConfig.FromToml(File.ReadAllText(h.ConfigToml))).ToList();
        var apps = homes.Select(h => AppConfig.Parse(File.ReadAllText(h.AppToml))).ToList();
        var nodeIds = homes.Select(h => CometEd25519Key.ReadKeyFile(h.NodeKey).NodeId).ToList();

        var ports = configs.SelectMany(c => new[] { c.RpcListen, c.P2pListen, c.ProxyApp }).Select(PortOf)
            .Concat(apps.Select(a => PortOf(a.GrpcAddress))).Concat(apps.Select(a => PortOf(a.ApiAddress))).ToList();
        Assert.Equal(20, ports.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 4).Select(i => $"127.0.0.1:{30004 + 10 * i}"), apps.Select(a => a.ApiAddress));
        Assert.All(apps, a => Assert.True(a.ApiEnable));
        Assert.Equal(Enumerable.Range(0, 4).Select(i => $"127.0.0.1:{30003 + 10 * i}"), apps.Select(a => a.GrpcAddress));
        Assert.All(apps, a => Assert.True(a.GrpcEnable));
        Assert.All(ports, p => Assert.InRange(p, 30000, 30039));
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(configs[i].ProxyApp, apps[i].AbciAddress);
            Assert.Equal($"node{i}", configs[i].Moniker);
            Assert.True(configs[i].AllowDuplicateIp);
            Assert.False(configs[i].AddrBookStrict);
            var peers = configs[i].PersistentPeers.Split(',');
            var expectedPeers = Enumerable.Range(0, 4).Where(j => j != i).Select(j => $"{nodeIds[j]}@127.0.0.1:{PortOf(configs[j].P2pListen)}");
            Assert.Equal(expectedPeers, peers);
        }

        string[] nodesTxt = File.ReadAllLines(Path.Combine(Output, "nodes.txt")).Where(l => !l.StartsWith('#')).ToArray();
        Assert.Equal(4, nodesTxt.Length);
        Assert.Equal($"node2 {homes[2].Root} 30020 30021 30022 {nodeIds[2]} 30023 30024 30025", nodesTxt[2]);
    }

    [Fact]
    public void Every_node_has_a_funded_validator_key_and_the_shared_user_keys()
    {
        CliRunner.Run("", "testnet", "init-files", "--validators", "2", "--output-dir", Output, "--starting-port", "30000");
        var genesis = GenesisDocument.Load(Path.Combine(Output, "node0", "config", "genesis.json"));
        string keysTxt = File.ReadAllText(Path.Combine(Output, "keys.txt"));
        string? alice = null;
        for (int i = 0; i < 2; i++)
        {
            var keyring = DirectoryKeyring.Open("test", Path.Combine(Output, $"node{i}"));
            Assert.Equal(["alice", "bob", "carol", "validator"], keyring.List().Select(k => k.Name));
            string validator = keyring.Get("validator").Address;
            Assert.Equal("1000000000000udpin", genesis.BalanceOf(validator).ToString());
            Assert.Contains($"node{i} validator {validator} ", keysTxt);
            alice ??= keyring.Get("alice").Address;
            Assert.Equal(alice, keyring.Get("alice").Address);
        }
        Assert.Equal("1000000000udpin", genesis.BalanceOf(alice!).ToString());
        string aliceMnemonic = keysTxt.Split('\n').Single(l => l.StartsWith("all alice ")).Split(' ', 4)[3];
        Assert.Equal(alice, DirectoryKeyring.DeriveFromMnemonic(aliceMnemonic).Address);
    }

    [Theory]
    [InlineData("socket", "tcp://127.0.0.1:300{0}2")]
    [InlineData("grpc", "127.0.0.1:300{0}2")] // CometBFT's gRPC client (grpc-go) dials no tcp:// scheme
    public void Each_node_gets_the_proxy_app_its_transport_dials_and_the_same_abci_address(string transport, string format)
    {
        Assert.Equal(0, CliRunner.Run("", "testnet", "init-files", "--validators", "2", "--output-dir", Output, "--starting-port", "30000", "--abci", transport).ExitCode);
        for (int i = 0; i < 2; i++)
        {
            var home = new NodeHome(Path.Combine(Output, $"node{i}"));
            var comet = CometConfig.FromToml(File.ReadAllText(home.ConfigToml));
            var app = AppConfig.Parse(File.ReadAllText(home.AppToml));
            string expected = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, i);
            Assert.Equal((transport, expected), (comet.AbciTransport, comet.ProxyApp));
            Assert.Equal((AppConfig.ParseTransport(transport), expected), (app.AbciTransport, app.AbciAddress));
            Assert.Empty(AbciPairing.Problems(comet.ProxyApp, comet.AbciTransport, app));
        }
    }

    [Theory]
    [InlineData("0", "30000", "--validators must be between 1 and 100")]
    [InlineData("4", "65530", "leaves no room")]
    public void Bad_sizes_are_usage_errors_and_write_nothing(string validators, string port, string expected)
    {
        CliRun run = CliRunner.Run("", "testnet", "init-files", "--validators", validators, "--output-dir", Output, "--starting-port", port);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error);
        Assert.False(Directory.Exists(Output));
    }

    [Fact]
    public void A_non_empty_output_directory_needs_overwrite()
    {
        Assert.Equal(0, CliRunner.Run("", "testnet", "init-files", "-n", "1", "--output-dir", Output).ExitCode);
        CliRun again = CliRunner.Run("", "testnet", "init-files", "-n", "1", "--output-dir", Output);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("pass --overwrite", again.Error);
        Assert.Equal(0, CliRunner.Run("", "testnet", "init-files", "-n", "1", "--output-dir", Output, "--overwrite").ExitCode);
    }

    private static int PortOf(string address) => int.Parse(address[(address.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
}
