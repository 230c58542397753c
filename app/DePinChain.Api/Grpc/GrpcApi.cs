using System.Globalization;
using DePinChain.Api.Comet;
using DePinChain.App;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Cosmos.Base.Node.V1Beta1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using ConfigReflection = DePinChain.Protos.Cosmos.Base.Node.V1Beta1.QueryReflection;
using TxServiceReflection = DePinChain.Protos.Cosmos.Tx.V1Beta1.ServiceReflection;

namespace DePinChain.Api.Grpc;

/// <summary>
/// What the gRPC server serves and how each method is answered, without the transport: every module's proto
/// <c>service Query</c> (from <see cref="AppModules.Modules"/>, so a new module is served with nothing to add here), the
/// SDK's <c>cosmos.tx.v1beta1.Service</c> (Simulate) and <c>cosmos.base.node.v1beta1.Service</c> (Config). Every method but
/// Config is an app query: it goes to <see cref="DePinApp.Queries"/> under its gRPC path, the same router ABCI Query uses,
/// so gRPC and ABCI answer the same request with the same bytes.
/// </summary>
public sealed class GrpcApi
{
    /// <summary>The SDK's header: on a request it selects the height to query (absent or 0 = latest), on a response it
    /// carries the height answered.</summary>
    public const string BlockHeightHeader = "x-cosmos-block-height";

    private readonly DePinApp _app;
    private readonly GrpcApiOptions _options;

    public GrpcApi(DePinApp app, GrpcApiOptions options)
    {
        _app = app;
        _options = options;
        Comet = new CometServices(options.CometRpc, app.Version);
        Services = [.. app.Modules.Modules.SelectMany(m => m.QueryServices), TxService, NodeService, CometServices.TendermintService];
        // Every served method must have an answer: the modules' through their query routes (AppModules.RegisterRoutes
        // holds them to the same descriptors), Simulate through the app's own path, Config here.
        foreach (var method in Services.SelectMany(s => s.Methods))
        {
            string path = PathOf(method);
            if (path != ConfigPath && path != QueryService.SimulatePath && !CometServices.Serves(path) && app.QueryRouter.Find(path) is null)
                throw new InvalidOperationException($"gRPC method {path} has no query route");
        }
    }

    /// <summary>The SDK's tx service, as far as it is declared in proto/cosmos/tx/v1beta1/service.proto (Simulate here;
    /// GetTx, BroadcastTx and GetTxsEvent by <see cref="Comet"/>).</summary>
    public static ServiceDescriptor TxService { get; } = TxServiceReflection.Descriptor.Services.Single(s => s.Name == "Service");

    /// <summary>The SDK's node service (Config).</summary>
    public static ServiceDescriptor NodeService { get; } = ConfigReflection.Descriptor.Services.Single(s => s.Name == "Service");

    public static readonly string ConfigPath = PathOf(NodeService.FindMethodByName("Config"));

    /// <summary>The methods answered from CometBFT's RPC (the tx service's GetTx, BroadcastTx, GetTxsEvent and
    /// <c>cosmos.base.tendermint.v1beta1.Service</c>).</summary>
    public CometServices Comet { get; }

    /// <summary>The app's latest committed height.</summary>
    public long LatestHeight => _app.Info(new RequestInfo()).LastBlockHeight;

    /// <summary>Every served application service, in module order, then the tx, node and tendermint services.</summary>
    public IReadOnlyList<ServiceDescriptor> Services { get; }

    public static string PathOf(MethodDescriptor method) => $"/{method.Service.FullName}/{method.Name}";

    /// <summary>Answers one call: the request's protobuf bytes at <paramref name="height"/> (0 = latest committed).</summary>
    public AppQueryResult Answer(string path, ByteString request, long height)
        => path == ConfigPath ? Config() : _app.Queries.Query(new AppQuery(path, request, height));

    /// <summary>The node's own settings (the SDK reads them from app.toml too); answered at the latest committed height.</summary>
    private AppQueryResult Config()
    {
        var response = new ConfigResponse
        {
            MinimumGasPrice = _options.MinimumGasPrices,
            PruningKeepRecent = _options.Pruning.KeepRecent.ToString(CultureInfo.InvariantCulture),
            PruningInterval = _options.Pruning.KeepsAll ? "0" : "1",
            HaltHeight = 0,
        };
        return AppQueryResult.Ok(_app.Info(new RequestInfo()).LastBlockHeight, response.ToByteString());
    }
}
