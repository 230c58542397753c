using DePinChain.Api.Grpc;
using DePinChain.App;
using DePinChain.App.Tests;
using DePinChain.Store;
using DePinChain.Store.Backend;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;

namespace DePinChain.Api.Tests;

/// <summary>
/// A real app on the IAVL multistore (in memory) with three committed blocks, and its gRPC server on a free loopback
/// port. Height 1: genesis (alice 1,000,000udpin, bob 1,000udpin); height 2: alice sends bob 77; height 3: 23 more.
/// </summary>
public sealed class GrpcChainFixture : IAsyncLifetime
{
    public const string MinimumGasPrices = "0.025udpin";

    private MultiStore? _store;

    internal TestChain Chain { get; private set; } = null!;

    public GrpcApiServer Server { get; private set; } = null!;

    public GrpcChannel Channel { get; private set; } = null!;

    public DePinApp App => Chain.App;

    public async Task InitializeAsync()
    {
        _store = MultiStore.OpenOwning(new MemoryKeyValueStore(), AppModules.AllStoreNames, new MultiStoreOptions { CreateIfEmpty = true });
        Chain = new TestChain(store: _store);
        Assert.Equal(0u, Chain.Deliver(Chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 77)).Code);
        Assert.Equal(0u, Chain.Deliver(Chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 23)).Code);
        Server = new GrpcApiServer(App, new GrpcApiOptions
        {
            Address = "127.0.0.1:0",
            MinimumGasPrices = MinimumGasPrices,
            Pruning = PruningOptions.Everything,
        }, NullLoggerFactory.Instance);
        await Server.StartAsync();
        Channel = GrpcChannel.ForAddress("http://" + Server.ListenAddress);
    }

    public async Task DisposeAsync()
    {
        Channel.Dispose();
        await Server.DisposeAsync();
        _store?.Dispose();
    }

    public CallInvoker Invoker => Channel.CreateCallInvoker();
}
