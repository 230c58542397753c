using System.Numerics;
using DePinChain.Protos.Cosmos.Staking.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;

namespace DePinChain.Modules.Staking;

// Delegations, unbonding delegations and redelegations: the SDK's keeper/delegation.go.
public sealed partial class StakingKeeper
{
    // ---- delegations ----

    public Delegation? GetDelegation(Context ctx, ReadOnlySpan<byte> delegator, ReadOnlySpan<byte> operatorAddress)
    {
        var bytes = Store(ctx).Get(StakingKeys.DelegationKey(delegator, operatorAddress));
        return bytes is null ? null : Delegation.Parser.ParseFrom(bytes);
    }

    public IReadOnlyList<Delegation> GetDelegatorDelegations(Context ctx, ReadOnlySpan<byte> delegator)
        => [.. IteratePrefix(ctx, StakingKeys.DelegationsOf(delegator)).Select(kv => Delegation.Parser.ParseFrom(kv.Value))];

    /// <summary>A validator's delegations, by delegator address.</summary>
    public IReadOnlyList<Delegation> GetValidatorDelegations(Context ctx, ReadOnlySpan<byte> operatorAddress)
    {
        var result = new List<Delegation>();
        foreach (var kv in IteratePrefix(ctx, StakingKeys.DelegationsTo(operatorAddress)).ToList())
        {
            var parts = StakingKeys.Addresses(kv.Key, 1);
            if (GetDelegation(ctx, parts[1], parts[0]) is { } d) result.Add(d);
        }
        return result;
    }

    public IReadOnlyList<Delegation> GetAllDelegations(Context ctx)
        => [.. IteratePrefix(ctx, StakingKeys.DelegationPrefix).Select(kv => Delegation.Parser.ParseFrom(kv.Value))];

    internal void SetDelegation(Context ctx, Delegation d)
    {
        var del = Bech32Address.Parse(d.DelegatorAddress);
        var val = ValidatorAddress.ParseOperator(d.ValidatorAddress);
        Store(ctx).Set(StakingKeys.DelegationKey(del, val), d.ToByteArray());
        Store(ctx).Set(StakingKeys.DelegationByValKey(val, del), []);
    }

    internal void RemoveDelegation(Context ctx, Delegation d)
    {
        var del = Bech32Address.Parse(d.DelegatorAddress);
        var val = ValidatorAddress.ParseOperator(d.ValidatorAddress);
        _hooks.BeforeDelegationRemoved(ctx, del, val);
        Store(ctx).Delete(StakingKeys.DelegationKey(del, val));
        Store(ctx).Delete(StakingKeys.DelegationByValKey(val, del));
    }

    /// <summary>
    /// Delegates <paramref name="amount"/> to <paramref name="validator"/>. With <paramref name="subtractAccount"/> the
    /// tokens come from the delegator's account into the validator's pool; otherwise they already sit in the pool of
    /// <paramref name="tokenSrc"/> and move to the validator's pool if that differs. Returns the new shares.
    /// </summary>
    public LegacyDec Delegate(Context ctx, byte[] delegator, BigInteger amount, BondStatus tokenSrc, Validator validator, bool subtractAccount)
    {
        if (validator.InvalidExRate()) throw StakingErrors.DelegatorShareExRateInvalid();
        var op = validator.Operator();
        var delegation = GetDelegation(ctx, delegator, op);
        if (delegation is not null) _hooks.BeforeDelegationSharesModified(ctx, delegator, op);
        else
        {
            delegation = new Delegation { DelegatorAddress = Bech32Address.ToBech32(delegator), ValidatorAddress = validator.OperatorAddress, Shares = LegacyDec.Zero.ToWire() };
            _hooks.BeforeDelegationCreated(ctx, delegator, op);
        }

        if (subtractAccount)
        {
            if (tokenSrc == BondStatus.Bonded) throw new InvalidOperationException("delegation token source cannot be bonded");
            string pool = validator.IsBonded() ? StakingKeys.BondedPoolName : StakingKeys.NotBondedPoolName;
            bank.SendCoinsFromAccountToModule(ctx, delegator, pool, Coins.Of(new Coin(BondDenom(ctx), amount)));
        }
        else
        {
            bool srcBonded = tokenSrc == BondStatus.Bonded;
            if (!srcBonded && validator.IsBonded()) NotBondedTokensToBonded(ctx, amount);
            else if (srcBonded && !validator.IsBonded()) BondedTokensToNotBonded(ctx, amount);
        }

        AddValidatorTokensAndShares(ctx, validator, amount, out var newShares);
        delegation.Shares = (LegacyDec.FromWire(delegation.Shares) + newShares).ToWire();
        SetDelegation(ctx, delegation);
        _hooks.AfterDelegationModified(ctx, delegator, op);
        return newShares;
    }

