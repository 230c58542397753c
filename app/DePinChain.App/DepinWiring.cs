using DePinChain.Modules.Auth;
using DePinChain.Modules.Coverage;
using DePinChain.Modules.DataCredits;
using DePinChain.Modules.Devices;
using DePinChain.Modules.Mint;
using DePinChain.Modules.Rewards;
using DePinChain.Sdk;

namespace DePinChain.App;

/// <summary>
/// Overrides for what the token modules (mint, data credits, rewards) read from outside them: the governance
/// authority and the coverage and device sources (Cosmos "expected keepers"). Tests pass fakes, or only an
/// authority they can sign for (null sources = the real keepers); a node passes nothing and gets the "gov"
/// authority and the real keepers through the adapters below.
/// </summary>
public sealed record DepinWiring(byte[] Authority, ICoverageUnitsSource? Coverage = null, IDeviceDirectory? Devices = null)
{
    /// <summary>The "gov" module address, as in the SDK: the authority until a governance module exists.</summary>
    public static byte[] GovAuthority => AuthKeys.ModuleAddress("gov");
}

/// <summary>Coverage's per-epoch units as rewards reads them (same order: by device key; same fixed point).</summary>
public sealed class CoverageUnitsAdapter(CoverageKeeper coverage) : ICoverageUnitsSource
{
    public IReadOnlyList<CoverageUnits> EpochUnits(Context ctx, long epoch)
        => [.. coverage.UnitsForEpoch(ctx, checked((ulong)epoch)).Select(u => new CoverageUnits(
               u.DeviceKey, u.Owner, checked((ulong)u.BeaconUnits), checked((ulong)u.WitnessUnits), checked((ulong)u.DensityScale)))];
}

/// <summary>Active devices and their owners, for traffic reports and traffic rewards.</summary>
public sealed class DeviceDirectoryAdapter(DevicesKeeper devices) : IDeviceDirectory
{
    public byte[]? GetActiveDeviceOwner(Context ctx, ReadOnlySpan<byte> deviceKey)
        => devices.GetDevice(ctx, deviceKey) is { IsActive: true } d ? d.Owner : null;
}

/// <summary>Mint's epoch clock as coverage reads it: one chain-wide definition of epochs.</summary>
public sealed class CoverageEpochClockAdapter(IEpochClock mint) : ICoverageEpochClock
{
    public long EpochOf(Context ctx, long height) => mint.EpochOf(ctx, height);
}
