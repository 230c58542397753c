using DePinChain.Modules.Coverage;
using DePinChain.Modules.DataCredits;
using DePinChain.Modules.Devices;
using DePinChain.Modules.Mint;
using DePinChain.Modules.Rewards;
using DePinChain.Sdk;

namespace DePinChain.App;

/// <summary>
/// Overrides for what the token modules (mint, data credits, rewards) read from outside them: the coverage and
/// device sources (Cosmos "expected keepers"). Tests and benchmarks pass fakes (null = the real keepers); a node
/// passes nothing and gets the real keepers through the adapters below. The modules' authority is not wiring: it
/// is a genesis param of each module (<c>params.authority</c>).
/// </summary>
public sealed record DepinWiring(ICoverageUnitsSource? Coverage = null, IDeviceDirectory? Devices = null);

/// <summary>
/// The registry's fee burns (onboarding, location) as mint hears about them: the burned amount of the mint denom
/// goes to mint's burn recorder, so net emissions re-emit it like the udpin burned for data credits.
/// </summary>
public sealed class DeviceFeeBurnsAdapter(IBurnRecorder burns, IEmissionLedger mint) : IFeeBurnListener
{
    public void FeesBurned(Context ctx, Coins burned) => burns.RecordBurn(ctx, burned.AmountOf(mint.MintDenom(ctx)));
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
