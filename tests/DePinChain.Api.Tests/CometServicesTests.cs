using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using DePinChain.Api.Comet;
using DePinChain.Api.Grpc;
using DePinChain.App;
using DePinChain.App.Tests;
using DePinChain.Cli.Tests.Rpc;
using DePinChain.Crypto;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using DePinChain.Protos.Cosmos.Base.Tendermint.V1Beta1;
using DePinChain.Protos.Cosmos.Tx.V1Beta1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;

namespace DePinChain.Api.Tests;

/// <summary>
/// The real app behind a stand-in CometBFT (<see cref="FakeCometNode"/>: v0.38's RPC JSON, the app driven over ABCI),
/// and the node's gRPC server pointed at that RPC, as `depinchaind start` points it at config.toml's [rpc] laddr.
/// </summary>
public sealed class CometChainFixture : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("depin-grpc-comet-").FullName;

    internal FakeCometNode Comet { get; private set; } = null!;

    public GrpcApiServer Server { get; private set; } = null!;

    public GrpcChannel Channel { get; private set; } = null!;

    /// <summary>The REST gateway of the same node (the tx and tendermint routes go to CometBFT's RPC too).</summary>
    public DePinChain.Api.Rest.RestApiServer Rest { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        byte[] validatorKey = Ed25519.PublicKeyFromSeed(Hashes.Sha256("validator"u8.ToArray()));
        var genesis = new JsonObject
        {
            ["chain_id"] = TestChain.ChainId,
            ["validators"] = new JsonArray(new JsonObject
            {
                ["pub_key"] = new JsonObject { ["type"] = "tendermint/PubKeyEd25519", ["value"] = Convert.ToBase64String(validatorKey) },
                ["power"] = "10",
            }),
            ["app_state"] = JsonNode.Parse(TxBuilder.GenesisAppState([(TestChain.Alice.Address, 1_000_000), (TestChain.Bob.Address, 1_000)])),
        };
        string path = Path.Combine(_dir, "genesis.json");
        await File.WriteAllTextAsync(path, genesis.ToJsonString());
        Comet = await FakeCometNode.StartAsync(path);
        Server = new GrpcApiServer(Comet.App, new GrpcApiOptions { Address = "127.0.0.1:0", CometRpc = Comet.Url }, NullLoggerFactory.Instance);
        await Server.StartAsync();
        Channel = GrpcChannel.ForAddress("http://" + Server.ListenAddress);
        Rest = new DePinChain.Api.Rest.RestApiServer(Comet.App, new DePinChain.Api.Rest.RestApiOptions
        {
            Address = "127.0.0.1:0",
            Node = new GrpcApiOptions { Address = "127.0.0.1:0", CometRpc = Comet.Url },
        }, NullLoggerFactory.Instance);
        await Rest.StartAsync();
        Http = new HttpClient { BaseAddress = new Uri("http://" + Rest.ListenAddress) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Rest.DisposeAsync();
        Channel.Dispose();
        await Server.DisposeAsync();
        await Comet.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}

public sealed class CometServicesTests(CometChainFixture fixture) : IClassFixture<CometChainFixture>
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    private static async Task<TResponse> CallAsync<TResponse>(GrpcChannel channel, string path, IMessage request) where TResponse : IMessage<TResponse>, new()
    {
        string[] parts = path.Split('/');
        var method = new Method<byte[], byte[]>(MethodType.Unary, parts[1], parts[2], Bytes, Bytes);
        byte[] answer = await channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(), request.ToByteArray());
        return new MessageParser<TResponse>(() => new TResponse()).ParseFrom(answer);
    }

    private Task<TResponse> CallAsync<TResponse>(string path, IMessage request) where TResponse : IMessage<TResponse>, new()
        => CallAsync<TResponse>(fixture.Channel, path, request);

    private async Task<StatusCode> FailsAsync<TResponse>(string path, IMessage request, string? detail = null, GrpcChannel? channel = null)
        where TResponse : IMessage<TResponse>, new()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => CallAsync<TResponse>(channel ?? fixture.Channel, path, request));
        if (detail is not null) Assert.Contains(detail, e.Status.Detail);
        return e.StatusCode;
    }

    private const string Tx = "/cosmos.tx.v1beta1.Service/";
    private const string Tm = "/cosmos.base.tendermint.v1beta1.Service/";

    private byte[] SignedSend(TxSigner from, TxSigner to, long amount)
    {
        var answer = fixture.Comet.App.Query(new RequestQuery
        {
            Path = "/cosmos.auth.v1beta1.Query/Account",
            Data = new QueryAccountRequest { Address = from.Bech32 }.ToByteString(),
        });
        var account = BaseAccount.Parser.ParseFrom(QueryAccountResponse.Parser.ParseFrom(answer.Value).Account.Value);
        return new TxBuilder().AddMessage(TxBuilder.Send(from.Bech32, to.Bech32, TestChain.Denom, amount)).WithFee(TestChain.Denom, 500, 200_000)
            .Sign(from, TestChain.ChainId, account.AccountNumber, account.Sequence).ToByteArray();
    }

    /// <summary>GetTx until the tx is in a block: the stand-in node answers "not found" once and then commits its mempool,
    /// as a real node answers until the next block.</summary>
    private async Task<GetTxResponse> IncludedAsync(string hash)
    {
        for (int i = 0; i < 5; i++)
        {
            try
            {
                return await CallAsync<GetTxResponse>(Tx + "GetTx", new GetTxRequest { Hash = hash });
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
            }
        }
        throw new InvalidOperationException($"tx {hash} was not included");
    }

    [Fact]
    public async Task A_tx_broadcast_through_rest_is_found_through_cometbfts_rpc_and_through_rest()
    {
        byte[] tx = SignedSend(TestChain.Alice, TestChain.Bob, 3);
        string hash = Convert.ToHexString(Hashes.Sha256(tx));
        var body = new JsonObject { ["tx_bytes"] = Convert.ToBase64String(tx), ["mode"] = "BROADCAST_MODE_SYNC" };
        using var posted = await fixture.Http.PostAsync("/cosmos/tx/v1beta1/txs", new StringContent(body.ToJsonString()));
        var broadcast = JsonNode.Parse(await posted.Content.ReadAsStringAsync())!;
        Assert.True(posted.IsSuccessStatusCode, broadcast.ToJsonString());
        Assert.Equal(hash, (string?)broadcast["tx_response"]!["txhash"]);
        Assert.Equal(0, (int)broadcast["tx_response"]!["code"]!);

        // CometBFT's own RPC has it once it is in a block (the stand-in commits its mempool on the second lookup).
        JsonNode? found = null;
        for (int i = 0; i < 5 && found?["result"] is null; i++)
        {
            // A tx not (yet) in a block is a JSON-RPC error, which CometBFT answers with HTTP 500.
            using var answer = await fixture.Http.GetAsync($"{fixture.Comet.Url}/tx?hash=0x{hash}");
            found = JsonNode.Parse(await answer.Content.ReadAsStringAsync());
        }
        Assert.NotNull(found?["result"]);
        Assert.Equal(hash, (string?)found!["result"]!["hash"]);
        Assert.Equal(0, (int?)found["result"]!["tx_result"]!["code"] ?? 0);  // CometBFT omits a zero code

        var byHash = JsonNode.Parse(await fixture.Http.GetStringAsync($"/cosmos/tx/v1beta1/txs/{hash}"))!;
        Assert.Equal(hash, (string?)byHash["tx_response"]!["txhash"]);
        Assert.Equal("/cosmos.bank.v1beta1.MsgSend", (string?)byHash["tx"]!["body"]!["messages"]![0]!["@type"]);
        var latest = JsonNode.Parse(await fixture.Http.GetStringAsync("/cosmos/base/tendermint/v1beta1/blocks/latest"))!;
        Assert.Equal(fixture.Comet.Height.ToString(CultureInfo.InvariantCulture), (string?)latest["block"]!["header"]!["height"]);
    }

    [Fact]
    public async Task A_tx_broadcast_in_sync_mode_is_found_by_hash_with_its_code_events_tx_and_block_time()
    {
        byte[] tx = SignedSend(TestChain.Alice, TestChain.Bob, 7);
        var broadcast = (await CallAsync<BroadcastTxResponse>(Tx + "BroadcastTx",
            new BroadcastTxRequest { TxBytes = ByteString.CopyFrom(tx), Mode = BroadcastMode.Sync })).TxResponse;
        string hash = Convert.ToHexString(Hashes.Sha256(tx));
        Assert.Equal((0u, hash, 0L), (broadcast.Code, broadcast.Txhash, broadcast.Height));

        // Not in a block yet: NotFound, as the SDK answers.
        Assert.Equal(StatusCode.NotFound, await FailsAsync<GetTxResponse>(Tx + "GetTx", new GetTxRequest { Hash = hash }, $"tx not found: {hash}"));

        var found = await IncludedAsync(hash.ToLowerInvariant());
        var response = found.TxResponse;
        Assert.Equal((0u, "", hash), (response.Code, response.Codespace, response.Txhash));
        Assert.Equal(fixture.Comet.Height, response.Height);
        Assert.True(response.GasUsed > 10_000 && response.GasWanted == 200_000, $"gas {response.GasUsed}/{response.GasWanted}");
        Assert.Contains(response.Events, e => e.Type == "message" && e.Attributes.Any(a => a.Key == "sender" && a.Value == TestChain.Alice.Bech32));
        Assert.Contains(response.Events, e => e.Type == "transfer" && e.Attributes.Any(a => a.Key == "amount" && a.Value == "7udpin"));
        // data: the TxMsgData, as upper-case hex; timestamp: the block's time, RFC 3339 to the second.
        var data = DePinChain.Protos.Cosmos.Base.Abci.V1Beta1.TxMsgData.Parser.ParseFrom(Convert.FromHexString(response.Data));
        Assert.Equal("/cosmos.bank.v1beta1.MsgSendResponse", Assert.Single(data.MsgResponses).TypeUrl);
        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(response.Height).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            response.Timestamp);
        Assert.Equal("/cosmos.tx.v1beta1.Tx", response.Tx.TypeUrl);
        Assert.Equal(found.Tx, response.Tx.Unpack<DePinChain.Protos.Cosmos.Tx.V1Beta1.Tx>());
        Assert.Equal("/cosmos.bank.v1beta1.MsgSend", Assert.Single(found.Tx.Body.Messages).TypeUrl);
        Assert.Equal(TxRaw.Parser.ParseFrom(tx).Signatures, found.Tx.Signatures);
    }

    [Fact]
    public async Task GetTxsEvent_finds_a_tx_by_its_sender_with_total_order_and_paging()
    {
        var carol = TxSigner.FromSeed("grpc-events-carol");
        string hash = Convert.ToHexString(Hashes.Sha256(SignedSend(TestChain.Alice, carol, 1)));
        await CallAsync<BroadcastTxResponse>(Tx + "BroadcastTx", new BroadcastTxRequest { TxBytes = ByteString.CopyFrom(SignedSend(TestChain.Alice, carol, 1)), Mode = BroadcastMode.Sync });
        long height = (await IncludedAsync(hash)).TxResponse.Height;

        var byRecipient = await CallAsync<GetTxsEventResponse>(Tx + "GetTxsEvent", new GetTxsEventRequest { Query = $"transfer.recipient='{carol.Bech32}'" });
        Assert.Equal(1ul, byRecipient.Total);
        Assert.Equal(hash, Assert.Single(byRecipient.TxResponses).Txhash);
        Assert.Equal(height, byRecipient.TxResponses[0].Height);
        Assert.Equal(byRecipient.Txs[0], byRecipient.TxResponses[0].Tx.Unpack<DePinChain.Protos.Cosmos.Tx.V1Beta1.Tx>());
        Assert.NotEmpty(byRecipient.TxResponses[0].Timestamp);

        var bySender = await CallAsync<GetTxsEventResponse>(Tx + "GetTxsEvent", new GetTxsEventRequest { Query = $"message.sender='{TestChain.Alice.Bech32}'" });
        Assert.Contains(bySender.TxResponses, r => r.Txhash == hash);
        Assert.Equal((ulong)bySender.TxResponses.Count, bySender.Total);
        var heights = bySender.TxResponses.Select(r => r.Height).ToList();
        Assert.Equal(heights.Order(), heights);

        var newestFirst = await CallAsync<GetTxsEventResponse>(Tx + "GetTxsEvent",
            new GetTxsEventRequest { Query = $"message.sender='{TestChain.Alice.Bech32}'", OrderBy = OrderBy.Desc, Limit = 1, Page = 1 });
        Assert.Equal(bySender.Total, newestFirst.Total);
        Assert.Equal(heights.Max(), Assert.Single(newestFirst.TxResponses).Height);

        // The pre-v0.50 `events` list still works: its conditions joined by AND.
#pragma warning disable CS0612
        var byEvents = await CallAsync<GetTxsEventResponse>(Tx + "GetTxsEvent",
            new GetTxsEventRequest { Events = { $"transfer.recipient='{carol.Bech32}'", $"tx.height={height}" } });
#pragma warning restore CS0612
        Assert.Equal(hash, Assert.Single(byEvents.TxResponses).Txhash);

        Assert.Empty((await CallAsync<GetTxsEventResponse>(Tx + "GetTxsEvent", new GetTxsEventRequest { Query = "message.sender='depin1nobody'" })).TxResponses);
        Assert.Equal(StatusCode.InvalidArgument, await FailsAsync<GetTxsEventResponse>(Tx + "GetTxsEvent", new GetTxsEventRequest(), "query cannot be empty"));
        Assert.Equal(StatusCode.InvalidArgument, await FailsAsync<GetTxsEventResponse>(Tx + "GetTxsEvent", new GetTxsEventRequest { Query = "not a query" }));
        Assert.Equal(StatusCode.InvalidArgument, await FailsAsync<GetTxsEventResponse>(Tx + "GetTxsEvent",
            new GetTxsEventRequest { Query = $"message.sender='{TestChain.Alice.Bech32}'", Page = 99 }, "page should be within"));
    }

    [Fact]
    public async Task Async_mode_answers_the_hash_and_a_rejected_tx_answers_its_check_code()
    {
        byte[] tx = SignedSend(TestChain.Bob, TestChain.Alice, 3);
        var async = (await CallAsync<BroadcastTxResponse>(Tx + "BroadcastTx",
            new BroadcastTxRequest { TxBytes = ByteString.CopyFrom(tx), Mode = BroadcastMode.Async })).TxResponse;
        Assert.Equal((0u, Convert.ToHexString(Hashes.Sha256(tx))), (async.Code, async.Txhash));
        Assert.Equal(0u, (await IncludedAsync(async.Txhash)).TxResponse.Code);

        var garbage = (await CallAsync<BroadcastTxResponse>(Tx + "BroadcastTx",
            new BroadcastTxRequest { TxBytes = ByteString.CopyFromUtf8("not a tx"), Mode = BroadcastMode.Sync })).TxResponse;
        Assert.Equal(("sdk", 2u), (garbage.Codespace, garbage.Code));
        Assert.NotEmpty(garbage.RawLog);
    }

    [Theory]
