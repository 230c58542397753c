using DePinChain.Modules.Auth;
using DePinChain.Modules.DataCredits;
using DePinChain.Modules.Rewards;
using DePinChain.Sdk;

namespace DePinChain.App;

/// <summary>
/// What the token modules (mint, data credits, rewards) need from outside them: the governance authority and the
/// proof-of-coverage and device-registry sources (Cosmos "expected keepers"). Tests pass fakes; the node uses
/// <see cref="Default"/>.
/// </summary>
public sealed record DepinWiring(byte[] Authority, ICoverageUnitsSource Coverage, IDeviceDirectory Devices)
{
    /// <summary>
    /// Authority: the "gov" module address, as in the SDK. Coverage and devices: placeholders until the Devices and
    /// Coverage modules are on main — replace them with adapters over the devices and coverage keepers
    /// (see modules/DePinChain.Modules.Rewards/README.md). Until then every epoch's coverage share goes to the
    /// treasury and traffic reports are refused (no device is known).
    /// </summary>
    public static DepinWiring Default => new(AuthKeys.ModuleAddress("gov"), CoverageNotWiredYet.Instance, CoverageNotWiredYet.Instance);
}

/// <summary>No devices and no coverage: the placeholder for <see cref="DepinWiring.Default"/> until Devices/Coverage are wired.</summary>
public sealed class CoverageNotWiredYet : ICoverageUnitsSource, IDeviceDirectory
{
    public static readonly CoverageNotWiredYet Instance = new();

    public IReadOnlyList<CoverageUnits> EpochUnits(Context ctx, long epoch) => [];

    public byte[]? GetActiveDeviceOwner(Context ctx, ReadOnlySpan<byte> deviceKey) => null;
}
