using System.Text;
using System.Text.Json.Nodes;
using DePinChain.Api.Comet;
using DePinChain.Comet;
using DePinChain.Comet.Hashing;
using DePinChain.Comet.Light;
using PublicKey = DePinChain.Protos.Crypto.PublicKey;
using DePinChain.Protos.Types;
using DePinChain.Store;
using DePinChain.Store.Proofs;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.CometStandIn.Tests;

/// <summary>
/// The stand-in against CometBFT's own rules: its headers and commits pass the light client, its store proofs verify
/// against the next header's app hash, its RPC answers have a real node's JSON shapes, read back by the API's
/// independent CometBFT JSON reader.
/// </summary>
public sealed class StandInTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private StandInNode _node = null!;

    public async Task InitializeAsync() => _node = await StandInChain.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private async Task<JsonNode> GetAsync(string pathAndQuery)
    {
        string body = await Http.GetStringAsync(_node.RpcUrl + "/" + pathAndQuery);
        return JsonNode.Parse(body)!["result"]!;
    }

    private async Task<JsonNode> PostAsync(string method, JsonObject parameters)
    {
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 7, ["method"] = method, ["params"] = parameters };
        using var response = await Http.PostAsync(_node.RpcUrl, new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"));
        JsonNode reply = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(7, (int)reply["id"]!);
        return reply;
    }

    private async Task<(SignedHeader Header, ValidatorSet Validators)> LightBlockAsync(long height)
    {
        JsonNode commit = await GetAsync($"commit?height={height}");
        JsonNode validators = await GetAsync($"validators?height={height}&per_page=100");
        var set = new ValidatorSet();
        foreach (JsonNode? v in validators["validators"]!.AsArray())
            set.Validators.Add(new Validator
            {
                Address = CometJson.Hex(v!["address"], "address"),
                PubKey = new PublicKey { Ed25519 = CometJson.Base64(v["pub_key"]!["value"], "pub_key") },
                VotingPower = CometJson.Int(v["voting_power"], "voting_power"),
            });
        set.TotalVotingPower = set.Validators.Sum(v => v.VotingPower);
        return (new SignedHeader { Header = CometJson.Header(commit["signed_header"]!["header"]), Commit = CometJson.Commit(commit["signed_header"]!["commit"]) }, set);
    }

    private async Task SendTxsAsync(int count)
    {
        for (ulong i = 0; i < (ulong)count; i++)
        {
            byte[] tx = StandInChain.Send(StandInChain.Alice, StandInChain.Bob, 10, i, 0);
            JsonNode reply = await PostAsync("broadcast_tx_sync", new JsonObject { ["tx"] = Convert.ToBase64String(tx) });
            Assert.Equal(0, (int)reply["result"]!["code"]!);
        }
    }

    [Fact]
    public async Task The_light_client_accepts_its_headers_adjacent_and_non_adjacent()
    {
        await SendTxsAsync(3);
        await _node.ProduceBlocksAsync(5);
        var trustingPeriod = Duration.FromTimeSpan(TimeSpan.FromDays(14));
        var drift = Duration.FromTimeSpan(TimeSpan.FromSeconds(10));
        Timestamp now = _node.Clock.Now;
        for (long h = 1; h < _node.Height; h++)
        {
            var (trusted, _) = await LightBlockAsync(h);
            var (next, nextVals) = await LightBlockAsync(h + 1);
            Assert.Equal(HeaderHasher.Hash(trusted.Header), trusted.Commit.BlockId.Hash.ToByteArray());
            Assert.Equal(trusted.Commit.BlockId.Hash, next.Header.LastBlockId.Hash);
            LightVerifier.VerifyAdjacent(trusted, next, nextVals, trustingPeriod, now, drift);
        }
        var (first, firstVals) = await LightBlockAsync(1);
        var (last, lastVals) = await LightBlockAsync(_node.Height);
        LightVerifier.VerifyNonAdjacent(first, new TrustedValidatorSet(firstVals), last, new TrustedValidatorSet(lastVals),
            trustingPeriod, now, drift, TrustLevel.OneThird);
    }

    [Fact]
    public async Task Block_ids_last_commit_and_data_hashes_are_those_of_the_served_blocks()
    {
        await SendTxsAsync(2);
        await _node.ProduceBlockAsync();
        for (long h = 2; h <= _node.Height; h++)
        {
            JsonNode result = await GetAsync($"block?height={h}");
            Block block = CometJson.Block(result["block"]);
            BlockID id = CometJson.BlockId(result["block_id"]);
            Assert.Equal(id.Hash.ToByteArray(), HeaderHasher.Hash(block.Header));
            Assert.Equal(id.PartSetHeader, BlockHashes.PartSetHeader(block).Clone());
            Assert.Equal(block.Header.DataHash.ToByteArray(), BlockHashes.DataHash(block.Data.Txs));
            Assert.Equal(block.Header.LastCommitHash.ToByteArray(), BlockHashes.CommitHash(block.LastCommit));
            Assert.Equal(block.Header.LastResultsHash.ToByteArray(), BlockHashes.LastResultsHash(_node.BlockAt(h - 1).Results.TxResults));
            Assert.Equal(block.Header.AppHash, _node.BlockAt(h - 1).Results.AppHash);
        }
    }

    [Fact]
    public async Task A_store_proof_at_H_verifies_against_the_app_hash_in_header_H_plus_1()
    {
        await SendTxsAsync(1);
        long h = _node.Height;
        await _node.ProduceBlockAsync();
        byte[] key = [0x00, .. "udpin"u8];
        JsonNode reply = await PostAsync("abci_query", new JsonObject
        {
            ["path"] = "store/bank/key", ["data"] = Convert.ToHexString(key), ["height"] = h.ToString(), ["prove"] = true,
        });
        JsonNode response = reply["result"]!["response"]!;
        Assert.Equal(h, CometJson.Int(response["height"], "height"));
        var ops = response["proofOps"]!["ops"]!.AsArray()
            .Select(o => new DePinChain.Store.ProofOp((string)o!["type"]!, Convert.FromBase64String((string)o["key"]!), Convert.FromBase64String((string)o["data"]!))).ToList();
        byte[] value = Convert.FromBase64String((string)response["value"]!);
        var (next, _) = await LightBlockAsync(h + 1);
        Assert.True(Ics23Verifier.VerifyChain(ops, next.Header.AppHash.ToByteArray(), "bank", key, value).IsValid);
        Assert.False(Ics23Verifier.VerifyChain(ops, (await LightBlockAsync(h)).Header.Header.AppHash.ToByteArray(), "bank", key, value).IsValid);
        // The same query as a URI, as the CLI sends it.
        JsonNode uri = await GetAsync($"abci_query?path=%22store/bank/key%22&data=0x{Convert.ToHexString(key)}&height={h}&prove=true");
        Assert.Equal((string)response["value"]!, (string)uri["response"]!["value"]!);
    }

    [Fact]
    public async Task A_commit_signed_by_a_quarter_of_the_set_is_refused_by_the_light_client()
    {
        await _node.ProduceBlockAsync(signs: i => i == 0);
        var (header, vals) = await LightBlockAsync(_node.Height);
        Assert.Equal([BlockIDFlag.Commit, BlockIDFlag.Absent, BlockIDFlag.Absent, BlockIDFlag.Absent], header.Commit.Signatures.Select(s => s.BlockIdFlag));
        var e = Assert.Throws<LightVerificationException>(() => CommitVerifier.VerifyCommitLight(header.Header.ChainId,
            new TrustedValidatorSet(vals), header.Commit.BlockId, header.Header.Height, header.Commit));
        Assert.Equal(LightFailure.NotEnoughVotingPower, e.Failure);
    }

    [Fact]
    public async Task Tx_tx_search_and_block_results_find_a_tx_by_its_events()
    {
        await SendTxsAsync(2);
        long height = _node.Height;
        JsonNode found = await GetAsync($"tx_search?query=%22message.action%3D'/cosmos.bank.v1beta1.MsgSend'%20AND%20tx.height%3D{height}%22");
        Assert.Equal("1", (string)found["total_count"]!);
        string hash = (string)found["txs"]![0]!["hash"]!;
        JsonNode tx = await GetAsync($"tx?hash=0x{hash}");
        Assert.Equal(height.ToString(), (string)tx["height"]!);
        JsonNode all = (await PostAsync("tx_search", new JsonObject { ["query"] = "message.action='/cosmos.bank.v1beta1.MsgSend'", ["order_by"] = "desc", ["per_page"] = "1", ["page"] = "2" }))["result"]!;
        Assert.Equal("2", (string)all["total_count"]!);
        Assert.Equal((height - 1).ToString(), (string)all["txs"]![0]!["height"]!);
        JsonNode none = await GetAsync("tx_search?query=%22message.action%3D'/cosmos.bank.v1beta1.MsgSend'%20AND%20tx.height%3D1%22");
        Assert.Equal("0", (string)none["total_count"]!);
        JsonNode results = await GetAsync($"block_results?height={height}");
        Assert.Contains(results["txs_results"]![0]!["events"]!.AsArray(), e => (string)e!["type"]! == "transfer");
        JsonNode missing = JsonNode.Parse(await (await Http.GetAsync(_node.RpcUrl + "/tx?hash=0x" + new string('A', 64))).Content.ReadAsStringAsync())!;
        Assert.Contains("not found", (string)missing["error"]!["data"]!);
    }

    [Fact]
    public async Task Answers_have_the_json_shapes_of_a_real_node()
    {
        await SendTxsAsync(1);
        long h = _node.Height;
        string hash = (string)(await GetAsync($"tx_search?query=%22tx.height%3D{h}%22"))["txs"]![0]!["hash"]!;
        await _node.ProduceBlockAsync();
        AssertSameShape(Fixture("commit-3.json"), await GetAsync($"commit?height={h}"));
        AssertSameShape(Fixture("validators-3.json"), await GetAsync($"validators?height={h}"));
        AssertSameShape(Fixture("block-3.json"), await GetAsync($"block?height={h}"));
        AssertSameShape(Fixture("tx-A8795647.json"), await GetAsync($"tx?hash=0x{hash}"));
        AssertSameShape(Fixture("status.json"), await GetAsync("status"));
        JsonNode results = await GetAsync($"block_results?height={h}");
        AssertSameShape(Fixture("block_results-3.json")["txs_results"]![0]!, results["txs_results"]![0]!);
        Assert.Equal(Keys(Fixture("block_results-3.json")), Keys(results));
        JsonNode genesis = await GetAsync("genesis");
        Assert.Equal(Keys(Fixture("genesis.json")["genesis"]!), Keys(genesis["genesis"]!));
        AssertSameShape(Fixture("genesis.json")["genesis"]!["consensus_params"]!, genesis["genesis"]!["consensus_params"]!);
    }

    private static JsonNode Fixture(string file)
        => JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", file)))!["result"]!;

    private static string[] Keys(JsonNode node) => [.. node.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)];

    /// <summary>Same keys at every level, same JSON kinds (string, number, bool, object, array) of the values both have.</summary>
    private static void AssertSameShape(JsonNode expected, JsonNode actual, string path = "$")
    {
        switch (expected)
        {
            case JsonObject e:
                var a = Assert.IsType<JsonObject>(actual);
                Assert.True(Keys(e).SequenceEqual(Keys(a)), $"{path}: keys {string.Join(",", Keys(a))}, a node has {string.Join(",", Keys(e))}");
                foreach (var (key, value) in e)
                    if (value is not null && a[key] is not null) AssertSameShape(value, a[key]!, path + "." + key);
                break;
            case JsonArray e when e.Count > 0 && actual is JsonArray list && list.Count > 0:
                AssertSameShape(e[0]!, list[0]!, path + "[0]");
                break;
            case JsonValue e:
                Assert.True(e.GetValueKind() == actual.GetValueKind(), $"{path}: {actual.GetValueKind()}, a node has {e.GetValueKind()}");
                break;
        }
    }
}