    /// <summary>
    /// The shares to unbond for <paramref name="amount"/> tokens, capped at the delegation's shares (so a full withdrawal
    /// is possible despite rounding); more than the delegation by truncated shares is refused.
    /// </summary>
    public LegacyDec ValidateUnbondAmount(Context ctx, byte[] delegator, byte[] op, BigInteger amount)
    {
        var validator = GetValidator(ctx, op) ?? throw StakingErrors.NoValidatorFound();
        var delegation = GetDelegation(ctx, delegator, op) ?? throw StakingErrors.NoDelegation();
        var shares = validator.SharesFromTokens(amount);
        var truncated = validator.SharesFromTokensTruncated(amount);
        var delShares = LegacyDec.FromWire(delegation.Shares);
        if (truncated > delShares) throw SdkErrors.InvalidRequest("invalid shares amount");
        return shares > delShares ? delShares : shares;
    }

    /// <summary>Removes shares from a delegation and its validator; returns the tokens they were worth. A self-delegation
    /// that falls below the minimum jails the validator.</summary>
    public BigInteger Unbond(Context ctx, byte[] delegator, byte[] op, LegacyDec shares)
    {
        var delegation = GetDelegation(ctx, delegator, op) ?? throw StakingErrors.NoDelegatorForAddress();
        _hooks.BeforeDelegationSharesModified(ctx, delegator, op);
        var delShares = LegacyDec.FromWire(delegation.Shares);
        if (delShares < shares) throw StakingErrors.NotEnoughDelegationShares(delShares.ToString());
        var validator = GetValidator(ctx, op) ?? throw StakingErrors.NoValidatorFound();
        delShares -= shares;
        delegation.Shares = delShares.ToWire();

        bool isOperator = delegator.AsSpan().SequenceEqual(op);
        if (isOperator && !validator.Jailed && validator.TokensFromShares(delShares).TruncateInt() < ValidatorMath.ParseInt(validator.MinSelfDelegation))
        {
            JailValidator(ctx, validator);
            validator = MustGetValidator(ctx, op);
        }

        if (delShares.IsZero) RemoveDelegation(ctx, delegation);
        else
        {
            SetDelegation(ctx, delegation);
            _hooks.AfterDelegationModified(ctx, delegator, op);
        }

        var amount = RemoveValidatorTokensAndShares(ctx, validator, shares);
        if (validator.GetShares().IsZero && validator.IsUnbonded()) RemoveValidator(ctx, op);
        return amount;
    }

    /// <summary>Starts unbonding <paramref name="shares"/>: the tokens wait in the not-bonded pool until block time +
    /// unbonding_time. Returns the completion time and the tokens.</summary>
    public (DateTimeOffset CompletionTime, BigInteger Amount) Undelegate(Context ctx, byte[] delegator, byte[] op, LegacyDec shares)
    {
        var validator = GetValidator(ctx, op) ?? throw StakingErrors.NoDelegatorForAddress();
        var p = GetParams(ctx);
        if (GetUnbondingDelegation(ctx, delegator, op) is { } existing && existing.Entries.Count >= p.MaxEntries)
            throw StakingErrors.MaxUnbondingDelegationEntries();
        var amount = Unbond(ctx, delegator, op, shares);
        if (validator.IsBonded()) BondedTokensToNotBonded(ctx, amount);
        var completion = ctx.Header.Time + p.UnbondingTime.ToTimeSpan();
        var ubd = SetUnbondingDelegationEntry(ctx, delegator, op, ctx.Height, completion, amount);
        InsertUbdQueue(ctx, ubd, completion);
        return (completion, amount);
    }

    // ---- unbonding delegations ----

    public UnbondingDelegation? GetUnbondingDelegation(Context ctx, ReadOnlySpan<byte> delegator, ReadOnlySpan<byte> op)
    {
        var bytes = Store(ctx).Get(StakingKeys.UnbondingDelegationKey(delegator, op));
        return bytes is null ? null : UnbondingDelegation.Parser.ParseFrom(bytes);
    }

