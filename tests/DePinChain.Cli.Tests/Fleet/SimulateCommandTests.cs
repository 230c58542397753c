using System.Text.Json.Nodes;
using DePinChain.Cli.Tests.Rpc;

namespace DePinChain.Cli.Tests.Fleet;

/// <summary>`simulate fleet` through the CLI and CometBFT-shaped RPC (the fake node makes a block whenever it is polled).</summary>
public sealed class SimulateCommandTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("depin-simulate-cli-").FullName;
    private string Home => Path.Combine(_dir, "home");
    private FakeCometNode _node = null!;

    public async Task InitializeAsync()
    {
        Check(Cli("init", "fleet", "--chain-id", "depin-sim-cli"));
        Check(Cli("keys", "add", "alice", "--keyring-backend", "test"));
        Check(Cli("genesis", "add-account", "alice", "1000000000000udpin", "--keyring-backend", "test"));
        DeviceCommandsTests.PatchGenesis(Home, Cli("keys", "show", "alice", "--address", "--keyring-backend", "test").Out.Trim());
        _node = await FakeCometNode.StartAsync(Path.Combine(Home, "config", "genesis.json"));
        _node.BlockOnStatus = true;
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private CliRun Cli(params string[] args) => CliRunner.RunAt(Home, "", args);

    private static CliRun Check(CliRun run) => CliRunner.Check(run);

    [Fact]
    public void A_small_fleet_runs_two_epochs_and_prints_json_lines()
    {
        var run = Check(Cli("simulate", "fleet", "--node", _node.Url, "--devices", "10", "--seed", "3", "--center", "52.52,13.405", "--radius-km", "4",
            "--cheaters", "0.5", "--epochs", "2", "--authority", "alice", "--funder", "alice", "--poll-ms", "0", "--keyring-backend", "test", "--output", "json"));

        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(["epoch", "epoch", "summary"], lines.Select(l => (string?)l["event"]));
        var summary = lines[^1];
        Assert.Equal(0, (long)summary["unexpected_verdicts"]!);
        Assert.True((long)summary["reports_accepted"]! > 0, run.Out);
        Assert.Equal(10, (int)summary["devices"]!);
        Assert.Contains("fleet: setup done at height", run.Error);
    }
}
