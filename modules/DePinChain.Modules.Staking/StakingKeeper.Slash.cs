using System.Numerics;
using DePinChain.Protos.Cosmos.Staking.V1Beta1;
using DePinChain.Sdk;
using Microsoft.Extensions.Logging;

namespace DePinChain.Modules.Staking;

// Slashing, jailing and historical info: the SDK's keeper/slash.go and keeper/historical_info.go.
public sealed partial class StakingKeeper
{
    /// <summary>
    /// Slashes <paramref name="slashFactor"/> of the stake a validator had at <paramref name="infractionHeight"/>
    /// (<paramref name="power"/> · 10^6 tokens): first the unbonding delegations and redelegations out of it that started
    /// at or after the infraction and are not mature, then the rest from the validator's tokens. Every slashed token is
    /// burned from the pool it sits in and reported to mint. Returns the tokens burned from the validator itself (the
    /// SDK's return value; what unbonding entries and redelegations lose is burned on top).
    /// </summary>
    public BigInteger Slash(Context ctx, ReadOnlySpan<byte> consensusAddress, long infractionHeight, long power, LegacyDec slashFactor)
    {
        if (slashFactor.IsNegative) throw new InvalidOperationException($"attempted to slash with a negative slash factor: {slashFactor}");
        var amount = PowerReduction * power;
        var slashAmount = LegacyDec.FromInt(amount).Mul(slashFactor).TruncateInt();

        var validator = GetValidatorByConsAddr(ctx, consensusAddress);
        if (validator is null)
        {
            ctx.Logger.LogError("WARNING: ignored attempt to slash a nonexistent validator {Validator}; we recommend you investigate immediately",
                ValidatorAddress.ToConsensusBech32(consensusAddress));
            return BigInteger.Zero;
        }
        if (validator.IsUnbonded()) throw new InvalidOperationException($"should not be slashing unbonded validator: {validator.OperatorAddress}");
        var op = validator.Operator();

        var remaining = slashAmount;
        if (infractionHeight > ctx.Height)
            throw new InvalidOperationException($"impossible attempt to slash future infraction at height {infractionHeight} but we are at height {ctx.Height}");
        if (infractionHeight < ctx.Height)
        {
            foreach (var ubd in GetUnbondingDelegationsFromValidator(ctx, op))
                remaining -= SlashUnbondingDelegation(ctx, ubd, infractionHeight, slashFactor);
            foreach (var red in GetRedelegationsFromSrcValidator(ctx, op))
                remaining -= SlashRedelegation(ctx, red, infractionHeight, slashFactor);
            validator = MustGetValidator(ctx, op);
        }

        var tokens = validator.GetTokens();
        var toBurn = BigInteger.Max(BigInteger.Min(remaining, tokens), BigInteger.Zero);
        if (toBurn.IsZero) return BigInteger.Zero;
        if (tokens.Sign > 0)
        {
            var fraction = LegacyDec.FromInt(toBurn).QuoRoundUp(LegacyDec.FromInt(tokens));
            if (fraction > LegacyDec.One) fraction = LegacyDec.One;
            _hooks.BeforeValidatorSlashed(ctx, op, fraction);
        }
        RemoveValidatorTokens(ctx, validator, toBurn);
        if (validator.IsBonded()) BurnBondedTokens(ctx, toBurn);
        else BurnNotBondedTokens(ctx, toBurn);
        ctx.Logger.LogInformation("validator {Validator} slashed by slash factor {Factor}: burned {Burned}", validator.OperatorAddress, slashFactor, toBurn);
        return toBurn;
    }

    /// <summary>Slashes the entries that started at or after the infraction and are not mature; burns from the
    /// not-bonded pool. Returns the slash amount owed by the entries (before capping at their balances).</summary>
    public BigInteger SlashUnbondingDelegation(Context ctx, UnbondingDelegation ubd, long infractionHeight, LegacyDec slashFactor)
    {
        var now = ctx.Header.Time;
        BigInteger total = 0, burned = 0;
        foreach (var entry in ubd.Entries)
        {
            if (entry.CreationHeight < infractionHeight) continue;
            if (Time(entry.CompletionTime) <= now && entry.UnbondingOnHoldRefCount == 0) continue;
            var slash = slashFactor.MulInt(ValidatorMath.ParseInt(entry.InitialBalance)).TruncateInt();
            total += slash;
            var balance = ValidatorMath.ParseInt(entry.Balance);
            var cut = BigInteger.Min(slash, balance);
            if (cut.IsZero) continue;
            burned += cut;
            entry.Balance = ValidatorMath.Int(balance - cut);
            SetUnbondingDelegation(ctx, ubd);
        }
        BurnNotBondedTokens(ctx, burned);
        return total;
    }