    public IReadOnlyList<UnbondingDelegation> GetDelegatorUnbondingDelegations(Context ctx, ReadOnlySpan<byte> delegator)
        => [.. IteratePrefix(ctx, StakingKeys.UnbondingDelegationsOf(delegator)).Select(kv => UnbondingDelegation.Parser.ParseFrom(kv.Value))];

    public IReadOnlyList<UnbondingDelegation> GetUnbondingDelegationsFromValidator(Context ctx, ReadOnlySpan<byte> op)
    {
        var result = new List<UnbondingDelegation>();
        foreach (var kv in IteratePrefix(ctx, StakingKeys.UnbondingDelegationsFrom(op)).ToList())
        {
            var parts = StakingKeys.Addresses(kv.Key, 1);
            if (GetUnbondingDelegation(ctx, parts[1], parts[0]) is { } u) result.Add(u);
        }
        return result;
    }

    public IReadOnlyList<UnbondingDelegation> GetAllUnbondingDelegations(Context ctx)
        => [.. IteratePrefix(ctx, StakingKeys.UnbondingDelegationPrefix).Select(kv => UnbondingDelegation.Parser.ParseFrom(kv.Value))];

    internal void SetUnbondingDelegation(Context ctx, UnbondingDelegation ubd)
    {
        var del = Bech32Address.Parse(ubd.DelegatorAddress);
        var val = ValidatorAddress.ParseOperator(ubd.ValidatorAddress);
        Store(ctx).Set(StakingKeys.UnbondingDelegationKey(del, val), ubd.ToByteArray());
        Store(ctx).Set(StakingKeys.UnbondingDelegationByValKey(val, del), []);
    }

    internal void RemoveUnbondingDelegation(Context ctx, UnbondingDelegation ubd)
    {
        var del = Bech32Address.Parse(ubd.DelegatorAddress);
        var val = ValidatorAddress.ParseOperator(ubd.ValidatorAddress);
        Store(ctx).Delete(StakingKeys.UnbondingDelegationKey(del, val));
        Store(ctx).Delete(StakingKeys.UnbondingDelegationByValKey(val, del));
    }

    /// <summary>Adds an entry, merged into an existing one of the same creation height and completion time (v0.50).</summary>
    internal UnbondingDelegation SetUnbondingDelegationEntry(Context ctx, byte[] delegator, byte[] op, long height, DateTimeOffset completion, BigInteger balance)
    {
        ulong id = IncrementUnbondingId(ctx);
        var ubd = GetUnbondingDelegation(ctx, delegator, op)
            ?? new UnbondingDelegation { DelegatorAddress = Bech32Address.ToBech32(delegator), ValidatorAddress = ValidatorAddress.ToOperatorBech32(op) };
        var completionTs = Ts(completion);
        var same = ubd.Entries.FirstOrDefault(e => e.CreationHeight == height && e.CompletionTime.Equals(completionTs));
        if (same is not null)
        {
            same.Balance = ValidatorMath.Int(ValidatorMath.ParseInt(same.Balance) + balance);
            same.InitialBalance = ValidatorMath.Int(ValidatorMath.ParseInt(same.InitialBalance) + balance);
        }
        else
        {
            ubd.Entries.Add(new UnbondingDelegationEntry
            {
                CreationHeight = height, CompletionTime = completionTs, InitialBalance = ValidatorMath.Int(balance), Balance = ValidatorMath.Int(balance), UnbondingId = id,
            });
        }
        SetUnbondingDelegation(ctx, ubd);
        return ubd;
    }

    /// <summary>Pays out the mature entries of an unbonding delegation; returns what was paid (null: none exists).</summary>
    public BigInteger? CompleteUnbonding(Context ctx, byte[] delegator, byte[] op)
    {
        var ubd = GetUnbondingDelegation(ctx, delegator, op);
        if (ubd is null) return null;
        BigInteger paid = 0;
        var now = ctx.Header.Time;
        for (int i = 0; i < ubd.Entries.Count; i++)
        {
            var e = ubd.Entries[i];
            if (Time(e.CompletionTime) > now || e.UnbondingOnHoldRefCount > 0) continue;
            ubd.Entries.RemoveAt(i);
            i--;
            var balance = ValidatorMath.ParseInt(e.Balance);
            if (!balance.IsZero)
            {
                bank.SendCoinsFromModuleToAccount(ctx, StakingKeys.NotBondedPoolName, delegator, Coins.Of(new Coin(BondDenom(ctx), balance)));
                paid += balance;
            }
        }
        if (ubd.Entries.Count == 0) RemoveUnbondingDelegation(ctx, ubd);
        else SetUnbondingDelegation(ctx, ubd);
        return paid;
    }

