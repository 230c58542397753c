using DePinChain.Cli.Home;

namespace DePinChain.Node.Tests;

/// <summary>Where the gRPC server finds CometBFT's RPC: the home's config.toml [rpc] laddr.</summary>
public sealed class CometRpcAddressTests : IDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), "depin-comet-rpc-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_home)) Directory.Delete(_home, recursive: true);
    }

    private void WriteConfig(string text)
    {
        string path = new NodeHome(_home).ConfigToml;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    [Fact]
    public async Task A_home_made_by_init_gives_its_rpc_laddr()
    {
        var error = new StringWriter();
        Assert.Equal(0, await NodeCli.RunAsync(["init", "n1", "--chain-id", "rpc-1", "--home", _home], error));
        var (address, problem) = CometRpcAddress.Read(_home);
        Assert.Null(problem);
        Assert.Equal(CometConfig.FromToml(File.ReadAllText(new NodeHome(_home).ConfigToml)).RpcListen, address);
    }

    [Fact]
    public void The_laddr_is_read_and_without_config_toml_or_the_key_cometbfts_default()
    {
        Assert.Equal((CometRpcAddress.CometDefault, (string?)null), CometRpcAddress.Read(_home));
        WriteConfig("moniker = \"n\"\n\n[rpc]\nladdr = \"tcp://0.0.0.0:36657\"\n");
        Assert.Equal(("tcp://0.0.0.0:36657", (string?)null), CometRpcAddress.Read(_home));
        WriteConfig("moniker = \"n\"\n");
        Assert.Equal((CometRpcAddress.CometDefault, (string?)null), CometRpcAddress.Read(_home));
    }

    [Fact]
    public void A_unix_socket_laddr_is_a_problem_not_an_address()
    {
        WriteConfig("[rpc]\nladdr = \"unix:///tmp/comet.sock\"\n");
        var (address, problem) = CometRpcAddress.Read(_home);
        Assert.Null(address);
        Assert.Contains("is not tcp://host:port", problem);
    }
}
