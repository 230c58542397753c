using System.Net.Sockets;
using DePinChain.Protos.Abci;
using Google.Protobuf;

namespace DePinChain.Abci.Tests;

/// <summary>A started socket server around a <see cref="TestKvApp"/>, stopped on dispose.</summary>
internal sealed class SocketServerHarness : IAsyncDisposable
{
    private SocketServerHarness(AbciSocketServer server, TestKvApp app, TestLogger<AbciSocketServer> logger, List<Exception> fatal)
    {
        Server = server;
        App = app;
        Logger = logger;
        FatalErrors = fatal;
    }

    public AbciSocketServer Server { get; }
    public TestKvApp App { get; }
    public TestLogger<AbciSocketServer> Logger { get; }
    public List<Exception> FatalErrors { get; }
    public string Address => Server.ListenAddress;

    public static SocketServerHarness Start(string address = "tcp://127.0.0.1:0", AbciServerOptions? options = null, TestKvApp? app = null)
    {
        app ??= new TestKvApp();
        var logger = new TestLogger<AbciSocketServer>();
        var fatal = new List<Exception>();
        var server = new AbciSocketServer(address, app, logger, e => { lock (fatal) { fatal.Add(e); } }, options);
        server.Start();
        return new SocketServerHarness(server, app, logger, fatal);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

/// <summary>Raw socket helpers for feeding the server bytes CometBFT would never send.</summary>
internal static class RawClient
{
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(20);

    public static async Task<Socket> ConnectAsync(string address)
    {
        AbciAddress parsed = AbciAddress.Parse(address);
        var socket = parsed.IsUnix
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(parsed.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(parsed.EndPoint);
        return socket;
    }

    /// <summary>Reads until the server closes the connection; returns everything it sent.</summary>
    public static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(HangGuard);
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                break;
            }
            if (n == 0)
            {
                break;
            }
            received.Write(buffer, 0, n);
        }
        return received.ToArray();
    }

    public static byte[] Frame(Request request) => AbciFraming.ToFrame(request);

    public static byte[] Frame(byte[] payload)
    {
        var prefix = new byte[10];
        int length = AbciFraming.WriteVarint(prefix, (ulong)payload.Length);
        return [.. prefix.AsSpan(0, length), .. payload];
    }

    public static List<Response> ParseResponses(byte[] stream) =>
        Conformance.SplitFrames(stream).Select(f => Response.Parser.ParseFrom(f)).ToList();

    public static Request Flush() => new() { Flush = new RequestFlush() };

    public static Request Echo(string message) => new() { Echo = new RequestEcho { Message = message } };

    public static RequestCheckTx Tx(string text) => new() { Tx = ByteString.CopyFromUtf8(text) };
}
