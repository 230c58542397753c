using System.CommandLine;
using System.Text.Json.Nodes;
using DePinChain.Cli.AutoCli;
using DePinChain.Cli.Commands;

namespace DePinChain.Cli.Tests.Rpc;

/// <summary>
/// The commands made from the modules' proto services, against the real app behind <see cref="FakeCometNode"/>: a chain
/// made with `init` + `genesis set-authority` whose authority adds a maker; each device message and query through
/// the CLI alone; authority messages refused for anyone else with the module's code.
/// </summary>
public sealed class ModuleCommandTests : IAsyncLifetime
{
    private const string ChainId = "depin-modules-1";
    private readonly string _home = Path.Combine(Directory.CreateTempSubdirectory("depin-modules-").FullName, "home");
    private FakeCometNode _node = null!;
    private string _alice = "";
    private string _bob = "";

    // A maker key and a device key in the device keyring (public keys in hex once InitializeAsync ran).
    private string MakerKey = "";
    private string DeviceKey = "";

    public async Task InitializeAsync()
    {
        Check(Cli("", "init", "modules", "--chain-id", ChainId));
        Check(Cli(Keyring.KeyringTests.CosmJsMnemonic + "\n", "keys", "add", "alice", "--recover", "--keyring-backend", "test"));
        Check(Cli("", "keys", "add", "bob", "--keyring-backend", "test"));
        _alice = Cli("", "keys", "show", "alice", "--address", "--keyring-backend", "test").Out.Trim();
        _bob = Cli("", "keys", "show", "bob", "--address", "--keyring-backend", "test").Out.Trim();
        Check(Cli("", "genesis", "add-account", "alice", "1000000000udpin", "--keyring-backend", "test"));
        Check(Cli("", "genesis", "add-account", "bob", "1000000000udpin", "--keyring-backend", "test"));
        Check(Cli("", "genesis", "set-authority", "alice", "--keyring-backend", "test"));
        Check(Cli("", "device", "keys", "add", "acme-key", "--keyring-backend", "test"));
        Check(Cli("", "device", "keys", "add", "hotspot", "--keyring-backend", "test"));
        MakerKey = Check(Cli("", "device", "keys", "show", "acme-key", "--pubkey", "--keyring-backend", "test")).Out.Trim();
        DeviceKey = Check(Cli("", "device", "keys", "show", "hotspot", "--pubkey", "--keyring-backend", "test")).Out.Trim();
        _node = await FakeCometNode.StartAsync(Path.Combine(_home, "config", "genesis.json"));
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_home)!, recursive: true);
    }

    private CliRun Cli(string stdin, params string[] args) => CliRunner.RunAt(_home, stdin, args);

    private CliRun Chain(params string[] args) => Cli("", [.. args, "--node", _node.Url, "--keyring-backend", "test"]);

    private CliRun Tx(params string[] args) => Chain([.. args, "--yes"]);

    private static CliRun Check(CliRun run) => CliRunner.Check(run);

    private JsonNode Json(params string[] args) => JsonNode.Parse(Check(Chain([.. args, "--output", "json"])).Out)!;

    [Fact]
    public void Every_rpc_of_every_module_has_a_tx_or_query_command()
    {
        var root = OperatorCommands.CreateRoot(new CliContext());
        Command tx = root.Subcommands.Single(c => c.Name == "tx");
        Command query = root.Subcommands.Single(c => c.Name == "query");
        int methods = 0;
        foreach (var module in ServiceCommands.Modules)
        {
            foreach (var (services, parent) in new[] { (module.MsgServices, tx), (module.QueryServices, query) })
            {
                if (services.Count == 0) continue;
                Command group = parent.Subcommands.Single(c => c.Name == module.Name);
                var count = services.Sum(service => service.Methods.Count);
                Assert.Equal(count, group.Subcommands.Count);
                foreach (var command in group.Subcommands)
                    Assert.False(string.IsNullOrWhiteSpace(command.Description), $"{module.Name} {command.Name} has no help text");
                methods += count;
            }
        }
        Assert.True(methods >= 50, $"only {methods} rpcs found");
    }

    [Fact]
    public void A_chain_made_with_init_and_set_authority_adds_a_maker_and_onboards_locates_transfers_and_decommissions_a_device()
    {
        // The authority (alice, by set-authority) adds a maker; bob, who is not the authority, is refused with the module's code.
        CliRun refused = Tx("tx", "devices", "add-maker", "acme", MakerKey, "--key-type", "secp256k1", "--fee-payer", "bob", "--from", "bob");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("invalid authority; expected", refused.Out);
        Check(Tx("tx", "devices", "add-maker", "acme", MakerKey, "--key-type", "secp256k1", "--fee-payer", "alice", "--from", "alice"));
        Assert.Equal("acme", (string?)Json("query", "devices", "makers")["makers"]![0]!["name"]);

        // bob onboards on one machine that holds the device's and the maker's keys (the shortcut of the file flow).
        Check(Tx("tx", "devices", "onboard", "--device", "hotspot", "--maker-key", "acme-key", "--maker", "acme", "--from", "bob"));

        // Decimal degrees on the command line, micro-degrees on chain; the nonce comes from the node.
        Check(Tx("tx", "devices", "assert-location", DeviceKey, "37.774929", "-122.419416", "--antenna-gain", "5.8", "--elevation-metres", "12", "--from", "bob"));
        Check(Tx("tx", "devices", "assert-location", DeviceKey, "37.775", "-122.42", "--antenna-gain", "5.8", "--elevation-metres", "12", "--from", "bob"));
        JsonNode device = Json("query", "devices", "device", DeviceKey)["device"]!;
        Assert.Equal(37775000, (int)device["location"]!["latitude_micro"]!);
        Assert.Equal(-122420000, (int)device["location"]!["longitude_micro"]!);
        Assert.Equal(58, (int)device["location"]!["antenna_gain_tenths_dbi"]!);
        Assert.Equal("2", (string?)device["location"]!["nonce"]);
        Assert.Equal("REGION_US915", (string?)device["location"]!["region"]);
        Assert.Single(Json("query", "devices", "by-owner", "bob")["devices"]!.AsArray());
        Assert.Single(Json("query", "devices", "in-cell", "37.775", "-122.42", "--level", "6")["devices"]!.AsArray());

        Check(Tx("tx", "devices", "transfer", DeviceKey, "alice", "--from", "bob"));
        Assert.Equal(_alice, (string?)Json("query", "devices", "device", DeviceKey)["device"]!["owner"]);
        Check(Tx("tx", "devices", "decommission", DeviceKey, "--from", "alice"));
        Assert.Equal("DEVICE_STATUS_DECOMMISSIONED", (string?)Json("query", "devices", "device", DeviceKey)["device"]!["status"]);
    }

    [Fact]
    public void Data_credits_deny_list_and_params_commands_change_state_and_authority_messages_are_refused_for_others()
    {
        Check(Tx("tx", "datacredits", "register-router", "bob", "bob-router", "--from", "alice"));
        Assert.Equal(_bob, (string?)Json("query", "datacredits", "routers")["routers"]![0]!["address"]);
        Check(Tx("tx", "datacredits", "buy", "1000000udpin", "--from", "alice"));
        ulong credits = ulong.Parse((string)Json("query", "datacredits", "balance", "alice")["amount"]!);
        Assert.True(credits > 0);
        Check(Tx("tx", "datacredits", "delegate", "bob", "1000", "--from", "alice"));
        Check(Tx("tx", "datacredits", "undelegate", "bob", "400", "--from", "alice"));
        Assert.Equal("600", (string?)Json("query", "datacredits", "balance", "alice")["delegations"]![0]!["amount"]);

        CliRun notAuthority = Tx("tx", "datacredits", "set-credit-price", "5", "--from", "bob");
        Assert.Equal(1, notAuthority.ExitCode);
        Assert.Contains("codespace: datacredits", notAuthority.Out);
        Check(Tx("tx", "datacredits", "set-credit-price", "200000", "--from", "alice"));
        Assert.Equal("200000", (string?)Json("query", "datacredits", "params")["params"]!["dc_per_dpin"]);

        Check(Tx("tx", "coverage", "deny", DeviceKey, "--reason", "spoofing", "--from", "alice"));
        Assert.Equal("spoofing", (string?)Json("query", "coverage", "deny-list")["entries"]![0]!["reason"]);
        Check(Tx("tx", "coverage", "lift-deny", DeviceKey, "--reason", "appeal granted", "--from", "alice"));
        Assert.Empty(Json("query", "coverage", "deny-list")["entries"]!.AsArray());

        // Params as proto JSON, checked by the module: the rewards split must add up.
        JsonNode rewards = Json("query", "rewards", "params")["params"]!;
        rewards["record_retention_epochs"] = "7";
        Check(Tx("tx", "rewards", "update-params", rewards.ToJsonString(), "--from", "alice"));
        Assert.Equal("7", (string?)Json("query", "rewards", "params")["params"]!["record_retention_epochs"]);
    }

    [Fact]
    public void The_remaining_messages_multi_send_revoke_remove_and_params_change_state()
    {
        // multi-send TO... AMOUNT: each recipient gets the amount, the signer pays the sum.
        Check(Tx("tx", "bank", "multi-send", "alice", _bob, "100udpin", "--from", "bob"));
        Assert.Equal("1000000100udpin", Check(Chain("query", "bank", "balances", "alice")).Out.Trim());
        Assert.Equal("999999900udpin", Check(Chain("query", "bank", "balances", "bob")).Out.Trim());

        Check(Tx("tx", "devices", "add-maker", "acme", "acme-key", "--key-type", "secp256k1", "--fee-payer", "alice", "--from", "alice"));
        Check(Tx("tx", "devices", "revoke-maker", "acme", "--from", "alice"));
        Assert.False((bool?)Json("query", "devices", "makers")["makers"]![0]!["active"] ?? false);

        Check(Tx("tx", "datacredits", "register-router", "bob", "r", "--from", "alice"));
        Check(Tx("tx", "datacredits", "remove-router", "bob", "--from", "alice"));
        Assert.Empty(Json("query", "datacredits", "routers")["routers"]!.AsArray());

        JsonNode credits = Json("query", "datacredits", "params")["params"]!;
        credits["bytes_per_dc"] = "48";
        Check(Tx("tx", "datacredits", "update-params", credits.ToJsonString(), "--from", "alice"));
        Assert.Equal("48", (string?)Json("query", "datacredits", "params")["params"]!["bytes_per_dc"]);

        JsonNode mint = Json("query", "mint", "params")["params"]!;
        mint["reemission_share_bps"] = 2500;
        string file = Path.Combine(Path.GetDirectoryName(_home)!, "mint-params.json");
        File.WriteAllText(file, mint.ToJsonString());
        Check(Tx("tx", "mint", "update-params", file, "--from", "alice"));
        Assert.Equal(2500, (int)Json("query", "mint", "params")["params"]!["reemission_share_bps"]!);
        CliRun notAuthority = Tx("tx", "mint", "update-params", file, "--from", "bob");
        Assert.Equal(1, notAuthority.ExitCode);
        Assert.Contains("codespace: mint", notAuthority.Out);
    }

    [Fact]
    public void Every_query_command_answers_from_the_real_app()
    {
        string[][] queries =
        [
            ["auth", "account", "alice"], ["auth", "account-info", _alice], ["auth", "params"], ["auth", "module-account", "rewards"], ["auth", "bech32-prefix"],
            ["bank", "balance", "alice", "udpin"], ["bank", "balances", "alice", "--limit", "5"], ["bank", "total-supply"], ["bank", "supply-of", "udpin"], ["bank", "params"],
            ["devices", "makers"], ["devices", "params"], ["devices", "by-owner", "bob"], ["devices", "in-cell", "0", "0"],
            ["coverage", "params"], ["coverage", "units", "0"], ["coverage", "deny-list"], ["coverage", "reports", DeviceKey],
            ["mint", "params"], ["mint", "current-epoch"], ["mint", "epoch-emission"], ["mint", "minted"], ["mint", "schedule", "--count", "3"],
            ["datacredits", "params"], ["datacredits", "balance", "alice"], ["datacredits", "routers"], ["datacredits", "traffic", "0"],
            ["rewards", "params"], ["rewards", "owner", "bob", "--epoch", "0"],
        ];
        foreach (var query in queries)
        {
            CliRun run = Chain(["query", .. query]);
            Assert.True(run.ExitCode == 0, $"query {string.Join(' ', query)}: exit {run.ExitCode}: {run.Error}");
            Assert.NotEmpty(run.Out);
        }
        Assert.Contains("1000000000udpin", Check(Chain("query", "bank", "balances", "bob")).Out);
        Assert.Equal("(no reports)\n", Check(Chain("query", "coverage", "reports", DeviceKey, "--epoch", "0")).Out);
        CliRun missing = Chain("query", "rewards", "device", DeviceKey, "--epoch", "0");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("not found", missing.Error);
    }

    [Theory]
    [InlineData("tx devices assert-location DEVICE 90.0000001 0 --from bob", "Error: latitude: '90.0000001' has 7 decimals; at most 6\n")]
    [InlineData("tx devices assert-location DEVICE 91 0 --from bob", "Error: latitude: 91 is outside -90..90 degrees\n")]
    [InlineData("tx devices assert-location DEVICE 10 181 --from bob", "Error: longitude: 181 is outside -180..180 degrees\n")]
    [InlineData("tx devices assert-location DEVICE ten 0 --from bob", "Error: latitude: 'ten' is not a decimal number\n")]
    [InlineData("tx devices assert-location 02ab 10 0 --from bob", "Error: device-key: '02ab' is neither a public key in hex (33 bytes secp256k1 or 32 bytes ed25519) nor a device key name\n")]
    [InlineData("tx devices add-maker acme DEVICE --key-type rsa --fee-payer bob --from alice", "Error: --key-type: 'rsa' is not one of secp256k1, ed25519\n")]
    [InlineData("tx devices add-maker acme DEVICE --key-type ed25519 --fee-payer bob --from alice", "Error: add-maker: invalid device key: maker key of 33 bytes is not a Ed25519 public key (code 6, devices)\n")]
    [InlineData("tx devices transfer DEVICE depin1qqqq --from bob", "Error: new-owner: 'depin1qqqq' is not a valid depin1… address: invalid bech32 string 'depin1qqqq': checksum too short\n")]
    [InlineData("tx rewards update-params {\"beacon_bps\":\"x\"} --from alice", "Error: params: not a Params in JSON")]
    public void Bad_module_arguments_are_one_line_exit_2_and_send_nothing(string command, string expected)
    {
        long height = _node.Height;
        CliRun run = Tx(command.Replace("DEVICE", DeviceKey).Split(' '));
        Assert.DoesNotContain("DEVICE", command.Replace("DEVICE", DeviceKey));
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(expected.TrimEnd('\n'), run.Error);
        Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
        Assert.Equal(height, _node.Height);
    }
}
