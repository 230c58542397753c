using DePinChain.Protos.Depin.DataCredits.V1;
using DePinChain.Protos.Depin.Mint.V1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Rewards;

// What rewards needs from other modules, and nothing more: the app bridges each to the module that has it
// (app/DePinChain.App/DepinWiring.cs). Rewards reads and pays; it calls nothing else.

/// <summary>Pays from the rewards pool (bank).</summary>
public interface IBankKeeper
{
    void SendCoinsFromModuleToAccount(Context ctx, string fromModule, byte[] to, Coins amount);

    void SendCoinsFromModuleToModule(Context ctx, string fromModule, string toModule, Coins amount);
}

/// <summary>Which addresses are module accounts, which never receive rewards (auth).</summary>
public interface IAccountKeeper
{
    bool IsModuleAddress(ReadOnlySpan<byte> address);
}

/// <summary>The chain's epochs (mint's schedule).</summary>
public interface IEpochClock
{
    long EpochOf(Context ctx, long height);

    bool IsLastBlockOfEpoch(Context ctx, long height);
}

/// <summary>What the last epoch end minted into the rewards pool (mint).</summary>
public interface IEmissionLedger
{
    string MintDenom(Context ctx);

    /// <summary>The emission of the most recent epoch end, or null before the first.</summary>
    EpochEmission? GetLastEmission(Context ctx);
}

/// <summary>An epoch's paid traffic and today's price (data credits).</summary>
public interface IPaidTraffic
{
    /// <summary>Every device's paid traffic in <paramref name="epoch"/>, sorted by device key (bytewise).</summary>
    IEnumerable<TrafficRecord> EpochTraffic(Context ctx, long epoch);

    /// <summary>DC per DPIN (10^6 udpin) at this moment.</summary>
    ulong DcPerDpin(Context ctx);
}

/// <summary>The owner of an active device, for devices that only carried traffic (devices).</summary>
public interface IDeviceDirectory
{
    /// <summary>The owner's account address, or null when no active device has this key.</summary>
    byte[]? GetActiveDeviceOwner(Context ctx, ReadOnlySpan<byte> deviceKey);
}

/// <summary>One device's proof-of-coverage result for an epoch. Units and scale are fixed point, 10^9 = 1.0.</summary>
/// <param name="BeaconUnits">Beacon units, already density-scaled (coverage applies the scale per beacon).</param>
/// <param name="WitnessUnits">Witness units, already scaled by each beaconer's density scale.</param>
/// <param name="DensityScale">The device's own density scale (at most 1.0), recorded to explain its reward; not applied again.</param>
public sealed record CoverageUnits(byte[] DeviceKey, byte[] Owner, ulong BeaconUnits, ulong WitnessUnits, ulong DensityScale);

/// <summary>
/// For an epoch, every device that earned proof-of-coverage units, with its current owner, sorted by device key
/// (bytewise ascending, no duplicates) (coverage, joined with devices for the owner).
/// </summary>
public interface ICoverageUnitsSource
{
    IReadOnlyList<CoverageUnits> EpochUnits(Context ctx, long epoch);
}

/// <summary>
/// Where a validator's share of an epoch's emission goes (distribution: commission, then its delegators by F1).
/// </summary>
public interface IValidatorRewardSink
{
    /// <summary>
    /// Moves <paramref name="amount"/> from <paramref name="fromModule"/> to the validator's rewards; returns its
    /// operator address (depinvaloper1…), or null when no validator has that consensus address (nothing moved).
    /// </summary>
    string? PayValidator(Context ctx, ReadOnlySpan<byte> consensusAddress, string fromModule, Coins amount);
}