    /// <summary>Slashes the redelegation entries that started at or after the infraction and are not mature: first an
    /// unbonding out of the destination, then the delegation the redelegation made (unbonded and burned from the
    /// destination's pool). Returns the slash amount owed by the entries.</summary>
    public BigInteger SlashRedelegation(Context ctx, Redelegation red, long infractionHeight, LegacyDec slashFactor)
    {
        var now = ctx.Header.Time;
        BigInteger total = 0, bondedBurned = 0, notBondedBurned = 0;
        var del = Bech32Address.Parse(red.DelegatorAddress);
        var dst = ValidatorAddress.ParseOperator(red.ValidatorDstAddress);
        foreach (var entry in red.Entries)
        {
            if (entry.CreationHeight < infractionHeight) continue;
            if (Time(entry.CompletionTime) <= now && entry.UnbondingOnHoldRefCount == 0) continue;
            var slash = slashFactor.MulInt(ValidatorMath.ParseInt(entry.InitialBalance)).TruncateInt();
            total += slash;

            if (GetUnbondingDelegation(ctx, del, dst) is { } ubd)
            {
                foreach (var u in ubd.Entries)
                {
                    var balance = ValidatorMath.ParseInt(u.Balance);
                    var cut = BigInteger.Min(slash, balance);
                    if (cut.IsZero || u.CreationHeight < infractionHeight) continue;
                    if (Time(u.CompletionTime) <= now && u.UnbondingOnHoldRefCount == 0) continue;
                    slash -= cut;
                    notBondedBurned += cut;
                    u.Balance = ValidatorMath.Int(balance - cut);
                    SetUnbondingDelegation(ctx, ubd);
                }
            }

            var sharesToUnbond = slashFactor.Mul(LegacyDec.FromWire(entry.SharesDst));
            if (sharesToUnbond.IsZero || slash.IsZero) continue;
            if (GetDelegation(ctx, del, dst) is not { } delegation) continue;
            var delShares = LegacyDec.FromWire(delegation.Shares);
            if (sharesToUnbond > delShares) sharesToUnbond = delShares;
            var tokensToBurn = Unbond(ctx, del, dst, sharesToUnbond);
            var dstValidator = GetValidator(ctx, dst);
            if (dstValidator is not null && dstValidator.IsBonded()) bondedBurned += tokensToBurn;
            else notBondedBurned += tokensToBurn;
        }
        BurnBondedTokens(ctx, bondedBurned);
        BurnNotBondedTokens(ctx, notBondedBurned);
        return total;
    }

    /// <summary>Jails a validator: out of the power index, so the next end block gives it power 0.</summary>
    /// <exception cref="SdkError">No such validator, or already jailed.</exception>
    public void Jail(Context ctx, ReadOnlySpan<byte> consensusAddress)
    {
        var v = GetValidatorByConsAddr(ctx, consensusAddress) ?? throw StakingErrors.NoValidatorFound(ValidatorAddress.ToConsensusBech32(consensusAddress));
        JailValidator(ctx, v);
        ctx.Logger.LogInformation("validator jailed {Validator}", ValidatorAddress.ToConsensusBech32(consensusAddress));
    }

    /// <exception cref="SdkError">No such validator, or not jailed.</exception>
    public void Unjail(Context ctx, ReadOnlySpan<byte> consensusAddress)
    {
        var v = GetValidatorByConsAddr(ctx, consensusAddress) ?? throw StakingErrors.NoValidatorFound(ValidatorAddress.ToConsensusBech32(consensusAddress));
        if (!v.Jailed) throw SdkErrors.InvalidRequest($"cannot unjail already unjailed validator, validator: {v.OperatorAddress}");
        v.Jailed = false;
        SetValidator(ctx, v);
        SetValidatorByPowerIndex(ctx, v);
        ctx.Logger.LogInformation("validator un-jailed {Validator}", ValidatorAddress.ToConsensusBech32(consensusAddress));
    }

    internal void JailValidator(Context ctx, Validator v)
    {
        if (v.Jailed) throw StakingErrors.ValidatorJailed($"cannot jail already jailed validator, validator: {v.OperatorAddress}");
        v.Jailed = true;
        SetValidator(ctx, v);
        DeleteValidatorByPowerIndex(ctx, v);
    }

    // ---- historical info ----

    public HistoricalInfo? GetHistoricalInfo(Context ctx, long height)
    {
        var bytes = Store(ctx).Get(StakingKeys.HistoricalInfoKey(height));
        return bytes is null ? null : HistoricalInfo.Parser.ParseFrom(bytes);
    }

    internal void SetHistoricalInfo(Context ctx, long height, HistoricalInfo info)
        => Store(ctx).Set(StakingKeys.HistoricalInfoKey(height), Google.Protobuf.MessageExtensions.ToByteArray(info));

    /// <summary>
    /// BeginBlock: prunes the entries older than historical_entries, then (entries &gt; 0) stores this block's header and
    /// the last bonded set, sorted by power (highest first) then consensus address.
    /// </summary>
    public void TrackHistoricalInfo(Context ctx)
    {
        uint entries = GetParams(ctx).HistoricalEntries;
        for (long h = ctx.Height - entries; h >= 0; h--)
        {
            var key = StakingKeys.HistoricalInfoKey(h);
            if (!Store(ctx).Has(key)) break;
            Store(ctx).Delete(key);
        }
        if (entries == 0) return;

        var header = new DePinChain.Protos.Types.Header
        {
            ChainId = ctx.ChainId,
            Height = ctx.Height,
            Time = Ts(ctx.Header.Time),
            ProposerAddress = Google.Protobuf.ByteString.CopyFrom(ctx.Header.ProposerAddress ?? []),
            NextValidatorsHash = Google.Protobuf.ByteString.CopyFrom(ctx.Header.NextValidatorsHash ?? []),
            AppHash = Google.Protobuf.ByteString.CopyFrom(ctx.Header.LastAppHash ?? []),
        };
        var info = new HistoricalInfo { Header = header };
        var valset = GetLastValidators(ctx)
            .Select(v => (Validator: v, Power: v.ConsensusPower(), Cons: v.ConsAddress()))
            .OrderByDescending(x => x.Power)
            .ThenBy(x => x.Cons, ByteComparer.Instance)
            .Select(x => x.Validator);
        info.Valset.AddRange(valset);
        SetHistoricalInfo(ctx, ctx.Height, info);
    }
}
