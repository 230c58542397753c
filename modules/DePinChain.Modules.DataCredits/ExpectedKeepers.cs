using System.Numerics;
using DePinChain.Sdk;

namespace DePinChain.Modules.DataCredits;

// What data credits needs from other modules, and nothing more: the app bridges each to the module that has it
// (app/DePinChain.App/DepinWiring.cs).

/// <summary>Takes the udpin paid for DC into this module's account and burns it (bank).</summary>
public interface IBankKeeper
{
    void SendCoinsFromAccountToModule(Context ctx, byte[] from, string toModule, Coins amount);

    void BurnCoins(Context ctx, string moduleName, Coins amount);
}

/// <summary>Hears about every udpin burned for DC, so net emissions can re-emit a bounded share of it (mint).</summary>
public interface IBurnRecorder
{
    void RecordBurn(Context ctx, BigInteger amount);
}

/// <summary>The chain's epochs, which traffic is recorded and pruned by (mint's schedule).</summary>
public interface IEpochClock
{
    long EpochOf(Context ctx, long height);

    bool IsLastBlockOfEpoch(Context ctx, long height);
}

/// <summary>The owner of an active device: traffic is reported for active devices only (devices).</summary>
public interface IDeviceDirectory
{
    /// <summary>The owner's account address, or null when no active device has this key.</summary>
    byte[]? GetActiveDeviceOwner(Context ctx, ReadOnlySpan<byte> deviceKey);
}

/// <summary>
/// Which ended epochs' traffic a reader still needs (rewards: the oldest epoch whose payout still runs reads each
/// device's traffic as it settles it). Traffic of that epoch and later is kept past the retention until released.
/// </summary>
public interface ITrafficHold
{
    /// <summary>The oldest epoch still read, or null when none is.</summary>
    long? OldestEpochInUse(Context ctx);
}
