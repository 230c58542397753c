using DePinChain.Abci;
using DePinChain.App;
using DePinChain.Cli.Home;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Metadata = Grpc.Core.Metadata;
using Microsoft.Extensions.Logging.Abstractions;

namespace DePinChain.Node.Tests;

public sealed class NodeTests : IDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), "depin-node-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_home)) Directory.Delete(_home, recursive: true);
    }

    private static readonly TxSigner Alice = TxSigner.FromSeed("alice");
    private static readonly TxSigner Bob = TxSigner.FromSeed("bob");

    private async Task<(NodeHost Host, Task Run, CancellationTokenSource Stop)> StartAsync(AbciTransport transport = AbciTransport.Socket, bool grpcApi = true,
        DePinChain.Store.StoreFormat format = DePinChain.Store.StoreFormat.Nodes)
    {
        var config = new AppConfig
        {
            AbciAddress = "tcp://127.0.0.1:0", AbciTransport = transport, Pruning = "nothing", GrpcEnable = grpcApi, GrpcAddress = "127.0.0.1:0",
            ApiEnable = grpcApi, ApiAddress = "127.0.0.1:0", IavlFormat = format, IavlSnapshotInterval = 2,
        };
        var fatal = new List<Exception>();
        var host = new NodeHost(_home, config, NullLoggerFactory.Instance, fatal.Add);
        var stop = new CancellationTokenSource();
        var run = host.RunAsync(stop.Token);
        await Task.WhenAny(host.Started.Task, run);
        if (run.IsFaulted) await run;
        return (host, run, stop);
    }

    [Fact]
    public async Task Start_serves_a_chain_over_the_socket_and_a_restart_reports_the_last_commit()
    {
        byte[] appHash;
        var (host, run, stop) = await StartAsync();
        await using (var driver = await AbciDriver.ConnectAsync(host.ListenAddress!))
        {
            Assert.Equal(0, (await driver.InfoAsync(new RequestInfo())).LastBlockHeight);
            await driver.InitChainAsync(new RequestInitChain
            {
                ChainId = "node-test",
                InitialHeight = 1,
                Time = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch),
                AppStateBytes = ByteString.CopyFromUtf8(TxBuilder.GenesisAppState([(Alice.Address, 1_000_000), (Bob.Address, 5)])),
            });
            await driver.FinalizeAndCommitAsync(new RequestFinalizeBlock { Height = 1 });

            var account = BaseAccount.Parser.ParseFrom(QueryAccountResponse.Parser.ParseFrom((await driver.QueryAsync(new RequestQuery
            {
                Path = "/cosmos.auth.v1beta1.Query/Account",
                Data = new QueryAccountRequest { Address = Alice.Bech32 }.ToByteString(),
            })).Value).Account.Value);
            var tx = new TxBuilder().AddMessage(TxBuilder.Send(Alice.Bech32, Bob.Bech32, "udpin", 95)).WithFee("udpin", 100, 200_000)
                .Sign(Alice, "node-test", account.AccountNumber, account.Sequence).ToByteString();
            Assert.Equal(0u, (await driver.CheckTxAsync(new RequestCheckTx { Tx = tx })).Code);
            var (block, _) = await driver.FinalizeAndCommitAsync(new RequestFinalizeBlock { Height = 2, Txs = { tx } });
            Assert.Equal(0u, block.TxResults.Single().Code);
            appHash = block.AppHash.ToByteArray();

            var balance = await driver.QueryAsync(new RequestQuery
            {
                Path = "/cosmos.bank.v1beta1.Query/Balance",
                Data = new QueryBalanceRequest { Address = Bob.Bech32, Denom = "udpin" }.ToByteString(),
            });
            Assert.Equal("100", QueryBalanceResponse.Parser.ParseFrom(balance.Value).Balance.Amount);
            Assert.Equal(2, balance.Height);

            // The gRPC API beside ABCI answers the same query from the same state, and at an older height by header.
            using var channel = GrpcChannel.ForAddress("http://" + host.GrpcAddress);
            var request = new QueryBalanceRequest { Address = Bob.Bech32, Denom = "udpin" };
            Assert.Equal(balance.Value.ToByteArray(), await GrpcBalanceAsync(channel, request, null));
            Assert.Equal("5", QueryBalanceResponse.Parser.ParseFrom(await GrpcBalanceAsync(channel, request, "1")).Balance.Amount);

            // And the REST gateway beside them, as the SDK's gateway writes it.
            using var http = new HttpClient { BaseAddress = new Uri("http://" + host.ApiAddress) };
            Assert.Equal("""{"balance":{"denom":"udpin","amount":"100"}}""",
                await http.GetStringAsync($"/cosmos/bank/v1beta1/balances/{Bob.Bech32}/by_denom?denom=udpin"));
        }
        stop.Cancel();
        await run;
        // Stopped with the node: nothing listens at its address any more.
        using (var closed = GrpcChannel.ForAddress("http://" + host.GrpcAddress))
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => GrpcBalanceAsync(closed, new QueryBalanceRequest { Address = Bob.Bech32, Denom = "udpin" }, null));
            Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        }

        (host, run, stop) = await StartAsync();
        await using (var driver = await AbciDriver.ConnectAsync(host.ListenAddress!))
        {
            var info = await driver.InfoAsync(new RequestInfo());
            Assert.Equal(2, info.LastBlockHeight);
            Assert.Equal(appHash, info.LastBlockAppHash.ToByteArray());
        }
        stop.Cancel();
        await run;
    }

    [Fact]
    public async Task With_iavl_format_changesets_a_restart_replays_to_the_last_commit()
    {
        byte[] appHash;
        var (host, run, stop) = await StartAsync(grpcApi: false, format: DePinChain.Store.StoreFormat.Changesets);
        await using (var driver = await AbciDriver.ConnectAsync(host.ListenAddress!))
        {
            await driver.InitChainAsync(new RequestInitChain
            {
                ChainId = "node-test",
                InitialHeight = 1,
                Time = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch),
                AppStateBytes = ByteString.CopyFromUtf8(TxBuilder.GenesisAppState([(Alice.Address, 1_000_000), (Bob.Address, 5)])),
            });
            for (var height = 1; height <= 3; height++) await driver.FinalizeAndCommitAsync(new RequestFinalizeBlock { Height = height });
            appHash = (await driver.InfoAsync(new RequestInfo())).LastBlockAppHash.ToByteArray();
        }
        stop.Cancel();
        await run;
        Assert.True(Directory.Exists(NodeHost.SnapshotDirectory(_home)), "no snapshot directory beside the database");

        (host, run, stop) = await StartAsync(grpcApi: false, format: DePinChain.Store.StoreFormat.Changesets);
        await using (var driver = await AbciDriver.ConnectAsync(host.ListenAddress!))
        {
            var info = await driver.InfoAsync(new RequestInfo());
            Assert.Equal(3, info.LastBlockHeight);
            Assert.Equal(appHash, info.LastBlockAppHash.ToByteArray());
        }
        stop.Cancel();
        await run;
    }

    private static async Task<byte[]> GrpcBalanceAsync(GrpcChannel channel, QueryBalanceRequest request, string? height)
    {
        var bytes = Marshallers.Create<byte[]>(b => b, b => b);
        var method = new Method<byte[], byte[]>(MethodType.Unary, "cosmos.bank.v1beta1.Query", "Balance", bytes, bytes);
        var headers = new Metadata();
        if (height is not null) headers.Add("x-cosmos-block-height", height);
        return await channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(headers), request.ToByteArray());
    }

    [Fact]
    public async Task With_explorer_enable_the_explorer_is_served_and_its_origin_may_call_the_rest_api()
    {
        var config = new AppConfig
        {
            AbciAddress = "tcp://127.0.0.1:0", GrpcEnable = false, ApiAddress = "127.0.0.1:0", ExplorerEnable = true, ExplorerAddress = "127.0.0.1:0",
        };
        var host = new NodeHost(_home, config, NullLoggerFactory.Instance, _ => { });
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(stop.Token);
        await Task.WhenAny(host.Started.Task, run);
        if (run.IsFaulted) await run;

        using var http = new HttpClient { BaseAddress = new Uri("http://" + host.ExplorerAddress) };
        Assert.Contains("DePinChain explorer", await http.GetStringAsync("/"));
        // The page finds the REST gateway at the port it bound (0 was asked for).
        Assert.Equal($$"""{"api":"http://{{host.ApiAddress}}"}""", await http.GetStringAsync("/config.json"));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/vendor/leaflet/leaflet.js")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/vendor/world-atlas/countries-110m.json")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("/%2e%2e/%2e%2e/etc/passwd")).StatusCode);

        using var rest = new HttpClient { BaseAddress = new Uri("http://" + host.ApiAddress) };
        foreach (var (origin, allowed) in new[] { ("http://" + host.ExplorerAddress, true), ("http://elsewhere.example", false) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/depin/coverage/v1/deny_list");
            request.Headers.Add("Origin", origin);
            using var response = await rest.SendAsync(request);
            Assert.Equal(allowed ? origin : null, response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null);
        }
        stop.Cancel();
        await run;
    }

    [Fact]
    public async Task Without_grpc_enable_no_grpc_server_starts()
    {
        var (host, run, stop) = await StartAsync(grpcApi: false);
        Assert.Null(host.GrpcAddress);
        Assert.Null(host.ApiAddress);
        stop.Cancel();
        await run;
    }

    [Fact]
    public async Task Start_can_serve_grpc()
    {
        var (host, run, stop) = await StartAsync(AbciTransport.Grpc);
        Assert.StartsWith("tcp://127.0.0.1:", host.ListenAddress);
        Assert.True(Directory.Exists(NodeHost.DatabasePath(_home)));
        stop.Cancel();
        await run;
    }

    [Fact]
    public async Task An_existing_but_empty_database_directory_is_refused()
    {
        Directory.CreateDirectory(NodeHost.DatabasePath(_home));
        var host = new NodeHost(_home, new AppConfig { AbciAddress = "tcp://127.0.0.1:0", GrpcEnable = false, ApiEnable = false }, NullLoggerFactory.Instance, _ => { });
        await Assert.ThrowsAnyAsync<Exception>(() => host.RunAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("start", "--home", "/tmp/x", "--abci", "carrier")]
    [InlineData("--bogus")]
    [InlineData("start", "--home")]
    [InlineData("start", "--home", "/tmp/x", "--address", "x", "extra")]
    [InlineData("export", "--home", "/tmp/x", "--height", "ten")]
    [InlineData("export", "--home", "/tmp/x", "--output-document")]
    public async Task Bad_flags_give_one_line_and_a_nonzero_exit(params string[] args)
    {
        var error = new StringWriter();
        int code = await NodeCli.RunAsync(args, error);
        Assert.NotEqual(0, code);
        Assert.Single(error.ToString().TrimEnd().Split('\n'));
        Assert.StartsWith("Error:", error.ToString());
    }

    [Fact]
    public async Task A_bad_argument_value_exits_2_and_a_failure_exits_1()
    {
        var error = new StringWriter();
        Assert.Equal(2, await NodeCli.RunAsync(["genesis", "add-account", "nokey", "1udpin", "--home", _home], error));
        Assert.StartsWith("Error: 'nokey' is neither a valid depin1… address nor a key", error.ToString());

        error = new StringWriter();
        Assert.Equal(1, await NodeCli.RunAsync(["show-node-id", "--home", _home], error));
        Assert.Contains("not found (run init first)", error.ToString());
    }
}

public class StateMemoryCheckTests
{
    [Fact]
    public void A_state_that_fits_in_half_the_memory_gets_no_warning()
        => Assert.Null(DePinChain.Node.StateMemoryCheck.Warning(keys: 1_000_000, pinnedHeight: 0, availableBytes: 16L << 30));

    [Fact]
    public void A_state_too_big_for_whole_trees_in_memory_gets_a_warning_naming_the_setting()
    {
        var warning = DePinChain.Node.StateMemoryCheck.Warning(keys: 30_000_000, pinnedHeight: 0, availableBytes: 16L << 30);
        Assert.NotNull(warning);
        Assert.Contains("30,000,000 keys", warning);
        Assert.Contains("iavl-pinned-height = 8", warning);
    }

    [Fact]
    public void Bounded_trees_need_no_warning_whatever_the_state()
        => Assert.Null(DePinChain.Node.StateMemoryCheck.Warning(keys: 1_000_000_000, pinnedHeight: 8, availableBytes: 1L << 30));
}
