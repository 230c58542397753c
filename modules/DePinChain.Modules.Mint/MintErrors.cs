using DePinChain.Sdk;

namespace DePinChain.Modules.Mint;

/// <summary>The "mint" codespace. Code 1 is reserved (internal) as in every Cosmos codespace.</summary>
public static class MintErrors
{
    public const string Codespace = "mint";

    public const uint InvalidParamsCode = 2;
    public const uint InvalidAuthorityCode = 3;
    public const uint InvalidGenesisCode = 4;
    public const uint SupplyAboveCapCode = 5;
    public const uint InvalidRequestCode = 6;

    /// <summary>Only <c>params.authority</c> may send MsgUpdateParams (the kit's one rule and wording).</summary>
    public static readonly AuthorityRule Authority = new(Codespace, InvalidAuthorityCode);

    public static SdkError InvalidParams(string reason) => new(Codespace, InvalidParamsCode, "invalid mint params: " + reason);

    public static SdkError InvalidGenesis(string reason) => new(Codespace, InvalidGenesisCode, "invalid mint genesis: " + reason);

    public static SdkError SupplyAboveCap(string supply, string cap)
        => new(Codespace, SupplyAboveCapCode, $"supply {supply} is above the hard cap {cap}");

    public static SdkError InvalidRequest(string reason) => new(Codespace, InvalidRequestCode, "invalid mint query: " + reason);
}
