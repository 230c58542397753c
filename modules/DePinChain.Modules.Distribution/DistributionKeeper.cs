using System.Globalization;
using DePinChain.Protos.Cosmos.Distribution.V1Beta1;
using Validator = DePinChain.Protos.Cosmos.Staking.V1Beta1.Validator;
using DePinChain.Sdk;
using DePinChain.Store;
using DePinChain.Store.Backend;
using Google.Protobuf;

namespace DePinChain.Modules.Distribution;

/// <summary>
/// Owns the distribution store and the F1 lazy reward accounting of the SDK's x/distribution v0.50: rewards are
/// allocated to a validator in O(1) (commission, current-period rewards, outstanding), a validator's period ends
/// whenever one of its delegations changes (its reward per token is then added to a cumulative ratio), and a
/// delegator's reward is computed only when it withdraws or changes its delegation, as stake × (ratio(end) −
/// ratio(start)), stake reduced at each slash in between. Nothing here iterates delegators.
/// </summary>
/// <param name="feeCollectorName">The module account that collects tx fees (auth's <c>fee_collector</c>).</param>
public sealed partial class DistributionKeeper(IBankKeeper bank, IAccountKeeper accounts, IStakingKeeper staking, string feeCollectorName)
{
    public IStakingKeeper Staking { get; } = staking;

    public string FeeCollectorName { get; } = feeCollectorName;

    private static readonly ParamsStore<Params> ParamsStore = new(DistributionKeys.StoreKey, DistributionKeys.ParamsKey, Params.Parser, DefaultParams);

    /// <summary>The SDK's defaults: community tax 2%, proposer rewards 0, withdraw addresses enabled.</summary>
    public static Params DefaultParams() => new()
    {
        CommunityTax = LegacyDec.WithPrecision(2, 2).ToWire(),
        BaseProposerReward = LegacyDec.Zero.ToWire(),
        BonusProposerReward = LegacyDec.Zero.ToWire(),
        WithdrawAddrEnabled = true,
    };

    public Params GetParams(Context ctx) => ParamsStore.Get(ctx);

    public void SetParams(Context ctx, Params p) => ParamsStore.Set(ctx, p);

    public LegacyDec GetCommunityTax(Context ctx) => LegacyDec.FromWire(GetParams(ctx).CommunityTax);

    private static IKVStore Store(Context ctx) => ctx.KVStore(DistributionKeys.StoreKey);

    // ---- fee pool and proposer ----

    public DecCoins GetCommunityPool(Context ctx)
    {
        var bytes = Store(ctx).Get([DistributionKeys.FeePoolKey]);
        return bytes is null ? DecCoins.Empty : DecCoins.FromProto(FeePool.Parser.ParseFrom(bytes).CommunityPool);
    }

    public void SetCommunityPool(Context ctx, DecCoins pool)
    {
        var fp = new FeePool();
        fp.CommunityPool.AddRange(pool.ToProto());
        Store(ctx).Set([DistributionKeys.FeePoolKey], fp.ToByteArray());
    }

    private void AddToCommunityPool(Context ctx, DecCoins amount)
    {
        if (!amount.IsZero) SetCommunityPool(ctx, GetCommunityPool(ctx).Add(amount));
    }

    public byte[]? GetPreviousProposer(Context ctx) => Store(ctx).Get([DistributionKeys.ProposerKey]);

    public void SetPreviousProposer(Context ctx, ReadOnlySpan<byte> consAddr)
    {
        if (consAddr.IsEmpty) Store(ctx).Delete([DistributionKeys.ProposerKey]);
        else Store(ctx).Set([DistributionKeys.ProposerKey], consAddr);
    }

    // ---- withdraw addresses ----

    /// <summary>Where <paramref name="delegator"/>'s rewards and commission are paid: its withdraw address, else itself.</summary>
    public byte[] GetDelegatorWithdrawAddr(Context ctx, ReadOnlySpan<byte> delegator)
        => Store(ctx).Get(DistributionKeys.WithdrawAddr(delegator)) ?? delegator.ToArray();

