using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using DePinChain.Protos.Abci;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace DePinChain.Abci.Tests;

public sealed class GrpcServerTests : IAsyncLifetime
{
    private readonly TestKvApp _app = new();
    private readonly List<Exception> _fatal = [];
    private AbciGrpcServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = new AbciGrpcServer("tcp://127.0.0.1:0", _app, LoggerFactory.Create(_ => { }), e => { lock (_fatal) { _fatal.Add(e); } });
        await _server.StartAsync();
        _client = GrpcCall.CreateClient(_server.ListenAddress);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    public static TheoryData<string, IMessage, Func<byte[], IMessage>> EveryMethod() => new()
    {
        { "Echo", new RequestEcho { Message = "hello" }, b => ResponseEcho.Parser.ParseFrom(b) },
        { "Flush", new RequestFlush(), b => ResponseFlush.Parser.ParseFrom(b) },
        { "Info", new RequestInfo { Version = "0.38.25" }, b => ResponseInfo.Parser.ParseFrom(b) },
        { "CheckTx", RawClient.Tx("a=b"), b => ResponseCheckTx.Parser.ParseFrom(b) },
        { "Query", new RequestQuery { Data = ByteString.CopyFromUtf8("a") }, b => ResponseQuery.Parser.ParseFrom(b) },
        { "Commit", new RequestCommit(), b => ResponseCommit.Parser.ParseFrom(b) },
        { "InitChain", new RequestInitChain { ChainId = "test-1" }, b => ResponseInitChain.Parser.ParseFrom(b) },
        { "ListSnapshots", new RequestListSnapshots(), b => ResponseListSnapshots.Parser.ParseFrom(b) },
        { "OfferSnapshot", new RequestOfferSnapshot(), b => ResponseOfferSnapshot.Parser.ParseFrom(b) },
        { "LoadSnapshotChunk", new RequestLoadSnapshotChunk(), b => ResponseLoadSnapshotChunk.Parser.ParseFrom(b) },
        { "ApplySnapshotChunk", new RequestApplySnapshotChunk(), b => ResponseApplySnapshotChunk.Parser.ParseFrom(b) },
        { "PrepareProposal", new RequestPrepareProposal { Txs = { ByteString.CopyFromUtf8("x=1") } }, b => ResponsePrepareProposal.Parser.ParseFrom(b) },
        { "ProcessProposal", new RequestProcessProposal(), b => ResponseProcessProposal.Parser.ParseFrom(b) },
        { "ExtendVote", new RequestExtendVote(), b => ResponseExtendVote.Parser.ParseFrom(b) },
        { "VerifyVoteExtension", new RequestVerifyVoteExtension(), b => ResponseVerifyVoteExtension.Parser.ParseFrom(b) },
        { "FinalizeBlock", new RequestFinalizeBlock { Txs = { ByteString.CopyFromUtf8("x=1") } }, b => ResponseFinalizeBlock.Parser.ParseFrom(b) },
    };

    [Theory]
    [MemberData(nameof(EveryMethod))]
    public async Task Every_ABCI_method_answers_one_message_with_status_OK(string method, IMessage request, Func<byte[], IMessage> parse)
    {
        GrpcResult result = await GrpcCall.InvokeAsync(_client, method, request);

        Assert.Equal(HttpStatusCode.OK, result.HttpStatus);
        Assert.Equal("application/grpc", result.ContentType);
        Assert.Equal("0", result.GrpcStatus);
        IMessage response = parse(result.SingleMessage());
        switch (response)
        {
            case ResponseEcho echo: Assert.Equal("hello", echo.Message); break;
            case ResponseCheckTx checkTx: Assert.Equal(0u, checkTx.Code); break;
            case ResponseInfo info: Assert.Equal("2.0.0", info.Version); break;
            case ResponsePrepareProposal prepare: Assert.Equal("x=1", Assert.Single(prepare.Txs).ToStringUtf8()); break;
            case ResponseFinalizeBlock finalize: Assert.Equal(0u, Assert.Single(finalize.TxResults).Code); break;
            case ResponseProcessProposal process: Assert.Equal(ResponseProcessProposal.Types.ProposalStatus.Accept, process.Status); break;
        }
    }

    [Fact]
    public async Task An_unknown_method_is_UNIMPLEMENTED()
    {
        GrpcResult result = await GrpcCall.InvokeAsync(_client, "DeliverTx", new RequestEcho());

        Assert.Equal("12", result.GrpcStatus);
        Assert.Empty(result.Body);
        Assert.Equal(0, _app.Calls);
    }

    [Fact]
    public async Task An_app_exception_in_CheckTx_is_INTERNAL_with_the_message()
    {
        _app.ThrowOn = nameof(IAbciApplication.CheckTx);

        GrpcResult result = await GrpcCall.InvokeAsync(_client, "CheckTx", RawClient.Tx("a=b"));

        Assert.Equal("13", result.GrpcStatus);
        Assert.Contains("test app told to fail in CheckTx", Uri.UnescapeDataString(result.GrpcMessage!), StringComparison.Ordinal);
        Assert.Empty(_fatal);
    }

