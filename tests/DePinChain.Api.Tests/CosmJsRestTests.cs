using System.Diagnostics;
using System.Text.Json.Nodes;
using DePinChain.App.Tests;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace DePinChain.Api.Tests;

/// <summary>
/// A client we did not write reads our REST JSON: cosmjs-types' <c>fromJSON</c> decoders (what CosmJS-based wallets and
/// explorers run on a REST answer), in node (tests/js/rest-decode.mjs). What they decode, encoded again, is the gRPC answer.
/// fromJSON reads only lowerCamelCase names, where the gateway writes the proto names (as the SDK's does, and proto3 JSON
/// parsers take either), so the script renames the keys first: the values (strings for 64-bit integers and Ints, base64
/// bytes, null next_key) are read as written.
/// </summary>
public sealed class CosmJsRestTests(RestChainFixture fixture) : IClassFixture<RestChainFixture>
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    [Fact]
    public async Task Cosmjs_types_decode_the_rest_answers_to_the_grpc_answers()
    {
        string alice = TestChain.Alice.Bech32;
        (string Url, string Method, IMessage Request)[] calls =
        [
            ($"/cosmos/bank/v1beta1/balances/{alice}", "cosmos.bank.v1beta1.Query.AllBalances",
                new Protos.Cosmos.Bank.V1Beta1.QueryAllBalancesRequest { Address = alice }),
            ($"/cosmos/bank/v1beta1/balances/{alice}?pagination.limit=1", "cosmos.bank.v1beta1.Query.AllBalances",
                new Protos.Cosmos.Bank.V1Beta1.QueryAllBalancesRequest { Address = alice, Pagination = new() { Limit = 1 } }),
            ($"/cosmos/bank/v1beta1/balances/{alice}/by_denom?denom=udpin", "cosmos.bank.v1beta1.Query.Balance",
                new Protos.Cosmos.Bank.V1Beta1.QueryBalanceRequest { Address = alice, Denom = "udpin" }),
            ("/cosmos/bank/v1beta1/supply", "cosmos.bank.v1beta1.Query.TotalSupply", new Protos.Cosmos.Bank.V1Beta1.QueryTotalSupplyRequest()),
            ("/cosmos/bank/v1beta1/supply/by_denom?denom=uatom", "cosmos.bank.v1beta1.Query.SupplyOf",
                new Protos.Cosmos.Bank.V1Beta1.QuerySupplyOfRequest { Denom = "uatom" }),
            ("/cosmos/bank/v1beta1/params", "cosmos.bank.v1beta1.Query.Params", new Protos.Cosmos.Bank.V1Beta1.QueryParamsRequest()),
            ("/cosmos/staking/v1beta1/pool", "cosmos.staking.v1beta1.Query.Pool", new Protos.Cosmos.Staking.V1Beta1.QueryPoolRequest()),
            ("/cosmos/auth/v1beta1/params", "cosmos.auth.v1beta1.Query.Params", new Protos.Cosmos.Auth.V1Beta1.QueryParamsRequest()),
        ];
        var input = new JsonArray();
        var expected = new List<(MethodDescriptor Method, byte[] Grpc)>();
        foreach (var (url, name, request) in calls)
        {
            var method = fixture.Rest.Gateway.Routes.Select(r => r.Method).First(m => m.FullName == name);
            input.Add(new JsonObject { ["type"] = method.OutputType.FullName, ["json"] = JsonNode.Parse(await fixture.Http.GetStringAsync(url)) });
            var call = new Method<byte[], byte[]>(MethodType.Unary, method.Service.FullName, method.Name, Bytes, Bytes);
            expected.Add((method, await fixture.Invoker.AsyncUnaryCall(call, null, new CallOptions(), request.ToByteArray())));
        }

        var decoded = JsonNode.Parse(RunNode("rest-decode.mjs", input.ToJsonString()))!.AsArray();
        Assert.Equal(calls.Length, decoded.Count);
        for (int i = 0; i < calls.Length; i++)
        {
            var (method, grpc) = expected[i];
            var fromCosmJs = method.OutputType.Parser.ParseFrom(Convert.FromBase64String((string)decoded[i]!["bytes"]!));
            Assert.True(method.OutputType.Parser.ParseFrom(grpc).Equals(fromCosmJs), $"{calls[i].Url}: cosmjs-types read {fromCosmJs}");
        }
        // The paged answer's next_key survives CosmJS's decoding (the next page's first denom).
        Assert.Equal(Convert.ToBase64String("udpin"u8.ToArray()), (string?)decoded[1]!["next_key"]);
    }

    private static string RunNode(string script, string stdin)
    {
        string dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "DePinChain.sln"))) dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("no repository root above the tests");
        string jsDir = Path.Combine(dir, "tests", "js");
        if (!Directory.Exists(Path.Combine(jsDir, "node_modules", "cosmjs-types")))
            throw new InvalidOperationException($"cosmjs-types is not installed in {jsDir}: run `make setup` (or `npm ci` there)");
        var start = new ProcessStartInfo("node", [Path.Combine(jsDir, script)])
        {
            WorkingDirectory = jsDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill();
            throw new TimeoutException($"{script} did not finish within a minute");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"{script} exited with {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
