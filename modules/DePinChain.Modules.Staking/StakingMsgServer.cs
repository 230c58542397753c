using System.Globalization;
using System.Numerics;
using DePinChain.Protos.Cosmos.Staking.V1Beta1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Staking;

/// <summary>The staking <c>service Msg</c>: for each rpc, its stateless checks (ValidateBasic) and its handler, with the
/// SDK v0.50 msg server's rules, errors and events.</summary>
public sealed class StakingMsgServer(StakingKeeper keeper)
{
    /// <summary>Description.EditValidator's "leave this field as it is".</summary>
    public const string DoNotModify = "[do-not-modify]";

    public const int MaxMonikerLength = 70;
    public const int MaxIdentityLength = 3000;
    public const int MaxWebsiteLength = 140;
    public const int MaxSecurityContactLength = 140;
    public const int MaxDetailsLength = 280;

    public void Register(MsgRouter router)
    {
        router.Register(MsgCreateValidator.Parser, ValidateCreateValidator, CreateValidator);
        router.Register(MsgEditValidator.Parser, ValidateEditValidator, EditValidator);
        router.Register(MsgDelegate.Parser, ValidateDelegate, Delegate);
        router.Register(MsgBeginRedelegate.Parser, ValidateBeginRedelegate, BeginRedelegate);
        router.Register(MsgUndelegate.Parser, ValidateUndelegate, Undelegate);
        router.Register(MsgCancelUnbondingDelegation.Parser, ValidateCancel, CancelUnbondingDelegation);
    }

    // ---- stateless checks ----

    private static BigInteger PositiveCoin(DePinChain.Protos.Cosmos.Base.V1Beta1.Coin? coin, string what)
    {
        if (coin is null || !Coins.IsValidDenom(coin.Denom)) throw SdkErrors.InvalidRequest(what);
        BigInteger amount;
        try { amount = Amounts.Parse(coin.Amount, "amount"); }
        catch (FormatException) { throw SdkErrors.InvalidRequest(what); }
        if (amount.Sign <= 0) throw SdkErrors.InvalidRequest(what);
        return amount;
    }

    private static LegacyDec Dec(string? wire, string field)
    {
        try { return LegacyDec.FromWire(wire); }
        catch (FormatException e) { throw SdkErrors.InvalidRequest($"{field}: {e.Message}"); }
    }

    private static BigInteger Int(string? text, string field)
    {
        try { return Amounts.Parse(text, field); }
        catch (FormatException e) { throw SdkErrors.InvalidRequest(e.Message); }
    }

    /// <summary>CommissionRates.Validate: 0 ≤ rate ≤ max_rate ≤ 1, 0 ≤ max_change_rate ≤ max_rate.</summary>
    public static void ValidateCommission(CommissionRates c)
    {
        var rate = Dec(c.Rate, "rate");
        var max = Dec(c.MaxRate, "max_rate");
        var change = Dec(c.MaxChangeRate, "max_change_rate");
        if (max.IsNegative) throw StakingErrors.CommissionNegative();
        if (max > LegacyDec.One) throw StakingErrors.CommissionHuge();
        if (rate.IsNegative) throw StakingErrors.CommissionNegative();
        if (rate > max) throw StakingErrors.CommissionGTMaxRate();
        if (change.IsNegative) throw StakingErrors.CommissionChangeRateNegative();
        if (change > max) throw StakingErrors.CommissionChangeRateGTMaxRate();
    }

    /// <summary>Description.EnsureLength.</summary>
    public static void EnsureLength(Description d)
    {
        static void Check(string field, string value, int max)
        {
            if (value.Length > max) throw SdkErrors.InvalidRequest($"invalid {field} length; got: {value.Length}, max: {max}");
        }
        Check("moniker", d.Moniker, MaxMonikerLength);
        Check("identity", d.Identity, MaxIdentityLength);
        Check("website", d.Website, MaxWebsiteLength);
        Check("security contact", d.SecurityContact, MaxSecurityContactLength);
        Check("details", d.Details, MaxDetailsLength);
    }

    private static bool IsEmpty(Description? d) => d is null || d.Equals(new Description());

    private static bool IsEmpty(CommissionRates? c) => c is null || c.Equals(new CommissionRates());

