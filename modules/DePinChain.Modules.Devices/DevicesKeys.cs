using System.Text;
using DePinChain.Sdk;

namespace DePinChain.Modules.Devices;

/// <summary>The devices module's name and store layout (one-byte prefixes).</summary>
public static class DevicesKeys
{
    public const string ModuleName = "devices";

    internal const byte ParamsKey = 0x01;
    /// <summary>0x02 | maker name → Maker.</summary>
    internal const byte MakerPrefix = 0x02;
    /// <summary>0x03 | device key → Device.</summary>
    internal const byte DevicePrefix = 0x03;
    /// <summary>0x04 | len(owner) | owner | device key → (empty): devices by owner.</summary>
    internal const byte OwnerIndexPrefix = 0x04;
    /// <summary>0x05 | finest cell (8 bytes, big-endian Morton index) | device key → mode byte: active located devices by cell.</summary>
    internal const byte CellIndexPrefix = 0x05;

    /// <summary>0x06 | len(device key) | device key | nonce (8 bytes, big-endian) → Location: every asserted location.</summary>
    internal const byte LocationHistoryPrefix = 0x06;

    /// <summary>0x08 | finest cell → (empty): the cells whose count of active, located, full-mode devices changed since coverage last took them
    /// (<see cref="DevicesKeeper.TakeChangedDensityCells"/>), so its density recompute visits only those.</summary>
    internal const byte ChangedDensityCellPrefix = 0x08;

    internal static byte[] ChangedDensityCellKey(ulong finestCell) => KeyCodec.UInt64(ChangedDensityCellPrefix, finestCell);

    internal static byte[] LocationHistoryPrefixOf(ReadOnlySpan<byte> device) => KeyCodec.Address(LocationHistoryPrefix, device);

    internal static byte[] LocationHistoryKey(ReadOnlySpan<byte> device, ulong nonce)
    {
        byte[] prefix = LocationHistoryPrefixOf(device);
        byte[] key = new byte[prefix.Length + 8];
        prefix.CopyTo(key, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(prefix.Length), nonce);
        return key;
    }

    internal static byte[] MakerKey(string name) => KeyCodec.Bytes(MakerPrefix, Encoding.UTF8.GetBytes(name));

    internal static byte[] DeviceKey(ReadOnlySpan<byte> key) => KeyCodec.Bytes(DevicePrefix, key);

    internal static byte[] OwnerPrefixOf(ReadOnlySpan<byte> owner) => KeyCodec.Address(OwnerIndexPrefix, owner);

    internal static byte[] OwnerIndexKey(ReadOnlySpan<byte> owner, ReadOnlySpan<byte> device) => [.. OwnerPrefixOf(owner), .. device];

    internal static byte[] CellIndexKey(ulong finestCell, ReadOnlySpan<byte> device) => KeyCodec.UInt64(CellIndexPrefix, finestCell, device);

    internal static byte[] CellBound(ulong finestCell) => KeyCodec.UInt64(CellIndexPrefix, finestCell);
}
