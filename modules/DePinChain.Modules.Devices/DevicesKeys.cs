using System.Buffers.Binary;
using System.Text;
using DePinChain.Sdk;

namespace DePinChain.Modules.Devices;

/// <summary>The devices module's name, codespace and store layout (one-byte prefixes).</summary>
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

    internal static byte[] MakerKey(string name) => [MakerPrefix, .. Encoding.UTF8.GetBytes(name)];

    internal static byte[] DeviceKey(ReadOnlySpan<byte> key) => [DevicePrefix, .. key];

    internal static byte[] OwnerPrefixOf(ReadOnlySpan<byte> owner) => [OwnerIndexPrefix, (byte)owner.Length, .. owner];

    internal static byte[] OwnerIndexKey(ReadOnlySpan<byte> owner, ReadOnlySpan<byte> device) => [.. OwnerPrefixOf(owner), .. device];

    internal static byte[] CellIndexKey(ulong finestCell, ReadOnlySpan<byte> device)
    {
        var key = new byte[9 + device.Length];
        key[0] = CellIndexPrefix;
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(1), finestCell);
        device.CopyTo(key.AsSpan(9));
        return key;
    }

    internal static byte[] CellBound(ulong finestCell)
    {
        var key = new byte[9];
        key[0] = CellIndexPrefix;
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(1), finestCell);
        return key;
    }

}

/// <summary>Codes in codespace "devices". Never renumber.</summary>
public static class DevicesErrors
{
    public const string Codespace = "devices";

    public static SdkError InvalidMaker(string m) => new(Codespace, 2, "invalid maker: " + m);
    public static SdkError MakerExists(string name) => new(Codespace, 3, $"maker {name} already exists");
    public static SdkError MakerNotFound(string name) => new(Codespace, 4, $"maker {name} not found");
    public static SdkError MakerRevoked(string name) => new(Codespace, 5, $"maker {name} is revoked and cannot onboard devices");
    public static SdkError InvalidDeviceKey(string m) => new(Codespace, 6, "invalid device key: " + m);
    public static SdkError DeviceExists() => new(Codespace, 7, "this device key is already onboarded (a key can be onboarded once)");
    public static SdkError DeviceNotFound() => new(Codespace, 8, "device not found");
    public static SdkError BadDeviceSignature() => new(Codespace, 9, "device signature does not verify over the onboarding sign bytes");
    public static SdkError BadMakerSignature() => new(Codespace, 10, "maker signature does not verify over the onboarding sign bytes");
    public static SdkError InvalidMode(string m) => new(Codespace, 11, "invalid mode: " + m);
    public static SdkError NotOwner() => new(Codespace, 12, "signer does not own this device");
    public static SdkError Decommissioned() => new(Codespace, 13, "device is decommissioned");
    public static SdkError InvalidLocation(string m) => new(Codespace, 14, "invalid location: " + m);
    public static SdkError BadNonce(ulong expected, ulong got) => new(Codespace, 15, $"location nonce must be {expected}, got {got}");
    public static SdkError AntennaOutOfBounds(string m) => new(Codespace, 16, "antenna gain or elevation out of bounds: " + m);
    public static SdkError RegionMismatch(string m) => new(Codespace, 17, "asserted region does not match the location: " + m);
}
