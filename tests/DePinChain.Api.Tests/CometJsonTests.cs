using System.Text.Json.Nodes;
using DePinChain.Api.Comet;
using DePinChain.Protos.Cosmos.Tx.V1Beta1;
using Google.Protobuf;

namespace DePinChain.Api.Tests;

/// <summary>
/// CometBFT's RPC JSON into its protobuf types, checked against the answers of a real CometBFT v0.38.25 (TestData/,
/// copied from a 4-validator DePinChain localnet): the header rebuilt from the JSON hashes to the block id CometBFT gave,
/// so every header field, the last block id and the time to the nanosecond are right; the data and last commit hash to
/// the header's data_hash and last_commit_hash, so the txs and every commit signature are too.
/// </summary>
public sealed class CometJsonTests
{
    private static JsonNode Result(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", file)))!["result"]!;

    [Theory]
    [InlineData("block-2.json")]
    [InlineData("block-3.json")]
    [InlineData("block-4.json")]
    public void A_real_blocks_header_hashes_to_its_block_id_and_its_data_and_commit_to_the_header_hashes(string file)
    {
        JsonNode result = Result(file);
        var id = CometJson.BlockId(result["block_id"]);
        var block = CometJson.Block(result["block"]);

        Assert.Equal(Convert.ToHexString(id.Hash.Span), Convert.ToHexString(CometJson.HeaderHash(block.Header)));
        Assert.Equal(block.Header.DataHash.ToByteArray(), CometJson.DataHash(block.Data));
        Assert.Equal(block.Header.LastCommitHash.ToByteArray(), CometJson.CommitHash(block.LastCommit));
        Assert.Equal(4, block.LastCommit.Signatures.Count);
        Assert.Equal(block.Header.Height - 1, block.LastCommit.Height);
        Assert.Equal(block.Header.LastBlockId, block.LastCommit.BlockId);
        Assert.Empty(block.Evidence.Evidence);
        // Re-encoding a parsed block gives the same bytes: nothing is lost or defaulted differently.
        Assert.Equal(block, DePinChain.Protos.Types.Block.Parser.ParseFrom(block.ToByteArray()));
    }

    [Fact]
    public void Consecutive_blocks_chain_by_last_block_id()
    {
        var three = CometJson.Block(Result("block-3.json")["block"]);
        var four = CometJson.Block(Result("block-4.json")["block"]);
        Assert.Equal(CometJson.BlockId(Result("block-3.json")["block_id"]), four.Header.LastBlockId);
        Assert.Equal(CometJson.HeaderHash(three.Header), four.Header.LastBlockId.Hash.ToByteArray());
    }

    [Fact]
    public void Header_fields_convert_from_strings_hex_and_rfc3339_nanoseconds()
    {
        var header = CometJson.Block(Result("block-3.json")["block"]).Header;
        Assert.Equal((11ul, 1ul, "depinchain-localnet", 3L), (header.Version.Block, header.Version.App, header.ChainId, header.Height));
        // "2026-12-04T03:16:46.763842982Z": nine digits, more than DateTime holds.
        Assert.Equal(763842982, header.Time.Nanos);
        Assert.Equal(DateTimeOffset.Parse("2026-12-04T03:16:46Z").ToUnixTimeSeconds(), header.Time.Seconds);
        Assert.Equal("9509CFC380B91013FEBCD122E078F88E089E5AD8", Convert.ToHexString(header.ProposerAddress.Span));
        Assert.Equal("2026-12-04T03:16:46Z", CometJson.Rfc3339Seconds(header.Time));
    }

    [Fact]
    public void The_sdk_block_names_the_proposer_by_its_valcons_address()
    {
        var block = CometJson.Block(Result("block-3.json")["block"]);
        var sdk = CometJson.ToSdkBlock(block, a => DePinChain.Sdk.ValidatorAddress.ToConsensusBech32(a));
        Assert.StartsWith("depinvalcons1", sdk.Header.ProposerAddress);
        Assert.Equal(block.Header.ProposerAddress.ToByteArray(), DePinChain.Sdk.ValidatorAddress.ParseConsensus(sdk.Header.ProposerAddress));
        Assert.Equal(block.Header.AppHash, sdk.Header.AppHash);
        Assert.Equal(block.Data, sdk.Data);
    }

    [Fact]
    public void A_real_tx_results_events_convert_and_its_tx_decodes()
    {
        JsonNode tx = Result("tx-A8795647.json");
        var events = CometJson.Events(tx["tx_result"]!["events"]).ToList();
        Assert.Equal(11, events.Count);
        Assert.Equal("coin_spent", events[0].Type);
        Assert.Equal(("spender", "depin1js85c85gnrnfku30zf8vgxdpvumsnhrv7d9wa4", true),
            (events[0].Attributes[0].Key, events[0].Attributes[0].Value, events[0].Attributes[0].Index));
        var raw = TxRaw.Parser.ParseFrom(CometJson.Base64(tx["tx"], "tx"));
        Assert.Equal("/cosmos.bank.v1beta1.MsgSend", TxBody.Parser.ParseFrom(raw.BodyBytes).Messages[0].TypeUrl);
    }

    [Fact]
    public void A_commit_signature_of_an_absent_validator_has_gos_zero_time()
    {
        var commit = CometJson.Commit(JsonNode.Parse("""
            {"height":"5","round":0,"block_id":{"hash":"","parts":{"total":0,"hash":""}},
             "signatures":[{"block_id_flag":1,"validator_address":"","timestamp":"0001-01-01T00:00:00Z","signature":null}]}
            """));
        var sig = Assert.Single(commit.Signatures);
        Assert.Equal(DePinChain.Protos.Types.BlockIDFlag.Absent, sig.BlockIdFlag);
        Assert.Equal(CometJson.GoZeroTimeSeconds, sig.Timestamp.Seconds);
        Assert.True(sig.Signature.IsEmpty);
        // gogoproto's non-nullable fields are encoded even when empty: the part set header of an empty block id.
        Assert.Equal([0x12, 0x00], commit.BlockId.ToByteArray());
    }
}
