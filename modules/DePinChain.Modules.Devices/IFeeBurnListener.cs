using DePinChain.Sdk;

namespace DePinChain.Modules.Devices;

/// <summary>
/// Hears about every fee the registry burned (onboarding, location assertion), right after the burn. The app
/// forwards them to mint's burn recorder, so that net emissions re-emit them like every other burn.
/// </summary>
public interface IFeeBurnListener
{
    void FeesBurned(Context ctx, Coins burned);
}
