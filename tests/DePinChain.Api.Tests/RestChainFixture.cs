using System.Text.Json.Nodes;
using DePinChain.Api.Grpc;
using DePinChain.Api.Rest;
using DePinChain.App;
using DePinChain.App.Tests;
using DePinChain.Protos.Abci;
using DePinChain.Store;
using DePinChain.Store.Backend;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;

namespace DePinChain.Api.Tests;

/// <summary>
/// A real app on the IAVL multistore (in memory) with three committed blocks, served by both the gRPC server and the
/// REST gateway on free loopback ports. Height 1: genesis (alice 1,000,000udpin and 500uatom, bob 1,000udpin);
/// height 2: alice sends bob 77udpin; height 3: 23 more.
/// </summary>
public sealed class RestChainFixture : IAsyncLifetime
{
    public const string SecondDenom = "uatom";

    private MultiStore? _store;

    internal TestChain Chain { get; private set; } = null!;

    public DePinApp App => Chain.App;

    public GrpcApiServer Grpc { get; private set; } = null!;

    public RestApiServer Rest { get; private set; } = null!;

    public GrpcChannel Channel { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public CallInvoker Invoker => Channel.CreateCallInvoker();

    public async Task InitializeAsync()
    {
        _store = MultiStore.OpenOwning(new MemoryKeyValueStore(), AppModules.AllStoreNames, new MultiStoreOptions { CreateIfEmpty = true });
        Chain = new TestChain(store: _store, start: false);
        // TestChain's genesis with a second denom for alice, so her balances span two pages at limit 1.
        var state = JsonNode.Parse(TxBuilder.GenesisAppState([(TestChain.Alice.Address, 1_000_000), (TestChain.Bob.Address, 1_000)]))!;
        var aliceCoins = state["bank"]!["balances"]!.AsArray().Single(b => (string?)b!["address"] == TestChain.Alice.Bech32)!["coins"]!.AsArray();
        aliceCoins.Insert(0, new JsonObject { ["denom"] = SecondDenom, ["amount"] = "500" });
        var init = App.InitChain(new RequestInitChain
        {
            ChainId = TestChain.ChainId,
            InitialHeight = 1,
            Time = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddYears(56)),
            AppStateBytes = ByteString.CopyFromUtf8(state.ToJsonString()),
            ConsensusParams = new DePinChain.Protos.Types.ConsensusParams { Block = new() { MaxBytes = 22020096 } },
        });
        Chain.FinalizeAndCommit();
        Assert.Equal(0u, Chain.Deliver(Chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 77)).Code);
        Assert.Equal(0u, Chain.Deliver(Chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 23)).Code);

        var node = new GrpcApiOptions { Address = "127.0.0.1:0", MinimumGasPrices = "0.025udpin", Pruning = PruningOptions.Everything };
        Grpc = new GrpcApiServer(App, node, NullLoggerFactory.Instance);
        await Grpc.StartAsync();
        Channel = GrpcChannel.ForAddress("http://" + Grpc.ListenAddress);
        Rest = new RestApiServer(App, new RestApiOptions { Address = "127.0.0.1:0", Node = node }, NullLoggerFactory.Instance);
        await Rest.StartAsync();
        Http = new HttpClient { BaseAddress = new Uri("http://" + Rest.ListenAddress) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        Channel.Dispose();
        await Rest.DisposeAsync();
        await Grpc.DisposeAsync();
        _store?.Dispose();
    }
}
