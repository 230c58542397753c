using System.Net;
using System.Net.Sockets;
using DePinChain.Protos.Abci;

namespace DePinChain.Abci.Tests;

public class DriverTests
{
    [Fact]
    public async Task A_response_of_the_wrong_kind_fails_the_request_and_the_connection()
    {
        // A fake app that answers every frame with ResponseFlush, whatever was asked.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        Task fake = Task.Run(async () =>
        {
            using Socket peer = await listener.AcceptAsync();
            var buffer = new byte[4096];
            int n = await peer.ReceiveAsync(buffer, SocketFlags.None);
            int frames = Conformance.SplitFrames(buffer[..n]).Count;
            byte[] flush = AbciFraming.ToFrame(new Response { Flush = new ResponseFlush() });
            for (int i = 0; i < frames; i++)
            {
                await peer.SendAsync(flush, SocketFlags.None);
            }
            await RawClient.ReadToEndAsync(peer); // until the client hangs up
        });
        AbciClientConnection connection = await AbciClientConnection.ConnectAsync("tcp://" + listener.LocalEndPoint);

        Task<Response> echo = connection.Send(RawClient.Echo("hi"));
        Task flushed = connection.FlushAsync();

        var error = await Assert.ThrowsAsync<AbciProtocolException>(() => echo.WaitAsync(RawClient.HangGuard));
        Assert.Contains("Expected a Echo response, got Flush", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<AbciProtocolException>(() => flushed.WaitAsync(RawClient.HangGuard));
        Assert.Throws<IOException>(() => { _ = connection.Send(RawClient.Echo("again")); });
        await connection.DisposeAsync();
        await fake.WaitAsync(RawClient.HangGuard);
    }

    [Fact]
    public async Task Connecting_retries_until_the_app_listens()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        string address = "tcp://" + probe.LocalEndPoint;
        probe.Dispose(); // a port nobody listens on, for now

        Task<AbciDriver> connecting = AbciDriver.ConnectAsync(address, new CancellationTokenSource(RawClient.HangGuard).Token,
            retryInterval: TimeSpan.FromMilliseconds(50));
        await Task.Delay(200);
        Assert.False(connecting.IsCompleted);
        await using var server = new AbciSocketServer(address, new TestKvApp(), new TestLogger<AbciSocketServer>(), _ => { });
        server.Start();

        await using AbciDriver driver = await connecting;
        Assert.Equal("up", (await driver.EchoAsync("up")).Message);
    }

    [Fact]
    public async Task Without_a_retry_interval_a_refused_connection_fails_at_once()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        string address = "tcp://" + probe.LocalEndPoint;
        probe.Dispose();

        await Assert.ThrowsAsync<SocketException>(() => AbciDriver.ConnectAsync(address));
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:26658", "127.0.0.1:26658")]
    [InlineData("tcp://localhost:26658", "127.0.0.1:26658")]
    [InlineData("tcp://[::1]:26658", "[::1]:26658")]
    [InlineData("tcp://0.0.0.0:0", "0.0.0.0:0")]
    [InlineData("127.0.0.1:26658", "127.0.0.1:26658")] // no scheme: TCP, as CometBFT reads proxy_app
    [InlineData("[::1]:26658", "[::1]:26658")]
    public void Tcp_addresses_parse_to_an_IP_endpoint(string address, string endPoint)
    {
        AbciAddress parsed = AbciAddress.Parse(address);

        Assert.False(parsed.IsUnix);
        Assert.Equal(endPoint, parsed.EndPoint.ToString());
    }

    [Fact]
    public void Unix_addresses_keep_their_path()
    {
        AbciAddress parsed = AbciAddress.Parse("unix:///var/run/app.sock");

        Assert.True(parsed.IsUnix);
        Assert.Equal("/var/run/app.sock", parsed.UnixPath);
        Assert.Equal("unix:///var/run/app.sock", parsed.ToString());
    }

    [Theory]
    [InlineData("http://127.0.0.1:26658")]
    [InlineData("127.0.0.1")]
    [InlineData("unix:app.sock")]
    [InlineData("127.0.0.1:-1")]
    [InlineData("tcp://127.0.0.1")]
    [InlineData("tcp://127.0.0.1:70000")]
    [InlineData("unix://")]
    public void Other_addresses_are_rejected_with_a_clear_message(string address)
    {
        var error = Assert.Throws<FormatException>(() => AbciAddress.Parse(address));

        Assert.Contains(address, error.Message, StringComparison.Ordinal);
    }
}
