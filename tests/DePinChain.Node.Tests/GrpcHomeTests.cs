using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using DePinChain.Cli.Home;
using DePinChain.Protos.Abci;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace DePinChain.Node.Tests;

/// <summary>
/// Issue 17: a home made by `init --abci grpc` is served where its config.toml's proxy_app points, in a form CometBFT's
/// gRPC client dials, and `start` refuses a pair that cannot connect.
/// </summary>
public sealed class GrpcHomeTests : IDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), "depin-grpc-home-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_home)) Directory.Delete(_home, recursive: true);
    }

    private async Task InitAsync(params string[] extra)
    {
        var error = new StringWriter();
        int code = await NodeCli.RunAsync(["init", "n1", "--chain-id", "grpc-1", "--home", _home, .. extra], error);
        Assert.True(code == 0, error.ToString());
    }

    [Fact]
    public async Task A_home_made_by_init_with_grpc_answers_echo_at_its_proxy_app()
    {
        int port = FreePort();
        await InitAsync("--abci", "grpc", "--proxy-app", $"tcp://127.0.0.1:{port}");
        var comet = CometConfig.FromToml(File.ReadAllText(new NodeHome(_home).ConfigToml));
        Assert.Equal(("grpc", $"127.0.0.1:{port}"), (comet.AbciTransport, comet.ProxyApp));
        // The API's gRPC server is on too (init's [grpc] section); a free port instead of 9090 keeps parallel runs apart.
        string appToml = new NodeHome(_home).AppToml;
        File.WriteAllText(appToml, File.ReadAllText(appToml).Replace("\"127.0.0.1:9090\"", $"\"127.0.0.1:{FreePort()}\"", StringComparison.Ordinal));

        using var stop = new CancellationTokenSource();
        var error = new StringWriter();
        Task<int> run = NodeCli.RunAsync(["start", "--home", _home], error, stop.Token);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string? echoed = null;
            while (echoed is null)
            {
                if (run.IsCompleted)
                    Assert.Fail($"start exited with {await run}: {error}");
                try
                {
                    echoed = await EchoAsync(comet.ProxyApp, "hello", timeout.Token);
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(50, timeout.Token);
                }
            }
            Assert.Equal("hello", echoed);
        }
        finally
        {
            await stop.CancelAsync();
        }
        Assert.Equal(0, await run);
    }

    [Fact]
    public async Task Start_refuses_grpc_with_a_tcp_scheme_proxy_app_before_opening_the_database()
    {
        await InitAsync("--abci", "grpc", "--proxy-app", "127.0.0.1:36658");
        var home = new NodeHome(_home);
        // The config.toml `init --abci grpc` wrote before issue 17.
        File.WriteAllText(home.ConfigToml, File.ReadAllText(home.ConfigToml).Replace("\"127.0.0.1:36658\"", "\"tcp://127.0.0.1:36658\"", StringComparison.Ordinal));

        var error = new StringWriter();
        int code = await NodeCli.RunAsync(["start", "--home", _home], error);

        Assert.Equal(1, code);
        Assert.Single(error.ToString().TrimEnd().Split('\n'));
        Assert.StartsWith("Error: CometBFT could not reach this app: ", error.ToString());
        Assert.Contains("no resolver for the tcp scheme, so it never connects; write \"127.0.0.1:36658\"", error.ToString());
        Assert.False(Directory.Exists(NodeHost.DatabasePath(_home)));
    }

    [Fact]
    public async Task Start_refuses_a_transport_other_than_config_tomls()
    {
        await InitAsync("--abci", "socket", "--proxy-app", "tcp://127.0.0.1:36658");

        var error = new StringWriter();
        int code = await NodeCli.RunAsync(["start", "--home", _home, "--abci", "grpc"], error);

        Assert.Equal(1, code);
        Assert.Contains("abci = \"socket\" but the app serves grpc", error.ToString());
    }

    [Fact]
    public async Task A_bad_address_flag_is_a_usage_error()
    {
        var error = new StringWriter();
        Assert.Equal(2, await NodeCli.RunAsync(["start", "--home", _home, "--address", "http://127.0.0.1:1"], error));
        Assert.StartsWith("Error: --address: ", error.ToString());
    }

    [Theory]
    [InlineData(LogLevel.Warning, false)]
    [InlineData(LogLevel.Information, true)]
    public async Task The_framework_logs_a_line_per_call_only_when_app_toml_raises_it(LogLevel frameworkLevel, bool expectRequestLines)
    {
        var lines = new ConcurrentQueue<(string Category, string Message)>();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(new CapturingProvider(lines)));
        var config = new AppConfig { AbciAddress = "127.0.0.1:0", AbciTransport = AbciTransport.Grpc, Pruning = "nothing", FrameworkLogLevel = frameworkLevel, GrpcEnable = false, ApiEnable = false };
        var host = new NodeHost(_home, config, loggerFactory, _ => { });
        using var stop = new CancellationTokenSource();
        Task run = host.RunAsync(stop.Token);
        await Task.WhenAny(host.Started.Task, run);
        if (run.IsFaulted) await run;

        string target = Abci.AbciAddress.Parse(host.ListenAddress!).ToGrpcTarget();
        Assert.Equal("hello", await EchoAsync(target, "hello", CancellationToken.None));
        await stop.CancelAsync();
        await run;

        Assert.Contains(lines, l => l.Category == "depinchaind" && l.Message.Contains($"CometBFT's proxy_app for it is \"{target}\"", StringComparison.Ordinal));
        bool requestLines = lines.Any(l => l.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) && l.Message.Contains("/tendermint.abci.ABCI/Echo", StringComparison.Ordinal));
        Assert.Equal(expectRequestLines, requestLines);
        if (!expectRequestLines)
            Assert.DoesNotContain(lines, l => l.Category.StartsWith("Microsoft.", StringComparison.Ordinal));
    }

    /// <summary>
    /// One unary Echo over HTTP/2 cleartext to a scheme-less proxy_app, dialed as CometBFT's dialer does (cmtnet.Connect:
    /// no scheme means TCP).
    /// </summary>
    private static async Task<string> EchoAsync(string proxyApp, string message, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = new Uri("http://" + proxyApp), Timeout = TimeSpan.FromSeconds(10) };
        byte[] body = new RequestEcho { Message = message }.ToByteArray();
        byte[] framed = new byte[5 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)body.Length);
        body.CopyTo(framed, 5);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/tendermint.abci.ABCI/Echo")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(framed),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        using HttpResponseMessage response = await client.SendAsync(request, cancellationToken);
        byte[] answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        Assert.True(response.TrailingHeaders.TryGetValues("grpc-status", out var status) && status.Single() == "0", "grpc-status is not 0");
        return ResponseEcho.Parser.ParseFrom(answer.AsSpan(5)).Message;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class CapturingProvider(ConcurrentQueue<(string Category, string Message)> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<(string, string)> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue((category, formatter(state, exception)));
        }
    }
}
