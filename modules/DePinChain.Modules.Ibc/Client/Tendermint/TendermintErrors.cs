using DePinChain.Sdk;

namespace DePinChain.Modules.Ibc.Client.Tendermint;

/// <summary>The "07-tendermint" codespace of ibc-go v8 (light-clients/07-tendermint/errors.go).</summary>
public static class TendermintErrors
{
    public const string Codespace = "07-tendermint";

    private static SdkError E(uint code, string text, string? detail) => new(Codespace, code, detail is null ? text : $"{detail}: {text}");

    public static SdkError InvalidChainId(string? d = null) => E(2, "invalid chain-id", d);
    public static SdkError InvalidTrustingPeriod(string? d = null) => E(3, "invalid trusting period", d);
    public static SdkError InvalidUnbondingPeriod(string? d = null) => E(4, "invalid unbonding period", d);
    public static SdkError InvalidHeaderHeight(string? d = null) => E(5, "invalid header height", d);
    public static SdkError InvalidHeader(string? d = null) => E(6, "invalid header", d);
    public static SdkError InvalidMaxClockDrift(string? d = null) => E(7, "invalid max clock drift", d);
    public static SdkError ProcessedTimeNotFound(string? d = null) => E(8, "processed time not found", d);
    public static SdkError ProcessedHeightNotFound(string? d = null) => E(9, "processed height not found", d);
    public static SdkError DelayPeriodNotPassed(string? d = null) => E(10, "packet-specified delay period has not been reached", d);
    public static SdkError TrustingPeriodExpired(string? d = null) => E(11, "time since latest trusted state has passed the trusting period", d);
    public static SdkError UnbondingPeriodExpired(string? d = null) => E(12, "time since latest trusted state has passed the unbonding period", d);
    public static SdkError InvalidProofSpecs(string? d = null) => E(13, "invalid proof specs", d);
    public static SdkError InvalidValidatorSet(string? d = null) => E(14, "invalid validator set", d);
}
