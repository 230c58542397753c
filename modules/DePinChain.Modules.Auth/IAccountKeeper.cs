using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Auth;

/// <summary>What other modules need from auth: accounts by address, and module accounts with their permissions.</summary>
public interface IAccountKeeper
{
    /// <summary>The account at <paramref name="address"/> (a module account's base account), or null.</summary>
    BaseAccount? GetAccount(Context ctx, ReadOnlySpan<byte> address);

    bool HasAccount(Context ctx, ReadOnlySpan<byte> address);

    /// <summary>Creates and stores a new account with the next account number.</summary>
    BaseAccount CreateAccount(Context ctx, ReadOnlySpan<byte> address);

    /// <summary>Stores a (non-module) account.</summary>
    void SetAccount(Context ctx, BaseAccount account);

    byte[] GetModuleAddress(string moduleName);

    /// <summary>True when <paramref name="address"/> belongs to a declared module account.</summary>
    bool IsModuleAddress(ReadOnlySpan<byte> address);

    /// <summary>True when the declared module account <paramref name="moduleName"/> has <paramref name="permission"/>.</summary>
    bool HasPermission(string moduleName, string permission);

    /// <summary>Creates the module account if it does not exist yet; returns its address.</summary>
    /// <exception cref="InvalidOperationException">No such module account is declared.</exception>
    byte[] EnsureModuleAccount(Context ctx, string moduleName);
}
