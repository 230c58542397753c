using DePinChain.Api.Comet;
using DePinChain.App;
using DePinChain.Protos.Abci;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using ConfigReflection = DePinChain.Protos.Cosmos.Base.Node.V1Beta1.QueryReflection;
using TxServiceReflection = DePinChain.Protos.Cosmos.Tx.V1Beta1.ServiceReflection;

namespace DePinChain.Api.Grpc;

/// <summary>
/// What the gRPC server serves and how each method is answered, without the transport: every module's proto
/// <c>service Query</c> (from <see cref="AppModules.Modules"/>, so a new module is served with nothing to add here), the
/// SDK's <c>cosmos.tx.v1beta1.Service</c>, <c>cosmos.base.node.v1beta1.Service</c> and
/// <c>cosmos.base.tendermint.v1beta1.Service</c>. The module queries and Simulate are app queries: they go to
/// <see cref="DePinApp.Queries"/> under their gRPC path, the same router ABCI Query uses, so gRPC and ABCI answer the same
/// request with the same bytes. The node answers Config, ABCIQuery, TxDecode and TxEncode itself (<see cref="NodeMethods"/>),
/// and <see cref="Comet"/> the methods that read CometBFT's RPC.
/// </summary>
public sealed class GrpcApi
{
    /// <summary>The SDK's header: on a request it selects the height to query (absent or 0 = latest), on a response it
    /// carries the height answered.</summary>
    public const string BlockHeightHeader = "x-cosmos-block-height";

    private readonly DePinApp _app;
    private readonly NodeMethods _node;

    public GrpcApi(DePinApp app, GrpcApiOptions options)
    {
        _app = app;
        Comet = new CometServices(options.CometRpc, app.Version, () => LatestHeight);
        _node = new NodeMethods(app, options);
        Services = [.. app.Modules.Modules.SelectMany(m => m.QueryServices), TxService, NodeService, CometServices.TendermintService];
        // Every served method must have an answer: the modules' through their query routes (AppModules.RegisterRoutes
        // holds them to the same descriptors), Simulate through the app's own path, the node's own methods by NodeMethods,
        // the rest by CometServices.
        foreach (var method in Services.SelectMany(s => s.Methods))
        {
            string path = PathOf(method);
            if (!NodeMethods.Serves(path) && path != QueryService.SimulatePath && !CometServices.Serves(path) && app.QueryRouter.Find(path) is null)
                throw new InvalidOperationException($"gRPC method {path} has no query route");
        }
    }

    /// <summary>The SDK's tx service (Simulate an app query; TxDecode, TxEncode and the Amino pair by NodeMethods; GetTx,
    /// BroadcastTx, GetTxsEvent and GetBlockWithTxs by <see cref="Comet"/>).</summary>
    public static ServiceDescriptor TxService { get; } = TxServiceReflection.Descriptor.Services.Single(s => s.Name == "Service");

    /// <summary>The SDK's node service (Config, Status).</summary>
    public static ServiceDescriptor NodeService { get; } = ConfigReflection.Descriptor.Services.Single(s => s.Name == "Service");

    public static string ConfigPath => NodeMethods.ConfigPath;

    /// <summary>The methods answered from CometBFT's RPC (the tx service's GetTx, BroadcastTx, GetTxsEvent, GetBlockWithTxs,
    /// <c>cosmos.base.tendermint.v1beta1.Service</c> but ABCIQuery, and the node service's Status).</summary>
    public CometServices Comet { get; }

    /// <summary>The app's latest committed height.</summary>
    public long LatestHeight => _app.Info(new RequestInfo()).LastBlockHeight;

    /// <summary>Every served application service, in module order, then the tx, node and tendermint services.</summary>
    public IReadOnlyList<ServiceDescriptor> Services { get; }

    public static string PathOf(MethodDescriptor method) => $"/{method.Service.FullName}/{method.Name}";

    /// <summary>Answers one call: the request's protobuf bytes at <paramref name="height"/> (0 = latest committed).</summary>
    public AppQueryResult Answer(string path, ByteString request, long height)
        => _node.TryAnswer(path, request) ?? _app.Queries.Query(new AppQuery(path, request, height));
}
