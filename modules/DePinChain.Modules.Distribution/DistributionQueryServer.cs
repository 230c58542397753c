using DePinChain.Protos.Cosmos.Distribution.V1Beta1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Distribution;

/// <summary>The distribution <c>service Query</c> (x/distribution/keeper/grpc_query.go): every rpc.</summary>
public sealed class DistributionQueryServer(DistributionKeeper keeper)
{
    public void Register(QueryRouter.ServiceRegistrar query)
    {
        query.Register("Params", QueryParamsRequest.Parser, Params);
        query.Register("ValidatorDistributionInfo", QueryValidatorDistributionInfoRequest.Parser, ValidatorDistributionInfo);
        query.Register("ValidatorOutstandingRewards", QueryValidatorOutstandingRewardsRequest.Parser, ValidatorOutstandingRewards);
        query.Register("ValidatorCommission", QueryValidatorCommissionRequest.Parser, ValidatorCommission);
        query.Register("ValidatorSlashes", QueryValidatorSlashesRequest.Parser, ValidatorSlashes);
        query.Register("DelegationRewards", QueryDelegationRewardsRequest.Parser, DelegationRewards);
        query.Register("DelegationTotalRewards", QueryDelegationTotalRewardsRequest.Parser, DelegationTotalRewards);
        query.Register("DelegatorValidators", QueryDelegatorValidatorsRequest.Parser, DelegatorValidators);
        query.Register("DelegatorWithdrawAddress", QueryDelegatorWithdrawAddressRequest.Parser, DelegatorWithdrawAddress);
        query.Register("CommunityPool", QueryCommunityPoolRequest.Parser, CommunityPool);
    }

    public QueryParamsResponse Params(Context ctx, QueryParamsRequest _) => new() { Params = keeper.GetParams(ctx) };

    private static byte[] Operator(string text)
    {
        if (string.IsNullOrEmpty(text)) throw DistributionErrors.EmptyValidatorAddr();
        return ValidatorAddress.ParseOperator(text);
    }

    private static byte[] Delegator(string text)
    {
        if (string.IsNullOrEmpty(text)) throw DistributionErrors.EmptyDelegatorAddr();
        return Bech32Address.Parse(text);
    }

    private Protos.Cosmos.Staking.V1Beta1.Validator RequireValidator(Context ctx, byte[] op, string text)
        => keeper.Staking.GetValidator(ctx, op) ?? throw DistributionErrors.NoValidatorExists(text);

    public QueryValidatorDistributionInfoResponse ValidatorDistributionInfo(Context ctx, QueryValidatorDistributionInfoRequest req)
    {
        var op = Operator(req.ValidatorAddress);
        var val = RequireValidator(ctx, op, req.ValidatorAddress);
        var self = keeper.Staking.GetDelegation(ctx, op, op)
            ?? throw DistributionErrors.NoDelegationExists(Bech32Address.ToBech32(op), req.ValidatorAddress);
        var response = new QueryValidatorDistributionInfoResponse { OperatorAddress = Bech32Address.ToBech32(op) };
        response.SelfBondRewards.AddRange(keeper.PendingRewards(ctx, val, self).ToProto());
        response.Commission.AddRange(keeper.GetAccumulatedCommission(ctx, op).ToProto());
        return response;
    }

    public QueryValidatorOutstandingRewardsResponse ValidatorOutstandingRewards(Context ctx, QueryValidatorOutstandingRewardsRequest req)
    {
        var op = Operator(req.ValidatorAddress);
        RequireValidator(ctx, op, req.ValidatorAddress);
        var rewards = new ValidatorOutstandingRewards();
        rewards.Rewards.AddRange(keeper.GetOutstanding(ctx, op).ToProto());
        return new QueryValidatorOutstandingRewardsResponse { Rewards = rewards };
    }

    public QueryValidatorCommissionResponse ValidatorCommission(Context ctx, QueryValidatorCommissionRequest req)
    {
        var op = Operator(req.ValidatorAddress);
        RequireValidator(ctx, op, req.ValidatorAddress);
        var commission = new ValidatorAccumulatedCommission();
        commission.Commission.AddRange(keeper.GetAccumulatedCommission(ctx, op).ToProto());
        return new QueryValidatorCommissionResponse { Commission = commission };
    }

