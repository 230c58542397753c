using System.Net;
using DePinChain.Abci;
using DePinChain.Api.Comet;
using DePinChain.App;
using ProtoService = Google.Protobuf.Reflection.ServiceDescriptor;
using Grpc.AspNetCore.Server.Model;
using Grpc.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace DePinChain.Api.Grpc;

/// <summary>
/// The node's gRPC server (the SDK's :9090): every service of <see cref="GrpcApi"/> plus server reflection
/// (<c>grpc.reflection.v1</c> and <c>v1alpha</c>, so <c>grpcurl -plaintext HOST:PORT list</c> works), over HTTP/2 cleartext
/// on Kestrel with Grpc.AspNetCore. Queries read committed state only, so calls run beside block execution.
/// </summary>
public sealed class GrpcApiServer : IAsyncDisposable
{
    private readonly GrpcApi _api;
    private readonly GrpcApiOptions _options;
    private readonly IPEndPoint _endPoint;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private ApiHost? _host;

    /// <exception cref="FormatException">The options' address does not parse.</exception>
    public GrpcApiServer(DePinApp app, GrpcApiOptions options, ILoggerFactory loggerFactory)
    {
        _options = options;
        _endPoint = GrpcApiOptions.ParseAddress(options.Address);
        _api = new GrpcApi(app, options);
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<GrpcApiServer>();
        Services = [.. _api.Services, global::Grpc.Reflection.V1.ServerReflection.Descriptor, global::Grpc.Reflection.V1Alpha.ServerReflection.Descriptor];
    }

    /// <summary>Every service the server answers, reflection included: what <c>grpcurl list</c> prints.</summary>
    public IReadOnlyList<ProtoService> Services { get; }

    /// <summary>Once started: <c>host:port</c> as bound (the real port when 0 was asked for).</summary>
    public string ListenAddress { get; private set; } = "";

    /// <exception cref="IOException">The address cannot be bound (in use, not local).</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_host is not null) throw new InvalidOperationException("The gRPC server is already started.");
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddLogging();
        builder.Services.AddSingleton<ILoggerFactory>(new FrameworkLogFilter(_loggerFactory, _options.FrameworkLogLevel));
        builder.Services.AddRouting();
        builder.Services.AddGrpc(grpc => grpc.EnableDetailedErrors = false);
        builder.Services.AddSingleton(_api);
        builder.Services.AddSingleton<AppQueryEndpoint>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<AppQueryEndpoint>, AppQueryMethodProvider>());
        builder.Services.AddSingleton<CometEndpoint>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<CometEndpoint>, CometMethodProvider>());
        // Reflection answers from the same descriptors the methods are bound from, and lists exactly these services.
        builder.Services.AddSingleton(new ReflectionServiceImpl(Services));
        builder.Services.AddSingleton(new ReflectionV1ServiceImpl(Services));
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(_endPoint, listen => listen.Protocols = HttpProtocols.Http2);
        });
        WebApplication web = builder.Build();
        web.UseRouting();
        web.MapGrpcService<AppQueryEndpoint>();
        web.MapGrpcService<CometEndpoint>();
        web.MapGrpcService<ReflectionServiceImpl>();
        web.MapGrpcService<ReflectionV1ServiceImpl>();
        _host = await ApiHost.StartAsync(web, cancellationToken).ConfigureAwait(false);
        ListenAddress = _host.ListenAddress;
        _logger.LogInformation("Serving gRPC on {Address}: {Services} and reflection", ListenAddress,
            string.Join(", ", _api.Services.Select(s => s.FullName)));
    }

    /// <summary>Stops listening; calls in flight get a few seconds to finish.</summary>
    public async Task StopAsync()
    {
        if (_host is null || !await _host.StopAsync().ConfigureAwait(false)) return;
        _logger.LogInformation("gRPC server on {Address} stopped", ListenAddress);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_host is not null) await _host.DisposeAsync().ConfigureAwait(false);
    }
}
