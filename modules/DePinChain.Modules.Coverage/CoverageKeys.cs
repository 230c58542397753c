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
    /// <summary>0x03 | device key → DeviceActivity (rule facts, deny flags mirrored from 0x04/0x05, the ledger of the device's last active epoch).</summary>
    internal const byte ActivityPrefix = 0x03;
    /// <summary>0x04 | device key → DenyEntry.</summary>
    internal const byte DenyDevicePrefix = 0x04;
    /// <summary>0x05 | len(a) | a | b with a &lt; b → DenyEntry.</summary>
    internal const byte DenyPairPrefix = 0x05;
    /// <summary>0x06 | epoch | height | beaconer key → StoredReport (key fields not repeated in the value).</summary>
    internal const byte ReportPrefix = 0x06;
    // 0x07 (one index entry per report participant) and 0x08 (units per epoch and device) are retired: never reuse.
    /// <summary>0x09 | finest cell → density scale (8 bytes).</summary>
    internal const byte CellScalePrefix = 0x09;
    /// <summary>0x0A | epoch | device key → EpochLedger of a past epoch, moved out of the device's activity record.</summary>
    internal const byte LedgerPrefix = 0x0A;

    /// <summary>Length of <c>0x06 | epoch | height</c>, where a report key's beaconer key starts.</summary>
    internal const int ReportKeyFixedLength = 17;

    /// <summary>Length of <c>0x0A | epoch</c>, where a ledger key's device key starts.</summary>
    internal const int LedgerKeyFixedLength = 9;

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

    /// <summary>0x06 | epoch | height | the first four bytes of the beaconer key: where an entry of <c>EpochLedger.report_refs</c> points.</summary>
    internal static byte[] ReportRefPrefix(ulong epoch, long height, uint beaconerPrefix)
    {
        var key = new byte[ReportKeyFixedLength + 4];
        key[0] = ReportPrefix;
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(1), epoch);
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(9), height);
        BinaryPrimitives.WriteUInt32BigEndian(key.AsSpan(ReportKeyFixedLength), beaconerPrefix);
        return key;
    }

    internal static byte[] LedgerPrefixOf(ulong epoch) => UInt64Key(LedgerPrefix, epoch);

    internal static byte[] LedgerKey(ulong epoch, ReadOnlySpan<byte> device) => [.. LedgerPrefixOf(epoch), .. device];

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
