using System.Runtime.InteropServices;
using Google.Protobuf;

namespace DePinChain.Sdk;

/// <summary>Reading protobuf bytes fields without copying them.</summary>
public static class ByteStrings
{
    /// <summary>
    /// The bytes a ByteString holds, without a copy when it owns exactly one whole array (as parsed messages and requests
    /// do), else a copy. For bytes that are only read, never written: the array is shared with the message.
    /// </summary>
    public static byte[] ArrayOf(ByteString bytes)
        => MemoryMarshal.TryGetArray(bytes.Memory, out var segment)
            && segment.Offset == 0 && segment.Array is { } array && segment.Count == array.Length
            ? array
            : bytes.ToByteArray();
}
