using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using DePinChain.Protos.Abci;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DePinChain.Abci;

/// <summary>
/// The ABCI gRPC server CometBFT dials with <c>abci = "grpc"</c>: service
/// <c>tendermint.abci.ABCI</c> over HTTP/2 cleartext (prior knowledge), unary calls only.
/// gRPC framing and status trailers are written here directly on Kestrel; no gRPC runtime.
/// </summary>
/// <remarks>
/// Same rules as <see cref="AbciSocketServer"/>: consensus methods run one at a time; Echo and
/// Flush are answered by the transport. Status codes: 12 UNIMPLEMENTED for an unknown method,
/// 13 INTERNAL for a request that does not parse or an app exception (on a method with no ABCI
/// error path the fatal handler runs first), 8 RESOURCE_EXHAUSTED for a message above
/// <see cref="AbciServerOptions.MaxFrameBytes"/>. ASP.NET Core's own log lines (<c>Microsoft.*</c>) pass only from
/// <see cref="AbciServerOptions.FrameworkLogLevel"/> up (default Warning: no line per request).
/// </remarks>
public sealed class AbciGrpcServer : IAsyncDisposable
{
    public const string ServicePrefix = "/tendermint.abci.ABCI/";

    private const int StatusOk = 0, StatusResourceExhausted = 8, StatusUnimplemented = 12, StatusInternal = 13;
    private const int GrpcHeaderBytes = 5;

