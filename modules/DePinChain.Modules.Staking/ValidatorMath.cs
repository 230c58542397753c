using System.Globalization;
using System.Numerics;
using DePinChain.Protos.Cosmos.Crypto.Ed25519;
using DePinChain.Protos.Cosmos.Staking.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.Modules.Staking;

/// <summary>
/// The SDK's validator arithmetic (x/staking/types/validator.go) on the proto <see cref="Validator"/> that only staking
/// does: status, power, issuing and removing shares. The reads every module shares (tokens, shares, the share → token
/// exchange, the consensus key and address) are <see cref="StakingTypes"/> in the Sdk. Every formula and rounding is the SDK's.
/// </summary>
public static class ValidatorMath
{
    public const string Ed25519PubKeyTypeUrl = StakingTypes.Ed25519PubKeyTypeUrl;

    public static BigInteger ParseInt(string? s) => StakingTypes.ParseInt(s);

    public static string Int(BigInteger v) => v.ToString(CultureInfo.InvariantCulture);

    public static bool IsBonded(this Validator v) => v.Status == BondStatus.Bonded;

    public static bool IsUnbonded(this Validator v) => v.Status == BondStatus.Unbonded;

    public static bool IsUnbonding(this Validator v) => v.Status == BondStatus.Unbonding;

    /// <summary>Power if bonded, else 0 (ConsensusPower).</summary>
    public static long ConsensusPower(this Validator v) => v.IsBonded() ? v.PotentialConsensusPower() : 0;

    /// <summary>tokens / 10^6 whatever the status (PotentialConsensusPower).</summary>
    public static long PotentialConsensusPower(this Validator v) => (long)(v.GetTokens() / StakingKeeper.PowerReduction);

    /// <summary>No tokens left but shares outstanding (all slashed away): no one may delegate to it.</summary>
    public static bool InvalidExRate(this Validator v) => v.GetTokens().IsZero && v.GetShares().IsPositive;

    /// <summary>shares · amount / tokens (QuoInt truncates).</summary>
    public static LegacyDec SharesFromTokens(this Validator v, BigInteger amount)
    {
        var tokens = v.GetTokens();
        if (tokens.IsZero) throw StakingErrors.InsufficientShares();
        return v.GetShares().MulInt(amount).QuoInt(tokens);
    }

    public static LegacyDec SharesFromTokensTruncated(this Validator v, BigInteger amount)
    {
        var tokens = v.GetTokens();
        if (tokens.IsZero) throw StakingErrors.InsufficientShares();
        return v.GetShares().MulInt(amount).QuoTruncate(LegacyDec.FromInt(tokens));
    }

    /// <summary>Adds delegated tokens; the first delegation sets the exchange rate to one. Returns the shares issued.</summary>
    public static LegacyDec AddTokensFromDel(this Validator v, BigInteger amount)
    {
        var issued = v.GetShares().IsZero ? LegacyDec.FromInt(amount) : v.SharesFromTokens(amount);
        v.Tokens = Int(v.GetTokens() + amount);
        v.DelegatorShares = (v.GetShares() + issued).ToWire();
        return issued;
    }

    /// <summary>Removes shares and returns the tokens they were worth (truncated; all tokens when no shares remain).</summary>
    public static BigInteger RemoveDelShares(this Validator v, LegacyDec shares)
    {
        var remaining = v.GetShares() - shares;
        BigInteger issued;
        if (remaining.IsZero)
        {
            issued = v.GetTokens();
            v.Tokens = "0";
        }
        else
        {
            issued = v.TokensFromShares(shares).TruncateInt();
            var left = v.GetTokens() - issued;
            if (left.Sign < 0) throw new InvalidOperationException("attempting to remove more tokens than available in validator");
            v.Tokens = Int(left);
        }
        v.DelegatorShares = remaining.ToWire();
        return issued;
    }

    public static void RemoveTokens(this Validator v, BigInteger tokens)
    {
        if (tokens.Sign < 0) throw new InvalidOperationException("should not happen: trying to remove negative tokens");
        if (v.GetTokens() < tokens) throw new InvalidOperationException("should not happen: only have fewer tokens than trying to remove");
        v.Tokens = Int(v.GetTokens() - tokens);
    }

    /// <summary>The 32-byte ed25519 key of a <c>/cosmos.crypto.ed25519.PubKey</c> Any.</summary>
    /// <exception cref="SdkError">Missing, another key type, or not 32 bytes.</exception>
    public static byte[] Ed25519Key(Any? pubkey)
    {
        if (pubkey is null) throw StakingErrors.EmptyValidatorPubKey();
        if (pubkey.TypeUrl != Ed25519PubKeyTypeUrl)
            throw StakingErrors.ValidatorPubKeyTypeNotSupported($"got: {pubkey.TypeUrl}, expected: {Ed25519PubKeyTypeUrl}");
        PubKey key;
        try { key = PubKey.Parser.ParseFrom(pubkey.Value); }
        catch (Google.Protobuf.InvalidProtocolBufferException e) { throw SdkErrors.InvalidPubKey(e.Message); }
        if (key.Key.Length != 32) throw SdkErrors.InvalidPubKey($"ed25519 key must be 32 bytes, got {key.Key.Length}");
        return key.Key.ToByteArray();
    }

    public static Any PackEd25519(ReadOnlySpan<byte> key)
        => new() { TypeUrl = Ed25519PubKeyTypeUrl, Value = new PubKey { Key = Google.Protobuf.ByteString.CopyFrom(key) }.ToByteString() };

    /// <summary>CometBFT's address of an ed25519 key: the first 20 bytes of its SHA-256.</summary>
    public static byte[] ConsAddress(ReadOnlySpan<byte> ed25519Key) => StakingTypes.ConsAddress(ed25519Key);
}