#pragma warning disable CS0612 // BLOCK is deprecated: that is what is tested
    [InlineData(BroadcastMode.Block)]
#pragma warning restore CS0612
    [InlineData(BroadcastMode.Unspecified)]
    public async Task The_block_mode_is_refused_as_the_sdk_refuses_it(BroadcastMode mode)
        => Assert.Equal(StatusCode.InvalidArgument, await FailsAsync<BroadcastTxResponse>(Tx + "BroadcastTx",
            new BroadcastTxRequest { TxBytes = ByteString.CopyFrom([1, 2, 3]), Mode = mode }, "supported types: sync, async"));

    [Theory]
    [InlineData("", StatusCode.InvalidArgument)]
    [InlineData("XYZ", StatusCode.InvalidArgument)]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000", StatusCode.NotFound)]
    public async Task A_missing_or_bad_hash_is_an_error(string hash, StatusCode status)
        => Assert.Equal(status, await FailsAsync<GetTxResponse>(Tx + "GetTx", new GetTxRequest { Hash = hash }));

    [Fact]
    public async Task GetNodeInfo_is_cometbfts_status_with_the_apps_version()
    {
        var info = await CallAsync<GetNodeInfoResponse>(Tm + "GetNodeInfo", new GetNodeInfoRequest());
        var node = info.DefaultNodeInfo;
        Assert.Equal((TestChain.ChainId, FakeCometNode.NodeId, "0.38.25", "fake"), (node.Network, node.DefaultNodeId, node.Version, node.Moniker));
        Assert.Equal((8ul, 11ul, 1ul), (node.ProtocolVersion.P2P, node.ProtocolVersion.Block, node.ProtocolVersion.App));
        Assert.Equal("40202122233038606100", Convert.ToHexString(node.Channels.Span));
        Assert.Equal("on", node.Other.TxIndex);
        Assert.Equal(("depinchain", "depinchaind", fixture.Comet.App.Version), (info.ApplicationVersion.Name, info.ApplicationVersion.AppName, info.ApplicationVersion.Version));
    }

    [Fact]
    public async Task GetSyncing_is_cometbfts_catching_up()
    {
        Assert.False((await CallAsync<GetSyncingResponse>(Tm + "GetSyncing", new GetSyncingRequest())).Syncing);
        fixture.Comet.CatchingUp = true;
        try
        {
            Assert.True((await CallAsync<GetSyncingResponse>(Tm + "GetSyncing", new GetSyncingRequest())).Syncing);
        }
        finally
        {
            fixture.Comet.CatchingUp = false;
        }
    }

    [Fact]
    public async Task The_latest_block_is_cometbfts_and_a_block_by_height_its_block_at_that_height()
    {
        var latest = await CallAsync<GetLatestBlockResponse>(Tm + "GetLatestBlock", new GetLatestBlockRequest());
        long height = fixture.Comet.Height;
        Assert.Equal(height, latest.Block.Header.Height);
        Assert.Equal(TestChain.ChainId, latest.Block.Header.ChainId);
        Assert.Equal(latest.Block.Header.Height, latest.SdkBlock.Header.Height);
        Assert.Equal(latest.Block.LastCommit, latest.SdkBlock.LastCommit);
        Assert.StartsWith("depinvalcons1", latest.SdkBlock.Header.ProposerAddress);
        Assert.Equal(latest.Block.Header.ProposerAddress.ToByteArray(), DePinChain.Sdk.ValidatorAddress.ParseConsensus(latest.SdkBlock.Header.ProposerAddress));
        // The app's state after the block before: the app hash in the header is one the app committed.
        Assert.Equal(32, latest.Block.Header.AppHash.Length);

        var first = await CallAsync<GetBlockByHeightResponse>(Tm + "GetBlockByHeight", new GetBlockByHeightRequest { Height = 1 });
        Assert.Equal(1, first.Block.Header.Height);
        Assert.Equal(1, first.SdkBlock.Header.Height);
        Assert.True(first.Block.Header.LastBlockId.Hash.IsEmpty);
        if (height > 1)
        {
            var previous = await CallAsync<GetBlockByHeightResponse>(Tm + "GetBlockByHeight", new GetBlockByHeightRequest { Height = height - 1 });
            Assert.Equal(previous.BlockId, latest.Block.Header.LastBlockId);
            Assert.Equal(previous.BlockId, latest.Block.LastCommit.BlockId);
        }
        Assert.Equal(StatusCode.InvalidArgument, await FailsAsync<GetBlockByHeightResponse>(Tm + "GetBlockByHeight", new GetBlockByHeightRequest { Height = 0 }));
        Assert.Equal(StatusCode.InvalidArgument, await FailsAsync<GetBlockByHeightResponse>(Tm + "GetBlockByHeight",
            new GetBlockByHeightRequest { Height = height + 100 }, "must be less than or equal to the current blockchain height"));
    }

    [Fact]
    public async Task GetBlockWithTxs_is_the_block_with_its_txs_decoded_and_paged_and_rest_says_the_same()
    {
        byte[] first = SignedSend(TestChain.Alice, TestChain.Bob, 11);
        await CallAsync<BroadcastTxResponse>(Tx + "BroadcastTx", new BroadcastTxRequest { TxBytes = ByteString.CopyFrom(first), Mode = BroadcastMode.Sync });
        var included = await IncludedAsync(Convert.ToHexString(Hashes.Sha256(first)));
        long height = included.TxResponse.Height;

        var answer = await CallAsync<GetBlockWithTxsResponse>(Tx + "GetBlockWithTxs", new GetBlockWithTxsRequest { Height = height });
        Assert.Equal(height, answer.Block.Header.Height);
        ulong total = (ulong)answer.Block.Data.Txs.Count;
        Assert.Equal(total, answer.Pagination.Total);
        Assert.Equal((int)total, answer.Txs.Count);
        int index = answer.Block.Data.Txs.ToList().FindIndex(t => t.ToByteArray().AsSpan().SequenceEqual(first));
        Assert.True(index >= 0);
        Assert.Equal(included.Tx, answer.Txs[index]);
        var block = await CallAsync<GetBlockByHeightResponse>(Tm + "GetBlockByHeight", new GetBlockByHeightRequest { Height = height });
        Assert.Equal((block.BlockId, block.Block), (answer.BlockId, answer.Block));

        // Paged: offset past the txs is the SDK's error; a limit takes that many from the offset.
        var paged = await CallAsync<GetBlockWithTxsResponse>(Tx + "GetBlockWithTxs",
            new GetBlockWithTxsRequest { Height = height, Pagination = new() { Offset = 0, Limit = 1 } });
        Assert.Equal([answer.Txs[0]], paged.Txs);
        Assert.Equal(StatusCode.InvalidArgument, await FailsAsync<GetBlockWithTxsResponse>(Tx + "GetBlockWithTxs",
            new GetBlockWithTxsRequest { Height = height, Pagination = new() { Offset = total } }, $"out of range: cannot paginate {total} txs with offset {total}"));
        Assert.Equal(StatusCode.Unknown, await FailsAsync<GetBlockWithTxsResponse>(Tx + "GetBlockWithTxs",
            new GetBlockWithTxsRequest { Height = 0 }, "height must not be less than 1 or greater than the current height"));

        var rest = JsonNode.Parse(await fixture.Http.GetStringAsync($"/cosmos/tx/v1beta1/txs/block/{height}"))!;
        Assert.Equal(height.ToString(CultureInfo.InvariantCulture), (string?)rest["block"]!["header"]!["height"]);
        Assert.Equal(total.ToString(CultureInfo.InvariantCulture), (string?)rest["pagination"]!["total"]);
        Assert.Equal("/cosmos.bank.v1beta1.MsgSend", (string?)rest["txs"]![index]!["body"]!["messages"]![0]!["@type"]);
    }

    [Fact]
    public async Task The_validator_sets_are_cometbfts_with_consensus_addresses_and_ed25519_keys_as_any()
    {
        byte[] key = Ed25519.PublicKeyFromSeed(Hashes.Sha256("validator"u8.ToArray()));
        var latest = await CallAsync<GetLatestValidatorSetResponse>(Tm + "GetLatestValidatorSet", new GetLatestValidatorSetRequest());
        var validator = Assert.Single(latest.Validators);
        Assert.Equal(DePinChain.Sdk.ValidatorAddress.ToConsensusBech32(Ed25519.Address(key)), validator.Address);
        Assert.StartsWith("depinvalcons1", validator.Address);
        Assert.Equal("/cosmos.crypto.ed25519.PubKey", validator.PubKey.TypeUrl);
        Assert.Equal(key, DePinChain.Protos.Cosmos.Crypto.Ed25519.PubKey.Parser.ParseFrom(validator.PubKey.Value).Key.ToByteArray());
        Assert.Equal((10L, 1UL), (validator.VotingPower, latest.Pagination.Total));
        Assert.True(latest.BlockHeight >= 1);

        var first = await CallAsync<GetValidatorSetByHeightResponse>(Tm + "GetValidatorSetByHeight", new GetValidatorSetByHeightRequest { Height = 1 });
        Assert.Equal((1L, validator), (first.BlockHeight, Assert.Single(first.Validators)));
        Assert.Equal(StatusCode.InvalidArgument, await FailsAsync<GetValidatorSetByHeightResponse>(Tm + "GetValidatorSetByHeight",
            new GetValidatorSetByHeightRequest { Height = fixture.Comet.Height + 100 }, "requested block height is bigger then the chain length"));
        // A page past the end is CometBFT's refusal.
        Assert.Equal(StatusCode.InvalidArgument, await FailsAsync<GetLatestValidatorSetResponse>(Tm + "GetLatestValidatorSet",
            new GetLatestValidatorSetRequest { Pagination = new() { Offset = 5, Limit = 1 } }, "page should be within"));

        var rest = JsonNode.Parse(await fixture.Http.GetStringAsync("/cosmos/base/tendermint/v1beta1/validatorsets/latest"))!;
        Assert.Equal(validator.Address, (string?)rest["validators"]![0]!["address"]);
        Assert.Equal("/cosmos.crypto.ed25519.PubKey", (string?)rest["validators"]![0]!["pub_key"]!["@type"]);
        Assert.Equal(Convert.ToBase64String(key), (string?)rest["validators"]![0]!["pub_key"]!["key"]);
        Assert.Equal("10", (string?)rest["validators"]![0]!["voting_power"]);
        var byHeight = JsonNode.Parse(await fixture.Http.GetStringAsync("/cosmos/base/tendermint/v1beta1/validatorsets/1"))!;
        Assert.Equal("1", (string?)byHeight["block_height"]);
    }

    [Fact]
    public async Task Node_status_is_the_header_of_the_apps_latest_block()
    {
        var status = await CallAsync<DePinChain.Protos.Cosmos.Base.Node.V1Beta1.StatusResponse>("/cosmos.base.node.v1beta1.Service/Status",
            new DePinChain.Protos.Cosmos.Base.Node.V1Beta1.StatusRequest());
        long height = fixture.Comet.App.Info(new RequestInfo()).LastBlockHeight;
        Assert.Equal((ulong)height, status.Height);
        var block = await CallAsync<GetBlockByHeightResponse>(Tm + "GetBlockByHeight", new GetBlockByHeightRequest { Height = height });
        Assert.Equal((block.Block.Header.Time, block.Block.Header.AppHash, block.Block.Header.NextValidatorsHash),
            (status.Timestamp, status.AppHash, status.ValidatorHash));
        Assert.Equal(0UL, status.EarliestStoreHeight);
        var rest = JsonNode.Parse(await fixture.Http.GetStringAsync("/cosmos/base/node/v1beta1/status"))!;
        Assert.Equal(Convert.ToBase64String(status.AppHash.ToByteArray()), (string?)rest["app_hash"]);
    }

    [Fact]
    public async Task With_cometbft_down_or_unknown_every_method_is_Unavailable_and_the_app_queries_still_answer()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int closed = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        foreach (string? rpc in new[] { $"tcp://127.0.0.1:{closed}", null })
        {
            await using var server = new GrpcApiServer(fixture.Comet.App, new GrpcApiOptions { Address = "127.0.0.1:0", CometRpc = rpc }, NullLoggerFactory.Instance);
            await server.StartAsync();
            using var channel = GrpcChannel.ForAddress("http://" + server.ListenAddress);
            Assert.Equal(StatusCode.Unavailable, await FailsAsync<GetLatestBlockResponse>(Tm + "GetLatestBlock", new GetLatestBlockRequest(), channel: channel));
            Assert.Equal(StatusCode.Unavailable, await FailsAsync<GetNodeInfoResponse>(Tm + "GetNodeInfo", new GetNodeInfoRequest(), channel: channel));
            Assert.Equal(StatusCode.Unavailable, await FailsAsync<GetTxResponse>(Tx + "GetTx", new GetTxRequest { Hash = new string('A', 64) }, channel: channel));
            Assert.Equal(StatusCode.Unavailable, await FailsAsync<BroadcastTxResponse>(Tx + "BroadcastTx",
                new BroadcastTxRequest { TxBytes = ByteString.CopyFrom([1]), Mode = BroadcastMode.Sync }, channel: channel));
            Assert.Equal(StatusCode.Unavailable, await FailsAsync<GetTxsEventResponse>(Tx + "GetTxsEvent", new GetTxsEventRequest { Query = "tx.height=1" }, channel: channel));
            Assert.Equal(StatusCode.Unavailable, await FailsAsync<GetBlockWithTxsResponse>(Tx + "GetBlockWithTxs", new GetBlockWithTxsRequest { Height = 1 }, channel: channel));
            Assert.Equal(StatusCode.Unavailable, await FailsAsync<GetLatestValidatorSetResponse>(Tm + "GetLatestValidatorSet", new GetLatestValidatorSetRequest(), channel: channel));
            Assert.Equal(StatusCode.Unavailable, await FailsAsync<DePinChain.Protos.Cosmos.Base.Node.V1Beta1.StatusResponse>("/cosmos.base.node.v1beta1.Service/Status",
                new DePinChain.Protos.Cosmos.Base.Node.V1Beta1.StatusRequest(), channel: channel));
            var supply = await CallAsync<DePinChain.Protos.Cosmos.Bank.V1Beta1.QueryTotalSupplyResponse>(channel,
                "/cosmos.bank.v1beta1.Query/TotalSupply", new DePinChain.Protos.Cosmos.Bank.V1Beta1.QueryTotalSupplyRequest());
            Assert.NotEmpty(supply.Supply);
        }
    }

    [Fact]
    public void The_tendermint_service_but_abci_query_four_tx_service_methods_and_node_status_are_answered_from_cometbft()
    {
        Assert.Equal(
            ["/cosmos.base.node.v1beta1.Service/Status",
             "/cosmos.base.tendermint.v1beta1.Service/GetBlockByHeight", "/cosmos.base.tendermint.v1beta1.Service/GetLatestBlock",
             "/cosmos.base.tendermint.v1beta1.Service/GetLatestValidatorSet", "/cosmos.base.tendermint.v1beta1.Service/GetNodeInfo",
             "/cosmos.base.tendermint.v1beta1.Service/GetSyncing", "/cosmos.base.tendermint.v1beta1.Service/GetValidatorSetByHeight",
             "/cosmos.tx.v1beta1.Service/BroadcastTx", "/cosmos.tx.v1beta1.Service/GetBlockWithTxs", "/cosmos.tx.v1beta1.Service/GetTx",
             "/cosmos.tx.v1beta1.Service/GetTxsEvent"],
            CometServices.Paths.Order(StringComparer.Ordinal));
        Assert.Contains(fixture.Server.Services, s => s.FullName == "cosmos.base.tendermint.v1beta1.Service");
    }
}
