using System.Net;
using DePinChain.Abci;
using DePinChain.Api.Grpc;
using DePinChain.App;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DePinChain.Api.Rest;

/// <summary>
/// The node's REST gateway (the SDK's :1317): <see cref="RestGateway"/> over HTTP/1.1 on Kestrel. It answers the same
/// services as the gRPC server, through the same <see cref="GrpcApi"/>, whether or not the gRPC server runs.
/// </summary>
public sealed class RestApiServer : IAsyncDisposable
{
    private readonly RestApiOptions _options;
    private readonly IPEndPoint _endPoint;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private ApiHost? _host;

    /// <exception cref="FormatException">The options' address does not parse.</exception>
    /// <exception cref="InvalidOperationException">A served rpc has no <c>(google.api.http)</c> annotation.</exception>
    public RestApiServer(DePinApp app, RestApiOptions options, ILoggerFactory loggerFactory)
    {
        _options = options;
        _endPoint = RestApiOptions.ParseAddress(options.Address);
        var api = new GrpcApi(app, options.Node);
        Gateway = new RestGateway(api, TypesOf(app), options.EnableUnsafeCors, options.AllowedOrigins);
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<RestApiServer>();
    }

    public RestGateway Gateway { get; }

    /// <summary>Once started: <c>host:port</c> as bound (the real port when 0 was asked for).</summary>
    public string ListenAddress { get; private set; } = "";

    /// <summary>Every message an Any in a request or response may hold: those of the modules' Msg and Query files and their
    /// imports (a simulated tx's msg responses included), the tx and node services' files, the key types, and the files
    /// modules name for their Anys (IBC's light-client states).</summary>
    public static TypeRegistry TypesOf(DePinApp app) => TypeRegistry.FromFiles(
        [.. app.Modules.Modules.SelectMany(m => m.MsgServices.Concat(m.QueryServices).Select(service => service.File))
            .Append(GrpcApi.TxService.File)
            .Append(GrpcApi.NodeService.File)
            .Append(DePinChain.Protos.Cosmos.Crypto.Secp256k1.PubKey.Descriptor.File)
            .Append(DePinChain.Protos.Cosmos.Crypto.Ed25519.PubKey.Descriptor.File)
            .Append(DePinChain.Protos.Cosmos.Crypto.Multisig.V1Beta1.MultiSignature.Descriptor.File)
            .Concat(app.Modules.Modules.OfType<DePinChain.Sdk.IAnyTypeFiles>().SelectMany(m => m.AnyTypeFiles))
            .OfType<FileDescriptor>()
            .Distinct()]);

    /// <exception cref="IOException">The address cannot be bound (in use, not local).</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_host is not null) throw new InvalidOperationException("The REST server is already started.");
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddLogging();
        builder.Services.AddSingleton<ILoggerFactory>(new FrameworkLogFilter(_loggerFactory, _options.FrameworkLogLevel));
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(_endPoint, listen => listen.Protocols = HttpProtocols.Http1);
        });
        WebApplication web = builder.Build();
        web.Run(Gateway.HandleAsync);
        _host = await ApiHost.StartAsync(web, cancellationToken).ConfigureAwait(false);
        ListenAddress = _host.ListenAddress;
        _logger.LogInformation("Serving REST on http://{Address}: {Routes} routes from the (google.api.http) annotations{Cors}",
            ListenAddress, Gateway.Routes.Count, _options.EnableUnsafeCors ? ", CORS open to every origin" : "");
    }

    /// <summary>Stops listening; requests in flight get a few seconds to finish.</summary>
    public async Task StopAsync()
    {
        if (_host is null || !await _host.StopAsync().ConfigureAwait(false)) return;
        _logger.LogInformation("REST server on {Address} stopped", ListenAddress);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_host is not null) await _host.DisposeAsync().ConfigureAwait(false);
    }
}
