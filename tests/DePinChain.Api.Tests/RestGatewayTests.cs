using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DePinChain.Api.Grpc;
using DePinChain.Api.Rest;
using DePinChain.App;
using DePinChain.App.Tests;
using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using DePinChain.Protos.Cosmos.Tx.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace DePinChain.Api.Tests;

public sealed class RestGatewayTests(RestChainFixture fixture) : IClassFixture<RestChainFixture>
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    // A device key whose base64 has both URL-unsafe characters (+ and /), written URL-safe in paths.
    private static readonly byte[] DeviceKey = [.. Enumerable.Range(0, 32).Select(i => (byte)(i % 2 == 0 ? 0xFB : 0xFF))];

    private CosmosJson Json => new(RestApiServer.TypesOf(fixture.App));

    private sealed record RestAnswer(HttpStatusCode Status, string Body, string? Height)
    {
        public JsonObject Object => JsonNode.Parse(Body)!.AsObject();
    }

    private async Task<RestAnswer> GetAsync(string url, string? heightHeader = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (heightHeader is not null) request.Headers.Add(GrpcApi.BlockHeightHeader, heightHeader);
        return await SendAsync(request);
    }

    private async Task<RestAnswer> SendAsync(HttpRequestMessage request)
    {
        using var response = await fixture.Http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        string? height = response.Headers.TryGetValues(GrpcApi.BlockHeightHeader, out var values) ? values.Single() : null;
        if (height is not null)
            Assert.Equal(height, response.Headers.GetValues(RestGateway.GatewayHeightHeader).Single());
        return new RestAnswer(response.StatusCode, body, height);
    }

    private async Task<(StatusCode Status, string Detail, byte[]? Value)> GrpcAsync(MethodDescriptor method, IMessage request)
    {
        var call = new Method<byte[], byte[]>(MethodType.Unary, method.Service.FullName, method.Name, Bytes, Bytes);
        try
        {
            return (StatusCode.OK, "", await fixture.Invoker.AsyncUnaryCall(call, null, new CallOptions(), request.ToByteArray()));
        }
        catch (RpcException e)
        {
            return (e.StatusCode, e.Status.Detail, null);
        }
    }

    /// <summary>A value for a path variable: real addresses, a device key, small numbers.</summary>
    private static (string Text, object Value) Sample(FieldDescriptor field)
    {
        string address = field.Name switch
        {
            "validator_addr" or "validator_address" or "src_validator_addr" or "dst_validator_addr" => ValidatorAddress.ToOperatorBech32(TestChain.Bob.Address),
            "cons_address" => ValidatorAddress.ToConsensusBech32(TestChain.Bob.Address),
            "name" => "fee_collector",
            "denom" => TestChain.Denom,
            _ => TestChain.Bob.Bech32,
        };
        return field.FieldType switch
        {
            FieldType.String => (address, address),
            FieldType.Bytes => (Convert.ToBase64String(DeviceKey).Replace('+', '-').Replace('/', '_').TrimEnd('='), ByteString.CopyFrom(DeviceKey)),
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => ("1", 1L),
            FieldType.UInt64 or FieldType.Fixed64 => ("1", 1UL),
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => ("1", 1),
            FieldType.UInt32 or FieldType.Fixed32 => ("1", 1U),
            _ => throw new InvalidOperationException($"no sample for {field.FullName} ({field.FieldType})"),
        };
    }

    [Fact]
    public void Every_served_rpc_has_a_google_api_http_annotation()
    {
        var api = new GrpcApi(fixture.App, new GrpcApiOptions());
        var methods = api.Services.SelectMany(s => s.Methods).ToList();
        var missing = methods.Where(m => RestRoute.RulesOf(m).Count == 0).Select(m => m.FullName).ToList();
        Assert.Empty(missing);
        Assert.Equal(methods.Count, fixture.Rest.Gateway.Routes.Count);
        Assert.True(methods.Count > 60, $"only {methods.Count} methods");
    }

    [Theory]
    [InlineData("GET", "/cosmos/auth/v1beta1/accounts/{address}", "cosmos.auth.v1beta1.Query.Account")]
    [InlineData("GET", "/cosmos/auth/v1beta1/params", "cosmos.auth.v1beta1.Query.Params")]
    [InlineData("GET", "/cosmos/bank/v1beta1/balances/{address}", "cosmos.bank.v1beta1.Query.AllBalances")]
    [InlineData("GET", "/cosmos/bank/v1beta1/balances/{address}/by_denom", "cosmos.bank.v1beta1.Query.Balance")]
    [InlineData("GET", "/cosmos/bank/v1beta1/supply", "cosmos.bank.v1beta1.Query.TotalSupply")]
    [InlineData("GET", "/cosmos/bank/v1beta1/supply/by_denom", "cosmos.bank.v1beta1.Query.SupplyOf")]
    [InlineData("GET", "/cosmos/staking/v1beta1/validators/{validator_addr}/delegations/{delegator_addr}", "cosmos.staking.v1beta1.Query.Delegation")]
    [InlineData("GET", "/cosmos/staking/v1beta1/delegations/{delegator_addr}", "cosmos.staking.v1beta1.Query.DelegatorDelegations")]
    [InlineData("GET", "/cosmos/staking/v1beta1/historical_info/{height}", "cosmos.staking.v1beta1.Query.HistoricalInfo")]
    [InlineData("GET", "/cosmos/slashing/v1beta1/signing_infos/{cons_address}", "cosmos.slashing.v1beta1.Query.SigningInfo")]
    [InlineData("GET", "/cosmos/distribution/v1beta1/delegators/{delegator_address}/rewards/{validator_address}", "cosmos.distribution.v1beta1.Query.DelegationRewards")]
    [InlineData("GET", "/cosmos/distribution/v1beta1/community_pool", "cosmos.distribution.v1beta1.Query.CommunityPool")]
    [InlineData("POST", "/cosmos/tx/v1beta1/simulate", "cosmos.tx.v1beta1.Service.Simulate")]
    [InlineData("GET", "/cosmos/base/node/v1beta1/config", "cosmos.base.node.v1beta1.Service.Config")]
    [InlineData("GET", "/depin/devices/v1/devices/{key}", "depin.devices.v1.Query.Device")]
    [InlineData("GET", "/depin/coverage/v1/reports/{device_key}", "depin.coverage.v1.Query.Reports")]
    [InlineData("GET", "/depin/rewards/v1/devices/{device_key}/rewards", "depin.rewards.v1.Query.DeviceReward")]
    public void Routes_are_the_annotations(string verb, string template, string method)
    {
        var route = Assert.Single(fixture.Rest.Gateway.Routes, r => r.Template == template);
        Assert.Equal((verb, method), (route.Verb, route.Method.FullName));
    }

    [Fact]
    public async Task Every_route_answers_as_grpc_answers_the_same_request()
    {
        string latest = fixture.Chain.Height.ToString(CultureInfo.InvariantCulture);
        int ok = 0;
        foreach (var route in fixture.Rest.Gateway.Routes)
        {
            var request = route.Method.InputType.Parser.ParseFrom(ByteString.Empty);
            var url = new StringBuilder();
            foreach (var segment in route.Segments)
            {
                url.Append('/');
                if (segment.Literal is not null)
                {
                    url.Append(segment.Literal);
                    continue;
                }
                var (text, value) = Sample(segment.Variable!.Leaf);
                url.Append(Uri.EscapeDataString(text));
                if (segment.Variable.Leaf.IsRepeated) ((System.Collections.IList)segment.Variable.Leaf.Accessor.GetValue(request)).Add(value);
                else segment.Variable.Leaf.Accessor.SetValue(request, value);
            }
            // The by_denom routes take their denom from the query string.
            if (route.Method.InputType.FindFieldByName("denom") is { } denom && !route.Template.Contains("{denom}", StringComparison.Ordinal))
            {
                url.Append("?denom=").Append(TestChain.Denom);
                denom.Accessor.SetValue(request, TestChain.Denom);
            }

            RestAnswer rest;
            if (route.Verb == "POST")
            {
                using var post = new HttpRequestMessage(HttpMethod.Post, url.ToString()) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
                rest = await SendAsync(post);
            }
            else
            {
                rest = await GetAsync(url.ToString());
            }
            var grpc = await GrpcAsync(route.Method, request);
            string where = $"{route} ({url}): REST {(int)rest.Status} {rest.Body}; gRPC {grpc.Status} {grpc.Detail}";
            Assert.True(rest.Height == latest, where);
            if (grpc.Status == StatusCode.OK)
            {
                Assert.True(rest.Status == HttpStatusCode.OK, where);
                var expected = route.Method.OutputType.Parser.ParseFrom(grpc.Value);
                Assert.Equal(expected, Json.Parse(rest.Body, route.Method.OutputType));
                // EmitDefaults: every field of the response is written, by its proto name.
                var written = rest.Object.Select(p => p.Key).ToHashSet();
                foreach (var field in route.Method.OutputType.Fields.InDeclarationOrder().Where(f => f.RealContainingOneof is null))
                    Assert.True(written.Contains(field.Name), $"{where}: no \"{field.Name}\"");
                ok++;
            }
            else
            {
                Assert.True((int)rest.Status == RestGateway.HttpStatusOf(grpc.Status), where);
                Assert.Equal((int)grpc.Status, (int)rest.Object["code"]!);
                Assert.Equal(grpc.Detail, (string?)rest.Object["message"]);
                Assert.Empty(rest.Object["details"]!.AsArray());
            }
        }
        Assert.True(ok > 25, $"only {ok} routes answered OK");
    }

    [Theory]
    [InlineData("ibc/apps/transfer/v1/denoms/udpin/total_escrow", "udpin")]
    [InlineData("ibc/apps/transfer/v1/denoms/ibc/C053D637CCA2A2BA030E2C5EE1B28A16F71CCB0E45E8BE52766DC1B241B77878/total_escrow",
        "ibc/C053D637CCA2A2BA030E2C5EE1B28A16F71CCB0E45E8BE52766DC1B241B77878")]
    [InlineData("ibc/apps/transfer/v1/denom_traces/ibc/C053D637CCA2A2BA030E2C5EE1B28A16F71CCB0E45E8BE52766DC1B241B77878",
        "ibc/C053D637CCA2A2BA030E2C5EE1B28A16F71CCB0E45E8BE52766DC1B241B77878")]
    public void A_double_star_variable_takes_several_segments_as_grpc_gateway_does(string path, string value)
    {
        var (route, values) = fixture.Rest.Gateway.Find("GET", path.Split('/')) ?? throw new Xunit.Sdk.XunitException($"no route for {path}");
        Assert.StartsWith("ibc.applications.transfer.v1.Query", route.Method.FullName, StringComparison.Ordinal);
        Assert.Equal(value, Assert.Single(values).Value);
        Assert.Null(fixture.Rest.Gateway.Find("GET", "ibc/apps/transfer/v1/denoms//total_escrow".Split('/')));
    }

    [Fact]
    public async Task Balances_are_the_sdk_json_and_paginate_with_next_key()
    {
        string alice = TestChain.Alice.Bech32;
        var all = await GetAsync($"/cosmos/bank/v1beta1/balances/{alice}");
        Assert.Equal(HttpStatusCode.OK, all.Status);
        Assert.Equal("""{"balances":[{"denom":"uatom","amount":"500"},{"denom":"udpin","amount":"998900"}],"pagination":{"next_key":null,"total":"2"}}""", all.Body);

        var first = await GetAsync($"/cosmos/bank/v1beta1/balances/{alice}?pagination.limit=1");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        var firstPage = first.Object;
        Assert.Equal("uatom", (string?)firstPage["balances"]![0]!["denom"]);
        Assert.Single(firstPage["balances"]!.AsArray());
        string nextKey = (string?)firstPage["pagination"]!["next_key"] ?? throw new Xunit.Sdk.XunitException("no next_key");

        var grpc = QueryAllBalancesResponse.Parser.ParseFrom((await GrpcAsync(QueryReflection.Descriptor.Services[0].FindMethodByName("AllBalances"),
            new QueryAllBalancesRequest { Address = alice, Pagination = new() { Limit = 1 } })).Value);
        Assert.Equal(grpc.Pagination.NextKey.ToBase64(), nextKey);

        // The key as base64 (escaped), and URL-safe without padding: both read.
        foreach (string key in new[] { Uri.EscapeDataString(nextKey), nextKey.Replace('+', '-').Replace('/', '_').TrimEnd('=') })
        {
            var second = await GetAsync($"/cosmos/bank/v1beta1/balances/{alice}?pagination.limit=1&pagination.key={key}");
            Assert.Equal(HttpStatusCode.OK, second.Status);
            Assert.Equal("""{"balances":[{"denom":"udpin","amount":"998900"}],"pagination":{"next_key":null,"total":"0"}}""", second.Body);
        }

        var counted = await GetAsync($"/cosmos/bank/v1beta1/balances/{alice}?pagination.limit=1&pagination.count_total=true&pagination.reverse=true");
        Assert.Equal("udpin", (string?)counted.Object["balances"]![0]!["denom"]);
        Assert.Equal("2", (string?)counted.Object["pagination"]!["total"]);

        var offset = await GetAsync($"/cosmos/bank/v1beta1/balances/{alice}?pagination.offset=1&pagination.limit=1");
        Assert.Equal("udpin", (string?)offset.Object["balances"]![0]!["denom"]);

        var one = await GetAsync($"/cosmos/bank/v1beta1/balances/{TestChain.Bob.Bech32}/by_denom?denom=udpin");
        Assert.Equal("""{"balance":{"denom":"udpin","amount":"1100"}}""", one.Body);
    }

    [Fact]
    public async Task A_bad_address_is_400_with_the_sdk_error_shape()
    {
        var answer = await GetAsync("/cosmos/bank/v1beta1/balances/depin1notanaddress");
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(3, (int)answer.Object["code"]!);
        Assert.Contains("invalid address", (string?)answer.Object["message"]);
        Assert.Equal(["code", "message", "details"], answer.Object.Select(p => p.Key));
        Assert.Empty(answer.Object["details"]!.AsArray());
    }

    [Theory]
    [InlineData("pagination.limit=ten")]
    [InlineData("pagination.key=***")]
    [InlineData("pagination.count_total=maybe")]
    public async Task A_bad_query_parameter_is_400(string query)
    {
        var answer = await GetAsync($"/cosmos/bank/v1beta1/balances/{TestChain.Bob.Bech32}?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(3, (int)answer.Object["code"]!);
    }

    [Fact]
    public async Task An_unknown_account_is_404_with_the_log_as_message()
    {
        var stranger = TxSigner.FromSeed("nobody").Bech32;
        var answer = await GetAsync($"/cosmos/auth/v1beta1/accounts/{stranger}");
        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal(5, (int)answer.Object["code"]!);
        Assert.Contains($"account {stranger} not found", (string?)answer.Object["message"]);
    }

    [Fact]
    public async Task An_account_is_written_as_an_any_with_its_type()
    {
        var answer = await GetAsync($"/cosmos/auth/v1beta1/accounts/{TestChain.Bob.Bech32}");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var account = answer.Object["account"]!;
        Assert.Equal("/cosmos.auth.v1beta1.BaseAccount", (string?)account["@type"]);
        Assert.Equal(TestChain.Bob.Bech32, (string?)account["address"]);
        Assert.Equal("1", (string?)account["account_number"]);
    }

    [Theory]
    [InlineData("/cosmos/nothing/v1beta1/here")]
    [InlineData("/cosmos/bank/v1beta1/balances")]
    [InlineData("/")]
    public async Task An_unknown_route_is_404_not_found(string path)
    {
        var answer = await GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("""{"code":5,"message":"Not Found","details":[]}""", answer.Body);
        Assert.Null(answer.Height);
    }

    [Fact]
    public async Task A_get_route_called_with_post_is_404()
    {
        using var post = new HttpRequestMessage(HttpMethod.Post, "/cosmos/bank/v1beta1/supply") { Content = new StringContent("{}") };
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(post)).Status);
    }

    [Fact]
    public async Task The_height_header_selects_and_is_echoed()
    {
        string url = $"/cosmos/bank/v1beta1/balances/{TestChain.Bob.Bech32}/by_denom?denom=udpin";
        foreach (var (height, amount) in new[] { ("1", "1000"), ("2", "1077"), ("3", "1100"), ("0", "1100") })
        {
            var answer = await GetAsync(url, height);
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Equal(amount, (string?)answer.Object["balance"]!["amount"]);
            Assert.Equal(height == "0" ? "3" : height, answer.Height);
        }
        Assert.Equal("3", (await GetAsync(url)).Height);
        foreach (var bad in new[] { "three", "-1", "99" })
        {
            var answer = await GetAsync(url, bad);
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.Equal(3, (int)answer.Object["code"]!);
        }
    }

    [Fact]
    public async Task Simulate_posts_tx_bytes_and_answers_the_app_simulate()
    {
        byte[] tx = fixture.Chain.SendTx(TestChain.Alice, TestChain.Carol.Bech32, 5);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/cosmos/tx/v1beta1/simulate")
        {
            Content = new StringContent($$"""{"tx_bytes":"{{Convert.ToBase64String(tx)}}"}""", Encoding.UTF8, "application/json"),
        };
        var answer = await SendAsync(post);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.True(long.Parse((string)answer.Object["gas_info"]!["gas_used"]!, CultureInfo.InvariantCulture) > 10_000, answer.Body);
        var grpc = await GrpcAsync(TxService, new SimulateRequest { TxBytes = ByteString.CopyFrom(tx) });
        Assert.Equal(SimulateResponse.Parser.ParseFrom(grpc.Value), Json.Parse<SimulateResponse>(answer.Body));

        using var broken = new HttpRequestMessage(HttpMethod.Post, "/cosmos/tx/v1beta1/simulate")
        {
            Content = new StringContent("""{"tx_bytes":"bm90IGEgdHg="}""", Encoding.UTF8, "application/json"),
        };
        var rejected = await SendAsync(broken);
        Assert.Equal(HttpStatusCode.BadRequest, rejected.Status);
        Assert.Equal(3, (int)rejected.Object["code"]!);

        using var notJson = new HttpRequestMessage(HttpMethod.Post, "/cosmos/tx/v1beta1/simulate") { Content = new StringContent("{tx_bytes") };
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(notJson)).Status);
    }

    private static MethodDescriptor TxService => GrpcApi.TxService.FindMethodByName("Simulate");

    [Fact]
    public async Task Cors_is_off_by_default_and_open_to_every_origin_when_enabled()
    {
        var closed = await fixture.Http.GetAsync("/cosmos/bank/v1beta1/params");
        Assert.False(closed.Headers.Contains("Access-Control-Allow-Origin"));

        await using var open = new RestApiServer(fixture.App, new RestApiOptions { Address = "127.0.0.1:0", EnableUnsafeCors = true }, NullLoggerFactory.Instance);
        await open.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri("http://" + open.ListenAddress) };
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/cosmos/bank/v1beta1/params");
        preflight.Headers.Add("Origin", "http://example.org");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "x-cosmos-block-height");
        using var answer = await http.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Equal("*", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("GET", answer.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Equal("x-cosmos-block-height", answer.Headers.GetValues("Access-Control-Allow-Headers").Single());

        using var get = await http.GetAsync("/cosmos/bank/v1beta1/params");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("*", get.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Theory]
    [InlineData("127.0.0.1:1317", "127.0.0.1", 1317)]
    [InlineData("localhost:0", "127.0.0.1", 0)]
    [InlineData("[::1]:1317", "::1", 1317)]
    public void Addresses_parse_as_host_and_port(string text, string ip, int port)
    {
        var endPoint = RestApiOptions.ParseAddress(text);
        Assert.Equal((ip, port), (endPoint.Address.ToString(), endPoint.Port));
    }

    [Theory]
    [InlineData("1317")]
    [InlineData("tcp://localhost:1317")]
    [InlineData("example.org:1317")]
    public void Bad_addresses_are_refused(string text)
        => Assert.Contains("API address", Assert.Throws<FormatException>(() => RestApiOptions.ParseAddress(text)).Message);

    [Fact]
    public void Query_values_take_grpc_gateway_forms()
    {
        var page = DePinChain.Protos.Cosmos.Base.Query.V1Beta1.PageRequest.Descriptor;
        Assert.Equal("true", GatewayJson.ValueFor(page.FindFieldByName("count_total"), "1").ToJsonString());
        Assert.Equal("+/8=", GatewayJson.ValueFor(page.FindFieldByName("key"), "-_8").GetValue<string>());
        Assert.Equal("\"18446744073709551615\"", GatewayJson.ValueFor(page.FindFieldByName("limit"), "18446744073709551615").ToJsonString());
        var signMode = DePinChain.Protos.Cosmos.Tx.V1Beta1.ModeInfo.Types.Single.Descriptor.FindFieldByName("mode");
        Assert.Equal("\"SIGN_MODE_DIRECT\"", GatewayJson.ValueFor(signMode, "SIGN_MODE_DIRECT").ToJsonString());
        Assert.Equal("1", GatewayJson.ValueFor(signMode, "1").ToJsonString());
        Assert.Throws<FormatException>(() => GatewayJson.ValueFor(signMode, "SIGN_MODE_NONSENSE"));
    }
}
