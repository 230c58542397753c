using DePinChain.Sdk;

namespace DePinChain.Modules.Rewards;

/// <summary>The "rewards" codespace.</summary>
public static class RewardsErrors
{
    public const string Codespace = "rewards";

    public const uint InvalidParamsCode = 2;
    public const uint InvalidAuthorityCode = 3;
    public const uint InvalidGenesisCode = 4;
    public const uint NotFoundCode = 5;
    public const uint InvalidRequestCode = 6;
    public const uint NotOwnerCode = 7;

    /// <summary>Only <c>params.authority</c> may send the authority messages (the kit's one rule and wording).</summary>
    public static readonly AuthorityRule Authority = new(Codespace, InvalidAuthorityCode);

    public static SdkError InvalidParams(string reason) => new(Codespace, InvalidParamsCode, "invalid rewards params: " + reason);

    public static SdkError InvalidGenesis(string reason) => new(Codespace, InvalidGenesisCode, "invalid rewards genesis: " + reason);

    public static SdkError NotFound(string what) => new(Codespace, NotFoundCode, what + ": not found");

    public static SdkError NotOwner(string device, string signer) => new(Codespace, NotOwnerCode, $"device {device} is not owned by {signer}");

    public static SdkError InvalidRequest(string reason) => new(Codespace, InvalidRequestCode, "invalid rewards request: " + reason);
}
