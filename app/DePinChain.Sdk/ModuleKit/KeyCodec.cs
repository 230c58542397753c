using System.Buffers.Binary;

namespace DePinChain.Sdk;

/// <summary>
/// Store keys as every module builds them: a one-byte prefix (the module's table, see its Keys file) followed by
/// big-endian integers, length-prefixed addresses and raw bytes. Big-endian so that keys sort numerically (for
/// non-negative values) and a range of epochs or heights is one iteration.
/// </summary>
public static class KeyCodec
{
    /// <summary><c>prefix ‖ suffix</c>.</summary>
    public static byte[] Bytes(byte prefix, ReadOnlySpan<byte> suffix)
    {
        var key = new byte[1 + suffix.Length];
        key[0] = prefix;
        suffix.CopyTo(key.AsSpan(1));
        return key;
    }

    /// <summary><c>prefix ‖ value</c> (8 bytes big-endian). Negative values sort after positive ones: use it for heights and epochs.</summary>
    public static byte[] Int64(byte prefix, long value) => Int64(prefix, value, []);

    /// <summary><c>prefix ‖ value (8 bytes big-endian) ‖ suffix</c>.</summary>
    public static byte[] Int64(byte prefix, long value, ReadOnlySpan<byte> suffix)
    {
        var key = new byte[9 + suffix.Length];
        key[0] = prefix;
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(1), value);
        suffix.CopyTo(key.AsSpan(9));
        return key;
    }

    /// <summary><c>prefix ‖ value</c> (8 bytes big-endian).</summary>
    public static byte[] UInt64(byte prefix, ulong value) => UInt64(prefix, value, []);

    /// <summary><c>prefix ‖ value (8 bytes big-endian) ‖ suffix</c>.</summary>
    public static byte[] UInt64(byte prefix, ulong value, ReadOnlySpan<byte> suffix)
    {
        var key = new byte[9 + suffix.Length];
        key[0] = prefix;
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(1), value);
        suffix.CopyTo(key.AsSpan(9));
        return key;
    }

    /// <summary>The big-endian int64 at <paramref name="offset"/> of a key (1: right after the prefix).</summary>
    public static long ReadInt64(ReadOnlySpan<byte> key, int offset = 1) => BinaryPrimitives.ReadInt64BigEndian(key[offset..]);

    /// <summary>The big-endian uint64 at <paramref name="offset"/> of a key (1: right after the prefix).</summary>
    public static ulong ReadUInt64(ReadOnlySpan<byte> key, int offset = 1) => BinaryPrimitives.ReadUInt64BigEndian(key[offset..]);

    /// <summary>
    /// <c>len(address) ‖ address</c>, for addresses of 1 to 255 bytes: length-prefixed, so keys of different-length
    /// addresses never share a prefix.
    /// </summary>
    /// <exception cref="SdkError">The address is empty or longer than 255 bytes (code 7).</exception>
    public static byte[] Address(ReadOnlySpan<byte> address)
    {
        if (address.Length is 0 or > 255) throw SdkErrors.InvalidAddress($"address of {address.Length} bytes");
        return [(byte)address.Length, .. address];
    }

    /// <summary><c>prefix ‖ len(address) ‖ address</c>.</summary>
    /// <exception cref="SdkError">The address is empty or longer than 255 bytes (code 7).</exception>
    public static byte[] Address(byte prefix, ReadOnlySpan<byte> address)
    {
        if (address.Length is 0 or > 255) throw SdkErrors.InvalidAddress($"address of {address.Length} bytes");
        return [prefix, (byte)address.Length, .. address];
    }

    /// <summary>A uint64 value as 8 bytes big-endian (counters, credit balances, signed power).</summary>
    public static byte[] UInt64Value(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>A value written by <see cref="UInt64Value"/>; an absent value (null) reads as 0.</summary>
    public static ulong ReadUInt64Value(byte[]? bytes) => bytes is null ? 0 : BinaryPrimitives.ReadUInt64BigEndian(bytes);
}