    public static void ValidateCreateValidator(MsgCreateValidator m)
    {
        var op = ValidatorAddress.ParseOperator(m.ValidatorAddress);
        if (m.DelegatorAddress.Length > 0 && !Bech32Address.Parse(m.DelegatorAddress).AsSpan().SequenceEqual(op))
            throw SdkErrors.InvalidAddress($"delegator address {m.DelegatorAddress} is not the operator's account");
        if (m.Pubkey is null) throw StakingErrors.EmptyValidatorPubKey();
        var value = PositiveCoin(m.Value, "invalid delegation amount");
        if (IsEmpty(m.Description)) throw SdkErrors.InvalidRequest("empty description");
        if (IsEmpty(m.Commission)) throw SdkErrors.InvalidRequest("empty commission");
        ValidateCommission(m.Commission);
        var minSelf = m.MinSelfDelegation.Length == 0 ? BigInteger.Zero : Int(m.MinSelfDelegation, "min_self_delegation");
        if (minSelf.Sign <= 0) throw SdkErrors.InvalidRequest("minimum self delegation must be a positive integer");
        if (value < minSelf) throw StakingErrors.SelfDelegationBelowMinimum();
        ValidatorMath.Ed25519Key(m.Pubkey);
    }

    public static void ValidateEditValidator(MsgEditValidator m)
    {
        ValidatorAddress.ParseOperator(m.ValidatorAddress);
        if (IsEmpty(m.Description)) throw SdkErrors.InvalidRequest("empty description");
        if (m.MinSelfDelegation.Length > 0 && Int(m.MinSelfDelegation, "min_self_delegation").Sign <= 0)
            throw SdkErrors.InvalidRequest("minimum self delegation must be a positive integer");
        if (m.CommissionRate.Length > 0)
        {
            var rate = Dec(m.CommissionRate, "commission_rate");
            if (rate > LegacyDec.One || rate.IsNegative) throw SdkErrors.InvalidRequest("commission rate must be between 0 and 1 (inclusive)");
        }
    }

    public static void ValidateDelegate(MsgDelegate m)
    {
        Bech32Address.Parse(m.DelegatorAddress);
        ValidatorAddress.ParseOperator(m.ValidatorAddress);
        PositiveCoin(m.Amount, "invalid delegation amount");
    }

    public static void ValidateBeginRedelegate(MsgBeginRedelegate m)
    {
        Bech32Address.Parse(m.DelegatorAddress);
        ValidatorAddress.ParseOperator(m.ValidatorSrcAddress);
        ValidatorAddress.ParseOperator(m.ValidatorDstAddress);
        PositiveCoin(m.Amount, "invalid shares amount");
    }

    public static void ValidateUndelegate(MsgUndelegate m)
    {
        Bech32Address.Parse(m.DelegatorAddress);
        ValidatorAddress.ParseOperator(m.ValidatorAddress);
        PositiveCoin(m.Amount, "invalid shares amount");
    }

    public static void ValidateCancel(MsgCancelUnbondingDelegation m)
    {
        Bech32Address.Parse(m.DelegatorAddress);
        ValidatorAddress.ParseOperator(m.ValidatorAddress);
        PositiveCoin(m.Amount, "invalid amount");
        if (m.CreationHeight <= 0) throw SdkErrors.InvalidRequest("invalid height");
    }

    private void RequireBondDenom(Context ctx, string denom)
    {
        string bondDenom = keeper.BondDenom(ctx);
        if (denom != bondDenom) throw SdkErrors.InvalidRequest($"invalid coin denomination: got {denom}, expected {bondDenom}");
    }

    private static string CoinText(DePinChain.Protos.Cosmos.Base.V1Beta1.Coin c) => Amounts.Parse(c.Amount, "amount") + c.Denom;

    // ---- handlers ----