    /// <summary>Slash events with starting_height ≤ height ≤ ending_height (pagination: offset and limit of the request, no key).</summary>
    public QueryValidatorSlashesResponse ValidatorSlashes(Context ctx, QueryValidatorSlashesRequest req)
    {
        if (req.EndingHeight < req.StartingHeight) throw SdkErrors.InvalidRequest("starting height greater than ending height");
        var op = Operator(req.ValidatorAddress);
        var response = new QueryValidatorSlashesResponse();
        var events = keeper.SlashEventsBetween(ctx, op, req.StartingHeight, req.EndingHeight).Select(e => e.Event);
        ulong offset = req.Pagination?.Offset ?? 0, limit = req.Pagination?.Limit ?? 0;
        var all = events.ToList();
        IEnumerable<ValidatorSlashEvent> page = all.Skip((int)Math.Min(offset, (ulong)int.MaxValue));
        if (limit > 0) page = page.Take((int)Math.Min(limit, (ulong)int.MaxValue));
        response.Slashes.AddRange(page);
        response.Pagination = new Protos.Cosmos.Base.Query.V1Beta1.PageResponse { Total = req.Pagination?.CountTotal == true ? (ulong)all.Count : 0 };
        return response;
    }

    public QueryDelegationRewardsResponse DelegationRewards(Context ctx, QueryDelegationRewardsRequest req)
    {
        var delegator = Delegator(req.DelegatorAddress);
        var op = Operator(req.ValidatorAddress);
        var val = RequireValidator(ctx, op, req.ValidatorAddress);
        var del = keeper.Staking.GetDelegation(ctx, delegator, op) ?? throw DistributionErrors.NoDelegationExists(req.DelegatorAddress, req.ValidatorAddress);
        var response = new QueryDelegationRewardsResponse();
        response.Rewards.AddRange(keeper.PendingRewards(ctx, val, del).ToProto());
        return response;
    }

    public QueryDelegationTotalRewardsResponse DelegationTotalRewards(Context ctx, QueryDelegationTotalRewardsRequest req)
    {
        var delegator = Delegator(req.DelegatorAddress);
        var response = new QueryDelegationTotalRewardsResponse();
        var total = DecCoins.Empty;
        foreach (var del in keeper.Staking.GetDelegatorDelegations(ctx, delegator))
        {
            var op = ValidatorAddress.ParseOperator(del.ValidatorAddress);
            var val = RequireValidator(ctx, op, del.ValidatorAddress);
            var rewards = keeper.PendingRewards(ctx, val, del);
            var entry = new DelegationDelegatorReward { ValidatorAddress = del.ValidatorAddress };
            entry.Reward.AddRange(rewards.ToProto());
            response.Rewards.Add(entry);
            total = total.Add(rewards);
        }
        response.Total.AddRange(total.ToProto());
        return response;
    }

    public QueryDelegatorValidatorsResponse DelegatorValidators(Context ctx, QueryDelegatorValidatorsRequest req)
    {
        var delegator = Delegator(req.DelegatorAddress);
        var response = new QueryDelegatorValidatorsResponse();
        response.Validators.AddRange(keeper.Staking.GetDelegatorDelegations(ctx, delegator).Select(d => d.ValidatorAddress));
        return response;
    }

    public QueryDelegatorWithdrawAddressResponse DelegatorWithdrawAddress(Context ctx, QueryDelegatorWithdrawAddressRequest req)
        => new() { WithdrawAddress = Bech32Address.ToBech32(keeper.GetDelegatorWithdrawAddr(ctx, Delegator(req.DelegatorAddress))) };

    public QueryCommunityPoolResponse CommunityPool(Context ctx, QueryCommunityPoolRequest _)
    {
        var response = new QueryCommunityPoolResponse();
        response.Pool.AddRange(keeper.GetCommunityPool(ctx).ToProto());
        return response;
    }
}