    [Fact]
    public async Task An_app_exception_in_FinalizeBlock_is_fatal()
    {
        _app.ThrowOn = nameof(IAbciApplication.FinalizeBlock);

        GrpcResult result = await GrpcCall.InvokeAsync(_client, "FinalizeBlock", new RequestFinalizeBlock());

        Assert.Equal("13", result.GrpcStatus);
        Assert.Single(_fatal);
    }

    [Fact]
    public async Task A_request_that_does_not_parse_is_INTERNAL_and_the_app_is_not_called()
    {
        GrpcResult result = await GrpcCall.InvokeRawAsync(_client, "CheckTx", GrpcCall.Frame([0xFF, 0xFF, 0xFF]));

        Assert.Equal("13", result.GrpcStatus);
        Assert.Equal(0, _app.Calls);
    }

    [Fact]
    public async Task The_framework_logs_no_line_per_call_unless_its_level_is_raised()
    {
        var quiet = new CapturingLoggerProvider();
        await using (var server = new AbciGrpcServer("tcp://127.0.0.1:0", _app, LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(quiet)), _ => { }))
        {
            await server.StartAsync();
            using HttpClient client = GrpcCall.CreateClient(server.ListenAddress);
            Assert.Equal("0", (await GrpcCall.InvokeAsync(client, "Commit", new RequestCommit())).GrpcStatus);
        }
        Assert.DoesNotContain(quiet.Lines, l => l.Category.StartsWith("Microsoft.", StringComparison.Ordinal));
        Assert.Contains(quiet.Lines, l => l.Category == typeof(AbciGrpcServer).FullName && l.Message.Contains("listening", StringComparison.Ordinal));

        var raised = new CapturingLoggerProvider();
        await using (var server = new AbciGrpcServer("tcp://127.0.0.1:0", _app, LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(raised)), _ => { },
            new AbciServerOptions { FrameworkLogLevel = LogLevel.Information }))
        {
            await server.StartAsync();
            using HttpClient client = GrpcCall.CreateClient(server.ListenAddress);
            Assert.Equal("0", (await GrpcCall.InvokeAsync(client, "Commit", new RequestCommit())).GrpcStatus);
        }
        Assert.Contains(raised.Lines, l => l.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            && l.Level == LogLevel.Information && l.Message.Contains("/tendermint.abci.ABCI/Commit", StringComparison.Ordinal));
        Assert.DoesNotContain(raised.Lines, l => l.Category.StartsWith("Microsoft.", StringComparison.Ordinal) && l.Level < LogLevel.Information);
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<(string Category, LogLevel Level, string Message)> _lines = new();

        public IReadOnlyCollection<(string Category, LogLevel Level, string Message)> Lines => _lines;

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<(string, LogLevel, string)> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue((category, logLevel, formatter(state, exception)));
        }
    }

    [Fact]
    public async Task A_message_above_the_size_limit_is_RESOURCE_EXHAUSTED()
    {
        await using var server = new AbciGrpcServer("tcp://127.0.0.1:0", _app, LoggerFactory.Create(_ => { }), _ => { },
            new AbciServerOptions { MaxFrameBytes = 100 });
        await server.StartAsync();
        using HttpClient client = GrpcCall.CreateClient(server.ListenAddress);

        GrpcResult result = await GrpcCall.InvokeAsync(client, "CheckTx", new RequestCheckTx { Tx = ByteString.CopyFrom(new byte[200]) });

        Assert.Equal("8", result.GrpcStatus);
        Assert.Equal(0, _app.Calls);
    }

    [Fact]
    public async Task A_message_above_Kestrels_default_body_limit_is_served()
    {
        // Kestrel's default MaxRequestBodySize is 30 MB; the ABCI limit (MaxFrameBytes, 128 MiB) is what counts.
        byte[] tx = new byte[32 * 1024 * 1024];
        tx.AsSpan().Fill((byte)'b');
        "a="u8.CopyTo(tx);

        GrpcResult result = await GrpcCall.InvokeAsync(_client, "CheckTx", new RequestCheckTx { Tx = ByteString.CopyFrom(tx) });

        Assert.Equal("0", result.GrpcStatus);
        Assert.Equal(tx.Length, ResponseCheckTx.Parser.ParseFrom(result.SingleMessage()).Data.Length);
    }

    [Fact]
    public async Task CheckTx_is_answered_while_a_slow_FinalizeBlock_runs()
    {
        using var hold = new ManualResetEventSlim(false);
        _app.HoldFinalizeBlock = hold;

        Task<GrpcResult> finalize = GrpcCall.InvokeAsync(_client, "FinalizeBlock", new RequestFinalizeBlock { Height = 1 });
        await _app.FinalizeBlockEntered.Task.WaitAsync(RawClient.HangGuard);
        GrpcResult checkTx = await GrpcCall.InvokeAsync(_client, "CheckTx", RawClient.Tx("a=b")).WaitAsync(RawClient.HangGuard);

        Assert.Equal("0", checkTx.GrpcStatus);
        Assert.False(finalize.IsCompleted);
        hold.Set();
        Assert.Equal("0", (await finalize.WaitAsync(RawClient.HangGuard)).GrpcStatus);
    }

    [Fact]
    public async Task Concurrent_consensus_calls_never_overlap()
    {
        _app.ConsensusDwellMilliseconds = 2;

        var calls = Enumerable.Range(1, 30).Select(h => h % 2 == 0
            ? GrpcCall.InvokeAsync(_client, "FinalizeBlock", new RequestFinalizeBlock { Height = h })
            : GrpcCall.InvokeAsync(_client, "Commit", new RequestCommit()));
        GrpcResult[] results = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.All(results, r => Assert.Equal("0", r.GrpcStatus));
        Assert.Equal(1, _app.MaxConcurrentConsensusCalls);
        Assert.Equal(30, _app.Calls);
    }

    [Fact]
    public async Task A_non_gRPC_content_type_gets_HTTP_415()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/tendermint.abci.ABCI/Echo")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent("{}", MediaTypeHeaderValue.Parse("application/json")),
        };

        using HttpResponseMessage response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task The_gRPC_server_also_listens_on_a_unix_socket()
    {
        string path = Path.Combine(Path.GetTempPath(), $"abci-grpc-{Guid.NewGuid():N}.sock");
        await using var server = new AbciGrpcServer("unix://" + path, _app, LoggerFactory.Create(_ => { }), _ => { });
        await server.StartAsync();
        using HttpClient client = GrpcCall.CreateClient(server.ListenAddress);

        GrpcResult result = await GrpcCall.InvokeAsync(client, "Echo", new RequestEcho { Message = "over unix" });

        Assert.Equal("0", result.GrpcStatus);
        Assert.Equal("over unix", ResponseEcho.Parser.ParseFrom(result.SingleMessage()).Message);
    }

    [Fact]
    public async Task Status_messages_are_percent_encoded()
    {
        _app.ThrowOn = nameof(IAbciApplication.CheckTx);
        _app.ThrowMessage = "50% done\nline é";

        GrpcResult result = await GrpcCall.InvokeAsync(_client, "CheckTx", RawClient.Tx("a=b"));

        // The raw grpc-message trailer: percent-encoded UTF-8, printable ASCII except '%' as is.
        Assert.Equal("13", result.GrpcStatus);
        Assert.Equal("CheckTx: 50%25 done%0Aline %C3%A9", result.GrpcMessage);
    }
}

