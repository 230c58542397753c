using DePinChain.Sdk;
using Auth = DePinChain.Modules.Auth;
using Bank = DePinChain.Modules.Bank;
using Coverage = DePinChain.Modules.Coverage;
using DataCredits = DePinChain.Modules.DataCredits;
using Devices = DePinChain.Modules.Devices;
using Mint = DePinChain.Modules.Mint;
using Rewards = DePinChain.Modules.Rewards;

namespace DePinChain.App;

// The bridges between modules. Each module declares what it needs from the others in its own ExpectedKeepers.cs, and
// nothing else of theirs is in reach (a module project references only Sdk and Protos). Here each providing keeper is
// wrapped once, in one bridge that implements every consumer's interface for it: what app.go does in the Cosmos SDK by
// passing app.BankKeeper to each NewKeeper. AppModules builds the bridges and hands them to the keepers.

/// <summary>
/// Overrides for what the token modules (data credits, rewards) read from outside them: the coverage and device
/// sources. Tests and benchmarks pass fakes (null = the real keepers); a node passes nothing and gets the real keepers
/// through the bridges below. The modules' authority is not wiring: it is a genesis param of each module
/// (<c>params.authority</c>).
/// </summary>
public sealed record DepinWiring(Rewards.ICoverageUnitsSource? Coverage = null, IDeviceOwners? Devices = null);

/// <summary>The owner of an active device, as data credits and rewards read it (what <see cref="DepinWiring"/>'s fakes implement).</summary>
public interface IDeviceOwners : DataCredits.IDeviceDirectory, Rewards.IDeviceDirectory;

/// <summary>Auth's accounts, for rewards.</summary>
public sealed class AccountsBridge(Auth.AccountKeeper accounts) : Rewards.IAccountKeeper
{
    public bool IsModuleAddress(ReadOnlySpan<byte> address) => accounts.IsModuleAddress(address);
}

/// <summary>Bank, for mint, data credits and rewards.</summary>
public sealed class BankBridge(Bank.BankKeeper bank) : Mint.IBankKeeper, DataCredits.IBankKeeper, Rewards.IBankKeeper
{
    public System.Numerics.BigInteger GetSupply(Context ctx, string denom) => bank.GetSupply(ctx, denom);

    public void MintCoins(Context ctx, string moduleName, Coins amount) => bank.MintCoins(ctx, moduleName, amount);

    public void SendCoinsFromAccountToModule(Context ctx, byte[] from, string toModule, Coins amount)
        => bank.SendCoinsFromAccountToModule(ctx, from, toModule, amount);

    public void SendCoinsFromModuleToAccount(Context ctx, string fromModule, byte[] to, Coins amount)
        => bank.SendCoinsFromModuleToAccount(ctx, fromModule, to, amount);

    public void SendCoinsFromModuleToModule(Context ctx, string fromModule, string toModule, Coins amount)
        => bank.SendCoinsFromModuleToModule(ctx, fromModule, toModule, amount);

    public void BurnCoins(Context ctx, string moduleName, Coins amount) => bank.BurnCoins(ctx, moduleName, amount);
}

/// <summary>
/// Mint's epochs (one chain-wide definition), emissions and burn ledger, for devices, coverage, data credits and
/// rewards. The registry's fee burns (onboarding, location) reach mint here: the burned amount of the mint denom is
/// recorded, so net emissions re-emit it like the udpin burned for data credits.
/// </summary>
public sealed class MintBridge(Mint.MintKeeper mint)
    : Devices.IFeeBurnListener, Coverage.ICoverageEpochClock,
      DataCredits.IEpochClock, DataCredits.IBurnRecorder, Rewards.IEpochClock, Rewards.IEmissionLedger
{
    public void FeesBurned(Context ctx, Coins burned) => mint.RecordBurn(ctx, burned.AmountOf(mint.MintDenom(ctx)));

    public long EpochOf(Context ctx, long height) => mint.EpochOf(ctx, height);

    public bool IsLastBlockOfEpoch(Context ctx, long height) => mint.IsLastBlockOfEpoch(ctx, height);

    public void RecordBurn(Context ctx, System.Numerics.BigInteger amount) => mint.RecordBurn(ctx, amount);

    public string MintDenom(Context ctx) => mint.MintDenom(ctx);

    public Protos.Depin.Mint.V1.EpochEmission? GetLastEmission(Context ctx) => mint.GetLastEmission(ctx);
}

/// <summary>Data credits' paid traffic and price, for rewards.</summary>
public sealed class DataCreditsBridge(DataCredits.DataCreditsKeeper credits) : Rewards.IPaidTraffic
{
    public IEnumerable<Protos.Depin.DataCredits.V1.TrafficRecord> EpochTraffic(Context ctx, long epoch) => credits.EpochTraffic(ctx, epoch);

    public ulong DcPerDpin(Context ctx) => credits.DcPerDpin(ctx);
}

/// <summary>Coverage's per-epoch units as rewards reads them (same order: by device key; same fixed point).</summary>
public sealed class CoverageUnitsAdapter(Coverage.CoverageKeeper coverage) : Rewards.ICoverageUnitsSource
{
    public IReadOnlyList<Rewards.CoverageUnits> EpochUnits(Context ctx, long epoch)
        => [.. coverage.UnitsForEpoch(ctx, checked((ulong)epoch)).Select(u => new Rewards.CoverageUnits(
               u.DeviceKey, u.Owner, checked((ulong)u.BeaconUnits), checked((ulong)u.WitnessUnits), checked((ulong)u.DensityScale)))];
}

/// <summary>Active devices and their owners, for traffic reports and traffic rewards.</summary>
public sealed class DeviceDirectoryAdapter(Devices.DevicesKeeper devices) : IDeviceOwners
{
    public byte[]? GetActiveDeviceOwner(Context ctx, ReadOnlySpan<byte> deviceKey)
        => devices.GetDevice(ctx, deviceKey) is { IsActive: true } d ? d.Owner : null;
}