    public void SetDelegatorWithdrawAddrRaw(Context ctx, ReadOnlySpan<byte> delegator, ReadOnlySpan<byte> withdraw)
        => Store(ctx).Set(DistributionKeys.WithdrawAddr(delegator), withdraw);

    /// <summary>The SDK's SetWithdrawAddr: module accounts refused, the param must allow it; event set_withdraw_address.</summary>
    public void SetWithdrawAddr(Context ctx, ReadOnlySpan<byte> delegator, byte[] withdraw)
    {
        if (accounts.IsModuleAddress(withdraw))
            throw SdkErrors.Unauthorized($"{Bech32Address.ToBech32(withdraw)} is not allowed to receive external funds");
        if (!GetParams(ctx).WithdrawAddrEnabled) throw DistributionErrors.SetWithdrawAddrDisabled();
        ctx.Events.Emit(SdkEvent.Of("set_withdraw_address", ("withdraw_address", Bech32Address.ToBech32(withdraw))));
        SetDelegatorWithdrawAddrRaw(ctx, delegator, withdraw);
    }

    // ---- per-validator records ----

    public DecCoins GetOutstanding(Context ctx, ReadOnlySpan<byte> op)
    {
        var bytes = Store(ctx).Get(DistributionKeys.Outstanding(op));
        return bytes is null ? DecCoins.Empty : DecCoins.FromProto(ValidatorOutstandingRewards.Parser.ParseFrom(bytes).Rewards);
    }

    public bool HasOutstanding(Context ctx, ReadOnlySpan<byte> op) => Store(ctx).Has(DistributionKeys.Outstanding(op));

    public void SetOutstanding(Context ctx, ReadOnlySpan<byte> op, DecCoins rewards)
    {
        var v = new ValidatorOutstandingRewards();
        v.Rewards.AddRange(rewards.ToProto());
        Store(ctx).Set(DistributionKeys.Outstanding(op), v.ToByteArray());
    }

    public DecCoins GetAccumulatedCommission(Context ctx, ReadOnlySpan<byte> op)
    {
        var bytes = Store(ctx).Get(DistributionKeys.Commission(op));
        return bytes is null ? DecCoins.Empty : DecCoins.FromProto(ValidatorAccumulatedCommission.Parser.ParseFrom(bytes).Commission);
    }

    public void SetAccumulatedCommission(Context ctx, ReadOnlySpan<byte> op, DecCoins commission)
    {
        var v = new ValidatorAccumulatedCommission();
        v.Commission.AddRange(commission.ToProto());
        Store(ctx).Set(DistributionKeys.Commission(op), v.ToByteArray());
    }

    /// <summary>The running period and the rewards accumulated in it, or null when the validator was never initialized.</summary>
    public (DecCoins Rewards, ulong Period)? GetCurrentRewards(Context ctx, ReadOnlySpan<byte> op)
    {
        var bytes = Store(ctx).Get(DistributionKeys.Current(op));
        if (bytes is null) return null;
        var v = ValidatorCurrentRewards.Parser.ParseFrom(bytes);
        return (DecCoins.FromProto(v.Rewards), v.Period);
    }

    public void SetCurrentRewards(Context ctx, ReadOnlySpan<byte> op, DecCoins rewards, ulong period)
    {
        var v = new ValidatorCurrentRewards { Period = period };
        v.Rewards.AddRange(rewards.ToProto());
        Store(ctx).Set(DistributionKeys.Current(op), v.ToByteArray());
    }

    /// <summary>The cumulative reward ratio at the end of <paramref name="period"/> and its reference count.</summary>
    /// <exception cref="InvalidOperationException">No such record (a broken invariant: the SDK panics).</exception>
    public (DecCoins Ratio, uint ReferenceCount) GetHistoricalRewards(Context ctx, ReadOnlySpan<byte> op, ulong period)
    {
        var bytes = Store(ctx).Get(DistributionKeys.Historical(op, period))
            ?? throw new InvalidOperationException($"no historical rewards of validator {ValidatorAddress.ToOperatorBech32(op)} for period {period}");
        var v = ValidatorHistoricalRewards.Parser.ParseFrom(bytes);
        return (DecCoins.FromProto(v.CumulativeRewardRatio), v.ReferenceCount);
    }

