using System.Numerics;
using DePinChain.Sdk;

namespace DePinChain.Modules.Mint;

// What mint needs from other modules, and nothing more: the app bridges it (app/DePinChain.App/DepinWiring.cs).

/// <summary>Reads the supply, mints into the mint account and moves the emission to the pool (bank).</summary>
public interface IBankKeeper
{
    BigInteger GetSupply(Context ctx, string denom);

    /// <summary>Creates coins in a module account with the minter permission; the supply grows by the same amount.</summary>
    void MintCoins(Context ctx, string moduleName, Coins amount);

    void SendCoinsFromModuleToModule(Context ctx, string fromModule, string toModule, Coins amount);
}
