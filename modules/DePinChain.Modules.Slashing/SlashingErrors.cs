using DePinChain.Sdk;

namespace DePinChain.Modules.Slashing;

/// <summary>The "slashing" codespace, numbered as cosmos-sdk x/slashing/types/errors.go.</summary>
public static class SlashingErrors
{
    public const string Codespace = "slashing";

    public const uint NoValidatorForAddressCode = 2;
    public const uint BadValidatorAddrCode = 3;
    public const uint ValidatorJailedCode = 4;
    public const uint ValidatorNotJailedCode = 5;
    public const uint MissingSelfDelegationCode = 6;
    public const uint SelfDelegationTooLowToUnjailCode = 7;
    public const uint NoSigningInfoFoundCode = 8;
    public const uint ValidatorTombstonedCode = 9;
    // Not in the SDK's list (its params errors are plain errors): bad params or genesis.
    public const uint InvalidParamsCode = 100;

    public static SdkError NoValidatorForAddress() => new(Codespace, NoValidatorForAddressCode, "address is not associated with any known validator");

    public static SdkError ValidatorJailed() => new(Codespace, ValidatorJailedCode, "validator still jailed; cannot be unjailed");

    public static SdkError ValidatorNotJailed() => new(Codespace, ValidatorNotJailedCode, "validator not jailed; cannot be unjailed");

    public static SdkError MissingSelfDelegation() => new(Codespace, MissingSelfDelegationCode, "validator has no self-delegation; cannot be unjailed");

    public static SdkError SelfDelegationTooLowToUnjail(string detail)
        => new(Codespace, SelfDelegationTooLowToUnjailCode, detail + ": validator's self delegation less than minimum; cannot be unjailed");

    public static SdkError NoSigningInfoFound(string detail) => new(Codespace, NoSigningInfoFoundCode, detail + ": no validator signing info found");

    public static SdkError InvalidParams(string reason) => new(Codespace, InvalidParamsCode, "invalid slashing params: " + reason);
}