    public MsgCreateValidatorResponse CreateValidator(Context ctx, MsgCreateValidator m)
    {
        var op = ValidatorAddress.ParseOperator(m.ValidatorAddress);
        var p = keeper.GetParams(ctx);
        var minRate = LegacyDec.FromWire(p.MinCommissionRate);
        if (LegacyDec.FromWire(m.Commission.Rate) < minRate)
            throw SdkErrors.InvalidRequest($"commission rate cannot be less than the min commission rate {minRate}");
        if (keeper.GetValidator(ctx, op) is not null) throw StakingErrors.ValidatorOwnerExists();
        var key = ValidatorMath.Ed25519Key(m.Pubkey);
        if (keeper.GetValidatorByConsAddr(ctx, ValidatorMath.ConsAddress(key)) is not null) throw StakingErrors.ValidatorPubKeyExists();
        RequireBondDenom(ctx, m.Value.Denom);
        EnsureLength(m.Description);

        var validator = new Validator
        {
            OperatorAddress = m.ValidatorAddress,
            ConsensusPubkey = m.Pubkey,
            Jailed = false,
            Status = BondStatus.Unbonded,
            Tokens = "0",
            DelegatorShares = LegacyDec.Zero.ToWire(),
            Description = m.Description,
            UnbondingHeight = 0,
            UnbondingTime = StakingKeeper.Ts(DateTimeOffset.UnixEpoch),
            Commission = new Commission { CommissionRates = m.Commission, UpdateTime = StakingKeeper.Ts(ctx.Header.Time) },
            MinSelfDelegation = ValidatorMath.Int(Amounts.Parse(m.MinSelfDelegation, "min_self_delegation")),
        };
        keeper.SetValidator(ctx, validator);
        keeper.SetValidatorByConsAddr(ctx, validator);
        keeper.SetValidatorByPowerIndex(ctx, validator);
        keeper.Hooks.AfterValidatorCreated(ctx, op);
        keeper.Delegate(ctx, op, Amounts.Parse(m.Value.Amount, "amount"), BondStatus.Unbonded, validator, subtractAccount: true);
        ctx.Events.Emit(SdkEvent.Of("create_validator", ("validator", m.ValidatorAddress), ("amount", CoinText(m.Value))));
        return new MsgCreateValidatorResponse();
    }

    public MsgEditValidatorResponse EditValidator(Context ctx, MsgEditValidator m)
    {
        var op = ValidatorAddress.ParseOperator(m.ValidatorAddress);
        var validator = keeper.GetValidator(ctx, op) ?? throw StakingErrors.NoValidatorFound();
        var d = validator.Description ?? new Description();
        var n = m.Description;
        var updated = new Description
        {
            Moniker = n.Moniker == DoNotModify ? d.Moniker : n.Moniker,
            Identity = n.Identity == DoNotModify ? d.Identity : n.Identity,
            Website = n.Website == DoNotModify ? d.Website : n.Website,
            SecurityContact = n.SecurityContact == DoNotModify ? d.SecurityContact : n.SecurityContact,
            Details = n.Details == DoNotModify ? d.Details : n.Details,
        };
        EnsureLength(updated);
        validator.Description = updated;

        if (m.CommissionRate.Length > 0)
        {
            var newRate = LegacyDec.FromWire(m.CommissionRate);
            var c = validator.Commission;
            var now = ctx.Header.Time;
            if (now - StakingKeeper.Time(c.UpdateTime) < TimeSpan.FromHours(24)) throw StakingErrors.CommissionUpdateTime();
            if (newRate.IsNegative) throw StakingErrors.CommissionNegative();
            if (newRate > LegacyDec.FromWire(c.CommissionRates.MaxRate)) throw StakingErrors.CommissionGTMaxRate();
            if (newRate - LegacyDec.FromWire(c.CommissionRates.Rate) > LegacyDec.FromWire(c.CommissionRates.MaxChangeRate)) throw StakingErrors.CommissionGTMaxChangeRate();
            var minRate = LegacyDec.FromWire(keeper.GetParams(ctx).MinCommissionRate);
            if (newRate < minRate) throw SdkErrors.InvalidRequest($"commission rate cannot be less than the min commission rate {minRate}");
            c.CommissionRates.Rate = newRate.ToWire();
            c.UpdateTime = StakingKeeper.Ts(now);
        }
        if (m.MinSelfDelegation.Length > 0)
        {
            var minSelf = Amounts.Parse(m.MinSelfDelegation, "min_self_delegation");
            if (minSelf <= ValidatorMath.ParseInt(validator.MinSelfDelegation)) throw StakingErrors.MinSelfDelegationDecreased();
            if (minSelf > validator.GetTokens()) throw StakingErrors.SelfDelegationBelowMinimum();
            validator.MinSelfDelegation = ValidatorMath.Int(minSelf);
        }
        keeper.SetValidator(ctx, validator);
        ctx.Events.Emit(SdkEvent.Of("edit_validator",
            ("commission_rate", LegacyDec.FromWire(validator.Commission.CommissionRates.Rate).ToString()),
            ("min_self_delegation", validator.MinSelfDelegation)));
        return new MsgEditValidatorResponse();
    }

