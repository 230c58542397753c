using System.Buffers.Binary;
using DePinChain.Modules.Coverage.Poc;
using DePinChain.Sdk;

namespace DePinChain.Modules.Coverage;

/// <summary>The coverage module's name, codespace and store layout (one-byte prefixes; integers big-endian so keys sort numerically).</summary>
public static class CoverageKeys
{
    public const string ModuleName = "coverage";

    internal const byte ParamsKey = 0x01;
    /// <summary>0x02 | height → block hash (kept for the entropy window).</summary>
    internal const byte BlockHashPrefix = 0x02;
    /// <summary>0x03 | device key → DeviceActivity (last beacon/witness heights, deny flags mirrored from 0x04/0x05).</summary>
    internal const byte ActivityPrefix = 0x03;
    /// <summary>0x04 | device key → DenyEntry.</summary>
    internal const byte DenyDevicePrefix = 0x04;
    /// <summary>0x05 | len(a) | a | b with a &lt; b → DenyEntry.</summary>
    internal const byte DenyPairPrefix = 0x05;
    /// <summary>0x06 | epoch | height | beaconer key → StoredReport.</summary>
    internal const byte ReportPrefix = 0x06;
    /// <summary>0x07 | len(device) | device | epoch | height | beaconer key → (empty): reports a device took part in.</summary>
    internal const byte ReportIndexPrefix = 0x07;
    /// <summary>0x08 | epoch | device key → DeviceUnits.</summary>
    internal const byte UnitsPrefix = 0x08;
    /// <summary>0x09 | finest cell → density scale (8 bytes).</summary>
    internal const byte CellScalePrefix = 0x09;

    internal static byte[] Int64Key(byte prefix, long value)
    {
        var key = new byte[9];
        key[0] = prefix;
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(1), value);
        return key;
    }

    internal static byte[] UInt64Key(byte prefix, ulong value)
    {
        var key = new byte[9];
        key[0] = prefix;
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(1), value);
        return key;
    }

    internal static byte[] BlockHashKey(long height) => Int64Key(BlockHashPrefix, height);

    internal static byte[] ActivityKey(ReadOnlySpan<byte> device) => [ActivityPrefix, .. device];

    internal static byte[] DenyDeviceKey(ReadOnlySpan<byte> device) => [DenyDevicePrefix, .. device];

    internal static byte[] DenyPairKey(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.SequenceCompareTo(b) > 0) { var t = a; a = b; b = t; }
        return [DenyPairPrefix, (byte)a.Length, .. a, .. b];
    }

    internal static byte[] ReportKey(ulong epoch, long height, ReadOnlySpan<byte> beaconer) =>
        [.. UInt64Key(ReportPrefix, epoch), .. BigEndian(height), .. beaconer];

    internal static byte[] ReportIndexPrefixOf(ReadOnlySpan<byte> device, ulong epoch) =>
        [ReportIndexPrefix, (byte)device.Length, .. device, .. BigEndian((long)epoch)];

    /// <summary>0x07 | len(device) | device | epoch | height | beaconer, built in one array.</summary>
    internal static byte[] ReportIndexKey(ReadOnlySpan<byte> device, ulong epoch, long height, ReadOnlySpan<byte> beaconer)
    {
        var key = new byte[2 + device.Length + 16 + beaconer.Length];
        key[0] = ReportIndexPrefix;
        key[1] = (byte)device.Length;
        device.CopyTo(key.AsSpan(2));
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(2 + device.Length), (long)epoch);
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(10 + device.Length), height);
        beaconer.CopyTo(key.AsSpan(18 + device.Length));
        return key;
    }

    internal static byte[] UnitsPrefixOf(ulong epoch) => UInt64Key(UnitsPrefix, epoch);

    internal static byte[] UnitsKey(ulong epoch, ReadOnlySpan<byte> device) => [.. UnitsPrefixOf(epoch), .. device];

    internal static byte[] CellScaleKey(ulong cell) => UInt64Key(CellScalePrefix, cell);

    internal static byte[] BigEndian(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

}

/// <summary>
/// Codes in codespace "coverage". A rejected report fails with its <see cref="PocVerdict"/> code (2–19);
/// deny-list errors use 50 and up. Never renumber.
/// </summary>
public static class CoverageErrors
{
    public const string Codespace = "coverage";

    public static SdkError Rejected(RuleResult result) => new(Codespace, (uint)result.Verdict, $"{result.Verdict}: {result.Reason}");
    public static SdkError InvalidDenyEntry(string m) => new(Codespace, 50, "invalid deny-list entry: " + m);
    public static SdkError DenyEntryExists() => new(Codespace, 51, "this deny-list entry already exists");
    public static SdkError DenyEntryNotFound() => new(Codespace, 52, "no such deny-list entry");
}
