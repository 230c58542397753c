using System.Globalization;
using DePinChain.Protos.Cosmos.Distribution.V1Beta1;
using Validator = DePinChain.Protos.Cosmos.Staking.V1Beta1.Validator;
using Delegation = DePinChain.Protos.Cosmos.Staking.V1Beta1.Delegation;
using DePinChain.Sdk;

namespace DePinChain.Modules.Distribution;

// Allocation (allocation.go) and the delegators' side of F1 (delegation.go, keeper.go).
public sealed partial class DistributionKeeper
{
    /// <summary>
    /// Begin block: from height 2, the whole fee collector balance moves to distribution and is allocated over the
    /// previous block's votes by power; the community tax, the truncation remainder and everything when no vote has
    /// power go to the community pool. Then the proposer is recorded.
    /// </summary>
    public void BeginBlock(Context ctx)
    {
        if (ctx.Height > 1) AllocateTokens(ctx, ctx.Header.Votes);
        SetPreviousProposer(ctx, ctx.Header.ProposerAddress ?? []);
    }

    /// <summary>The SDK's AllocateTokens: every vote counts by power (signed or not), as in v0.50.</summary>
    public void AllocateTokens(Context ctx, IReadOnlyList<VoteInfo> votes)
    {
        var feeCollector = ModuleAccounts.Address(FeeCollectorName);
        var collectedInt = bank.GetAllBalances(ctx, feeCollector);
        long totalPower = 0;
        foreach (var vote in votes) totalPower += vote.Power;
        if (collectedInt.IsEmpty) return;
        var collected = DecCoins.FromCoins(collectedInt);
        bank.SendCoinsFromModuleToModule(ctx, FeeCollectorName, DistributionKeys.ModuleName, collectedInt);
        if (totalPower == 0)
        {
            AddToCommunityPool(ctx, collected);
            return;
        }
        var remaining = collected;
        var feeMultiplier = collected.MulDecTruncate(LegacyDec.One.Sub(GetCommunityTax(ctx)));
        var total = LegacyDec.FromInt(totalPower);
        foreach (var vote in votes)
        {
            var validator = Staking.GetValidatorByConsAddr(ctx, vote.ValidatorAddress);
            if (validator is null) continue; // unknown to staking: its part stays in the remainder, for the community pool
            var powerFraction = LegacyDec.FromInt(vote.Power).QuoTruncate(total);
            var reward = feeMultiplier.MulDecTruncate(powerFraction);
            AllocateTokensToValidator(ctx, validator, reward);
            remaining = remaining.Sub(reward);
        }
        AddToCommunityPool(ctx, remaining);
    }

    /// <summary>
    /// Credits a validator in O(1): commission = tokens × rate (half-even) to its accumulated commission, the rest to
    /// its current period's rewards, all of it to its outstanding rewards. Events <c>commission</c> and <c>rewards</c>.
    /// </summary>
    public void AllocateTokensToValidator(Context ctx, Validator val, DecCoins tokens)
    {
        var op = val.Operator();
        var commission = tokens.MulDec(val.CommissionRate());
        var shared = tokens.Sub(commission);
        ctx.Events.Emit(SdkEvent.Of("commission", ("amount", commission.ToString()), ("validator", val.OperatorAddress)));
        SetAccumulatedCommission(ctx, op, GetAccumulatedCommission(ctx, op).Add(commission));
        var (current, period) = GetCurrentRewards(ctx, op) ?? throw DistributionErrors.NoValidatorDistInfo();
        SetCurrentRewards(ctx, op, current.Add(shared), period);
        ctx.Events.Emit(SdkEvent.Of("rewards", ("amount", tokens.ToString()), ("validator", val.OperatorAddress)));
        SetOutstanding(ctx, op, GetOutstanding(ctx, op).Add(tokens));
    }

    /// <summary>
    /// The validator share of another module (rewards' epoch emission): moves <paramref name="amount"/> from
    /// <paramref name="fromModule"/> to distribution and allocates it to the validator with that consensus address.
    /// Returns its operator address, or null (nothing moved) when staking knows no such validator.
    /// </summary>
    public string? AllocateFromModule(Context ctx, string fromModule, ReadOnlySpan<byte> consensusAddress, Coins amount)
    {
        var validator = Staking.GetValidatorByConsAddr(ctx, consensusAddress);
        if (validator is null) return null;
        if (!amount.IsEmpty)
        {
            bank.SendCoinsFromModuleToModule(ctx, fromModule, DistributionKeys.ModuleName, amount);
            AllocateTokensToValidator(ctx, validator, DecCoins.FromCoins(amount));
        }
        return validator.OperatorAddress;
    }

