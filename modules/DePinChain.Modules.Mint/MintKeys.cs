using DePinChain.Sdk;

namespace DePinChain.Modules.Mint;

/// <summary>The mint module's name (store, module account, app_state key) and store layout.</summary>
public static class MintKeys
{
    public const string ModuleName = "mint";

    public const string DefaultDenom = "udpin";

    internal const byte ParamsKey = 0x01;
    internal const byte ScheduleKey = 0x02;
    internal const byte MinterKey = 0x03;
    internal const byte LastEmissionKey = 0x04;
}

/// <summary>The "mint" codespace. Code 1 is reserved (internal) as in every Cosmos codespace.</summary>
public static class MintErrors
{
    public const string Codespace = "mint";

    public const uint InvalidParamsCode = 2;
    public const uint InvalidAuthorityCode = 3;
    public const uint InvalidGenesisCode = 4;
    public const uint SupplyAboveCapCode = 5;
    public const uint InvalidRequestCode = 6;

    public static SdkError InvalidParams(string reason) => new(Codespace, InvalidParamsCode, "invalid mint params: " + reason);

    public static SdkError InvalidAuthority(string expected, string got)
        => new(Codespace, InvalidAuthorityCode, $"invalid authority; expected {expected}, got {got}");

    public static SdkError InvalidGenesis(string reason) => new(Codespace, InvalidGenesisCode, "invalid mint genesis: " + reason);

    public static SdkError SupplyAboveCap(string supply, string cap)
        => new(Codespace, SupplyAboveCapCode, $"supply {supply} is above the hard cap {cap}");

    public static SdkError InvalidRequest(string reason) => new(Codespace, InvalidRequestCode, "invalid mint query: " + reason);
}
