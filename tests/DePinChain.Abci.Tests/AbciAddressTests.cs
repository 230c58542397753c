namespace DePinChain.Abci.Tests;

/// <summary>The proxy_app forms CometBFT v0.38's socket and gRPC clients dial (see the remarks on AbciAddress).</summary>
public class AbciAddressTests
{
    [Theory]
    [InlineData("tcp://127.0.0.1:26658", "tcp://127.0.0.1:26658", "127.0.0.1:26658")]
    [InlineData("127.0.0.1:26658", "tcp://127.0.0.1:26658", "127.0.0.1:26658")]
    [InlineData("tcp://localhost:36658", "tcp://localhost:36658", "localhost:36658")]
    [InlineData("tcp://[::1]:26658", "tcp://[::1]:26658", "[::1]:26658")]
    [InlineData("unix:///var/run/app.sock", "unix:///var/run/app.sock", "unix:///var/run/app.sock")]
    public void Each_transport_gets_the_form_its_client_dials(string address, string socket, string grpc)
    {
        AbciAddress parsed = AbciAddress.Parse(address);

        Assert.Equal(socket, parsed.ToSocketTarget());
        Assert.Equal(grpc, parsed.ToGrpcTarget());
        Assert.Null(AbciAddress.GrpcTargetProblem(grpc));
    }

    [Fact]
    public void A_tcp_scheme_is_named_as_what_grpc_go_cannot_dial_with_the_form_to_write()
    {
        string? problem = AbciAddress.GrpcTargetProblem("tcp://127.0.0.1:36658");

        Assert.NotNull(problem);
        Assert.Contains("no resolver for the tcp scheme", problem);
        Assert.Contains("write \"127.0.0.1:36658\"", problem);
    }

    [Fact]
    public void A_relative_unix_socket_cannot_be_dialed_over_grpc()
    {
        AbciAddress parsed = AbciAddress.Parse("unix://app.sock");

        Assert.Equal("unix://app.sock", parsed.ToSocketTarget());
        Assert.Contains("absolute path", Assert.Throws<FormatException>(parsed.ToGrpcTarget).Message);
        Assert.Contains("absolute path", AbciAddress.GrpcTargetProblem("unix://app.sock"));
    }

    [Fact]
    public void A_grpc_server_listens_on_the_form_written_for_cometbft()
    {
        // app.toml's abci_address equals proxy_app, so the server must accept the scheme-less form too.
        AbciAddress parsed = AbciAddress.Parse("127.0.0.1:0");

        Assert.False(parsed.IsUnix);
        Assert.Equal("127.0.0.1:0", parsed.EndPoint.ToString());
    }
}
