using DePinChain.Modules.Auth;
using DePinChain.Sdk;

namespace DePinChain.Modules.Mint;

/// <summary>
/// The authority of the mint, data-credits and rewards modules: an account address kept in each module's params
/// (set at genesis, replaced only by the authority's own MsgUpdateParams), compared as address bytes.
/// </summary>
public static class ModuleAuthority
{
    /// <summary>The name whose module address is the default authority (as in the Cosmos SDK).</summary>
    public const string GovModuleName = "gov";

    /// <summary>
    /// The default: the "gov" module address. No key signs for it, so until a governance module exists a chain that
    /// wants to change these params sets its own authority at genesis (<c>depinchaind genesis set-authority</c>).
    /// </summary>
    public static string Default => Bech32Address.ToBech32(AuthKeys.ModuleAddress(GovModuleName));

    /// <summary>Null when <paramref name="authority"/> is a valid account address, else why not.</summary>
    public static string? Problem(string? authority)
    {
        if (string.IsNullOrEmpty(authority)) return "authority is empty";
        try
        {
            Bech32Address.Parse(authority);
            return null;
        }
        catch (SdkError e)
        {
            return "authority: " + e.Message;
        }
    }

    /// <summary>True when <paramref name="signer"/> is the same account as <paramref name="authority"/>.</summary>
    public static bool Is(string authority, string signer)
        => !string.IsNullOrEmpty(authority) && Bech32Address.Parse(authority).AsSpan().SequenceEqual(Bech32Address.Parse(signer));
}
