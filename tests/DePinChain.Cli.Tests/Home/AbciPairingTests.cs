using DePinChain.Cli.Home;

namespace DePinChain.Cli.Tests.Home;

/// <summary>config.toml's proxy_app/abci against app.toml's abci_address/abci_transport: what can connect.</summary>
public class AbciPairingTests
{
    private static AppConfig App(string address, AbciTransport transport) => new() { AbciAddress = address, AbciTransport = transport };

    [Theory]
    [InlineData("tcp://127.0.0.1:26658", "socket", "tcp://127.0.0.1:26658", AbciTransport.Socket)]
    [InlineData("127.0.0.1:26658", "grpc", "127.0.0.1:26658", AbciTransport.Grpc)]
    [InlineData("127.0.0.1:36658", "grpc", "tcp://127.0.0.1:36658", AbciTransport.Grpc)] // issue 17: the pair that reached height 11
    [InlineData("127.0.0.1:26658", "grpc", "tcp://0.0.0.0:26658", AbciTransport.Grpc)]
    [InlineData("unix:///run/depin.sock", "grpc", "unix:///run/depin.sock", AbciTransport.Grpc)]
    [InlineData("tcp://127.0.0.1:26658", "socket", "tcp://127.0.0.1:0", AbciTransport.Socket)] // any free port: not compared
    public void Pairs_that_connect_have_no_problems(string proxyApp, string abci, string address, AbciTransport transport)
        => Assert.Empty(AbciPairing.Problems(proxyApp, abci, App(address, transport)));

    [Theory]
    [InlineData("tcp://127.0.0.1:36658", "grpc", "tcp://127.0.0.1:36658", AbciTransport.Grpc, "no resolver for the tcp scheme, so it never connects; write \"127.0.0.1:36658\"")]
    [InlineData("unix://depin.sock", "grpc", "unix://depin.sock", AbciTransport.Grpc, "absolute path")]
    [InlineData("tcp://127.0.0.1:26658", "grpc", "tcp://127.0.0.1:26658", AbciTransport.Socket, "abci = \"grpc\" but the app serves socket")]
    [InlineData("127.0.0.1:26658", "socket", "127.0.0.1:26658", AbciTransport.Grpc, "abci = \"socket\" but the app serves grpc")]
    [InlineData("tcp://127.0.0.1:26658", "socket", "tcp://127.0.0.1:26659", AbciTransport.Socket, "have different ports")]
    [InlineData("unix:///a.sock", "socket", "unix:///b.sock", AbciTransport.Socket, "name different socket files")]
    [InlineData("unix:///a.sock", "socket", "tcp://127.0.0.1:26658", AbciTransport.Socket, "one is a unix socket, the other TCP")]
    [InlineData("http://127.0.0.1:26658", "socket", "tcp://127.0.0.1:26658", AbciTransport.Socket, "config.toml proxy_app: ")]
    [InlineData("tcp://127.0.0.1:26658", "local", "tcp://127.0.0.1:26658", AbciTransport.Socket, "depinchaind serves socket or grpc")]
    public void Pairs_that_cannot_connect_are_explained(string proxyApp, string abci, string address, AbciTransport transport, string expected)
        => Assert.Contains(AbciPairing.Problems(proxyApp, abci, App(address, transport)), p => p.Contains(expected, StringComparison.Ordinal));

    [Fact]
    public void Config_toml_keys_left_out_take_cometbfts_defaults()
    {
        Assert.Equal(("tcp://127.0.0.1:26658", "socket"), AbciPairing.ReadCometSide("moniker = \"n\"\n[rpc]\nladdr = \"tcp://127.0.0.1:26657\"\n", "config.toml"));
        Assert.Equal(("127.0.0.1:1", "grpc"), AbciPairing.ReadCometSide("proxy_app = \"127.0.0.1:1\"\nabci = \"grpc\"\n", "config.toml"));
    }
}
