using System.Text.Json.Nodes;
using DePinChain.Cli.Genesis;
using DePinChain.Cli.Home;
using DePinChain.Cli.Toml;

namespace DePinChain.Cli.Tests.Home;

public sealed class InitTests : IDisposable
{
    private readonly string _home = Path.Combine(Directory.CreateTempSubdirectory("depin-init-").FullName, "home");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_home)!, recursive: true);

    private CliRun Init(params string[] extra) =>
        CliRunner.Run("", ["init", "my-node", "--chain-id", "depin-test-1", "--home", _home, .. extra]);

    [Fact]
    public void Init_writes_every_file_cometbft_needs_in_its_formats()
    {
        Assert.Equal(0, Init().ExitCode);
        var home = new NodeHome(_home);

        var config = CometConfig.FromToml(File.ReadAllText(home.ConfigToml));
        Assert.Equal("my-node", config.Moniker);
        Assert.Equal("tcp://127.0.0.1:26658", config.ProxyApp);
        Assert.Equal("socket", config.AbciTransport);
        Assert.Equal("kv", config.TxIndexer);
        var toml = TomlReader.Parse(File.ReadAllText(home.ConfigToml));
        Assert.Equal(["", "consensus", "p2p", "rpc", "tx_index"], toml.Tables.Keys.Order(StringComparer.Ordinal));

        var app = AppConfig.Parse(File.ReadAllText(home.AppToml));
        Assert.Equal(config.ProxyApp, app.AbciAddress);
        Assert.Equal(AbciTransport.Socket, app.AbciTransport);
        // A new home is a validator's: the changeset format (a missing key would mean nodes, the format of older homes).
        Assert.Equal(DePinChain.Store.StoreFormat.Changesets, app.IavlFormat);
        Assert.Contains("\n[grpc]\n", File.ReadAllText(home.AppToml));
        Assert.Contains("\nenable = true\naddress = \"127.0.0.1:9090\"\n", File.ReadAllText(home.AppToml));

        var validator = CometEd25519Key.ReadKeyFile(home.PrivValidatorKey);
        CometEd25519Key.ReadKeyFile(home.NodeKey);
        Assert.Equal(File.ReadAllText(CliRunner.TestData("priv_validator_state.json")), File.ReadAllText(home.PrivValidatorState));

        var genesis = GenesisDocument.Load(home.Genesis);
        genesis.Validate("depin-test-1");
        JsonObject onlyValidator = Assert.IsType<JsonObject>(Assert.Single(genesis.Root["validators"]!.AsArray()));
        Assert.Equal(validator.Address, (string?)onlyValidator["address"]);
        Assert.Equal(validator.ShowValidator(), onlyValidator["pub_key"]!.ToJsonString(JsonText.Compact));
        Assert.Equal("1", (string?)genesis.Root["initial_height"]);
        Assert.Equal("", (string?)genesis.Root["app_hash"]);
    }

    [Fact]
    public void Init_uses_the_conformance_genesis_consensus_params_with_vote_extensions_off()
    {
        Init();
        var ours = JsonNode.Parse(File.ReadAllText(new NodeHome(_home).Genesis))!["consensus_params"]!.AsObject();
        var cometbft = JsonNode.Parse(File.ReadAllText(CliRunner.TestData("cometbft-genesis.json")))!["consensus_params"]!.AsObject();
        cometbft["abci"]!["vote_extensions_enable_height"] = "0";
        Assert.Equal(cometbft.ToJsonString(), ours.ToJsonString());
    }

    [Fact]
    public void Init_refuses_an_existing_home_unless_told_to_overwrite()
    {
        Init();
        string firstKey = File.ReadAllText(new NodeHome(_home).PrivValidatorKey);
        CliRun again = Init();
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already initialized", again.Error);
        Assert.Equal(firstKey, File.ReadAllText(new NodeHome(_home).PrivValidatorKey));

        Assert.Equal(0, Init("--overwrite").ExitCode);
        Assert.NotEqual(firstKey, File.ReadAllText(new NodeHome(_home).PrivValidatorKey));
    }

    /// <summary>
    /// CometBFT v0.38's socket client dials proto://address (no scheme = tcp); its gRPC client passes proxy_app to grpc-go's
    /// NewClient, which has no resolver for a tcp:// scheme: over gRPC the address is host:port or unix:///absolute/path.
    /// </summary>
    [Theory]
    [InlineData("socket", null, "tcp://127.0.0.1:26658")]
    [InlineData("grpc", null, "127.0.0.1:26658")]
    [InlineData("grpc", "tcp://127.0.0.1:36658", "127.0.0.1:36658")] // the command of issue 17
    [InlineData("grpc", "127.0.0.1:36658", "127.0.0.1:36658")]
    [InlineData("socket", "127.0.0.1:36658", "tcp://127.0.0.1:36658")]
    [InlineData("socket", "tcp://0.0.0.0:36658", "tcp://0.0.0.0:36658")]
    [InlineData("grpc", "unix:///tmp/depin-app.sock", "unix:///tmp/depin-app.sock")]
    [InlineData("socket", "unix:///tmp/depin-app.sock", "unix:///tmp/depin-app.sock")]
    public void Init_writes_the_proxy_app_the_transports_cometbft_client_dials_and_the_same_abci_address(string transport, string? given, string written)
    {
        CliRun run = given is null ? Init("--abci", transport, "--output", "json") : Init("--abci", transport, "--proxy-app", given, "--output", "json");
        Assert.Equal(0, run.ExitCode);
        var home = new NodeHome(_home);
        var comet = CometConfig.FromToml(File.ReadAllText(home.ConfigToml));
        var app = AppConfig.Parse(File.ReadAllText(home.AppToml));

        Assert.Equal((transport, written), (comet.AbciTransport, comet.ProxyApp));
        Assert.Equal((AppConfig.ParseTransport(transport), written), (app.AbciTransport, app.AbciAddress));
        Assert.Empty(AbciPairing.Problems(comet.ProxyApp, comet.AbciTransport, app));
        var json = JsonNode.Parse(run.Out)!;
        Assert.Equal((transport, written), ((string?)json["abci"], (string?)json["proxy_app"]));
    }

    [Theory]
    [InlineData("grpc", "unix://depin-app.sock", "over gRPC a unix socket needs an absolute path")]
    [InlineData("socket", "http://127.0.0.1:26658", "must be tcp://host:port, host:port or unix:///path")]
    [InlineData("grpc", "127.0.0.1", "needs host:port")]
    public void Init_refuses_a_proxy_app_the_transport_cannot_dial_with_exit_code_2(string transport, string given, string expected)
    {
        CliRun run = Init("--abci", transport, "--proxy-app", given);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("Error: --proxy-app: ", run.Error);
        Assert.Contains(expected, run.Error);
        Assert.False(new NodeHome(_home).IsInitialized);
    }

    [Fact]
    public void Add_account_funds_an_address_or_a_key_and_raises_the_supply()
    {
        Init();
        Assert.Equal(0, CliRunner.Run(KeyringTestsMnemonic + "\n", "keys", "add", "faucet", "--recover", "--keyring-backend", "test", "--home", _home).ExitCode);
        string faucet = CliRunner.Run("", "keys", "show", "faucet", "--address", "--keyring-backend", "test", "--home", _home).Out.Trim();

        var byName = CliRunner.Run("", "genesis", "add-account", "faucet", "1000udpin,5stake", "--keyring-backend", "test", "--home", _home);
        Assert.Equal(0, byName.ExitCode);
        const string other = "depin1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53d5ev8";
        Assert.Equal(0, CliRunner.Run("", "genesis", "add-account", other, "500udpin", "--home", _home).ExitCode);

        var genesis = GenesisDocument.Load(new NodeHome(_home).Genesis);
        genesis.Validate();
        Assert.Equal("5stake,1000udpin", genesis.BalanceOf(faucet).ToString());
        var bank = genesis.Root["app_state"]!["bank"]!;
        Assert.Equal("[{\"denom\":\"stake\",\"amount\":\"5\"},{\"denom\":\"udpin\",\"amount\":\"1500\"}]", bank["supply"]!.ToJsonString());
        var accounts = genesis.Root["app_state"]!["auth"]!["accounts"]!.AsArray();
        Assert.Equal(["0", "1"], accounts.Select(a => (string?)a!["account_number"]));
        Assert.All(accounts, a => Assert.Equal(GenesisDocument.BaseAccountType, (string?)a!["@type"]));

        CliRun twice = CliRunner.Run("", "genesis", "add-account", other, "1udpin", "--home", _home);
        Assert.Equal(1, twice.ExitCode);
        Assert.Equal($"Error: account {other} already exists in genesis\n", twice.Error);
    }

    private const string KeyringTestsMnemonic = Keyring.KeyringTests.CosmJsMnemonic;

    [Fact]
    public void Genesis_commands_print_json_when_asked()
    {
        Init();
        string genesisPath = new NodeHome(_home).Genesis;
        const string other = "depin1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53d5ev8";

        CliRun added = CliRunner.Run("", "genesis", "add-account", other, "500udpin,7stake", "--home", _home, "--output", "json");
        Assert.Equal(0, added.ExitCode);
        Assert.Equal(
            $"{{\"address\":\"{other}\",\"coins\":[{{\"denom\":\"stake\",\"amount\":\"7\"}},{{\"denom\":\"udpin\",\"amount\":\"500\"}}],\"genesis\":{JsonValue.Create(genesisPath).ToJsonString()}}}",
            JsonNode.Parse(added.Out)!.ToJsonString());

        CliRun authority = CliRunner.Run("", "genesis", "set-authority", other, "--home", _home, "-o", "json");
        Assert.Equal(0, authority.ExitCode);
        var set = JsonNode.Parse(authority.Out)!;
        Assert.Equal(other, (string?)set["authority"]);
        Assert.Equal(GenesisDocument.AuthorityModules, set["modules"]!.AsArray().Select(m => (string?)m));

        CliRun validated = CliRunner.Run("", "genesis", "validate", "--home", _home, "--output", "json");
        Assert.Equal(0, validated.ExitCode);
        var valid = JsonNode.Parse(validated.Out)!;
        Assert.Equal((genesisPath, true, "depin-test-1"), ((string?)valid["file"], (bool?)valid["valid"], (string?)valid["chain_id"]));
    }

    [Fact]
    public void Set_authority_makes_a_key_the_authority_of_mint_datacredits_and_rewards_in_a_genesis_the_app_accepts()
    {
        Init();
        Assert.Equal(0, CliRunner.Run(KeyringTestsMnemonic + "\n", "keys", "add", "operator", "--recover", "--keyring-backend", "test", "--home", _home).ExitCode);
        string operatorAddress = CliRunner.Run("", "keys", "show", "operator", "--address", "--keyring-backend", "test", "--home", _home).Out.Trim();
        var run = CliRunner.Run("", "genesis", "set-authority", "operator", "--keyring-backend", "test", "--home", _home);
        Assert.Equal(0, run.ExitCode);

        var genesis = GenesisDocument.Load(new NodeHome(_home).Genesis);
        genesis.Validate();
        var modules = new App.AppModules().Modules;
        foreach (string name in new[] { "mint", "datacredits", "rewards" })
        {
            var section = genesis.Root["app_state"]![name]!;
            Assert.Equal(operatorAddress, (string?)section["params"]!["authority"]);
            modules.Single(m => m.Name == name).ValidateGenesis(section.ToJsonString());
        }

        // Again with an address: only the authority changes, the rest of each section stays.
        const string other = "depin1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53d5ev8";
        var mintBefore = genesis.Root["app_state"]!["mint"]!.DeepClone();
        Assert.Equal(0, CliRunner.Run("", "genesis", "set-authority", other, "--home", _home).ExitCode);
        var mintAfter = GenesisDocument.Load(new NodeHome(_home).Genesis).Root["app_state"]!["mint"]!;
        Assert.Equal(other, (string?)mintAfter["params"]!["authority"]);
        mintBefore["params"]!["authority"] = other;
        Assert.True(JsonNode.DeepEquals(mintBefore, mintAfter));

        CliRun bad = CliRunner.Run("", "genesis", "set-authority", "cosmos1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmmk8rs6", "--home", _home);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("expected prefix depin", bad.Error);
    }

    [Theory]
    [InlineData("cosmos1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmmk8rs6", "1udpin", "is a cosmos address; expected prefix depin")]
    [InlineData("nokey", "1udpin", "neither a valid depin1… address nor a key in the file keyring")]
    [InlineData("depin1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53d5ev9", "1udpin", "'depin1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53d5ev9' is not a valid depin1… address (bad checksum) nor a key")]
    [InlineData("depin1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53d5evb", "1udpin", "(invalid data character 'b' at position 43)")]
    [InlineData("depin1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53d5ev/", "1udpin", "is not a valid depin1… address: invalid data character '/' at position 43")]
    [InlineData("depin1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53d5ev8", "10", "invalid coin '10'")]
    [InlineData("depin1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53d5ev8", "0udpin", "amount of udpin must be positive")]
    [InlineData("depin1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53d5ev8", "1udpin,2udpin", "duplicate denom udpin")]
    public void Add_account_refuses_bad_input_in_one_line_and_exit_code_2(string address, string coins, string expected)
    {
        Init();
        string before = File.ReadAllText(new NodeHome(_home).Genesis);
        CliRun run = CliRunner.Run("", "genesis", "add-account", address, coins, "--home", _home);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(before, File.ReadAllText(new NodeHome(_home).Genesis));
        Assert.Contains(expected, run.Error);
        Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("chain_id", "\"\"", "chain_id: must not be empty")]
    [InlineData("initial_height", "1", "initial_height: missing or not a string")]
    [InlineData("validators", "{}", "validators: missing or not an array")]
    [InlineData("app_state", "null", "app_state: missing or not an object")]
    public void Validate_names_the_bad_field(string field, string json, string expected)
    {
        Init();
        string path = new NodeHome(_home).Genesis;
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        root[field] = JsonNode.Parse(json);
        File.WriteAllText(path, root.ToJsonString());

        CliRun run = CliRunner.Run("", "genesis", "validate", "--home", _home);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"Error: {expected}\n", run.Error);
    }

    [Fact]
    public void Validate_catches_a_validator_address_that_does_not_match_its_key_and_a_wrong_supply()
    {
        Init();
        string path = new NodeHome(_home).Genesis;
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        root["validators"]![0]!["address"] = "0000000000000000000000000000000000000000";
        File.WriteAllText(path, root.ToJsonString());
        Assert.Contains("validators[0].address: 0000000000000000000000000000000000000000 does not match its pub_key",
            CliRunner.Run("", "genesis", "validate", "--home", _home).Error);

        Init("--overwrite");
        CliRunner.Run("", "genesis", "add-account", "depin1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53d5ev8", "5udpin", "--home", _home);
        root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        root["app_state"]!["bank"]!["supply"]![0]!["amount"] = "6";
        File.WriteAllText(path, root.ToJsonString());
        Assert.Contains("app_state.bank.supply: 6udpin does not equal the sum of balances 5udpin",
            CliRunner.Run("", "genesis", "validate", "--home", _home).Error);

        // A mistyped account address names the checksum.
        Init("--overwrite");
        CliRunner.Run("", "genesis", "add-account", "depin1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53d5ev8", "5udpin", "--home", _home);
        File.WriteAllText(path, File.ReadAllText(path).Replace("c53d5ev8", "c53d5ev9", StringComparison.Ordinal));
        Assert.Contains("'depin1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53d5ev9' is not a depin bech32 address: bad checksum",
            CliRunner.Run("", "genesis", "validate", "--home", _home).Error);

        // CometBFT's own genesis has no app_state: valid for CometBFT, not for our app.
        Assert.Equal("Error: app_state: missing or not an object\n", CliRunner.Run("", "genesis", "validate", CliRunner.TestData("cometbft-genesis.json")).Error);
    }
}