    // ---- redelegations ----

    public Redelegation? GetRedelegation(Context ctx, ReadOnlySpan<byte> delegator, ReadOnlySpan<byte> src, ReadOnlySpan<byte> dst)
    {
        var bytes = Store(ctx).Get(StakingKeys.RedelegationKey(delegator, src, dst));
        return bytes is null ? null : Redelegation.Parser.ParseFrom(bytes);
    }

    public IReadOnlyList<Redelegation> GetDelegatorRedelegations(Context ctx, ReadOnlySpan<byte> delegator)
        => [.. IteratePrefix(ctx, StakingKeys.RedelegationsOf(delegator)).Select(kv => Redelegation.Parser.ParseFrom(kv.Value))];

    public IReadOnlyList<Redelegation> GetRedelegationsFromSrcValidator(Context ctx, ReadOnlySpan<byte> src)
    {
        var result = new List<Redelegation>();
        foreach (var kv in IteratePrefix(ctx, StakingKeys.RedelegationsFromSrc(src)).ToList())
        {
            var parts = StakingKeys.Addresses(kv.Key, 1);
            if (GetRedelegation(ctx, parts[1], parts[0], parts[2]) is { } r) result.Add(r);
        }
        return result;
    }

    public IReadOnlyList<Redelegation> GetAllRedelegations(Context ctx)
        => [.. IteratePrefix(ctx, StakingKeys.RedelegationPrefix).Select(kv => Redelegation.Parser.ParseFrom(kv.Value))];

    /// <summary>The delegator has a redelegation in progress into <paramref name="dst"/> (a redelegation out of it would be transitive).</summary>
    public bool HasReceivingRedelegation(Context ctx, ReadOnlySpan<byte> delegator, ReadOnlySpan<byte> dst)
        => IteratePrefix(ctx, StakingKeys.RedelegationsToDstOf(dst, delegator)).Any();

    internal void SetRedelegation(Context ctx, Redelegation r)
    {
        var (del, src, dst) = RedAddrs(r);
        Store(ctx).Set(StakingKeys.RedelegationKey(del, src, dst), r.ToByteArray());
        Store(ctx).Set(StakingKeys.RedelegationBySrcKey(src, del, dst), []);
        Store(ctx).Set(StakingKeys.RedelegationByDstKey(dst, del, src), []);
    }

    internal void RemoveRedelegation(Context ctx, Redelegation r)
    {
        var (del, src, dst) = RedAddrs(r);
        Store(ctx).Delete(StakingKeys.RedelegationKey(del, src, dst));
        Store(ctx).Delete(StakingKeys.RedelegationBySrcKey(src, del, dst));
        Store(ctx).Delete(StakingKeys.RedelegationByDstKey(dst, del, src));
    }

    private static (byte[] Del, byte[] Src, byte[] Dst) RedAddrs(Redelegation r)
        => (Bech32Address.Parse(r.DelegatorAddress), ValidatorAddress.ParseOperator(r.ValidatorSrcAddress), ValidatorAddress.ParseOperator(r.ValidatorDstAddress));

    /// <summary>When a redelegation (or unbonding) out of <paramref name="src"/> completes: an unbonded source completes
    /// at once, an unbonding one when the validator finishes unbonding, a bonded (or removed) one after unbonding_time.</summary>
    internal (DateTimeOffset Completion, long Height, bool CompleteNow) GetBeginInfo(Context ctx, byte[] src)
    {
        var v = GetValidator(ctx, src);
        if (v is null || v.IsBonded()) return (ctx.Header.Time + GetParams(ctx).UnbondingTime.ToTimeSpan(), ctx.Height, false);
        if (v.IsUnbonded()) return (default, 0, true);
        return (Time(v.UnbondingTime), v.UnbondingHeight, false);
    }

