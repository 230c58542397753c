using DePinChain.Cli.Home;

namespace DePinChain.Cli.Tests.Home;

/// <summary>Against key files written by a stock `cometbft init` v0.38.25 (TestData, from shared/conformance).</summary>
public class CometKeyTests
{
    [Fact]
    public void The_validator_key_file_gives_cometbfts_address_and_show_validator_output()
    {
        string json = File.ReadAllText(CliRunner.TestData("priv_validator_key.json"));
        var key = CometEd25519Key.ParseKeyFile(json, "priv_validator_key.json");

        Assert.Equal("FB8A859F097A929E57F06718B911D807F0BC937F", key.Address);
        Assert.Equal(File.ReadAllText(CliRunner.TestData("show-validator.txt")).TrimEnd('\n'), key.ShowValidator());
    }

    [Fact]
    public void Writing_the_same_key_back_gives_cometbfts_file_byte_for_byte()
    {
        string json = File.ReadAllText(CliRunner.TestData("priv_validator_key.json"));
        var key = CometEd25519Key.ParseKeyFile(json, "priv_validator_key.json");
        Assert.Equal(json, key.ToPrivValidatorKeyJson());

        string nodeJson = File.ReadAllText(CliRunner.TestData("node_key.json"));
        Assert.Equal(nodeJson, CometEd25519Key.ParseKeyFile(nodeJson, "node_key.json").ToNodeKeyJson());
    }

    [Fact]
    public void The_node_key_file_gives_cometbfts_node_id()
    {
        var key = CometEd25519Key.ParseKeyFile(File.ReadAllText(CliRunner.TestData("node_key.json")), "node_key.json");
        Assert.Equal(File.ReadAllText(CliRunner.TestData("show-node-id.txt")).Trim(), key.NodeId);
    }

    [Fact]
    public void Show_commands_print_what_cometbft_prints_for_the_same_home()
    {
        string home = Directory.CreateTempSubdirectory("depin-show-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(home, "config"));
            File.Copy(CliRunner.TestData("priv_validator_key.json"), Path.Combine(home, "config", "priv_validator_key.json"));
            File.Copy(CliRunner.TestData("node_key.json"), Path.Combine(home, "config", "node_key.json"));

            Assert.Equal(File.ReadAllText(CliRunner.TestData("show-node-id.txt")), CliRunner.Run("", "show-node-id", "--home", home).Out);
            Assert.Equal(File.ReadAllText(CliRunner.TestData("show-validator.txt")), CliRunner.Run("", "show-validator", "--home", home).Out);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public void A_key_file_whose_halves_disagree_is_refused()
    {
        string json = File.ReadAllText(CliRunner.TestData("priv_validator_key.json"))
            .Replace("FB8A859F097A929E57F06718B911D807F0BC937F", "0000000000000000000000000000000000000000");
        var error = Assert.Throws<HomeException>(() => CometEd25519Key.ParseKeyFile(json, "priv_validator_key.json"));
        Assert.Contains("address 0000000000000000000000000000000000000000 does not match", error.Message);
    }
}
