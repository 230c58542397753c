using DePinChain.Modules.Devices.Geo;
using DePinChain.Protos.Depin.Devices.V1;

namespace DePinChain.Modules.Devices;

/// <summary>An asserted location: where the antenna is, how strong it is, and the plan that follows.</summary>
public sealed record DeviceLocation(GeoPoint Point, int AntennaGainTenthsDbi, int ElevationMetres, Geo.Region Region, ulong Nonce)
{
    public GeoCell Cell => GeoCell.Containing(Point, GeoCell.FinestLevel);
}

/// <summary>What other modules may know about a device: the read model of the registry (enums are the proto's).</summary>
public sealed record DeviceInfo(
    byte[] Key,
    KeyType KeyType,
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
