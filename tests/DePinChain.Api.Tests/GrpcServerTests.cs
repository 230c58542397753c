using System.Globalization;
using DePinChain.Api.Grpc;
using DePinChain.App;
using DePinChain.App.Tests;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using DePinChain.Protos.Cosmos.Base.Node.V1Beta1;
using DePinChain.Protos.Cosmos.Tx.V1Beta1;
using Google.Protobuf;
using Grpc.Core;
using Metadata = Grpc.Core.Metadata;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;

namespace DePinChain.Api.Tests;

public sealed class GrpcServerTests(GrpcChainFixture fixture) : IClassFixture<GrpcChainFixture>
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    /// <summary>One call as a client sees it: status, detail, response bytes (OK only) and the height header answered.</summary>
    private sealed record Answer(StatusCode Status, string Detail, byte[]? Value, string? Height);

    private async Task<Answer> CallAsync(string path, byte[] request, string? heightHeader = null)
    {
        string[] parts = path.Split('/');
        var method = new Method<byte[], byte[]>(MethodType.Unary, parts[1], parts[2], Bytes, Bytes);
        var headers = new Metadata();
        if (heightHeader is not null) headers.Add(GrpcApi.BlockHeightHeader, heightHeader);
        using var call = fixture.Invoker.AsyncUnaryCall(method, null, new CallOptions(headers), request);
        try
        {
            byte[] value = await call.ResponseAsync;
            return new Answer(StatusCode.OK, "", value, (await call.ResponseHeadersAsync).GetValue(GrpcApi.BlockHeightHeader));
        }
        catch (RpcException e)
        {
            string? height = null;
            try { height = (await call.ResponseHeadersAsync).GetValue(GrpcApi.BlockHeightHeader); }
            catch (RpcException) { }
            return new Answer(e.StatusCode, e.Status.Detail, null, height);
        }
    }

    private Task<Answer> CallAsync(string path, IMessage request, string? heightHeader = null) => CallAsync(path, request.ToByteArray(), heightHeader);

    private ResponseQuery Abci(string path, byte[] request, long height = 0)
        => fixture.App.Query(new RequestQuery { Path = path, Data = ByteString.CopyFrom(request), Height = height });

    private IEnumerable<Google.Protobuf.Reflection.ServiceDescriptor> AppServices
        => fixture.Server.Services.Where(s => !s.FullName.StartsWith("grpc.reflection.", StringComparison.Ordinal));

    [Fact]
    public void Every_module_query_service_is_served_with_the_tx_and_node_services()
    {
        var expected = fixture.App.Modules.Modules.SelectMany(m => m.QueryServices)
            .Select(s => s.FullName).Concat(["cosmos.tx.v1beta1.Service", "cosmos.base.node.v1beta1.Service", "cosmos.base.tendermint.v1beta1.Service"]).ToList();
        Assert.Equal(12, fixture.App.Modules.Modules.Count);
        Assert.Equal(expected, AppServices.Select(s => s.FullName));
        Assert.Contains("depin.devices.v1.Query", expected);
        Assert.Contains("cosmos.staking.v1beta1.Query", expected);
    }

    [Fact]
    public async Task Every_served_method_answers_a_default_request_as_abci_query_answers_the_same_path()
    {
        long latest = fixture.Chain.Height;
        int called = 0, ok = 0;
        // The methods answered from CometBFT's RPC have their own tests (CometServicesTests): this chain has no CometBFT.
        // The node's own methods (ABCIQuery, TxDecode, TxEncode, the Amino pair) are no ABCI paths: NodeMethodsTests.
        var nodeOwn = AppServices.SelectMany(s => s.Methods).Select(GrpcApi.PathOf).Where(p => NodeMethods.Serves(p) && p != GrpcApi.ConfigPath).ToList();
        Assert.Equal(5, nodeOwn.Count);
        var appQueries = AppServices.SelectMany(s => s.Methods)
            .Where(m => !DePinChain.Api.Comet.CometServices.Serves(GrpcApi.PathOf(m)) && !nodeOwn.Contains(GrpcApi.PathOf(m))).ToList();
        foreach (var method in appQueries)
        {
            string path = GrpcApi.PathOf(method);
            var answer = await CallAsync(path, []);
            called++;
            Assert.True(answer.Height == latest.ToString(CultureInfo.InvariantCulture), $"{path}: height header {answer.Height}");
            Assert.True(answer.Status is not (StatusCode.Unimplemented or StatusCode.Internal or StatusCode.Unavailable),
                $"{path}: {answer.Status} {answer.Detail}");
            if (path == GrpcApi.ConfigPath)
            {
                Assert.Equal(StatusCode.OK, answer.Status);
                ok++;
                continue;
            }
            var abci = Abci(path, []);
            if (abci.Code == 0)
            {
                Assert.True(answer.Status == StatusCode.OK, $"{path}: {answer.Status} {answer.Detail}");
                Assert.Equal(abci.Value.ToByteArray(), answer.Value);
                method.OutputType.Parser.ParseFrom(answer.Value);
                ok++;
            }
            else
            {
                Assert.Equal((GrpcStatusMap.For(abci.Codespace, abci.Code), abci.Log), (answer.Status, answer.Detail));
                // A default request names nothing: an empty address or key is a bad argument, an empty id finds nothing.
                Assert.True(answer.Status is StatusCode.InvalidArgument or StatusCode.NotFound, $"{path}: {answer.Status} {abci.Codespace}/{abci.Code} {answer.Detail}");
            }
        }
        Assert.Equal(appQueries.Count, called);
        Assert.Equal(AppServices.Sum(s => s.Methods.Count) - DePinChain.Api.Comet.CometServices.Paths.Count - nodeOwn.Count, called);
        Assert.True(called > 60, $"only {called} methods");
        Assert.True(ok > 20, $"only {ok} of {called} methods answered a default request with OK");
    }

    [Fact]
    public async Task Bank_balance_equals_the_abci_answer_and_the_height_header_selects_and_echoes_an_older_one()
    {
        var request = new QueryBalanceRequest { Address = TestChain.Bob.Bech32, Denom = TestChain.Denom };
        const string path = "/cosmos.bank.v1beta1.Query/Balance";

        var latest = await CallAsync(path, request);
        Assert.Equal(StatusCode.OK, latest.Status);
        Assert.Equal(Abci(path, request.ToByteArray()).Value.ToByteArray(), latest.Value);
        Assert.Equal("1100", QueryBalanceResponse.Parser.ParseFrom(latest.Value).Balance.Amount);
        Assert.Equal("3", latest.Height);

        foreach (var (height, amount) in new[] { (2, "1077"), (1, "1000"), (3, "1100") })
        {
            var old = await CallAsync(path, request, height.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(StatusCode.OK, old.Status);
            Assert.Equal(amount, QueryBalanceResponse.Parser.ParseFrom(old.Value).Balance.Amount);
            Assert.Equal(height.ToString(CultureInfo.InvariantCulture), old.Height);
            Assert.Equal(Abci(path, request.ToByteArray(), height).Value.ToByteArray(), old.Value);
        }
        Assert.Equal("3", (await CallAsync(path, request, "0")).Height);
    }

    [Fact]
    public async Task An_unknown_account_is_NotFound_with_the_log_as_detail()
    {
        var stranger = TxSigner.FromSeed("nobody").Bech32;
        var request = new QueryAccountRequest { Address = stranger };
        var answer = await CallAsync("/cosmos.auth.v1beta1.Query/Account", request);
        Assert.Equal(StatusCode.NotFound, answer.Status);
        Assert.Contains($"account {stranger} not found", answer.Detail);
        Assert.Equal(Abci("/cosmos.auth.v1beta1.Query/Account", request.ToByteArray()).Log, answer.Detail);
    }

    [Fact]
    public async Task A_bad_address_is_InvalidArgument()
    {
        var answer = await CallAsync("/cosmos.bank.v1beta1.Query/Balance", new QueryBalanceRequest { Address = "depin1notanaddress", Denom = "udpin" });
        Assert.Equal(StatusCode.InvalidArgument, answer.Status);
        Assert.Contains("invalid address", answer.Detail);
        Assert.Equal("3", answer.Height); // an error answers with the height it was asked at too
    }

    [Theory]
    [InlineData("99", "cannot query height 99")]
    [InlineData("-1", "invalid height header")]
    [InlineData("three", "invalid height header")]
    public async Task A_height_header_the_node_cannot_answer_is_InvalidArgument(string header, string detail)
    {
        var answer = await CallAsync("/cosmos.bank.v1beta1.Query/Balance", new QueryBalanceRequest { Address = TestChain.Bob.Bech32, Denom = "udpin" }, header);
        Assert.Equal(StatusCode.InvalidArgument, answer.Status);
        Assert.Contains(detail, answer.Detail);
    }

    [Fact]
    public async Task Simulate_is_the_app_simulate_and_reports_gas()
    {
        var request = new SimulateRequest { TxBytes = ByteString.CopyFrom(fixture.Chain.SendTx(TestChain.Alice, TestChain.Carol.Bech32, 5)) };
        var answer = await CallAsync(QueryService.SimulatePath, request);
        Assert.Equal(StatusCode.OK, answer.Status);
        Assert.Equal(Abci(QueryService.SimulatePath, request.ToByteArray()).Value.ToByteArray(), answer.Value);
        Assert.True(SimulateResponse.Parser.ParseFrom(answer.Value).GasInfo.GasUsed > 10_000);

        var broken = await CallAsync(QueryService.SimulatePath, new SimulateRequest { TxBytes = ByteString.CopyFromUtf8("not a tx") });
        Assert.Equal(StatusCode.InvalidArgument, broken.Status);
    }

    [Fact]
    public async Task Config_reports_the_node_options()
    {
        var answer = await CallAsync(GrpcApi.ConfigPath, new ConfigRequest());
        Assert.Equal(StatusCode.OK, answer.Status);
        var config = ConfigResponse.Parser.ParseFrom(answer.Value);
        Assert.Equal((GrpcChainFixture.MinimumGasPrices, "2", "1", 0ul),
            (config.MinimumGasPrice, config.PruningKeepRecent, config.PruningInterval, config.HaltHeight));
    }

    [Fact]
    public async Task TxDecode_and_TxEncode_round_trip_a_signed_tx_and_refuse_what_does_not_decode()
    {
        byte[] bytes = fixture.Chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 5);
        var decodedAnswer = await CallAsync("/cosmos.tx.v1beta1.Service/TxDecode", new TxDecodeRequest { TxBytes = ByteString.CopyFrom(bytes) });
        Assert.Equal(StatusCode.OK, decodedAnswer.Status);
        var tx = TxDecodeResponse.Parser.ParseFrom(decodedAnswer.Value).Tx;
        var raw = TxRaw.Parser.ParseFrom(bytes);
        Assert.Equal((TxBody.Parser.ParseFrom(raw.BodyBytes), AuthInfo.Parser.ParseFrom(raw.AuthInfoBytes)), (tx.Body, tx.AuthInfo));
        Assert.Equal(raw.Signatures, tx.Signatures);
        Assert.Equal("/cosmos.bank.v1beta1.MsgSend", tx.Body.Messages[0].TypeUrl);

        var encoded = await CallAsync("/cosmos.tx.v1beta1.Service/TxEncode", new TxEncodeRequest { Tx = tx });
        Assert.Equal(StatusCode.OK, encoded.Status);
        Assert.Equal(bytes, TxEncodeResponse.Parser.ParseFrom(encoded.Value).TxBytes.ToByteArray());

        var garbage = await CallAsync("/cosmos.tx.v1beta1.Service/TxDecode", new TxDecodeRequest { TxBytes = ByteString.CopyFromUtf8("not a tx") });
        Assert.Equal(StatusCode.InvalidArgument, garbage.Status);
        Assert.Contains("tx parse error", garbage.Detail);
        var unknown = new TxBody();
        unknown.Messages.Add(Google.Protobuf.WellKnownTypes.Any.Pack(new QueryBalanceRequest(), "/"));
        var unrouted = new TxRaw { BodyBytes = unknown.ToByteString(), AuthInfoBytes = new AuthInfo().ToByteString() };
        var refused = await CallAsync("/cosmos.tx.v1beta1.Service/TxDecode", new TxDecodeRequest { TxBytes = unrouted.ToByteString() });
        Assert.Equal((StatusCode.InvalidArgument, true), (refused.Status, refused.Detail.Contains("unable to resolve type URL", StringComparison.Ordinal)));
        var noBytes = await CallAsync("/cosmos.tx.v1beta1.Service/TxDecode", []);
        Assert.Equal((StatusCode.InvalidArgument, "invalid empty tx bytes: invalid request"), (noBytes.Status, noBytes.Detail));
        var noTx = await CallAsync("/cosmos.tx.v1beta1.Service/TxEncode", []);
        Assert.Equal((StatusCode.InvalidArgument, "invalid empty tx: invalid request"), (noTx.Status, noTx.Detail));
    }

    [Theory]
    [InlineData("/cosmos.tx.v1beta1.Service/TxEncodeAmino")]
    [InlineData("/cosmos.tx.v1beta1.Service/TxDecodeAmino")]
    public async Task The_amino_codec_methods_are_Unimplemented_with_the_reason(string path)
    {
        var answer = await CallAsync(path, new TxEncodeAminoRequest { AminoJson = "{}" });
        Assert.Equal(StatusCode.Unimplemented, answer.Status);
        Assert.Contains("no legacy Amino codec", answer.Detail);
    }

    [Fact]
    public async Task AbciQuery_passes_app_and_store_paths_to_the_apps_abci_query_and_refuses_grpc_paths()
    {
        const string path = "/cosmos.base.tendermint.v1beta1.Service/ABCIQuery";
        var version = await CallAsync(path, new DePinChain.Protos.Cosmos.Base.Tendermint.V1Beta1.ABCIQueryRequest { Path = "app/version" });
        Assert.Equal(StatusCode.OK, version.Status);
        var answer = DePinChain.Protos.Cosmos.Base.Tendermint.V1Beta1.ABCIQueryResponse.Parser.ParseFrom(version.Value);
        var abci = Abci("app/version", []);
        Assert.Equal((abci.Code, abci.Value, abci.Height), (answer.Code, answer.Value, answer.Height));

        // A raw store key with a proof: the proof ops as ABCI Query gives them.
        var store = await CallAsync(path, new DePinChain.Protos.Cosmos.Base.Tendermint.V1Beta1.ABCIQueryRequest
        {
            Path = "store/bank/key", Data = ByteString.CopyFrom([0x01]), Prove = true, Height = 2,
        });
        Assert.Equal(StatusCode.OK, store.Status);
        var proved = DePinChain.Protos.Cosmos.Base.Tendermint.V1Beta1.ABCIQueryResponse.Parser.ParseFrom(store.Value);
        var direct = fixture.App.Query(new RequestQuery { Path = "store/bank/key", Data = ByteString.CopyFrom([0x01]), Prove = true, Height = 2 });
        Assert.Equal((direct.Code, direct.Height, direct.Key, direct.Value), (proved.Code, proved.Height, proved.Key, proved.Value));
        Assert.Equal(direct.ProofOps?.Ops.Select(o => (o.Type, o.Key, o.Data)) ?? [], proved.ProofOps?.Ops.Select(o => (o.Type, o.Key, o.Data)) ?? []);

        var grpcPath = await CallAsync(path, new DePinChain.Protos.Cosmos.Base.Tendermint.V1Beta1.ABCIQueryRequest { Path = "/cosmos.bank.v1beta1.Query/TotalSupply" });
        Assert.Equal((StatusCode.InvalidArgument, "unsupported ABCI query path: /cosmos.bank.v1beta1.Query/TotalSupply: invalid request"), (grpcPath.Status, grpcPath.Detail));
        var empty = await CallAsync(path, []);
        Assert.Equal((StatusCode.InvalidArgument, "empty query path: invalid request"), (empty.Status, empty.Detail));
    }

    [Fact]
    public async Task An_undeclared_method_is_Unimplemented()
    {
        var answer = await CallAsync("/cosmos.bank.v1beta1.Query/NoSuchMethod", []);
        Assert.Equal(StatusCode.Unimplemented, answer.Status);
    }

    [Fact]
    public async Task The_server_stops_cleanly_and_refuses_calls_after()
    {
        var server = new GrpcApiServer(fixture.App, new GrpcApiOptions { Address = "127.0.0.1:0" }, NullLoggerFactory.Instance);
        await server.StartAsync();
        using var channel = GrpcChannel.ForAddress("http://" + server.ListenAddress);
        var method = new Method<byte[], byte[]>(MethodType.Unary, "cosmos.bank.v1beta1.Query", "TotalSupply", Bytes, Bytes);
        Assert.NotNull(await channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(), []));
        await server.DisposeAsync();
        using var after = GrpcChannel.ForAddress("http://" + server.ListenAddress);
        var e = await Assert.ThrowsAsync<RpcException>(async () => await after.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(), []));
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1:9090", "127.0.0.1", 9090)]
    [InlineData("0.0.0.0:9090", "0.0.0.0", 9090)]
    [InlineData("localhost:0", "127.0.0.1", 0)]
    [InlineData("[::1]:9091", "::1", 9091)]
    public void Addresses_parse_as_host_and_port(string text, string ip, int port)
    {
        var endPoint = GrpcApiOptions.ParseAddress(text);
        Assert.Equal((ip, port), (endPoint.Address.ToString(), endPoint.Port));
    }

    [Theory]
    [InlineData("9090")]
    [InlineData("tcp://127.0.0.1:9090")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("example.org:9090")]
    [InlineData("::1:9090")]
    public void Bad_addresses_are_refused(string text)
        => Assert.Contains("gRPC address", Assert.Throws<FormatException>(() => GrpcApiOptions.ParseAddress(text)).Message);
}
