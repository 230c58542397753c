using System.Text.Json.Nodes;

namespace DePinChain.Cli.Tests.Rpc;

/// <summary>
/// Validators with `depinchaind` alone, as on a simd chain: init, a funded operator, `genesis gentx` and
/// `collect-gentxs`; the app (behind <see cref="FakeCometNode"/>) starts with the gentx's validator; a second validator
/// joins by `tx staking create-validator validator.json` with the key `comet show-validator` prints; delegations,
/// redelegations, unbonding, rewards and the refusals, each through the commands people type.
/// </summary>
public sealed class StakingCommandTests : IAsyncLifetime
{
    private const string ChainId = "depin-staking-1";
    private readonly string _root = Directory.CreateTempSubdirectory("depin-staking-").FullName;
    private string Home => Path.Combine(_root, "home");
    private FakeCometNode _node = null!;

    public async Task InitializeAsync()
    {
        Check(Cli("", "init", "val0", "--chain-id", ChainId));
        foreach (string key in new[] { "alice", "bob", "carol" })
        {
            Check(Cli("", "keys", "add", key, "--keyring-backend", "test"));
            Check(Cli("", "genesis", "add-account", key, "1000000000udpin", "--keyring-backend", "test"));
        }
        CliRun gentx = Check(Cli("", "genesis", "gentx", "alice", "10000000udpin", "--chain-id", ChainId, "--keyring-backend", "test",
            "--commission-rate", "0.05", "--commission-max-rate", "0.2"));
        Assert.Contains("Genesis transaction written to", gentx.Out);
        CliRun collected = Check(Cli("", "genesis", "collect-gentxs"));
        Assert.Contains("Collected 1 gentx(s) (val0)", collected.Out);
        _node = await FakeCometNode.StartAsync(Path.Combine(Home, "config", "genesis.json"));
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private CliRun Cli(string stdin, params string[] args) => CliRunner.RunAt(Home, stdin, args);

    private CliRun Chain(params string[] args) => Cli("", [.. args, "--node", _node.Url, "--keyring-backend", "test"]);

    private CliRun Tx(params string[] args) => Chain([.. args, "--yes"]);

    private static CliRun Check(CliRun run) => CliRunner.Check(run);

    private JsonNode Json(params string[] args) => JsonNode.Parse(Check(Chain([.. args, "--output", "json"])).Out)!;

    private string Valoper(string key) => (string)Json("query", "staking", "validator", key)["validator"]!["operator_address"]!;

    [Fact]
    public void The_gentx_validator_runs_the_chain_a_second_joins_by_create_validator_and_stake_moves_by_the_cli()
    {
        // The gentx made alice's account the operator of the genesis validator, bonded with 10 DPIN (power 10).
        JsonNode validators = Json("query", "staking", "validators");
        JsonNode val0 = validators["validators"]!.AsArray().Single()!;
        Assert.Equal("val0", (string?)val0["description"]!["moniker"]);
        Assert.Equal("BOND_STATUS_BONDED", (string?)val0["status"]);
        Assert.Equal("10000000", (string?)val0["tokens"]);
        Assert.Equal("0.050000000000000000", (string?)val0["commission"]!["commission_rates"]!["rate"]);
        string alice = Valoper("alice");
        Assert.StartsWith("depinvaloper1", alice);

        // carol runs a second node: its consensus key (comet show-validator) goes into simd's validator JSON.
        string otherHome = Path.Combine(_root, "other");
        Check(CliRunner.RunAt(otherHome, "", "init", "val1", "--chain-id", ChainId));
        string pubkey = Check(CliRunner.RunAt(otherHome, "", "comet", "show-validator")).Out.Trim();
        Assert.StartsWith("{\"@type\":\"/cosmos.crypto.ed25519.PubKey\",\"key\":\"", pubkey);
        string file = Path.Combine(_root, "validator.json");
        File.WriteAllText(file, $$"""
            {"pubkey": {{pubkey}}, "amount": "20000000udpin", "moniker": "val1", "website": "https://val1.example",
             "commission-rate": "0.10", "commission-max-rate": "0.20", "commission-max-change-rate": "0.01", "min-self-delegation": "1"}
            """);
        Check(Tx("tx", "staking", "create-validator", file, "--from", "carol"));
        string carol = Valoper("carol");
        JsonNode val1 = Json("query", "staking", "validator", carol)["validator"]!;
        Assert.Equal("val1", (string?)val1["description"]!["moniker"]);
        Assert.Equal("BOND_STATUS_BONDED", (string?)val1["status"]);
        Assert.Equal("20000000", (string?)val1["tokens"]);

        // bob delegates to alice's validator, moves part of it to carol's, and unbonds some from carol's.
        // (Its fee goes to the validators that vote on the next block, by power; commission first.)
        Check(Tx("tx", "staking", "delegate", alice, "5000000udpin", "--from", "bob", "--fees", "100000udpin"));
        Assert.Equal("5000000", (string?)Json("query", "staking", "delegation", "bob", alice)["delegation_response"]!["balance"]!["amount"]);
        Check(Tx("tx", "staking", "redelegate", alice, carol, "2000000udpin", "--from", "bob"));
        Assert.Equal("3000000", (string?)Json("query", "staking", "delegation", "bob", alice)["delegation_response"]!["balance"]!["amount"]);
        Assert.Single(Json("query", "staking", "redelegations", "bob")["redelegation_responses"]!.AsArray());
        Check(Tx("tx", "staking", "unbond", carol, "1000000udpin", "--from", "bob"));
        JsonNode unbonding = Json("query", "staking", "unbonding-delegation", "bob", carol)["unbond"]!;
        Assert.Equal("1000000", (string?)unbonding["entries"]![0]!["balance"]);
        Assert.Equal(2, Json("query", "staking", "delegations", "bob")["delegation_responses"]!.AsArray().Count);
        JsonNode pool = Json("query", "staking", "pool")["pool"]!;
        Assert.Equal("34000000", (string?)pool["bonded_tokens"]);
        Assert.Equal("1000000", (string?)pool["not_bonded_tokens"]);

        // Fees paid so far reach the validators' delegators; alice withdraws her rewards and her commission in one tx.
        Check(Tx("tx", "staking", "edit-validator", "--new-moniker", "val0-renamed", "--from", "alice"));
        Assert.Equal("val0-renamed", (string?)Json("query", "staking", "validator", alice)["validator"]!["description"]!["moniker"]);
        Assert.NotEmpty(Json("query", "distribution", "commission", alice)["commission"]!["commission"]!.AsArray());
        // (bob's rewards of that fee were paid to him when his redelegation changed his shares, as in the SDK.)
        string before = Check(Chain("query", "bank", "balances", "alice")).Out.Trim();
        Check(Tx("tx", "distribution", "withdraw-rewards", alice, "--commission", "--from", "alice"));
        Assert.NotEqual(before, Check(Chain("query", "bank", "balances", "alice")).Out.Trim());
        Check(Tx("tx", "distribution", "withdraw-rewards", alice, "--from", "bob"));

        // The consensus address of the node, as the slashing queries take it.
        string cons = Check(Cli("", "comet", "show-address")).Out.Trim();
        Assert.StartsWith("depinvalcons1", cons);
        Assert.Equal(cons, (string?)Json("query", "slashing", "signing-info", cons)["val_signing_info"]!["address"]);
        Assert.Equal("100", (string?)Json("query", "slashing", "params")["params"]!["signed_blocks_window"]);
        Assert.Equal("0.500000000000000000", (string?)Json("query", "slashing", "params")["params"]!["min_signed_per_window"]);
    }

    [Fact]
    public void Mistakes_are_one_line_before_any_node_is_asked_and_refusals_carry_the_modules_code()
    {
        // Not jailed: the chain refuses unjail with slashing's code.
        CliRun unjail = Tx("tx", "slashing", "unjail", "--from", "alice");
        Assert.Equal(1, unjail.ExitCode);
        Assert.Contains("codespace: slashing", unjail.Out);

        string file = Path.Combine(_root, "bad.json");
        File.WriteAllText(file, "{\"amount\": \"1udpin\", \"moniker\": \"x\"}");
        CliRun noKey = Chain("tx", "staking", "create-validator", file, "--from", "carol", "--yes");
        Assert.Equal((2, 1), (noKey.ExitCode, noKey.Error.Trim().Split('\n').Length));
        Assert.Contains("pubkey", noKey.Error);

        CliRun amount = Chain("tx", "staking", "delegate", "alice", "five", "--from", "bob", "--yes");
        Assert.Equal(2, amount.ExitCode);
        CliRun rate = Chain("tx", "staking", "edit-validator", "--commission-rate", "0.1.2", "--from", "alice", "--yes");
        Assert.Equal(2, rate.ExitCode);
        Assert.Contains("not a decimal", rate.Error);
        CliRun gentxAgain = Cli("", "genesis", "gentx", "alice", "lots", "--keyring-backend", "test");
        Assert.Equal(2, gentxAgain.ExitCode);
    }
}
