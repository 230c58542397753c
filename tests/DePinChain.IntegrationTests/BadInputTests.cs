using System.Net.Sockets;
using DePinChain.Abci;
using DePinChain.Node;
using DePinChain.Cli.Home;
using DePinChain.Protos.Abci;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;

namespace DePinChain.IntegrationTests;

public sealed class BadInputTests
{
    private const int Heights = 4;

    public static TheoryData<string> BadFrames => new()
    {
        "truncated frame",
        "oversized frame",
        "overlong length varint",
        "garbage protobuf",
        "unknown oneof",
        "empty request",
    };

    [Theory]
    [MemberData(nameof(BadFrames))]
    public async Task A_bad_frame_closes_only_its_connection_and_changes_no_state(string kind)
    {
        using var dir = new TempDir();
        BlockLog log = await ReferenceRunAsync(dir.Sub("reference"));

        await using var daemon = Daemon.Start(dir.Sub("node"));
        await using var driver = await daemon.ConnectAsync();
        await driver.InfoAsync(new RequestInfo());
        await driver.InitChainAsync(Workload.InitChain());
        for (long h = 1; h <= Heights / 2; h++) await driver.FinalizeAndCommitAsync(log.At(h));

        byte[] frame = Frame(kind);
        await AssertClosedByServerAsync(daemon.Address, frame, halfClose: kind == "truncated frame");
        Assert.False(daemon.HasExited, daemon.Output);

        // The other connections keep serving, and the state is the reference's.
        Assert.Equal("still here", (await driver.EchoAsync("still here")).Message);
        var info = await driver.InfoAsync(new RequestInfo());
        Assert.Equal(Heights / 2, info.LastBlockHeight);
        Assert.Equal(log.AppHashAt(Heights / 2), info.LastBlockAppHash.ToByteArray());
        for (long h = Heights / 2 + 1; h <= Heights; h++)
        {
            var (finalize, _) = await driver.FinalizeAndCommitAsync(log.At(h));
            Assert.Equal(Convert.ToHexString(log.AppHashAt(h)), Convert.ToHexString(finalize.AppHash.ToByteArray()));
        }

        // A new connection is served normally.
        await using var again = await AbciClientConnection.ConnectAsync(daemon.Address);
        Assert.Equal("hello", (await again.SendAsync(new Request { Echo = new RequestEcho { Message = "hello" } })).Echo.Message);
    }

    private static byte[] Frame(string kind)
    {
        switch (kind)
        {
            case "truncated frame":
            {
                // Announces a whole Info request but stops half-way, then the client closes its side.
                byte[] whole = AbciFraming.ToFrame(new Request { Info = new RequestInfo { Version = "0.38.17", BlockVersion = 11, P2PVersion = 8, AbciVersion = "2.0.0" } });
                return whole[..(whole.Length / 2)];
            }
            case "oversized frame":
                // 1 GiB announced: more than the server's frame limit; it must refuse before reading (or allocating) it.
                return [.. Varint(1L << 30), 0x1a, 0x00];
            case "overlong length varint":
                return [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01];
            case "garbage protobuf":
            {
                byte[] payload = [0xff, 0xff, 0xff, 0xff, 0x0f, 0x0a, 0x99];
                return [.. Varint(payload.Length), .. payload];
            }
            case "unknown oneof":
            {
                // Field 99, length-delimited, empty: well-formed protobuf that is no request CometBFT sends.
                byte[] payload = [.. Varint((99 << 3) | 2), 0x00];
                return [.. Varint(payload.Length), .. payload];
            }
            case "empty request":
                return [0x00];
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private static byte[] Varint(long value)
    {
        var bytes = new List<byte>();
        var v = (ulong)value;
        while (v >= 0x80)
        {
            bytes.Add((byte)(v | 0x80));
            v >>= 7;
        }
        bytes.Add((byte)v);
        return [.. bytes];
    }

    /// <summary>Sends the bytes on a new connection and waits for the server to close it (EOF or reset).</summary>
    private static async Task AssertClosedByServerAsync(string address, byte[] bytes, bool halfClose)
    {
        var parsed = AbciAddress.Parse(address);
        using var socket = new Socket(parsed.IsUnix ? AddressFamily.Unix : AddressFamily.InterNetwork, SocketType.Stream,
            parsed.IsUnix ? ProtocolType.Unspecified : ProtocolType.Tcp);
        await socket.ConnectAsync(parsed.EndPoint);
        await socket.SendAsync(bytes);
        if (halfClose) socket.Shutdown(SocketShutdown.Send);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[4096];
        var received = new List<byte>();
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0) received.AddRange(buffer.AsSpan(0, n));
        }
        catch (SocketException)
        {
            // Reset by the server: closed too.
        }
        catch (OperationCanceledException)
        {
            Assert.Fail("the server kept the connection open after a bad frame");
        }
        if (received.Count > 0)
        {
            // A ResponseException before closing is allowed; a normal response is not.
            var sequence = new System.Buffers.ReadOnlySequence<byte>(received.ToArray());
            Assert.True(AbciFraming.TryReadFrame(ref sequence, AbciFraming.DefaultMaxFrameBytes, out var payload), "a partial frame came back");
            Assert.Equal(Response.ValueOneofCase.Exception, Response.Parser.ParseFrom(payload).ValueCase);
        }
    }

    /// <summary>The blocks and hashes of an undisturbed chain, from depinchaind's host run in-process.</summary>
    private static async Task<BlockLog> ReferenceRunAsync(string home)
    {
        var config = new AppConfig { AbciAddress = "tcp://127.0.0.1:0", Pruning = "nothing", GrpcAddress = "127.0.0.1:0", ApiAddress = "127.0.0.1:0" };
        var host = new NodeHost(home, config, NullLoggerFactory.Instance, e => throw new InvalidOperationException("fatal in the reference run", e));
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(stop.Token);
        await Task.WhenAny(host.Started.Task, run);
        if (run.IsFaulted) await run;
        BlockLog log;
        await using (var driver = await AbciDriver.ConnectAsync(host.ListenAddress!))
        {
            log = await BlockLog.RecordAsync(driver, seed: 99, Heights, txsPerBlock: 10);
        }
        await stop.CancelAsync();
        await run;
        return log;
    }
}