    private static readonly Dictionary<string, Method> Methods = BuildMethods();

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
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The body is bounded by our own check of the gRPC length prefix (and answered with a
            // gRPC status rather than a bare HTTP 413).
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
        web.Run(HandleAsync);
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

    private async Task HandleAsync(HttpContext context)
    {
        HttpResponse response = context.Response;
        string path = context.Request.Path.Value ?? "";
        string? contentType = context.Request.ContentType;
        if (contentType is null || !contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase))
        {
            // The gRPC HTTP/2 mapping answers non-gRPC requests with plain HTTP 415.
            response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";

        if (!HttpMethods.IsPost(context.Request.Method) || !path.StartsWith(ServicePrefix, StringComparison.Ordinal)
            || !Methods.TryGetValue(path[ServicePrefix.Length..], out Method? method))
        {
            WriteStatus(response, StatusUnimplemented, $"Method {path} is not implemented by tendermint.abci.ABCI.");
            return;
        }

        IMessage message;
        try
        {
            message = await ReadUnaryMessageAsync(context.Request.BodyReader, method.Parser, context.RequestAborted).ConfigureAwait(false);
        }
        catch (GrpcStatusException e)
        {
            _logger.LogWarning("Rejecting gRPC call {Path}: {Reason}", path, e.Message);
            WriteStatus(response, e.Status, e.Message);
            return;
        }

        Response answer;
        try
        {
            answer = _dispatcher.Handle(method.Wrap(message));
        }
        catch (AbciFatalException e)
        {
            WriteStatus(response, StatusInternal, e.Message);
            return;
        }
        if (answer.ValueCase == Response.ValueOneofCase.Exception)
        {
            WriteStatus(response, StatusInternal, answer.Exception.Error);
            return;
        }

        IMessage result = method.Unwrap(answer);
        int size = result.CalculateSize();
        Span<byte> header = response.BodyWriter.GetSpan(GrpcHeaderBytes);
        header[0] = 0; // not compressed
        BinaryPrimitives.WriteUInt32BigEndian(header[1..], (uint)size);
        response.BodyWriter.Advance(GrpcHeaderBytes);
        result.WriteTo(response.BodyWriter);
        await response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        WriteStatus(response, StatusOk, null);
    }

    private async Task<IMessage> ReadUnaryMessageAsync(PipeReader body, MessageParser parser, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult read = await body.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = read.Buffer;
            if (buffer.Length >= GrpcHeaderBytes)
            {
                (bool compressed, uint length) = ReadHeader(buffer);
                if (compressed)
                {
                    body.AdvanceTo(buffer.Start);
                    throw new GrpcStatusException(StatusInternal, "Compressed gRPC messages are not supported.");
                }
                if (length > (uint)_options.MaxFrameBytes)
                {
                    body.AdvanceTo(buffer.Start);
                    throw new GrpcStatusException(StatusResourceExhausted,
                        $"Message of {length} bytes exceeds the maximum of {_options.MaxFrameBytes}.");
                }
                if (buffer.Length > GrpcHeaderBytes + length || (read.IsCompleted && buffer.Length != GrpcHeaderBytes + length))
                {
                    body.AdvanceTo(buffer.End);
                    throw new GrpcStatusException(StatusInternal,
                        $"A unary request must be exactly one message of {length} bytes; the body had {buffer.Length - GrpcHeaderBytes}.");
                }
                if (read.IsCompleted)
                {
                    try
                    {
                        return parser.ParseFrom(buffer.Slice(GrpcHeaderBytes));
                    }
                    catch (InvalidProtocolBufferException e)
                    {
                        throw new GrpcStatusException(StatusInternal, $"Request does not parse: {e.Message}");
                    }
                    finally
                    {
                        body.AdvanceTo(buffer.End);
                    }
                }
            }
            else if (read.IsCompleted)
            {
                body.AdvanceTo(buffer.End);
                throw new GrpcStatusException(StatusInternal, "A unary request must carry one message; the body was shorter than a gRPC header.");
            }
            body.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static (bool Compressed, uint Length) ReadHeader(ReadOnlySequence<byte> buffer)
    {
        Span<byte> header = stackalloc byte[GrpcHeaderBytes];
        buffer.Slice(0, GrpcHeaderBytes).CopyTo(header);
        return (header[0] != 0, BinaryPrimitives.ReadUInt32BigEndian(header[1..]));
    }

    private static void WriteStatus(HttpResponse response, int status, string? message)
    {
        response.AppendTrailer("grpc-status", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(message))
        {
            response.AppendTrailer("grpc-message", PercentEncode(message));
        }
    }

    // grpc-message is percent-encoded UTF-8: printable ASCII except '%' stays as is.
    internal static string PercentEncode(string message)
    {
        var encoded = new StringBuilder(message.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return encoded.ToString();
    }

    private sealed record Method(MessageParser Parser, Func<IMessage, Request> Wrap, Func<Response, IMessage> Unwrap);

    private static Dictionary<string, Method> BuildMethods() => new(StringComparer.Ordinal)
    {
        ["Echo"] = new(RequestEcho.Parser, m => new Request { Echo = (RequestEcho)m }, r => r.Echo),
        ["Flush"] = new(RequestFlush.Parser, m => new Request { Flush = (RequestFlush)m }, r => r.Flush),
        ["Info"] = new(RequestInfo.Parser, m => new Request { Info = (RequestInfo)m }, r => r.Info),
        ["CheckTx"] = new(RequestCheckTx.Parser, m => new Request { CheckTx = (RequestCheckTx)m }, r => r.CheckTx),
        ["Query"] = new(RequestQuery.Parser, m => new Request { Query = (RequestQuery)m }, r => r.Query),
        ["Commit"] = new(RequestCommit.Parser, m => new Request { Commit = (RequestCommit)m }, r => r.Commit),
        ["InitChain"] = new(RequestInitChain.Parser, m => new Request { InitChain = (RequestInitChain)m }, r => r.InitChain),
        ["ListSnapshots"] = new(RequestListSnapshots.Parser, m => new Request { ListSnapshots = (RequestListSnapshots)m }, r => r.ListSnapshots),
        ["OfferSnapshot"] = new(RequestOfferSnapshot.Parser, m => new Request { OfferSnapshot = (RequestOfferSnapshot)m }, r => r.OfferSnapshot),
        ["LoadSnapshotChunk"] = new(RequestLoadSnapshotChunk.Parser, m => new Request { LoadSnapshotChunk = (RequestLoadSnapshotChunk)m }, r => r.LoadSnapshotChunk),
        ["ApplySnapshotChunk"] = new(RequestApplySnapshotChunk.Parser, m => new Request { ApplySnapshotChunk = (RequestApplySnapshotChunk)m }, r => r.ApplySnapshotChunk),
        ["PrepareProposal"] = new(RequestPrepareProposal.Parser, m => new Request { PrepareProposal = (RequestPrepareProposal)m }, r => r.PrepareProposal),
        ["ProcessProposal"] = new(RequestProcessProposal.Parser, m => new Request { ProcessProposal = (RequestProcessProposal)m }, r => r.ProcessProposal),
        ["ExtendVote"] = new(RequestExtendVote.Parser, m => new Request { ExtendVote = (RequestExtendVote)m }, r => r.ExtendVote),
        ["VerifyVoteExtension"] = new(RequestVerifyVoteExtension.Parser, m => new Request { VerifyVoteExtension = (RequestVerifyVoteExtension)m }, r => r.VerifyVoteExtension),
        ["FinalizeBlock"] = new(RequestFinalizeBlock.Parser, m => new Request { FinalizeBlock = (RequestFinalizeBlock)m }, r => r.FinalizeBlock),
    };

    private sealed class GrpcStatusException(int status, string message) : Exception(message)
    {
        public int Status { get; } = status;
    }
}
