using System.Text.Json.Nodes;
using DePinChain.Cli.Tests.Rpc;

namespace DePinChain.Cli.Tests.Fleet;

/// <summary>The localnet's genesis (`testnet init-files --authority alice --short-epochs`) as the app and `simulate status` see it.</summary>
public sealed class LocalnetGenesisTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("depin-localnet-genesis-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Init_files_with_authority_and_short_epochs_writes_a_genesis_the_app_starts_from()
    {
        var files = Path.Combine(_dir, "files");
        var init = CliRunner.Run("", "testnet", "init-files", "--validators", "1", "--output-dir", files, "--authority", "alice", "--short-epochs");
        Assert.True(init.ExitCode == 0, init.Error);
        var home = Path.Combine(files, "node0");
        var genesis = JsonNode.Parse(File.ReadAllText(Path.Combine(home, "config", "genesis.json")))!["app_state"]!;
        var alice = CliRunner.Run("", "keys", "show", "alice", "--address", "--keyring-backend", "test", "--home", home).Out.Trim();
        foreach (var module in new[] { "devices", "coverage", "datacredits", "rewards", "mint" })
            Assert.Equal(alice, (string?)genesis[module]!["params"]!["authority"]);
        Assert.Equal("30", (string?)genesis["mint"]!["schedule"]!["epoch_blocks"]);
        Assert.Equal("10", (string?)genesis["coverage"]!["params"]!["beacon_interval_blocks"]);

        await using var node = await FakeCometNode.StartAsync(Path.Combine(home, "config", "genesis.json"));
        var status = CliRunner.Run("", "simulate", "status", "--node", node.Url, "--home", home);
        Assert.True(status.ExitCode == 0, status.Error);
        Assert.Equal("chain depinchain-localnet at height 1, epoch 0 (blocks 1-29)\nlocated active devices: 0\nthis epoch so far: 0 devices with units, 0 beacons, 0 selected witnesses\n", status.Out);

        var refused = CliRunner.Run("", "testnet", "init-files", "--validators", "1", "--output-dir", Path.Combine(_dir, "other"), "--authority", "mallory");
        Assert.Equal((1, "Error: --authority must be one of the funded user keys (alice, bob, carol), got 'mallory'\n"), (refused.ExitCode, refused.Error));
    }
}
