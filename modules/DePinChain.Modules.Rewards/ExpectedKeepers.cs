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

/// <summary>
/// One page of an epoch's devices from a source, in key order: every device the source has for the epoch with a key
/// in (after, <paramref name="Bound"/>], sorted bytewise, no duplicates. <paramref name="Bound"/> null: through the last
/// device. A source bounds the work of a page by the limit it is given (entries it examined, kept or not).
/// </summary>
public sealed record SourcePage<T>(IReadOnlyList<T> Items, byte[]? Bound);

/// <summary>An epoch's paid traffic and today's price (data credits).</summary>
public interface IPaidTraffic
{
    /// <summary>Σ DC burned for the epoch's traffic, over every device (kept as traffic is reported: O(1)).</summary>
    ulong EpochTotalDc(Context ctx, long epoch);

    /// <summary>One device's paid traffic in the epoch, or null.</summary>
    TrafficRecord? DeviceTraffic(Context ctx, long epoch, ReadOnlySpan<byte> deviceKey);

    /// <summary>The epoch's traffic records after <paramref name="after"/> (null: from the first), at most <paramref name="limit"/>.</summary>
    SourcePage<TrafficRecord> EpochTrafficPage(Context ctx, long epoch, byte[]? after, int limit);

    /// <summary>DC per DPIN (10^6 udpin) at this moment.</summary>
    ulong DcPerDpin(Context ctx);
}

/// <summary>Device owners (devices).</summary>
public interface IDeviceDirectory
{
    /// <summary>The owner's account address, or null when no active device has this key (who a traffic-only device pays).</summary>
    byte[]? GetActiveDeviceOwner(Context ctx, ReadOnlySpan<byte> deviceKey);

    /// <summary>The registered owner whatever the device's status, or null for an unknown key (who may claim).</summary>
    byte[]? GetDeviceOwner(Context ctx, ReadOnlySpan<byte> deviceKey);

    /// <summary>The keys of every device <paramref name="owner"/> owns now (for the owner query of an epoch still being paid).</summary>
    IEnumerable<byte[]> DevicesOf(Context ctx, byte[] owner);
}

/// <summary>One device's proof-of-coverage result for an epoch. Units and scale are fixed point, 10^9 = 1.0.</summary>
/// <param name="BeaconUnits">Beacon units, already density-scaled (coverage applies the scale per beacon).</param>
/// <param name="WitnessUnits">Witness units, already scaled by each beaconer's density scale.</param>
/// <param name="DensityScale">The device's own density scale at the epoch's end (at most 1.0), recorded to explain its reward; not applied again.</param>
public sealed record CoverageUnits(byte[] DeviceKey, byte[] Owner, ulong BeaconUnits, ulong WitnessUnits, ulong DensityScale);

/// <summary>
/// For an epoch, every device that earned proof-of-coverage units, with its owner (coverage, joined with devices).
/// What a source answers for an ended epoch must not change while the epoch's payout runs: units are written only
/// in their own epoch, the owner and location of a device are settled before they change (<see cref="RewardsKeeper.SettleDevice"/>
/// is the devices module's hook) and the density scale is the one the epoch ended with.
/// </summary>
public interface ICoverageUnitsSource
{
    /// <summary>Σ beacon units and Σ witness units over every device of the epoch (kept as reports are recorded: O(1)).</summary>
    (ulong Beacon, ulong Witness) EpochTotals(Context ctx, long epoch);

    /// <summary>One device's units in the epoch, or null when it earned none.</summary>
    CoverageUnits? DeviceUnits(Context ctx, long epoch, ReadOnlySpan<byte> deviceKey);

    /// <summary>The epoch's devices with units after <paramref name="after"/> (null: from the first), examining at most about <paramref name="limit"/> entries.</summary>
    SourcePage<CoverageUnits> EpochUnitsPage(Context ctx, long epoch, byte[]? after, int limit);
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
