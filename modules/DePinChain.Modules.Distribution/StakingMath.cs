using System.Numerics;
using DePinChain.Protos.Cosmos.Staking.V1Beta1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Distribution;

/// <summary>
/// What distribution reads from staking's proto types: tokens (decimal string), delegator shares and commission rate
/// (LegacyDec wire digits), and the SDK's share → token exchange (x/staking/types/validator.go).
/// </summary>
public static class StakingMath
{
    public static byte[] Operator(Validator v) => ValidatorAddress.ParseOperator(v.OperatorAddress);

    public static BigInteger Tokens(Validator v)
        => string.IsNullOrEmpty(v.Tokens) ? BigInteger.Zero : BigInteger.Parse(v.Tokens, System.Globalization.CultureInfo.InvariantCulture);

    public static LegacyDec DelegatorShares(Validator v) => LegacyDec.FromWire(v.DelegatorShares);

    public static LegacyDec CommissionRate(Validator v) => LegacyDec.FromWire(v.Commission?.CommissionRates?.Rate);

    public static LegacyDec Shares(Delegation d) => LegacyDec.FromWire(d.Shares);

    /// <summary>shares · tokens / delegator_shares, rounded half-even (the SDK's TokensFromShares).</summary>
    public static LegacyDec TokensFromShares(Validator v, LegacyDec shares)
    {
        var total = DelegatorShares(v);
        return total.IsZero ? LegacyDec.Zero : shares.MulInt(Tokens(v)).Quo(total);
    }

    /// <summary>shares · tokens / delegator_shares, truncated (the SDK's TokensFromSharesTruncated).</summary>
    public static LegacyDec TokensFromSharesTruncated(Validator v, LegacyDec shares)
    {
        var total = DelegatorShares(v);
        return total.IsZero ? LegacyDec.Zero : shares.MulInt(Tokens(v)).QuoTruncate(total);
    }
}
