namespace DePinChain.Sdk;

/// <summary>
/// The one authority rule of every module that has one (its <c>params.authority</c>): an account address kept in the
/// module's params, set at genesis (<c>depinchaind genesis set-authority</c> sets it in every such module at once),
/// compared as address bytes. The default is the <c>gov</c> module address, as in the Cosmos SDK: no key signs for it,
/// so a chain that wants to change such params sets its own authority at genesis. Anyone else sending an authority
/// message gets the module's <see cref="AuthorityRule"/> error.
/// </summary>
public static class ModuleAuthority
{
    /// <summary>The name whose module address is the default authority (as in the Cosmos SDK).</summary>
    public const string GovModuleName = "gov";

    /// <summary>The default authority: the <c>gov</c> module address.</summary>
    public static string Default { get; } = Bech32Address.ToBech32(ModuleAccounts.Address(GovModuleName));

    /// <summary>Null when <paramref name="authority"/> is a valid account address, else why not (for the module's invalid-params error).</summary>
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

/// <summary>
/// A module's authority check and its one error: "invalid authority; expected X, got Y" with the module's codespace and
/// its <c>InvalidAuthorityCode</c> (declared in the module's Errors file; 3 where that number was free).
/// </summary>
public sealed class AuthorityRule(string codespace, uint code)
{
    public string Codespace { get; } = codespace;

    public uint Code { get; } = code;

    /// <exception cref="SdkError">The signer is not the authority (the module's invalid-authority code).</exception>
    public void Require(string authority, string signer)
    {
        if (!ModuleAuthority.Is(authority, signer)) throw Invalid(authority, signer);
    }

    public SdkError Invalid(string expected, string got) => new(Codespace, Code, $"invalid authority; expected {expected}, got {got}");
}
