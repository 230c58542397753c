using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using DePinChain.Protos.Abci;

namespace DePinChain.Abci;

/// <summary>The application answered a request with <c>ResponseException</c>.</summary>
public sealed class AbciApplicationException : Exception
{
    public AbciApplicationException(string message) : base(message) { }
}

/// <summary>
/// One client connection speaking the ABCI socket protocol the way CometBFT does: requests are
/// pipelined into a buffer, a Flush request pushes them out, and responses are matched to
/// requests strictly in order.
/// </summary>
/// <remarks>
/// <see cref="Send"/> only queues; nothing reaches the server until <see cref="FlushAsync"/> (or
/// <see cref="SendAsync"/>, which sends and flushes). A response of the wrong kind breaks the
/// connection: every pending request then fails with <see cref="AbciProtocolException"/>.
/// </remarks>
public sealed class AbciClientConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly Lock _sync = new();
    private readonly SemaphoreSlim _pushGate = new(1, 1);
    private readonly ArrayBufferWriter<byte> _outgoing = new();
    private readonly Queue<Pending> _pending = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _readLoop;
    private Exception? _broken;

    private AbciClientConnection(Socket socket, int maxFrameBytes)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _readLoop = Task.Run(() => ReadLoopAsync(maxFrameBytes));
    }

    /// <summary>Dials <paramref name="address"/> (tcp:// or unix://).</summary>
    public static async Task<AbciClientConnection> ConnectAsync(string address, CancellationToken cancellationToken = default,
        int maxFrameBytes = AbciFraming.DefaultMaxFrameBytes)
    {
        AbciAddress parsed = AbciAddress.Parse(address);
        var socket = parsed.IsUnix
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(parsed.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(parsed.EndPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new AbciClientConnection(socket, maxFrameBytes);
    }

    /// <summary>Number of requests sent or queued whose response has not arrived yet.</summary>
    public int PendingCount
    {
        get { lock (_sync) { return _pending.Count; } }
    }

    /// <summary>
    /// Queues <paramref name="request"/> without sending it; the task completes when its response
    /// arrives after a later <see cref="FlushAsync"/>.
    /// </summary>
    public Task<Response> Send(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Response.ValueOneofCase expected = ExpectedResponse(request.ValueCase);
        var completion = new TaskCompletionSource<Response>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_sync)
        {
            if (_broken is not null)
            {
                throw new IOException("The ABCI connection is closed.", _broken);
            }
            _pending.Enqueue(new Pending(expected, completion));
            AbciFraming.WriteFrame(_outgoing, request);
        }
        return completion.Task;
    }

    /// <summary>Queues <paramref name="request"/>, then flushes; completes with its response.</summary>
    public async Task<Response> SendAsync(Request request, CancellationToken cancellationToken = default)
    {
        Task<Response> response = Send(request);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        return await response.ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a Flush request after everything queued, pushes all of it to the server and waits for
    /// the ResponseFlush (so every earlier response has arrived too).
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        Task<Response> flushed = Send(new Request { Flush = new RequestFlush() });
        await PushAsync(cancellationToken).ConfigureAwait(false);
        await flushed.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        Fail(new ObjectDisposedException(nameof(AbciClientConnection)));
        await _closing.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _stream.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _readLoop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or SocketException)
        {
        }
        _pushGate.Dispose();
        _closing.Dispose();
    }

    // Buffers are swapped out under the lock and written under the gate, so concurrent flushes
    // still put bytes on the wire in the order requests were queued.
    private async Task PushAsync(CancellationToken cancellationToken)
    {
        await _pushGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            byte[] data;
            lock (_sync)
            {
                data = _outgoing.WrittenSpan.ToArray();
                _outgoing.ResetWrittenCount();
            }
            if (data.Length > 0)
            {
                await _stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
                await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            Fail(e);
            throw;
        }
        finally
        {
            _pushGate.Release();
        }
    }

    private async Task ReadLoopAsync(int maxFrameBytes)
    {
        PipeReader input = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        var reader = new AbciFrameReader(input, maxFrameBytes);
        try
        {
            while (await reader.ReadMessageAsync(Response.Parser, _closing.Token).ConfigureAwait(false) is { } response)
            {
                Pending pending;
                lock (_sync)
                {
                    if (!_pending.TryDequeue(out pending))
                    {
                        throw new AbciProtocolException($"Received {response.ValueCase} with no request outstanding.");
                    }
                }
                if (response.ValueCase == Response.ValueOneofCase.Exception)
                {
                    pending.Completion.TrySetException(new AbciApplicationException(
                        $"The application answered {pending.Expected} with an exception: {response.Exception.Error}"));
                }
                else if (response.ValueCase != pending.Expected)
                {
                    var error = new AbciProtocolException($"Expected a {pending.Expected} response, got {response.ValueCase}.");
                    pending.Completion.TrySetException(error);
                    throw error;
                }
                else
                {
                    pending.Completion.TrySetResult(response);
                }
            }
            Fail(new IOException("The ABCI server closed the connection."));
        }
        catch (Exception e)
        {
            Fail(e);
        }
        finally
        {
            await input.CompleteAsync().ConfigureAwait(false);
        }
    }

    private void Fail(Exception error)
    {
        Pending[] orphans;
        lock (_sync)
        {
            _broken ??= error;
            orphans = [.. _pending];
            _pending.Clear();
        }
        foreach (Pending pending in orphans)
        {
            pending.Completion.TrySetException(error is AbciProtocolException or ObjectDisposedException
                ? error
                : new IOException($"The ABCI connection failed before the {pending.Expected} response arrived.", error));
        }
    }

    internal static Response.ValueOneofCase ExpectedResponse(Request.ValueOneofCase kind) => kind switch
    {
        Request.ValueOneofCase.Echo => Response.ValueOneofCase.Echo,
        Request.ValueOneofCase.Flush => Response.ValueOneofCase.Flush,
        Request.ValueOneofCase.Info => Response.ValueOneofCase.Info,
        Request.ValueOneofCase.InitChain => Response.ValueOneofCase.InitChain,
        Request.ValueOneofCase.Query => Response.ValueOneofCase.Query,
        Request.ValueOneofCase.CheckTx => Response.ValueOneofCase.CheckTx,
        Request.ValueOneofCase.Commit => Response.ValueOneofCase.Commit,
        Request.ValueOneofCase.ListSnapshots => Response.ValueOneofCase.ListSnapshots,
        Request.ValueOneofCase.OfferSnapshot => Response.ValueOneofCase.OfferSnapshot,
        Request.ValueOneofCase.LoadSnapshotChunk => Response.ValueOneofCase.LoadSnapshotChunk,
        Request.ValueOneofCase.ApplySnapshotChunk => Response.ValueOneofCase.ApplySnapshotChunk,
        Request.ValueOneofCase.PrepareProposal => Response.ValueOneofCase.PrepareProposal,
        Request.ValueOneofCase.ProcessProposal => Response.ValueOneofCase.ProcessProposal,
        Request.ValueOneofCase.ExtendVote => Response.ValueOneofCase.ExtendVote,
        Request.ValueOneofCase.VerifyVoteExtension => Response.ValueOneofCase.VerifyVoteExtension,
        Request.ValueOneofCase.FinalizeBlock => Response.ValueOneofCase.FinalizeBlock,
        _ => throw new ArgumentException($"Request kind {kind} cannot be sent.", nameof(kind)),
    };

    private readonly record struct Pending(Response.ValueOneofCase Expected, TaskCompletionSource<Response> Completion);
}
