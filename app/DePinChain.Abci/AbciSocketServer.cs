using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using DePinChain.Protos.Abci;
using Microsoft.Extensions.Logging;

namespace DePinChain.Abci;

/// <summary>Settings shared by the ABCI servers.</summary>
public sealed record AbciServerOptions
{
    /// <summary>Largest accepted request payload; see <see cref="AbciFraming.DefaultMaxFrameBytes"/>.</summary>
    public int MaxFrameBytes { get; init; } = AbciFraming.DefaultMaxFrameBytes;

    /// <summary>
    /// Lowest level the gRPC server passes on for the framework's own log categories (<c>Microsoft.*</c>: hosting,
    /// Kestrel, routing; <c>Grpc.*</c>: Grpc.AspNetCore).
    /// At Information its hosting logs two lines per request, that is per ABCI call ("Request starting HTTP/2 POST
    /// .../Commit", "Request finished ..."), so the default is Warning.
    /// </summary>
    public LogLevel FrameworkLogLevel { get; init; } = LogLevel.Warning;
}

/// <summary>
/// The ABCI socket server CometBFT dials with <c>abci = "socket"</c> (tcp:// or unix://).
/// </summary>
/// <remarks>
/// <para>Each connection is served by one loop: requests are handled in arrival order and their
/// responses written in the same order, buffered until a Flush request, which is answered with
/// ResponseFlush and then pushes the buffered bytes out. CometBFT's four connections are not told
/// apart; consensus-type requests are serialized by <see cref="AbciDispatcher"/>.</para>
/// <para>Failures: a malformed frame, a payload that is not a Request, or a Request with no kind
/// set closes that connection (logged; the app is not called; other connections go on). An app
/// exception on CheckTx, Query, ExtendVote, VerifyVoteExtension or a snapshot request is answered
/// with ResponseException, on which CometBFT stops by design. An app exception on Info, InitChain,
/// PrepareProposal, ProcessProposal, FinalizeBlock or Commit is logged as critical, the fatal
/// handler given to the constructor runs (the host should exit non-zero) and the connection is
/// closed without an answer.</para>
/// </remarks>
public sealed class AbciSocketServer : IAsyncDisposable
{
    private readonly AbciAddress _address;
    private readonly AbciDispatcher _dispatcher;
    private readonly ILogger _logger;
    private readonly AbciServerOptions _options;
    private readonly ConcurrentDictionary<long, Socket> _connections = new();
    private readonly ConcurrentDictionary<long, Task> _connectionTasks = new();
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private Task? _acceptLoop;
    private long _nextConnectionId;
    private int _stopped;

