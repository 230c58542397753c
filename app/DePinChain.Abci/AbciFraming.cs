using System.Buffers;
using Google.Protobuf;

namespace DePinChain.Abci;

/// <summary>
/// ABCI socket framing (CometBFT v0.38): every message is an unsigned protobuf varint holding the
/// payload length, then the payload, a protobuf <c>Request</c> or <c>Response</c>.
/// (v0.34 used a signed zigzag varint; this is not that.)
/// </summary>
public static class AbciFraming
{
    /// <summary>A uint64 varint never needs more than 10 bytes; an 11th continuation byte is malformed.</summary>
    public const int MaxVarintBytes = 10;

    /// <summary>
    /// Default cap on one frame's payload: 128 MiB. CometBFT caps a block at 100 MiB
    /// (<c>MaxBlockSizeBytes</c>) and a FinalizeBlock request carries a whole block plus commit info,
    /// so every legal frame fits, while a corrupt or hostile length prefix cannot make us buffer
    /// gigabytes. The cap is checked on the prefix, before any payload is buffered.
    /// </summary>
    public const int DefaultMaxFrameBytes = 128 * 1024 * 1024;

    /// <summary>
    /// Takes one whole frame from the front of <paramref name="buffer"/> if it is all there.
    /// Returns false (and leaves <paramref name="buffer"/> alone) when more bytes are needed.
    /// </summary>
    /// <exception cref="AbciProtocolException">The length prefix is malformed or above <paramref name="maxFrameBytes"/>.</exception>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, int maxFrameBytes, out ReadOnlySequence<byte> payload)
    {
        payload = default;
        var reader = new SequenceReader<byte>(buffer);
        ulong length = 0;
        int shift = 0;
        for (int i = 0; ; i++)
        {
            if (!reader.TryRead(out byte b))
            {
                return false;
            }
            if (i == MaxVarintBytes - 1 && b > 1)
            {
                throw new AbciProtocolException(
                    $"Malformed frame length: varint longer than {MaxVarintBytes} bytes or above 2^64-1.");
            }
            length |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }
            shift += 7;
        }
        if (length > (ulong)maxFrameBytes)
        {
            throw new AbciProtocolException(
                $"Frame length {length} exceeds the maximum of {maxFrameBytes} bytes.");
        }
        if (reader.Remaining < (long)length)
        {
            return false;
        }
        payload = buffer.Slice(reader.Position, (long)length);
        buffer = buffer.Slice(payload.End);
        return true;
    }

    /// <summary>Writes <paramref name="message"/> as one frame (length prefix + payload).</summary>
    public static void WriteFrame(IBufferWriter<byte> writer, IMessage message)
    {
        int size = message.CalculateSize();
        Span<byte> prefix = stackalloc byte[MaxVarintBytes];
        int prefixLength = WriteVarint(prefix, (ulong)size);
        writer.Write(prefix[..prefixLength]);
        message.WriteTo(writer);
    }

    /// <summary>The bytes of one frame holding <paramref name="message"/>.</summary>
    public static byte[] ToFrame(IMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteFrame(buffer, message);
        return buffer.WrittenSpan.ToArray();
    }

    internal static int WriteVarint(Span<byte> destination, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }
}
