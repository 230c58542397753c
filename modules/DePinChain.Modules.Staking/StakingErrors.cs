using DePinChain.Sdk;

namespace DePinChain.Modules.Staking;

/// <summary>The "staking" codespace, with the SDK's code numbers and texts (x/staking/types/errors.go).</summary>
public static class StakingErrors
{
    public const string Codespace = "staking";

    private static SdkError E(uint code, string text, string? detail) => new(Codespace, code, detail is null ? text : $"{detail}: {text}");

    public static SdkError EmptyValidatorAddr(string? d = null) => E(2, "empty validator address", d);
    public static SdkError NoValidatorFound(string? d = null) => E(3, "validator does not exist", d);
    public static SdkError ValidatorOwnerExists(string? d = null) => E(4, "validator already exist for this operator address; must use new validator operator address", d);
    public static SdkError ValidatorPubKeyExists(string? d = null) => E(5, "validator already exist for this pubkey; must use new validator pubkey", d);
    public static SdkError ValidatorPubKeyTypeNotSupported(string? d = null) => E(6, "validator pubkey type is not supported", d);
    public static SdkError ValidatorJailed(string? d = null) => E(7, "validator for this address is currently jailed", d);
    public static SdkError BadRemoveValidator(string? d = null) => E(8, "failed to remove validator", d);
    public static SdkError CommissionNegative(string? d = null) => E(9, "commission must be positive", d);
    public static SdkError CommissionHuge(string? d = null) => E(10, "commission cannot be more than 100%", d);
    public static SdkError CommissionGTMaxRate(string? d = null) => E(11, "commission cannot be more than the max rate", d);
    public static SdkError CommissionUpdateTime(string? d = null) => E(12, "commission cannot be changed more than once in 24h", d);
    public static SdkError CommissionChangeRateNegative(string? d = null) => E(13, "commission change rate must be positive", d);
    public static SdkError CommissionChangeRateGTMaxRate(string? d = null) => E(14, "commission change rate cannot be more than the max rate", d);
    public static SdkError CommissionGTMaxChangeRate(string? d = null) => E(15, "commission cannot be changed more than max change rate", d);
    public static SdkError SelfDelegationBelowMinimum(string? d = null) => E(16, "validator's self delegation must be greater than their minimum self delegation", d);
    public static SdkError MinSelfDelegationDecreased(string? d = null) => E(17, "minimum self delegation cannot be decrease", d);
    public static SdkError EmptyDelegatorAddr(string? d = null) => E(18, "empty delegator address", d);
    public static SdkError NoDelegation(string? d = null) => E(19, "no delegation for (address, validator) tuple", d);
    public static SdkError NoDelegatorForAddress(string? d = null) => E(21, "delegator does not contain delegation", d);
    public static SdkError InsufficientShares(string? d = null) => E(22, "insufficient delegation shares", d);
    public static SdkError NotEnoughDelegationShares(string? d = null) => E(24, "not enough delegation shares", d);
    public static SdkError NoUnbondingDelegation(string? d = null) => E(26, "no unbonding delegation found", d);
    public static SdkError MaxUnbondingDelegationEntries(string? d = null) => E(27, "too many unbonding delegation entries for (delegator, validator) tuple", d);
    public static SdkError NoRedelegation(string? d = null) => E(28, "no redelegation found", d);
    public static SdkError SelfRedelegation(string? d = null) => E(29, "cannot redelegate to the same validator", d);
    public static SdkError TinyRedelegationAmount(string? d = null) => E(30, "too few tokens to redelegate (truncates to zero tokens)", d);
    public static SdkError BadRedelegationDst(string? d = null) => E(31, "redelegation destination validator not found", d);
    public static SdkError TransitiveRedelegation(string? d = null) => E(32, "redelegation to this validator already in progress; first redelegation to this validator must complete before next redelegation", d);
    public static SdkError MaxRedelegationEntries(string? d = null) => E(33, "too many redelegation entries for (delegator, src-validator, dst-validator) tuple", d);
    public static SdkError DelegatorShareExRateInvalid(string? d = null) => E(34, "cannot delegate to validators with invalid (zero) ex-rate", d);
    public static SdkError NoHistoricalInfo(string? d = null) => E(38, "no historical info found", d);
    public static SdkError EmptyValidatorPubKey(string? d = null) => E(39, "empty validator public key", d);
    public static SdkError BadRedelegationSrc(string? d = null) => E(44, "redelegation source validator not found", d);

    /// <summary>A staking genesis that cannot be imported (the SDK panics; we fail InitChain with this).</summary>
    public static SdkError InvalidGenesis(string reason) => SdkErrors.InvalidRequest("invalid staking genesis: " + reason);
}