    public MsgDelegateResponse Delegate(Context ctx, MsgDelegate m)
    {
        var op = ValidatorAddress.ParseOperator(m.ValidatorAddress);
        var del = Bech32Address.Parse(m.DelegatorAddress);
        var validator = keeper.GetValidator(ctx, op) ?? throw StakingErrors.NoValidatorFound();
        RequireBondDenom(ctx, m.Amount.Denom);
        var shares = keeper.Delegate(ctx, del, Amounts.Parse(m.Amount.Amount, "amount"), BondStatus.Unbonded, validator, subtractAccount: true);
        ctx.Events.Emit(SdkEvent.Of("delegate",
            ("validator", m.ValidatorAddress), ("delegator", m.DelegatorAddress), ("amount", CoinText(m.Amount)), ("new_shares", shares.ToString())));
        return new MsgDelegateResponse();
    }

    public MsgBeginRedelegateResponse BeginRedelegate(Context ctx, MsgBeginRedelegate m)
    {
        var src = ValidatorAddress.ParseOperator(m.ValidatorSrcAddress);
        var dst = ValidatorAddress.ParseOperator(m.ValidatorDstAddress);
        var del = Bech32Address.Parse(m.DelegatorAddress);
        var shares = keeper.ValidateUnbondAmount(ctx, del, src, Amounts.Parse(m.Amount.Amount, "amount"));
        RequireBondDenom(ctx, m.Amount.Denom);
        var completion = keeper.BeginRedelegation(ctx, del, src, dst, shares);
        ctx.Events.Emit(SdkEvent.Of("redelegate",
            ("source_validator", m.ValidatorSrcAddress), ("destination_validator", m.ValidatorDstAddress), ("delegator", m.DelegatorAddress),
            ("amount", CoinText(m.Amount)), ("completion_time", StakingKeeper.Rfc3339(completion))));
        return new MsgBeginRedelegateResponse { CompletionTime = StakingKeeper.Ts(completion) };
    }

    public MsgUndelegateResponse Undelegate(Context ctx, MsgUndelegate m)
    {
        var op = ValidatorAddress.ParseOperator(m.ValidatorAddress);
        var del = Bech32Address.Parse(m.DelegatorAddress);
        var shares = keeper.ValidateUnbondAmount(ctx, del, op, Amounts.Parse(m.Amount.Amount, "amount"));
        RequireBondDenom(ctx, m.Amount.Denom);
        var (completion, amount) = keeper.Undelegate(ctx, del, op, shares);
        var coin = new DePinChain.Protos.Cosmos.Base.V1Beta1.Coin { Denom = m.Amount.Denom, Amount = ValidatorMath.Int(amount) };
        ctx.Events.Emit(SdkEvent.Of("unbond",
            ("validator", m.ValidatorAddress), ("delegator", m.DelegatorAddress), ("amount", amount + m.Amount.Denom),
            ("completion_time", StakingKeeper.Rfc3339(completion))));
        return new MsgUndelegateResponse { CompletionTime = StakingKeeper.Ts(completion), Amount = coin };
    }

    public MsgCancelUnbondingDelegationResponse CancelUnbondingDelegation(Context ctx, MsgCancelUnbondingDelegation m)
    {
        var op = ValidatorAddress.ParseOperator(m.ValidatorAddress);
        var del = Bech32Address.Parse(m.DelegatorAddress);
        RequireBondDenom(ctx, m.Amount.Denom);
        keeper.CancelUnbondingDelegation(ctx, del, op, Amounts.Parse(m.Amount.Amount, "amount"), m.CreationHeight);
        ctx.Events.Emit(SdkEvent.Of("cancel_unbonding_delegation",
            ("amount", CoinText(m.Amount)), ("validator", m.ValidatorAddress), ("delegator", m.DelegatorAddress),
            ("creation_height", m.CreationHeight.ToString(CultureInfo.InvariantCulture))));
        return new MsgCancelUnbondingDelegationResponse();
    }
}
