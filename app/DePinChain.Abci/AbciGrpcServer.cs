using System.Net;
using DePinChain.Protos.Abci;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DePinChain.Abci;

/// <summary>
/// The ABCI gRPC server CometBFT dials with <c>abci = "grpc"</c>: service <c>tendermint.abci.ABCI</c> over HTTP/2
/// cleartext (prior knowledge), unary calls only, served by Grpc.AspNetCore on Kestrel from the stub generated for
/// proto/tendermint/abci/types.proto (<see cref="ABCI.ABCIBase"/>).
/// </summary>
/// <remarks>
/// Same rules as <see cref="AbciSocketServer"/>, through the same dispatcher: consensus methods run one at a time;
/// Echo and Flush are answered by the transport. Status codes: 13 INTERNAL for an app exception (on a method with no
/// ABCI error path the fatal handler runs first) and for a request that does not parse, 12 UNIMPLEMENTED for an
/// unknown method, 8 RESOURCE_EXHAUSTED for a message above <see cref="AbciServerOptions.MaxFrameBytes"/>; a request
/// that is not gRPC gets HTTP 415. Framing, compression, trailers and status encoding are the library's. Its own log
/// lines (<c>Microsoft.*</c>, <c>Grpc.*</c>) pass only from <see cref="AbciServerOptions.FrameworkLogLevel"/> up
/// (default Warning: no line per request).
/// </remarks>
public sealed class AbciGrpcServer : IAsyncDisposable
{
    public const string ServicePrefix = "/tendermint.abci.ABCI/";

    private readonly AbciAddress _address;
    private readonly AbciDispatcher _dispatcher;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly AbciServerOptions _options;
    private WebApplication? _web;
    private int _stopped;

