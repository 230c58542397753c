using System.Globalization;
using System.Text.Json.Nodes;

namespace DePinChain.Cli.Tests.Rpc;

/// <summary>
/// The CLI against the real app: `init` + `genesis add-account` write the genesis, <see cref="FakeCometNode"/> runs the
/// app behind CometBFT-shaped RPC, and the CLI signs real txs that the app checks and executes.
/// </summary>
public sealed class TxAndQueryTests : IAsyncLifetime
{
    private const string ChainId = "depin-e2e-1";
    private readonly string _home = Path.Combine(Directory.CreateTempSubdirectory("depin-e2e-").FullName, "home");
    private FakeCometNode _node = null!;
    private string _alice = "";
    private string _bob = "";

    public async Task InitializeAsync()
    {
        Check(Cli("", "init", "e2e", "--chain-id", ChainId));
        Check(Cli(Keyring.KeyringTests.CosmJsMnemonic + "\n", "keys", "add", "alice", "--recover", "--keyring-backend", "test"));
        Check(Cli("", "keys", "add", "bob", "--keyring-backend", "test"));
        _alice = Cli("", "keys", "show", "alice", "--address", "--keyring-backend", "test").Out.Trim();
        _bob = Cli("", "keys", "show", "bob", "--address", "--keyring-backend", "test").Out.Trim();
        Check(Cli("", "genesis", "add-account", "alice", "1000000udpin", "--keyring-backend", "test"));
        _node = await FakeCometNode.StartAsync(Path.Combine(_home, "config", "genesis.json"));
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_home)!, recursive: true);
    }

    private CliRun Cli(string stdin, params string[] args) => CliRunner.RunAt(_home, stdin, args);

    private CliRun Chain(params string[] args) => Cli("", [.. args, "--node", _node.Url]);

    private static CliRun Check(CliRun run) => CliRunner.Check(run);

    private string Balances(string address) => Check(Chain("query", "bank", "balances", address)).Out.Trim();

    private string Send(params string[] extra) =>
        Check(Chain(["tx", "bank", "send", "alice", _bob, "1234udpin", "--keyring-backend", "test", "--yes", .. extra])).Out;

    [Fact]
    public void A_signed_send_is_included_and_moves_the_coins()
    {
        Assert.Equal("1000000udpin", Balances(_alice));
        Assert.Equal("(no balances)", Balances(_bob));

        string output = Send("--chain-id", ChainId);

        Assert.Contains("code: 0\n", output);
        Assert.Matches("height: [2-9]", output);
        Assert.Equal("998766udpin", Balances(_alice));
        Assert.Equal("1234udpin", Balances(_bob));
        Assert.Contains("sequence: 1", Check(Chain("query", "auth", "account", _alice)).Out);
    }

    [Fact]
    public void Query_tx_and_block_show_the_included_tx()
    {
        var sent = JsonNode.Parse(Send("--output", "json"))!; // chain ID asked from the node's status
        string hash = (string)sent["txhash"]!;
        string height = (string)sent["height"]!;
        Assert.Equal(0, (int)sent["code"]!);

        var tx = JsonNode.Parse(Check(Chain("query", "tx", hash, "--output", "json")).Out)!;
        Assert.Equal(height, (string?)tx["height"]);
        Assert.Contains(tx["events"]!.AsArray(), e => (string?)e!["type"] == "transfer");

        string block = Check(Chain("query", "block", height)).Out;
        Assert.Contains($"height: {height}\n", block);
        Assert.Contains("txs: 1\n", block);
        Assert.Contains($"chain_id: {ChainId}", Check(Chain("status")).Out);
    }

    [Fact]
    public void Gas_auto_with_gas_prices_pays_the_price_times_the_simulated_gas()
    {
        var sent = JsonNode.Parse(Send("--gas", "auto", "--gas-adjustment", "1.3", "--gas-prices", "0.01udpin", "--output", "json"))!;
        long gasWanted = long.Parse((string)sent["gas_wanted"]!, CultureInfo.InvariantCulture);
        long gasUsed = long.Parse((string)sent["gas_used"]!, CultureInfo.InvariantCulture);
        Assert.InRange(gasWanted, gasUsed, gasUsed * 2);

        long fee = (gasWanted + 99) / 100;
        Assert.Equal($"{1_000_000 - 1234 - fee}udpin", Balances(_alice));
    }

    [Fact]
    public void Generate_only_then_sign_then_broadcast_sends_the_tx()
    {
        string dir = Path.GetDirectoryName(_home)!;
        string unsigned = Path.Combine(dir, "unsigned.json");
        string signed = Path.Combine(dir, "signed.json");
        File.WriteAllText(unsigned, Check(Cli("", "tx", "bank", "send", _alice, _bob, "77udpin", "--generate-only", "--fees", "10udpin")).Out);
        Assert.Contains("/cosmos.bank.v1beta1.MsgSend", File.ReadAllText(unsigned));

        File.WriteAllText(signed, Check(Chain("tx", "sign", unsigned, "--from", "alice", "--keyring-backend", "test")).Out);
        Assert.Contains("\"signatures\": [", File.ReadAllText(signed));
        Assert.Contains("\"code\": 0", Check(Chain("tx", "broadcast", signed, "--output", "json")).Out);

        Assert.Equal("77udpin", Balances(_bob));
        Assert.Equal($"{1_000_000 - 77 - 10}udpin", Balances(_alice));

        CliRun notSigned = Chain("tx", "broadcast", unsigned);
        Assert.Equal((1, $"Error: {unsigned}: the tx is not signed (run tx sign first)\n"), (notSigned.ExitCode, notSigned.Error));
    }

    [Fact]
    public void A_tx_the_app_rejects_exits_non_zero_with_its_code_and_log()
    {
        CliRun tooMuch = Chain("tx", "bank", "send", "alice", _bob, "5000000udpin", "--keyring-backend", "test", "--yes");
        Assert.Equal(1, tooMuch.ExitCode);
        Assert.Contains("code: 5\n", tooMuch.Out);
        Assert.Contains("insufficient funds", tooMuch.Out);

        CliRun wrongChain = Chain("tx", "bank", "send", "alice", _bob, "1udpin", "--keyring-backend", "test", "--yes", "--chain-id", "other-chain");
        Assert.Equal(1, wrongChain.ExitCode);
        Assert.Contains("code: 4\n", wrongChain.Out);
        Assert.Equal("1000000udpin", Balances(_alice));
    }

    [Theory]
    [InlineData("tx bank send alice depin1xyz 1udpin", 2, "Error: to-address: 'depin1xyz' is not a valid depin1… address: invalid bech32 string 'depin1xyz': checksum too short\n")]
    [InlineData("tx bank send alice BOB 1.5udpin", 2, "Error: amount: invalid coin '1.5udpin': expected an amount followed by a denom, like 1000udpin\n")]
    [InlineData("tx bank send alice BOB 1udpin --gas lots", 2, "Error: --gas: 'lots' is neither auto nor a positive number\n")]
    [InlineData("tx bank send alice BOB 1udpin --fees 1udpin --gas-prices 1udpin", 2, "Error: give --fees or --gas-prices, not both\n")]
    [InlineData("tx bank send alice BOB 1udpin --fees 5", 2, "Error: --fees: invalid coin '5': expected an amount followed by a denom, like 1000udpin\n")]
    [InlineData("tx bank send nobody BOB 1udpin", 2, "Error: from-address: 'nobody' is not a valid depin1… address, and no key of that name is in the test keyring\n")]
    [InlineData("query bank balances cosmos1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmmk8rs6", 2, "Error: address: 'cosmos1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmmk8rs6' is not a valid depin1… address, and no key of that name is in the test keyring\n")]
    [InlineData("query tx 1234", 2, "Error: hash: '1234' is not 64 hex digits\n")]
    [InlineData("query block abc", 2, "Error: height: 'abc' is not a positive block height\n")]
    [InlineData("query tx 0000000000000000000000000000000000000000000000000000000000000000", 1, "Error: tx 0000000000000000000000000000000000000000000000000000000000000000 not found (not yet in a block, or the node does not index txs)\n")]
    [InlineData("query block 99", 1, "Error: node NODE: block failed: height 99 must be less than or equal to the current blockchain height 1\n")]
    public void Bad_arguments_give_one_line_errors(string command, int exitCode, string expected)
    {
        string[] args = command.Replace("BOB", _bob).Split(' ');
        string[] signing = args[0] == "tx" ? ["--keyring-backend", "test", "--yes"] : ["--keyring-backend", "test"];
        CliRun run = Chain([.. args, .. signing]);
        Assert.Equal(expected.Replace("NODE", _node.Url), run.Error);
        Assert.Equal(exitCode, run.ExitCode);
    }

    [Fact]
    public void A_bad_argument_is_reported_before_the_node_is_asked()
    {
        // No node listens on port 1: the local mistake must be what is reported.
        CliRun run = Cli("", "tx", "bank", "send", "alice", _bob, "1udpin", "--fees", "5", "--keyring-backend", "test", "--yes", "--node", "http://127.0.0.1:1");
        Assert.Equal((2, "Error: --fees: invalid coin '5': expected an amount followed by a denom, like 1000udpin\n"), (run.ExitCode, run.Error));
        CliRun gasAuto = Cli("", "tx", "bank", "send", "alice", _bob, "1udpin", "--generate-only", "--gas", "auto", "--keyring-backend", "test");
        Assert.Equal((2, "Error: --gas auto needs a node to simulate the tx; with --generate-only give a gas limit (--gas N)\n"), (gasAuto.ExitCode, gasAuto.Error));
    }

    [Fact]
    public void An_unreachable_node_is_one_line_naming_it()
    {
        CliRun run = Cli("", "query", "bank", "balances", _alice, "--node", "http://127.0.0.1:1");
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("Error: cannot reach node http://127.0.0.1:1: ", run.Error);
        Assert.Single(run.Error.TrimEnd('\n').Split('\n'));

        CliRun badUrl = Cli("", "status", "--node", "not a url");
        Assert.Equal("Error: --node: 'not a url' is not an http(s) URL like http://127.0.0.1:26657\n", badUrl.Error);
        Assert.Equal(2, badUrl.ExitCode);
    }
}
