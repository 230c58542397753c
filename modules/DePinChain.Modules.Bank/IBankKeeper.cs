using System.Numerics;
using DePinChain.Sdk;

namespace DePinChain.Modules.Bank;

/// <summary>What other modules need from bank: balances, transfers between accounts and module accounts, mint and burn.</summary>
public interface IBankKeeper
{
    BigInteger GetBalance(Context ctx, ReadOnlySpan<byte> address, string denom);

    /// <summary>Every non-zero balance of the account, sorted by denom.</summary>
    Coins GetAllBalances(Context ctx, ReadOnlySpan<byte> address);

    BigInteger GetSupply(Context ctx, string denom);

    /// <exception cref="SdkError">Insufficient funds (code 5).</exception>
    void SendCoins(Context ctx, byte[] from, byte[] to, Coins amount);

    void SendCoinsFromAccountToModule(Context ctx, byte[] from, string toModule, Coins amount);

    void SendCoinsFromModuleToAccount(Context ctx, string fromModule, byte[] to, Coins amount);

    void SendCoinsFromModuleToModule(Context ctx, string fromModule, string toModule, Coins amount);

    /// <summary>Creates coins in a module account that has the minter permission; supply grows by the same amount.</summary>
    void MintCoins(Context ctx, string moduleName, Coins amount);

    /// <summary>Destroys coins held by a module account that has the burner permission; supply shrinks by the same amount.</summary>
    void BurnCoins(Context ctx, string moduleName, Coins amount);
}