    // ---- delegations (delegation.go) ----

    /// <summary>Starts a delegation's accounting at the period the last increment ended, with its stake in tokens (truncated).</summary>
    public void InitializeDelegation(Context ctx, byte[] op, byte[] delegator)
    {
        var (_, period) = GetCurrentRewards(ctx, op) ?? throw DistributionErrors.NoValidatorDistInfo();
        ulong previousPeriod = period - 1;
        IncrementReferenceCount(ctx, op, previousPeriod);
        var validator = Staking.GetValidator(ctx, op) ?? throw DistributionErrors.NoValidatorExists(ValidatorAddress.ToOperatorBech32(op));
        var delegation = Staking.GetDelegation(ctx, delegator, op)
            ?? throw DistributionErrors.NoDelegationExists(Bech32Address.ToBech32(delegator), ValidatorAddress.ToOperatorBech32(op));
        var stake = validator.TokensFromSharesTruncated(LegacyDec.FromWire(delegation.Shares));
        SetStartingInfo(ctx, op, delegator, new DelegatorStartingInfo { PreviousPeriod = previousPeriod, Stake = stake.ToWire(), Height = (ulong)ctx.Height });
    }

    private DecCoins RewardsBetween(Context ctx, byte[] op, ulong startingPeriod, ulong endingPeriod, LegacyDec stake)
    {
        if (startingPeriod > endingPeriod) throw new InvalidOperationException("startingPeriod cannot be greater than endingPeriod");
        if (stake.IsNegative) throw new InvalidOperationException("stake should not be negative");
        var (starting, _) = GetHistoricalRewards(ctx, op, startingPeriod);
        var (ending, _) = GetHistoricalRewards(ctx, op, endingPeriod);
        var (difference, negative) = ending.SafeSub(starting);
        if (negative) throw new InvalidOperationException("negative rewards should not be possible");
        return difference.MulDecTruncate(stake);
    }

    /// <summary>
    /// A delegation's rewards from its starting period to <paramref name="endingPeriod"/>: period by period between
    /// slashes, the stake cut by each slash's fraction (truncated). Zero when it started at this height.
    /// </summary>
    public DecCoins CalculateDelegationRewards(Context ctx, Validator val, Delegation del, ulong endingPeriod)
    {
        var op = val.Operator();
        var delegator = Bech32Address.Parse(del.DelegatorAddress);
        var info = GetStartingInfo(ctx, op, delegator) ?? throw DistributionErrors.EmptyDelegationDistInfo();
        var rewards = DecCoins.Empty;
        if (info.Height == (ulong)ctx.Height) return rewards;
        ulong startingPeriod = info.PreviousPeriod;
        var stake = LegacyDec.FromWire(info.Stake);
        ulong endingHeight = (ulong)ctx.Height;
        if (endingHeight > info.Height)
        {
            foreach (var (_, slash) in SlashEventsBetween(ctx, op, info.Height, endingHeight))
            {
                ulong slashPeriod = slash.ValidatorPeriod;
                if (slashPeriod <= startingPeriod) continue;
                rewards = rewards.Add(RewardsBetween(ctx, op, startingPeriod, slashPeriod, stake));
                stake = stake.MulTruncate(LegacyDec.One.Sub(LegacyDec.FromWire(slash.Fraction)));
                startingPeriod = slashPeriod;
            }
        }
        var currentStake = val.TokensFromShares(LegacyDec.FromWire(del.Shares));
        if (stake > currentStake)
        {
            // Rounding between one computation (staking) and an accumulation of truncations across slashes.
            var marginOfErr = LegacyDec.FromScaled(3);
            if (stake <= currentStake.Add(marginOfErr)) stake = currentStake;
            else throw new InvalidOperationException(
                $"calculated final stake for delegator {del.DelegatorAddress} greater than current stake: final stake {stake}, current stake {currentStake}");
        }
        return rewards.Add(RewardsBetween(ctx, op, startingPeriod, endingPeriod, stake));
    }

