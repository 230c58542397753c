using System.Text.Json.Nodes;
using DePinChain.Api.Rest;
using DePinChain.Protos.Ibc.Core.Client.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace DePinChain.Modules.Ibc.Tests;

/// <summary>The REST gateway renders the 07-tendermint Anys of client queries as ibc-go's gateway does: <c>@type</c> and
/// the state's fields, compared with simd's own JSON of the same client state (the recorded MsgCreateClient).</summary>
public sealed class IbcRestJsonTests
{
    [Fact]
    public async Task A_client_state_and_consensus_state_over_REST_have_ibc_gos_json_shape()
    {
        var chain = new IbcChain("depin-a-1", new DateTimeOffset(2026, 12, 4, 5, 0, 0, TimeSpan.Zero));
        var create = ConformanceTests.Message<MsgCreateClient>("a-MsgCreateClient.json");
        create.Signer = IbcChain.Relayer.Bech32;
        chain.Ok(IbcChain.Relayer, create);
        await using var rest = new RestApiServer(chain.App, new RestApiOptions { Address = "127.0.0.1:0" }, NullLoggerFactory.Instance);
        await rest.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://{rest.ListenAddress}/") };
        var simd = SimdPair.Load("a-MsgCreateClient.decoded.json")["body"]!["messages"]![0]!;

        var client = JsonNode.Parse(await http.GetStringAsync("ibc/core/client/v1/client_states/07-tendermint-0"))!;
        Assert.True(JsonNode.DeepEquals(simd["client_state"], client["client_state"]), client["client_state"]!.ToJsonString());

        var consensus = JsonNode.Parse(await http.GetStringAsync("ibc/core/client/v1/consensus_states/07-tendermint-0/revision/1/height/31"))!["consensus_state"]!;
        // Whole, next_validators_hash included: HexBytes in ibc-go, so upper-case hex where other bytes are base64.
        Assert.True(JsonNode.DeepEquals(simd["consensus_state"], consensus), consensus.ToJsonString());

        var all = JsonNode.Parse(await http.GetStringAsync("ibc/core/client/v1/client_states"))!;
        Assert.True(JsonNode.DeepEquals(simd["client_state"], all["client_states"]![0]!["client_state"]));
    }
}
