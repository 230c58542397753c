using System.Buffers;
using System.IO.Pipelines;
using Google.Protobuf;

namespace DePinChain.Abci;

/// <summary>
/// Reads length-prefixed ABCI frames from a pipe, waiting for a whole frame however the bytes
/// were split across reads.
/// </summary>
public sealed class AbciFrameReader
{
    private readonly PipeReader _reader;
    private readonly int _maxFrameBytes;

    public AbciFrameReader(PipeReader reader, int maxFrameBytes = AbciFraming.DefaultMaxFrameBytes)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFrameBytes);
        _reader = reader;
        _maxFrameBytes = maxFrameBytes;
    }

    /// <summary>
    /// The next message, or null when the stream ended cleanly between frames.
    /// </summary>
    /// <exception cref="AbciProtocolException">Malformed or oversized prefix, a frame cut short by
    /// the end of the stream, or a payload that is not a valid <typeparamref name="T"/>.</exception>
    public ValueTask<T?> ReadMessageAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken = default)
        where T : class, IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(parser);
        return ReadAsync(static (payload, p) => Parse(p, payload), parser, cancellationToken);
    }

    /// <summary>The next frame's payload bytes, or null when the stream ended cleanly between frames.</summary>
    public ValueTask<byte[]?> ReadFrameAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(static (payload, _) => payload.ToArray(), (object?)null, cancellationToken);

    private async ValueTask<TResult?> ReadAsync<TResult, TState>(
        Func<ReadOnlySequence<byte>, TState, TResult> consume, TState state, CancellationToken cancellationToken)
        where TResult : class
    {
        while (true)
        {
            ReadResult result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            bool advanced = false;
            try
            {
                if (AbciFraming.TryReadFrame(ref buffer, _maxFrameBytes, out ReadOnlySequence<byte> payload))
                {
                    TResult message = consume(payload, state);
                    _reader.AdvanceTo(buffer.Start);
                    advanced = true;
                    return message;
                }
                if (result.IsCompleted || result.IsCanceled)
                {
                    if (buffer.IsEmpty)
                    {
                        return null;
                    }
                    throw new AbciProtocolException(
                        $"Stream ended inside a frame ({buffer.Length} bytes of an incomplete frame).");
                }
                // Nothing consumed, everything examined: the next read waits for more bytes.
                _reader.AdvanceTo(buffer.Start, buffer.End);
                advanced = true;
            }
            finally
            {
                if (!advanced)
                {
                    _reader.AdvanceTo(result.Buffer.Start);
                }
            }
        }
    }

    private static T Parse<T>(MessageParser<T> parser, ReadOnlySequence<byte> payload) where T : class, IMessage<T>
    {
        try
        {
            return parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new AbciProtocolException($"Frame of {payload.Length} bytes is not a valid {typeof(T).Name}: {e.Message}", e);
        }
    }
}