    /// <summary>
    /// The SDK's withdrawDelegationRewards: ends the period, computes the rewards (at most the outstanding), pays the
    /// whole coins to the withdraw address, the change to the community pool, and drops the starting info (the
    /// caller re-initializes it). Event <c>withdraw_rewards</c>.
    /// </summary>
    public Coins WithdrawDelegationRewardsOf(Context ctx, Validator val, Delegation del)
    {
        var op = val.Operator();
        var delegator = Bech32Address.Parse(del.DelegatorAddress);
        var info = GetStartingInfo(ctx, op, delegator) ?? throw DistributionErrors.EmptyDelegationDistInfo();
        ulong endingPeriod = IncrementValidatorPeriod(ctx, val);
        var rewardsRaw = CalculateDelegationRewards(ctx, val, del, endingPeriod);
        var outstanding = GetOutstanding(ctx, op);
        var rewards = rewardsRaw.Intersect(outstanding);
        if (!rewards.Equals(rewardsRaw))
            ctx.Logger.LogInformationRounding(del.DelegatorAddress, val.OperatorAddress, rewardsRaw, outstanding);
        var (finalRewards, remainder) = rewards.TruncateDecimal();
        if (!finalRewards.IsEmpty)
            bank.SendCoinsFromModuleToAccount(ctx, DistributionKeys.ModuleName, GetDelegatorWithdrawAddr(ctx, delegator), finalRewards);
        SetOutstanding(ctx, op, outstanding.Sub(rewards));
        AddToCommunityPool(ctx, remainder);
        DecrementReferenceCount(ctx, op, info.PreviousPeriod);
        Store(ctx).Delete(DistributionKeys.StartingInfo(op, delegator));
        string amount = finalRewards.IsEmpty ? "0" + DistributionKeys.DefaultBondDenom : finalRewards.ToString();
        ctx.Events.Emit(SdkEvent.Of("withdraw_rewards", ("amount", amount), ("validator", val.OperatorAddress), ("delegator", del.DelegatorAddress)));
        return finalRewards;
    }

    /// <summary>MsgWithdrawDelegatorReward: withdraws, then starts the delegation's accounting again.</summary>
    public Coins WithdrawDelegationRewards(Context ctx, byte[] delegator, byte[] op)
    {
        var val = Staking.GetValidator(ctx, op) ?? throw DistributionErrors.NoValidatorDistInfo();
        var del = Staking.GetDelegation(ctx, delegator, op) ?? throw DistributionErrors.EmptyDelegationDistInfo();
        var rewards = WithdrawDelegationRewardsOf(ctx, val, del);
        InitializeDelegation(ctx, op, delegator);
        return rewards;
    }

    /// <summary>MsgWithdrawValidatorCommission: the whole coins of the commission to the operator's withdraw address; the change stays.</summary>
    public Coins WithdrawValidatorCommission(Context ctx, byte[] op)
    {
        var accumulated = GetAccumulatedCommission(ctx, op);
        if (accumulated.IsZero) throw DistributionErrors.NoValidatorCommission();
        var (commission, remainder) = accumulated.TruncateDecimal();
        SetAccumulatedCommission(ctx, op, remainder);
        SetOutstanding(ctx, op, GetOutstanding(ctx, op).Sub(DecCoins.FromCoins(commission)));
        if (!commission.IsEmpty)
            bank.SendCoinsFromModuleToAccount(ctx, DistributionKeys.ModuleName, GetDelegatorWithdrawAddr(ctx, op), commission);
        ctx.Events.Emit(SdkEvent.Of("withdraw_commission", ("amount", commission.ToString())));
        return commission;
    }

    /// <summary>MsgFundCommunityPool: from the depositor to distribution, added to the community pool.</summary>
    public void FundCommunityPool(Context ctx, Coins amount, byte[] depositor)
    {
        bank.SendCoinsFromAccountToModule(ctx, depositor, DistributionKeys.ModuleName, amount);
        AddToCommunityPool(ctx, DecCoins.FromCoins(amount));
    }

    /// <summary>The rewards a delegation would withdraw now, on a branch of the state that is dropped (queries).</summary>
    public DecCoins PendingRewards(Context ctx, Validator val, Delegation del)
    {
        var branch = ctx.With(store: ctx.MultiStore.Branch(), events: new EventManager());
        ulong endingPeriod = IncrementValidatorPeriod(branch, val);
        return CalculateDelegationRewards(branch, val, del, endingPeriod);
    }
}

internal static partial class DistributionLog
{
    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information,
        Message = "rounding error withdrawing rewards from validator: delegator {Delegator}, validator {Validator}, got {Got}, outstanding {Outstanding}")]
    private static partial void RoundingError(Microsoft.Extensions.Logging.ILogger logger, string delegator, string validator, string got, string outstanding);

    public static void LogInformationRounding(this Microsoft.Extensions.Logging.ILogger logger, string delegator, string validator, DecCoins got, DecCoins outstanding)
        => RoundingError(logger, delegator, validator, got.ToString(), outstanding.ToString());
}
