using System.Buffers.Binary;
using DePinChain.Sdk;

namespace DePinChain.Modules.Coverage;

/// <summary>The coverage module's name and store layout (one-byte prefixes; integers big-endian so keys sort numerically).</summary>
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

    /// <summary>0x0B | epoch → Σ beacon units (8 bytes) ‖ Σ witness units (8 bytes) over the epoch's ledgers (derived: rebuilt at genesis).</summary>
    internal const byte EpochTotalsPrefix = 0x0B;
    /// <summary>0x0C | epoch | finest cell → the cell's density scale during that epoch (8 bytes), kept when the next epoch's recompute changed it.</summary>
    internal const byte ScaleHistoryPrefix = 0x0C;

    /// <summary>0x0D | finest cell → (empty): a cell genesis left with a scale its region's counts do not give; the next
    /// density recompute visits its region (derived: recomputed at genesis, not exported).</summary>
    internal const byte PendingDensityCellPrefix = 0x0D;

    /// <summary>Length of <c>0x06 | epoch | height</c>, where a report key's beaconer key starts.</summary>
    internal const int ReportKeyFixedLength = 17;

    /// <summary>Length of <c>0x0A | epoch</c>, where a ledger key's device key starts.</summary>
    internal const int LedgerKeyFixedLength = 9;

    internal static byte[] UInt64Key(byte prefix, ulong value) => KeyCodec.UInt64(prefix, value);

    internal static byte[] BlockHashKey(long height) => KeyCodec.Int64(BlockHashPrefix, height);

    internal static byte[] ActivityKey(ReadOnlySpan<byte> device) => KeyCodec.Bytes(ActivityPrefix, device);

    internal static byte[] DenyDeviceKey(ReadOnlySpan<byte> device) => KeyCodec.Bytes(DenyDevicePrefix, device);

    internal static byte[] DenyPairKey(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.SequenceCompareTo(b) > 0) { var t = a; a = b; b = t; }
        return [DenyPairPrefix, (byte)a.Length, .. a, .. b];
    }

    internal static byte[] ReportKey(ulong epoch, long height, ReadOnlySpan<byte> beaconer)
    {
        var key = new byte[ReportKeyFixedLength + beaconer.Length];
        key[0] = ReportPrefix;
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(1), epoch);
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(9), height);
        beaconer.CopyTo(key.AsSpan(ReportKeyFixedLength));
        return key;
    }

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

    internal static byte[] LedgerPrefixOf(ulong epoch) => KeyCodec.UInt64(LedgerPrefix, epoch);

    internal static byte[] LedgerKey(ulong epoch, ReadOnlySpan<byte> device) => KeyCodec.UInt64(LedgerPrefix, epoch, device);

    internal static byte[] CellScaleKey(ulong cell) => KeyCodec.UInt64(CellScalePrefix, cell);

    internal static byte[] PendingDensityCellKey(ulong cell) => KeyCodec.UInt64(PendingDensityCellPrefix, cell);

    internal static byte[] EpochTotalsKey(ulong epoch) => KeyCodec.UInt64(EpochTotalsPrefix, epoch);

    internal static byte[] ScaleHistoryKey(ulong epoch, ulong cell)
    {
        var key = KeyCodec.UInt64(ScaleHistoryPrefix, epoch, new byte[8]);
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(9), cell);
        return key;
    }
}
