using DePinChain.Sdk;

namespace DePinChain.Modules.Auth;

/// <summary>The auth module's name, store layout and well-known module accounts.</summary>
public static class AuthKeys
{
    public const string ModuleName = "auth";

    /// <summary>Collects every tx's fee; a module account without permissions.</summary>
    public const string FeeCollectorName = "fee_collector";

    /// <summary>Module-account permission to create coins (bank MintCoins).</summary>
    public const string Minter = ModuleAccounts.Minter;

    /// <summary>Module-account permission to destroy coins (bank BurnCoins).</summary>
    public const string Burner = ModuleAccounts.Burner;

    public const string BaseAccountTypeUrl = "/cosmos.auth.v1beta1.BaseAccount";
    public const string ModuleAccountTypeUrl = "/cosmos.auth.v1beta1.ModuleAccount";
    public const string Secp256k1PubKeyTypeUrl = "/cosmos.crypto.secp256k1.PubKey";

    // One-byte prefixes, as in x/auth/types/keys.go.
    internal const byte ParamsKey = 0x00;
    internal const byte AccountPrefix = 0x01;
    internal const byte GlobalAccountNumberKey = 0x02;

    internal static byte[] AccountKey(ReadOnlySpan<byte> address) => KeyCodec.Bytes(AccountPrefix, address);

    /// <summary>A module account's address: the first 20 bytes of SHA-256(name), as the SDK's address.Module(name).</summary>
    public static byte[] ModuleAddress(string moduleName) => ModuleAccounts.Address(moduleName);
}

/// <summary>A module account the app declares, with what it may do to the supply.</summary>
public sealed record ModuleAccountPermission(string Name, params string[] Permissions);
