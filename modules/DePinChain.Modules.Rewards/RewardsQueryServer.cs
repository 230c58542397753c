using DePinChain.Protos.Depin.Rewards.V1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Rewards;

/// <summary>The rewards <c>service Query</c>: one handler per rpc.</summary>
public sealed class RewardsQueryServer(RewardsKeeper keeper)
{
    public void Register(QueryRouter.ServiceRegistrar query)
    {
        query.Register("Params", QueryParamsRequest.Parser, Params);
        query.Register("DeviceReward", QueryDeviceRewardRequest.Parser, DeviceReward);
        query.Register("OwnerRewards", QueryOwnerRewardsRequest.Parser, OwnerRewards);
        query.Register("EpochSummary", QueryEpochSummaryRequest.Parser, EpochSummary);
    }

    public QueryParamsResponse Params(Context ctx, QueryParamsRequest _)
        => new() { Params = keeper.GetParams(ctx), Authority = keeper.GetAuthority(ctx) };

    public QueryDeviceRewardResponse DeviceReward(Context ctx, QueryDeviceRewardRequest req)
    {
        if (req.DeviceKey.IsEmpty) throw RewardsErrors.InvalidRequest("device_key is empty");
        var record = keeper.GetRecord(ctx, req.Epoch, req.DeviceKey.Span)
            ?? throw RewardsErrors.NotFound($"reward record of device {Convert.ToHexString(req.DeviceKey.Span)} in epoch {req.Epoch}");
        return new QueryDeviceRewardResponse { Record = record };
    }

    public QueryOwnerRewardsResponse OwnerRewards(Context ctx, QueryOwnerRewardsRequest req)
    {
        var owner = Bech32Address.Parse(req.Owner);
        var response = new QueryOwnerRewardsResponse();
        var total = System.Numerics.BigInteger.Zero;
        foreach (var record in keeper.OwnerRecords(ctx, owner, req.Epoch))
        {
            response.Records.Add(record);
            total += Amounts.Parse(record.Amount, "amount");
        }
        response.Total = Amounts.Format(total);
        return response;
    }

    public QueryEpochSummaryResponse EpochSummary(Context ctx, QueryEpochSummaryRequest req)
    {
        var summary = keeper.GetSummary(ctx, req.Epoch) ?? throw RewardsErrors.NotFound($"summary of epoch {req.Epoch}");
        var response = new QueryEpochSummaryResponse { Summary = summary };
        response.Validators.AddRange(keeper.ValidatorRewards(ctx, req.Epoch));
        return response;
    }
}
