using DePinChain.Sdk;

namespace DePinChain.Modules.DataCredits;

/// <summary>The "datacredits" codespace.</summary>
public static class DataCreditsErrors
{
    public const string Codespace = "datacredits";

    public const uint InvalidParamsCode = 2;
    public const uint InvalidAuthorityCode = 3;
    public const uint InsufficientCreditsCode = 4;
    public const uint RouterNotRegisteredCode = 5;
    public const uint UnknownDeviceCode = 6;
    public const uint NoCreditsBoughtCode = 7;
    public const uint InvalidGenesisCode = 8;
    public const uint CreditOverflowCode = 9;
    public const uint RouterAlreadyRegisteredCode = 10;
    public const uint InvalidRequestCode = 11;

    /// <summary>Only <c>params.authority</c> may send the authority messages (the kit's one rule and wording).</summary>
    public static readonly AuthorityRule Authority = new(Codespace, InvalidAuthorityCode);

    public static SdkError InvalidParams(string reason) => new(Codespace, InvalidParamsCode, "invalid data-credit params: " + reason);

    public static SdkError InsufficientCredits(string reason) => new(Codespace, InsufficientCreditsCode, "insufficient data credits: " + reason);

    public static SdkError RouterNotRegistered(string router) => new(Codespace, RouterNotRegisteredCode, $"router {router} is not registered");

    public static SdkError UnknownDevice(string device) => new(Codespace, UnknownDeviceCode, $"device {device} is not an active registered device");

    public static SdkError NoCreditsBought(string reason) => new(Codespace, NoCreditsBoughtCode, "burn buys no data credits: " + reason);

    public static SdkError InvalidGenesis(string reason) => new(Codespace, InvalidGenesisCode, "invalid data-credits genesis: " + reason);

    public static SdkError CreditOverflow(string reason) => new(Codespace, CreditOverflowCode, "data-credit amount overflows: " + reason);

    public static SdkError RouterAlreadyRegistered(string router) => new(Codespace, RouterAlreadyRegisteredCode, $"router {router} is already registered");

    public static SdkError InvalidRequest(string reason) => new(Codespace, InvalidRequestCode, "invalid data-credits request: " + reason);
}