    /// <param name="address"><c>tcp://host:port</c> or <c>host:port</c> (port 0 picks a free one), or <c>unix:///path</c>.</param>
    /// <param name="fatalHandler">Runs when the app fails where ABCI has no error path; the host
    /// should log and exit the process with a non-zero code.</param>
    public AbciGrpcServer(string address, IAbciApplication app, ILoggerFactory loggerFactory,
        Action<Exception> fatalHandler, AbciServerOptions? options = null)
    {
        _address = AbciAddress.Parse(address);
        _loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        _logger = loggerFactory.CreateLogger<AbciGrpcServer>();
        _dispatcher = new AbciDispatcher(app, _logger, fatalHandler);
        _options = options ?? new AbciServerOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.MaxFrameBytes);
    }

    /// <summary>The address clients dial once started, e.g. <c>tcp://127.0.0.1:40123</c>.</summary>
    public string ListenAddress { get; private set; } = "";

    /// <summary>Binds and starts serving.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_web is not null)
        {
            throw new InvalidOperationException("The server is already started.");
        }
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddLogging();
        // The framework's own categories log through the host's factory, held back to FrameworkLogLevel.
        builder.Services.AddSingleton<ILoggerFactory>(new FrameworkLogFilter(_loggerFactory, _options.FrameworkLogLevel));
        builder.Services.AddRouting();
        builder.Services.AddGrpc(grpc =>
        {
            grpc.EnableDetailedErrors = false;
            // Checked on the length prefix, before the message is buffered: RESOURCE_EXHAUSTED.
            grpc.MaxReceiveMessageSize = _options.MaxFrameBytes;
            grpc.MaxSendMessageSize = null;
        });
        // One service instance for every call (the dispatcher's consensus lock is per server), bound by the generated
        // ABCI.BindService through AbciMethodProvider.
        builder.Services.AddSingleton<AbciEndpoint>();
        builder.Services.AddSingleton<IServiceMethodProvider<AbciEndpoint>>(new AbciMethodProvider(new AbciService(_dispatcher)));
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Kestrel's own 30 MB body limit would cut a large block short (as UNKNOWN); the body is bounded by
            // MaxReceiveMessageSize instead, checked on the gRPC length prefix.
            kestrel.Limits.MaxRequestBodySize = null;
            if (_address.UnixPath is { } path)
            {
                if (File.Exists(path))
                {
                    File.Delete(path);
                }
                kestrel.ListenUnixSocket(path, listen => listen.Protocols = HttpProtocols.Http2);
            }
            else
            {
                kestrel.Listen((IPEndPoint)_address.EndPoint, listen => listen.Protocols = HttpProtocols.Http2);
            }
        });
        WebApplication web = builder.Build();
        web.UseRouting();
        web.MapGrpcService<AbciEndpoint>();
        await web.StartAsync(cancellationToken).ConfigureAwait(false);
        _web = web;

        if (_address.IsUnix)
        {
            ListenAddress = _address.ToString();
        }
        else
        {
            string bound = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var uri = new Uri(bound);
            ListenAddress = $"tcp://{uri.Host}:{uri.Port}";
        }
        _logger.LogInformation("ABCI gRPC server listening on {Address}", ListenAddress);
    }

    /// <summary>Starts, serves until <paramref name="cancellationToken"/> fires, then stops.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        await StopAsync().ConfigureAwait(false);
    }

    /// <summary>Stops listening and closes open connections.</summary>
    public async Task StopAsync()
    {
        if (_web is null || Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _web.StopAsync(grace.Token).ConfigureAwait(false);
        _logger.LogInformation("ABCI gRPC server on {Address} stopped", ListenAddress);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_web is not null)
        {
            await _web.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The generated service, each method one call of the dispatcher, run synchronously on the request's thread as the
    /// socket transport runs it. A failure the dispatcher reports (an exception response, or a fatal one) becomes
    /// status INTERNAL with its message.
    /// </summary>
    private sealed class AbciService(AbciDispatcher dispatcher) : ABCI.ABCIBase
    {
        public override Task<ResponseEcho> Echo(RequestEcho request, ServerCallContext context) =>
            Call(new Request { Echo = request }, r => r.Echo);

        public override Task<ResponseFlush> Flush(RequestFlush request, ServerCallContext context) =>
            Call(new Request { Flush = request }, r => r.Flush);

        public override Task<ResponseInfo> Info(RequestInfo request, ServerCallContext context) =>
            Call(new Request { Info = request }, r => r.Info);

        public override Task<ResponseCheckTx> CheckTx(RequestCheckTx request, ServerCallContext context) =>
            Call(new Request { CheckTx = request }, r => r.CheckTx);

        public override Task<ResponseQuery> Query(RequestQuery request, ServerCallContext context) =>
            Call(new Request { Query = request }, r => r.Query);

        public override Task<ResponseCommit> Commit(RequestCommit request, ServerCallContext context) =>
            Call(new Request { Commit = request }, r => r.Commit);

        public override Task<ResponseInitChain> InitChain(RequestInitChain request, ServerCallContext context) =>
            Call(new Request { InitChain = request }, r => r.InitChain);

        public override Task<ResponseListSnapshots> ListSnapshots(RequestListSnapshots request, ServerCallContext context) =>
            Call(new Request { ListSnapshots = request }, r => r.ListSnapshots);

        public override Task<ResponseOfferSnapshot> OfferSnapshot(RequestOfferSnapshot request, ServerCallContext context) =>
            Call(new Request { OfferSnapshot = request }, r => r.OfferSnapshot);

        public override Task<ResponseLoadSnapshotChunk> LoadSnapshotChunk(RequestLoadSnapshotChunk request, ServerCallContext context) =>
            Call(new Request { LoadSnapshotChunk = request }, r => r.LoadSnapshotChunk);

        public override Task<ResponseApplySnapshotChunk> ApplySnapshotChunk(RequestApplySnapshotChunk request, ServerCallContext context) =>
            Call(new Request { ApplySnapshotChunk = request }, r => r.ApplySnapshotChunk);

        public override Task<ResponsePrepareProposal> PrepareProposal(RequestPrepareProposal request, ServerCallContext context) =>
            Call(new Request { PrepareProposal = request }, r => r.PrepareProposal);

        public override Task<ResponseProcessProposal> ProcessProposal(RequestProcessProposal request, ServerCallContext context) =>
            Call(new Request { ProcessProposal = request }, r => r.ProcessProposal);

        public override Task<ResponseExtendVote> ExtendVote(RequestExtendVote request, ServerCallContext context) =>
            Call(new Request { ExtendVote = request }, r => r.ExtendVote);

        public override Task<ResponseVerifyVoteExtension> VerifyVoteExtension(RequestVerifyVoteExtension request, ServerCallContext context) =>
            Call(new Request { VerifyVoteExtension = request }, r => r.VerifyVoteExtension);

        public override Task<ResponseFinalizeBlock> FinalizeBlock(RequestFinalizeBlock request, ServerCallContext context) =>
            Call(new Request { FinalizeBlock = request }, r => r.FinalizeBlock);

        private Task<T> Call<T>(Request request, Func<Response, T> unwrap)
        {
            Response answer;
            try
            {
                answer = dispatcher.Handle(request);
            }
            catch (AbciFatalException e)
            {
                return Task.FromException<T>(new RpcException(new Status(StatusCode.Internal, e.Message)));
            }
            return answer.ValueCase == Response.ValueOneofCase.Exception
                ? Task.FromException<T>(new RpcException(new Status(StatusCode.Internal, answer.Exception.Error)))
                : Task.FromResult(unwrap(answer));
        }
    }

    /// <summary>What Grpc.AspNetCore maps; the calls go to the one <see cref="AbciService"/> bound to it.</summary>
    private sealed class AbciEndpoint;

    /// <summary>
    /// Binds <see cref="AbciService"/> with the generated <see cref="ABCI.BindService(ServiceBinderBase, ABCI.ABCIBase)"/>:
    /// every generated method, its path and marshallers, and the handler, with one change. Grpc.AspNetCore answers a
    /// request that does not deserialize with UNKNOWN ("Exception was thrown by handler"); grpc-go's servers, and this
    /// transport before it moved onto the library, answer INTERNAL, so the request marshaller turns a parse failure
    /// into that status.
    /// </summary>
    private sealed class AbciMethodProvider(AbciService service) : IServiceMethodProvider<AbciEndpoint>
    {
        public void OnServiceMethodDiscovery(ServiceMethodProviderContext<AbciEndpoint> context) =>
            ABCI.BindService(new Binder(context), service);

        private sealed class Binder(ServiceMethodProviderContext<AbciEndpoint> context) : ServiceBinderBase
        {
            public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
            {
                ArgumentNullException.ThrowIfNull(handler);
                Func<DeserializationContext, TRequest> parse = method.RequestMarshaller.ContextualDeserializer;
                var requests = new Marshaller<TRequest>(method.RequestMarshaller.ContextualSerializer, call =>
                {
                    try
                    {
                        return parse(call);
                    }
                    catch (InvalidProtocolBufferException e)
                    {
                        throw new RpcException(new Status(StatusCode.Internal, $"Request does not parse: {e.Message}"));
                    }
                });
                context.AddUnaryMethod(new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, requests, method.ResponseMarshaller),
                    [], (_, request, call) => handler(request, call));
            }
        }
    }
}
