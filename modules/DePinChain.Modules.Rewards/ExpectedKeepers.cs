using DePinChain.Sdk;

namespace DePinChain.Modules.Rewards;

/// <summary>One device's proof-of-coverage result for an epoch. Units and scale are fixed point, 10^9 = 1.0.</summary>
/// <param name="BeaconUnits">Beacon units, already density-scaled (coverage applies the scale per beacon).</param>
/// <param name="WitnessUnits">Witness units, already scaled by each beaconer's density scale.</param>
/// <param name="DensityScale">The device's own density scale (at most 1.0), recorded to explain its reward; not applied again.</param>
public sealed record CoverageUnits(byte[] DeviceKey, byte[] Owner, ulong BeaconUnits, ulong WitnessUnits, ulong DensityScale);

/// <summary>
/// What rewards needs from proof of coverage (the "expected keeper"): for an epoch, every device that earned
/// units, with its current owner, sorted by device key (bytewise ascending, no duplicates). The app adapts the
/// coverage and devices keepers to it.
/// </summary>
public interface ICoverageUnitsSource
{
    IReadOnlyList<CoverageUnits> EpochUnits(Context ctx, long epoch);
}

/// <summary>Where a validator's share is paid. Null: nowhere known, the share goes to the treasury.</summary>
public interface IValidatorPayouts
{
    byte[]? PayoutAddress(Context ctx, ReadOnlySpan<byte> consensusAddress);
}
