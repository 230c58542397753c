using DePinChain.Sdk;

namespace DePinChain.Modules.Devices;

// What the registry needs from other modules, and nothing more: the app bridges each to the module that has it
// (app/DePinChain.App/DepinWiring.cs).

/// <summary>Burns fees: moved from the payer to this module's account (burner permission), then destroyed (bank).</summary>
public interface IBankKeeper
{
    void SendCoinsFromAccountToModule(Context ctx, byte[] from, string toModule, Coins amount);

    void BurnCoins(Context ctx, string moduleName, Coins amount);
}

/// <summary>
/// Hears about every fee the registry burned (onboarding, location assertion), right after the burn, so net emissions
/// re-emit them like every other burn (mint).
/// </summary>
public interface IFeeBurnListener
{
    void FeesBurned(Context ctx, Coins burned);
}

/// <summary>
/// Hears about a registered device before it changes (owner, status, location, mode): rewards settles the device's
/// unpaid epochs first, so a payout that runs after an epoch ended still sees the device as the epoch ended with it
/// (as the SDK's staking hooks let distribution withdraw a delegation's rewards before its shares change).
/// </summary>
public interface IDeviceHooks
{
    void BeforeDeviceModified(Context ctx, ReadOnlySpan<byte> deviceKey);
}