internal sealed record GrpcResult(HttpStatusCode HttpStatus, string? ContentType, byte[] Body, string? GrpcStatus, string? GrpcMessage)
{
    public byte[] SingleMessage()
    {
        Assert.True(Body.Length >= 5, "no gRPC message in the body");
        Assert.Equal(0, Body[0]);
        int length = (int)BinaryPrimitives.ReadUInt32BigEndian(Body.AsSpan(1, 4));
        Assert.Equal(Body.Length - 5, length);
        return Body[5..];
    }
}

/// <summary>Plain HttpClient over HTTP/2 cleartext, speaking gRPC framing by hand, as CometBFT's client does.</summary>
internal static class GrpcCall
{
    public static HttpClient CreateClient(string abciAddress)
    {
        AbciAddress address = AbciAddress.Parse(abciAddress);
        var handler = new SocketsHttpHandler();
        Uri baseAddress;
        if (address.IsUnix)
        {
            handler.ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(address.EndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            };
            baseAddress = new Uri("http://localhost");
        }
        else
        {
            baseAddress = new Uri("http://" + address.EndPoint);
        }
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = RawClient.HangGuard };
    }

    public static byte[] Frame(byte[] message)
    {
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1, 4), (uint)message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    public static Task<GrpcResult> InvokeAsync(HttpClient client, string method, IMessage request) =>
        InvokeRawAsync(client, method, Frame(request.ToByteArray()));

    public static async Task<GrpcResult> InvokeRawAsync(HttpClient client, string method, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, AbciGrpcServer.ServicePrefix + method)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));

        using HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        byte[] content = await response.Content.ReadAsByteArrayAsync();
        return new GrpcResult(
            response.StatusCode,
            response.Content.Headers.ContentType?.MediaType,
            content,
            Trailer(response, "grpc-status"),
            Trailer(response, "grpc-message"));
    }

    // A call that fails before any message is sent may be answered "Trailers-Only" (gRPC over HTTP/2): the status is then
    // in the response headers, with no body and no trailers. gRPC clients (grpc-go in CometBFT included) read it from either.
    private static string? Trailer(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out IEnumerable<string>? values) ? values.Single()
        : response.Headers.TryGetValues(name, out values) ? values.Single() : null;
}