    /// <param name="address"><c>tcp://host:port</c> or <c>host:port</c> (port 0 picks a free one), or <c>unix:///path</c>.</param>
    /// <param name="fatalHandler">Runs when the app fails where ABCI has no error path; the host
    /// should log and exit the process with a non-zero code.</param>
    public AbciSocketServer(string address, IAbciApplication app, ILogger<AbciSocketServer> logger,
        Action<Exception> fatalHandler, AbciServerOptions? options = null)
    {
        _address = AbciAddress.Parse(address);
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _dispatcher = new AbciDispatcher(app, logger, fatalHandler);
        _options = options ?? new AbciServerOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.MaxFrameBytes);
    }

    /// <summary>The bound endpoint once started (with the real port when 0 was asked for).</summary>
    public EndPoint? LocalEndPoint => _listener?.LocalEndPoint;

    /// <summary>The address clients dial, e.g. <c>tcp://127.0.0.1:40123</c>, once started.</summary>
    public string ListenAddress => _address.IsUnix
        ? _address.ToString()
        : "tcp://" + (LocalEndPoint ?? throw new InvalidOperationException("The server has not been started."));

    /// <summary>Binds, listens and starts accepting connections in the background.</summary>
    public void Start()
    {
        if (_listener is not null)
        {
            throw new InvalidOperationException("The server is already started.");
        }
        if (_address.UnixPath is { } path)
        {
            RemoveStaleSocketFile(path);
        }
        var listener = _address.IsUnix
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(_address.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(_address.EndPoint);
            listener.Listen(16);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        _listener = listener;
        _logger.LogInformation("ABCI socket server listening on {Address}", ListenAddress);
        _acceptLoop = AcceptLoopAsync(listener);
    }

    /// <summary>Starts, serves until <paramref name="cancellationToken"/> fires, then stops.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Start();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        await StopAsync().ConfigureAwait(false);
    }

    /// <summary>Closes the listener and every connection and waits for their loops to end.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        foreach (Socket socket in _connections.Values)
        {
            socket.Dispose();
        }
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        await Task.WhenAll(_connectionTasks.Values).ConfigureAwait(false);
        if (_address.UnixPath is { } path)
        {
            TryDelete(path);
        }
        _logger.LogInformation("ABCI socket server on {Address} stopped", _address);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException
                || (e is SocketException && _stopping.IsCancellationRequested))
            {
                return;
            }
            catch (SocketException e)
            {
                _logger.LogWarning(e, "Accepting an ABCI connection failed");
                continue;
            }
            if (!_address.IsUnix)
            {
                socket.NoDelay = true;
            }
            long id = Interlocked.Increment(ref _nextConnectionId);
            _connections[id] = socket;
            Task serving = Task.Run(() => ServeConnectionAsync(id, socket));
            _connectionTasks[id] = serving;
            // Registered after the add, so a connection that already ended is still removed.
            _ = serving.ContinueWith(_ => _connectionTasks.TryRemove(id, out Task? _), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            if (_stopping.IsCancellationRequested)
            {
                socket.Dispose();
            }
        }
    }

    private async Task ServeConnectionAsync(long id, Socket socket)
    {
        string peer = _address.ToString();
        CancellationToken stopping = _stopping.Token;
        NetworkStream? stream = null;
        // The socket is closed only in finally, after the reason has been logged.
        try
        {
            if (socket.RemoteEndPoint?.ToString() is { Length: > 0 } remote)
            {
                peer = remote;
            }
            _logger.LogDebug("ABCI connection {Id} from {Peer} opened", id, peer);
            stream = new NetworkStream(socket, ownsSocket: true);
            await ServeRequestsAsync(id, stream, stopping).ConfigureAwait(false);
        }
        catch (AbciProtocolException e)
        {
            _logger.LogWarning("Closing ABCI connection {Id} from {Peer}: {Reason}", id, peer, e.Message);
        }
        catch (AbciFatalException e)
        {
            _logger.LogCritical("Closing ABCI connection {Id} unanswered: {Reason}", id, e.Message);
        }
        catch (Exception e) when (stopping.IsCancellationRequested
            || e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            if (!stopping.IsCancellationRequested)
            {
                _logger.LogInformation("ABCI connection {Id} from {Peer} ended: {Reason}", id, peer, e.Message);
            }
        }
        catch (Exception e)
        {
            _logger.LogError(e, "ABCI connection {Id} from {Peer} failed", id, peer);
        }
        finally
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            socket.Dispose();
            _connections.TryRemove(id, out _);
        }
    }

    private async Task ServeRequestsAsync(long id, NetworkStream stream, CancellationToken stopping)
    {
        // The caller owns the stream: it closes it only after logging why.
        PipeReader input = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        PipeWriter output = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        var reader = new AbciFrameReader(input, _options.MaxFrameBytes);
        try
        {
            while (await reader.ReadMessageAsync(Request.Parser, stopping).ConfigureAwait(false) is { } request)
            {
                Response response = _dispatcher.Handle(request);
                AbciFraming.WriteFrame(output, response);
                if (request.ValueCase == Request.ValueOneofCase.Flush)
                {
                    await output.FlushAsync(stopping).ConfigureAwait(false);
                }
            }
            // The peer closed cleanly between frames: push out whatever it has not flushed for.
            await output.FlushAsync(stopping).ConfigureAwait(false);
            _logger.LogDebug("ABCI connection {Id} closed by the peer", id);
        }
        finally
        {
            await input.CompleteAsync().ConfigureAwait(false);
            try
            {
                await output.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                // Unflushed bytes for a peer that is gone.
            }
        }
    }

    // A socket file left by a crashed run makes bind fail; one that still answers belongs to a live
    // server and is left alone (bind then reports the conflict).
    private void RemoveStaleSocketFile(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            throw new IOException($"ABCI socket '{path}' is in use by another process.");
        }
        catch (SocketException)
        {
            _logger.LogInformation("Removing stale ABCI socket file {Path}", path);
            File.Delete(path);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
