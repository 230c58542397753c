using DePinChain.Modules.Devices.Geo;
using DePinChain.Sdk;

namespace DePinChain.Modules.Devices;

/// <summary>Stored on chain: never renumber.</summary>
public enum DeviceKeyType { Unspecified = 0, Secp256k1 = 1, Ed25519 = 2 }

/// <summary>Full devices route data and take part in proof of coverage; data-only devices only route data.</summary>
public enum DeviceMode { Unspecified = 0, Full = 1, DataOnly = 2 }

public enum DeviceStatus { Unspecified = 0, Active = 1, Decommissioned = 2 }

/// <summary>An asserted location: where the antenna is, how strong it is, and the plan that follows.</summary>
public sealed record DeviceLocation(GeoPoint Point, int AntennaGainTenthsDbi, int ElevationMetres, Region Region, ulong Nonce)
{
    public GeoCell Cell => GeoCell.Containing(Point, GeoCell.FinestLevel);
}

/// <summary>What other modules may know about a device (the read model of the registry).</summary>
public sealed record DeviceInfo(
    byte[] Key,
    DeviceKeyType KeyType,
    byte[] Owner,
    DeviceMode Mode,
    DeviceStatus Status,
    string Maker,
    long OnboardedHeight,
    DeviceLocation? Location)
{
    public bool IsActive => Status == DeviceStatus.Active;
    public bool IsFullMode => Mode == DeviceMode.Full;
    public bool IsLocated => Location is not null;
}

/// <summary>What the coverage module needs from the registry; implemented by <see cref="DevicesKeeper"/>.</summary>
public interface IDeviceRegistry
{
    DeviceInfo? GetDevice(Context ctx, ReadOnlySpan<byte> deviceKey);

    /// <summary>Active, located devices as (finest grid cell index, device key, mode), sorted by cell then key.</summary>
    IEnumerable<(ulong FinestCell, byte[] DeviceKey, DeviceMode Mode)> LocatedDevices(Context ctx);
}
