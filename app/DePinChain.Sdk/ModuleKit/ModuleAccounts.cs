using System.Security.Cryptography;
using System.Text;

namespace DePinChain.Sdk;

/// <summary>
/// Module accounts as every module names them: the address of a module's account, and the permissions the app may
/// give it (auth stores the accounts and permissions; bank checks them when minting and burning).
/// </summary>
public static class ModuleAccounts
{
    /// <summary>Permission to create coins (bank MintCoins).</summary>
    public const string Minter = "minter";

    /// <summary>Permission to destroy coins (bank BurnCoins).</summary>
    public const string Burner = "burner";

    /// <summary>A module account's address: the first 20 bytes of SHA-256(name), as the SDK's address.Module(name).</summary>
    public static byte[] Address(string moduleName) => SHA256.HashData(Encoding.UTF8.GetBytes(moduleName))[..20];
}