    public void SetHistoricalRewards(Context ctx, ReadOnlySpan<byte> op, ulong period, DecCoins ratio, uint referenceCount)
    {
        var v = new ValidatorHistoricalRewards { ReferenceCount = referenceCount };
        v.CumulativeRewardRatio.AddRange(ratio.ToProto());
        Store(ctx).Set(DistributionKeys.Historical(op, period), v.ToByteArray());
    }

    public DelegatorStartingInfo? GetStartingInfo(Context ctx, ReadOnlySpan<byte> op, ReadOnlySpan<byte> delegator)
    {
        var bytes = Store(ctx).Get(DistributionKeys.StartingInfo(op, delegator));
        return bytes is null ? null : DelegatorStartingInfo.Parser.ParseFrom(bytes);
    }

    public void SetStartingInfo(Context ctx, ReadOnlySpan<byte> op, ReadOnlySpan<byte> delegator, DelegatorStartingInfo info)
        => Store(ctx).Set(DistributionKeys.StartingInfo(op, delegator), info.ToByteArray());

    public void SetSlashEvent(Context ctx, ReadOnlySpan<byte> op, ulong height, ulong period, LegacyDec fraction)
        => Store(ctx).Set(DistributionKeys.SlashEvent(op, height, period),
            new ValidatorSlashEvent { ValidatorPeriod = period, Fraction = fraction.ToWire() }.ToByteArray());

    /// <summary>The validator's slash events with <paramref name="fromHeight"/> ≤ height ≤ <paramref name="toHeight"/>, by (height, period).</summary>
    public IEnumerable<(ulong Height, ValidatorSlashEvent Event)> SlashEventsBetween(Context ctx, byte[] op, ulong fromHeight, ulong toHeight)
    {
        var start = DistributionKeys.SlashEventHeight(op, fromHeight);
        var end = toHeight == ulong.MaxValue ? KeyRange.PrefixEnd(DistributionKeys.SlashEventPrefixOf(op)) : DistributionKeys.SlashEventHeight(op, toHeight + 1);
        foreach (var (key, value) in Store(ctx).Iterate(start, end))
            yield return (DistributionKeys.UInt64AfterAddress(key, 0), ValidatorSlashEvent.Parser.ParseFrom(value));
    }

    private void DeleteByPrefix(Context ctx, byte[] prefix)
    {
        var store = Store(ctx);
        var keys = store.Iterate(prefix, KeyRange.PrefixEnd(prefix)).Select(kv => kv.Key).ToList();
        foreach (var key in keys) store.Delete(key);
    }

    /// <summary>Every entry of one table, in key order (genesis export).</summary>
    internal IEnumerable<(byte[] Key, byte[] Value)> Entries(Context ctx, byte prefix)
    {
        byte[] p = [prefix];
        foreach (var (key, value) in Store(ctx).Iterate(p, KeyRange.PrefixEnd(p))) yield return (key, value);
    }

    internal void SetRaw(Context ctx, byte[] key, byte[] value) => Store(ctx).Set(key, value);

    // ---- reference counts (validator.go) ----

    private void IncrementReferenceCount(Context ctx, ReadOnlySpan<byte> op, ulong period)
    {
        var (ratio, count) = GetHistoricalRewards(ctx, op, period);
        if (count > 2) throw new InvalidOperationException("reference count should never exceed 2");
        SetHistoricalRewards(ctx, op, period, ratio, count + 1);
    }

    private void DecrementReferenceCount(Context ctx, ReadOnlySpan<byte> op, ulong period)
    {
        var (ratio, count) = GetHistoricalRewards(ctx, op, period);
        if (count == 0) throw new InvalidOperationException("cannot set negative reference count");
        if (count == 1) Store(ctx).Delete(DistributionKeys.Historical(op, period));
        else SetHistoricalRewards(ctx, op, period, ratio, count - 1);
    }

