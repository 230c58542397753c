using DePinChain.Sdk;

namespace DePinChain.Modules.Distribution;

/// <summary>The "distribution" codespace, with the SDK's codes (x/distribution/types/errors.go).</summary>
public static class DistributionErrors
{
    public const string Codespace = "distribution";

    public static SdkError EmptyDelegatorAddr() => new(Codespace, 2, "delegator address is empty");

    public static SdkError EmptyWithdrawAddr() => new(Codespace, 3, "withdraw address is empty");

    public static SdkError EmptyValidatorAddr() => new(Codespace, 4, "validator address is empty");

    public static SdkError EmptyDelegationDistInfo() => new(Codespace, 5, "no delegation distribution info");

    public static SdkError NoValidatorDistInfo() => new(Codespace, 6, "no validator distribution info");

    public static SdkError NoValidatorCommission() => new(Codespace, 7, "no validator commission to withdraw");

    public static SdkError SetWithdrawAddrDisabled() => new(Codespace, 8, "set withdraw address disabled");

    public static SdkError BadDistribution(string why) => new(Codespace, 9, "community pool does not have sufficient coins to distribute: " + why);

    public static SdkError NoValidatorExists(string validator) => new(Codespace, 12, $"validator {validator} does not exist");

    public static SdkError NoDelegationExists(string delegator, string validator) => new(Codespace, 13, $"delegation with delegator {delegator} not found for validator {validator}: delegation does not exist");

    /// <summary>Invalid genesis or params (our own code: the SDK returns plain errors there).</summary>
    public static SdkError InvalidGenesis(string why) => new(Codespace, 14, "invalid distribution genesis: " + why);
}
