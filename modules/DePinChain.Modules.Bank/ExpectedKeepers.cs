using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Bank;

// What bank needs from other modules, and nothing more: the app bridges it (app/DePinChain.App/DepinWiring.cs).

/// <summary>Accounts and module accounts (auth).</summary>
public interface IAccountKeeper
{
    bool HasAccount(Context ctx, ReadOnlySpan<byte> address);

    /// <summary>Creates and stores a new account with the next account number (receiving coins creates the account).</summary>
    BaseAccount CreateAccount(Context ctx, ReadOnlySpan<byte> address);

    /// <summary>True when <paramref name="address"/> belongs to a declared module account (they never receive sends).</summary>
    bool IsModuleAddress(ReadOnlySpan<byte> address);

    /// <summary>True when the declared module account <paramref name="moduleName"/> has <paramref name="permission"/>
    /// (<see cref="ModuleAccounts.Minter"/>, <see cref="ModuleAccounts.Burner"/>).</summary>
    bool HasPermission(string moduleName, string permission);

    /// <summary>Creates the module account if it does not exist yet; returns its address.</summary>
    /// <exception cref="InvalidOperationException">No such module account is declared.</exception>
    byte[] EnsureModuleAccount(Context ctx, string moduleName);
}