    // ---- validator lifecycle (validator.go) ----

    /// <summary>Period 0's ratio (zero, referenced once), current period 1, no commission, no outstanding.</summary>
    public void InitializeValidator(Context ctx, ReadOnlySpan<byte> op)
    {
        SetHistoricalRewards(ctx, op, 0, DecCoins.Empty, 1);
        SetCurrentRewards(ctx, op, DecCoins.Empty, 1);
        SetAccumulatedCommission(ctx, op, DecCoins.Empty);
        SetOutstanding(ctx, op, DecCoins.Empty);
    }

    /// <summary>
    /// Ends the validator's current period: its rewards per token (truncated) are added to the cumulative ratio, stored
    /// as the ended period's historical record. A validator without tokens cannot have a ratio: that period's rewards go
    /// to the community pool. Returns the ended period.
    /// </summary>
    public ulong IncrementValidatorPeriod(Context ctx, Validator val)
    {
        var op = val.Operator();
        var (rewards, period) = GetCurrentRewards(ctx, op) ?? throw DistributionErrors.NoValidatorDistInfo();
        DecCoins current;
        var tokens = val.GetTokens();
        if (tokens.IsZero)
        {
            AddToCommunityPool(ctx, rewards);
            if (!rewards.IsZero) SetOutstanding(ctx, op, GetOutstanding(ctx, op).Sub(rewards));
            current = DecCoins.Empty;
        }
        else
        {
            current = rewards.QuoDecTruncate(LegacyDec.FromInt(tokens));
        }
        var (historical, _) = GetHistoricalRewards(ctx, op, period - 1);
        DecrementReferenceCount(ctx, op, period - 1);
        SetHistoricalRewards(ctx, op, period, historical.Add(current), 1);
        SetCurrentRewards(ctx, op, DecCoins.Empty, period + 1);
        return period;
    }

    /// <summary>Ends the period and records the slash at this height (the SDK's updateValidatorSlashFraction).</summary>
    public void UpdateValidatorSlashFraction(Context ctx, ReadOnlySpan<byte> op, LegacyDec fraction)
    {
        if (fraction > LegacyDec.One || fraction.IsNegative) throw new InvalidOperationException($"fraction must be >=0 and <=1, current fraction: {fraction}");
        var val = Staking.GetValidator(ctx, op) ?? throw DistributionErrors.NoValidatorExists(ValidatorAddress.ToOperatorBech32(op));
        ulong newPeriod = IncrementValidatorPeriod(ctx, val);
        IncrementReferenceCount(ctx, op, newPeriod);
        SetSlashEvent(ctx, op, (ulong)ctx.Height, newPeriod, fraction);
    }

    /// <summary>
    /// The validator is gone (it had no delegations left): its commission is paid to its withdraw address (whole
    /// coins; the change to the community pool), the rest of its outstanding (dust) to the community pool, and every
    /// record of it deleted.
    /// </summary>
    public void RemoveValidator(Context ctx, byte[] op)
    {
        var outstanding = GetOutstanding(ctx, op);
        var commission = GetAccumulatedCommission(ctx, op);
        if (!commission.IsZero)
        {
            outstanding = outstanding.Sub(commission);
            var (coins, remainder) = commission.TruncateDecimal();
            AddToCommunityPool(ctx, remainder);
            if (!coins.IsEmpty)
                bank.SendCoinsFromModuleToAccount(ctx, DistributionKeys.ModuleName, GetDelegatorWithdrawAddr(ctx, op), coins);
        }
        AddToCommunityPool(ctx, outstanding);
        Store(ctx).Delete(DistributionKeys.Outstanding(op));
        Store(ctx).Delete(DistributionKeys.Commission(op));
        DeleteByPrefix(ctx, DistributionKeys.SlashEventPrefixOf(op));
        DeleteByPrefix(ctx, DistributionKeys.HistoricalPrefixOf(op));
        Store(ctx).Delete(DistributionKeys.Current(op));
    }
}