    /// <summary>Moves <paramref name="shares"/> of a delegation from <paramref name="src"/> to <paramref name="dst"/>;
    /// returns when the redelegation completes (the block time itself when it completes at once).</summary>
    public DateTimeOffset BeginRedelegation(Context ctx, byte[] delegator, byte[] src, byte[] dst, LegacyDec shares)
    {
        if (src.AsSpan().SequenceEqual(dst)) throw StakingErrors.SelfRedelegation();
        var dstValidator = GetValidator(ctx, dst) ?? throw StakingErrors.BadRedelegationDst();
        var srcValidator = GetValidator(ctx, src) ?? throw StakingErrors.BadRedelegationSrc();
        if (HasReceivingRedelegation(ctx, delegator, src)) throw StakingErrors.TransitiveRedelegation();
        if (GetRedelegation(ctx, delegator, src, dst) is { } existing && existing.Entries.Count >= GetParams(ctx).MaxEntries)
            throw StakingErrors.MaxRedelegationEntries();

        var amount = Unbond(ctx, delegator, src, shares);
        if (amount.IsZero) throw StakingErrors.TinyRedelegationAmount();
        dstValidator = MustGetValidator(ctx, dst);
        var sharesCreated = Delegate(ctx, delegator, amount, srcValidator.Status, dstValidator, subtractAccount: false);

        var (completion, height, completeNow) = GetBeginInfo(ctx, src);
        if (completeNow) return completion;
        ulong id = IncrementUnbondingId(ctx);
        var red = GetRedelegation(ctx, delegator, src, dst) ?? new Redelegation
        {
            DelegatorAddress = Bech32Address.ToBech32(delegator), ValidatorSrcAddress = ValidatorAddress.ToOperatorBech32(src), ValidatorDstAddress = ValidatorAddress.ToOperatorBech32(dst),
        };
        red.Entries.Add(new RedelegationEntry
        {
            CreationHeight = height, CompletionTime = Ts(completion), InitialBalance = ValidatorMath.Int(amount), SharesDst = sharesCreated.ToWire(), UnbondingId = id,
        });
        SetRedelegation(ctx, red);
        InsertRedelegationQueue(ctx, red, completion);
        return completion;
    }

    /// <summary>Drops the mature entries of a redelegation; returns their initial balances (null: none exists).</summary>
    public BigInteger? CompleteRedelegation(Context ctx, byte[] delegator, byte[] src, byte[] dst)
    {
        var red = GetRedelegation(ctx, delegator, src, dst);
        if (red is null) return null;
        BigInteger total = 0;
        var now = ctx.Header.Time;
        for (int i = 0; i < red.Entries.Count; i++)
        {
            var e = red.Entries[i];
            if (Time(e.CompletionTime) > now || e.UnbondingOnHoldRefCount > 0) continue;
            red.Entries.RemoveAt(i);
            i--;
            total += ValidatorMath.ParseInt(e.InitialBalance);
        }
        if (red.Entries.Count == 0) RemoveRedelegation(ctx, red);
        else SetRedelegation(ctx, red);
        return total;
    }

    /// <summary>Re-delegates part of an unbonding entry (by its creation height) to the validator (CancelUnbondingDelegation).</summary>
    public void CancelUnbondingDelegation(Context ctx, byte[] delegator, byte[] op, BigInteger amount, long creationHeight)
    {
        var validator = GetValidator(ctx, op) ?? throw StakingErrors.NoValidatorFound();
        if (validator.InvalidExRate()) throw StakingErrors.DelegatorShareExRateInvalid();
        if (validator.Jailed) throw StakingErrors.ValidatorJailed();
        var ubd = GetUnbondingDelegation(ctx, delegator, op)
            ?? throw SdkErrors.NotFound($"unbonding delegation with delegator {Bech32Address.ToBech32(delegator)} not found for validator {validator.OperatorAddress}");
        int index = -1;
        for (int i = 0; i < ubd.Entries.Count; i++)
            if (ubd.Entries[i].CreationHeight == creationHeight) { index = i; break; }
        if (index < 0) throw SdkErrors.NotFound($"unbonding delegation entry is not found at block height {creationHeight}");
        var entry = ubd.Entries[index];
        var balance = ValidatorMath.ParseInt(entry.Balance);
        if (balance < amount) throw SdkErrors.InvalidRequest("amount is greater than the unbonding delegation entry balance");
        if (Time(entry.CompletionTime) < ctx.Header.Time) throw SdkErrors.InvalidRequest("unbonding delegation is already processed");

        Delegate(ctx, delegator, amount, BondStatus.Unbonding, validator, subtractAccount: false);
        var left = balance - amount;
        if (left.IsZero) ubd.Entries.RemoveAt(index);
        else
        {
            entry.Balance = ValidatorMath.Int(left);
            entry.InitialBalance = ValidatorMath.Int(ValidatorMath.ParseInt(entry.InitialBalance) - amount);
        }
        if (ubd.Entries.Count == 0) RemoveUnbondingDelegation(ctx, ubd);
        else SetUnbondingDelegation(ctx, ubd);
    }
}
