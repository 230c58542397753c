using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using DePinChain.Protos.Cosmos.Staking.V1Beta1;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.Sdk;

/// <summary>
/// Staking's proto <see cref="Validator"/> as every module reads it, with the SDK's formulas
/// (x/staking/types/validator.go): tokens are an Int (decimal string), delegator shares and the commission rate a Dec
/// (wire digits). One copy for staking, slashing and distribution, so their arithmetic cannot drift apart; staking's
/// own ValidatorMath adds the changes only staking makes.
/// </summary>
public static class StakingTypes
{
    public const string Ed25519PubKeyTypeUrl = "/cosmos.crypto.ed25519.PubKey";

    public static BigInteger GetTokens(this Validator v) => ParseInt(v.Tokens);

    /// <summary>The validator's total delegator shares.</summary>
    public static LegacyDec GetShares(this Validator v) => LegacyDec.FromWire(v.DelegatorShares);

    public static LegacyDec CommissionRate(this Validator v) => LegacyDec.FromWire(v.Commission?.CommissionRates?.Rate);

    public static byte[] Operator(this Validator v) => ValidatorAddress.ParseOperator(v.OperatorAddress);

    /// <summary>shares · tokens / delegator_shares, rounded half to even (TokensFromShares); zero for a validator without shares.</summary>
    public static LegacyDec TokensFromShares(this Validator v, LegacyDec shares)
    {
        var total = v.GetShares();
        return total.IsZero ? LegacyDec.Zero : shares.MulInt(v.GetTokens()).Quo(total);
    }

    /// <summary>shares · tokens / delegator_shares, cut toward zero (TokensFromSharesTruncated); zero for a validator without shares.</summary>
    public static LegacyDec TokensFromSharesTruncated(this Validator v, LegacyDec shares)
    {
        var total = v.GetShares();
        return total.IsZero ? LegacyDec.Zero : shares.MulInt(v.GetTokens()).QuoTruncate(total);
    }

    /// <summary>The 32-byte ed25519 consensus key of a stored validator.</summary>
    /// <exception cref="SdkError">Not a 32-byte /cosmos.crypto.ed25519.PubKey (code 8).</exception>
    public static byte[] ConsPubKey(this Validator v)
    {
        var any = v.ConsensusPubkey ?? throw SdkErrors.InvalidPubKey("validator has no consensus pubkey");
        if (any.TypeUrl != Ed25519PubKeyTypeUrl) throw SdkErrors.InvalidPubKey($"unsupported consensus key type {any.TypeUrl}");
        var key = DePinChain.Protos.Cosmos.Crypto.Ed25519.PubKey.Parser.ParseFrom(any.Value).Key;
        if (key.Length != 32) throw SdkErrors.InvalidPubKey($"ed25519 key must be 32 bytes, got {key.Length}");
        return key.ToByteArray();
    }

    /// <summary>CometBFT's address of an ed25519 key: the first 20 bytes of its SHA-256.</summary>
    public static byte[] ConsAddress(ReadOnlySpan<byte> ed25519Key) => SHA256.HashData(ed25519Key)[..20];

    public static byte[] ConsAddress(this Validator v) => ConsAddress(v.ConsPubKey());

    public static BigInteger ParseInt(string? s)
        => string.IsNullOrEmpty(s) ? BigInteger.Zero : BigInteger.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
}
