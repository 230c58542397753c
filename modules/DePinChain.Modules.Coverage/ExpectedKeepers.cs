using DePinChain.Modules.Devices;
using DePinChain.Sdk;

namespace DePinChain.Modules.Coverage;

// What proof of coverage needs from other modules, and nothing more: the app bridges each to the module that has it
// (app/DePinChain.App/DepinWiring.cs). Device types (DeviceInfo, geo) are the devices' domain library's.

/// <summary>The device registry as proof of coverage reads it (devices).</summary>
public interface IDeviceRegistry
{
    DeviceInfo? GetDevice(Context ctx, ReadOnlySpan<byte> deviceKey);

    /// <summary>Active, located, full-mode devices per finest grid cell in [first, last], by cell (empty cells left out).</summary>
    IEnumerable<(ulong FinestCell, long Devices)> FullDeviceCounts(Context ctx, ulong firstCell, ulong lastCell);

    /// <summary>The finest cells whose full-device count changed since the last call, sorted; the registry forgets them.</summary>
    IReadOnlyList<ulong> TakeChangedDensityCells(Context ctx);
}

/// <summary>
/// The chain's epochs (mint's schedule), so reports, units and rewards share one definition. Epochs are consecutive
/// height ranges numbered from 0; a height starts an epoch when its epoch differs from the previous height's.
/// </summary>
public interface IEpochClock
{
    long EpochOf(Context ctx, long height);
}
