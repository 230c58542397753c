using System.Numerics;
using DePinChain.Protos.Depin.Mint.V1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Mint;

/// <summary>The mint <c>service Query</c>: one handler per rpc.</summary>
public sealed class MintQueryServer(MintKeeper keeper)
{
    public const int MaxScheduleQueryEpochs = 1_000;

    public void Register(QueryRouter.ServiceRegistrar query)
    {
        query.Register("Params", QueryParamsRequest.Parser, Params);
        query.Register("CurrentEpoch", QueryCurrentEpochRequest.Parser, CurrentEpoch);
        query.Register("EpochEmission", QueryEpochEmissionRequest.Parser, EpochEmission);
        query.Register("Minted", QueryMintedRequest.Parser, Minted);
        query.Register("Schedule", QueryScheduleRequest.Parser, Schedule);
    }

    public QueryParamsResponse Params(Context ctx, QueryParamsRequest _) => new()
    {
        Params = keeper.GetParams(ctx), Schedule = keeper.GetSchedule(ctx), Authority = keeper.GetAuthority(ctx),
    };

    public QueryCurrentEpochResponse CurrentEpoch(Context ctx, QueryCurrentEpochRequest _)
    {
        long blocks = keeper.EpochBlocks(ctx);
        long epoch = EpochMath.EpochOf(ctx.Height, blocks);
        return new QueryCurrentEpochResponse
        {
            Height = ctx.Height, Epoch = epoch,
            EpochStartHeight = EpochMath.FirstHeight(epoch, blocks), EpochEndHeight = EpochMath.LastHeight(epoch, blocks),
        };
    }

    public QueryEpochEmissionResponse EpochEmission(Context ctx, QueryEpochEmissionRequest _)
    {
        long epoch = keeper.EpochOf(ctx, ctx.Height);
        var projected = keeper.ProjectSchedule(ctx, epoch, 1)[0];
        var response = new QueryEpochEmissionResponse { Epoch = epoch, Scheduled = projected.Scheduled, ScheduledAfterCap = projected.Minted };
        var last = keeper.GetLastEmission(ctx);
        if (last is not null) response.LastEmission = last;
        return response;
    }

    public QueryMintedResponse Minted(Context ctx, QueryMintedRequest _)
    {
        var supply = keeper.Supply(ctx);
        var max = keeper.MaxSupply(ctx);
        return new QueryMintedResponse
        {
            Minter = keeper.GetMinter(ctx), Supply = Amounts.Format(supply), MaxSupply = Amounts.Format(max),
            RemainingToCap = Amounts.Format(Amounts.Max(BigInteger.Zero, max - supply)),
        };
    }

    /// <summary>The next epochs' emission as the schedule and the cap would mint it from today's supply.</summary>
    public QueryScheduleResponse Schedule(Context ctx, QueryScheduleRequest req)
    {
        if (req.Count is 0 or > MaxScheduleQueryEpochs)
            throw MintErrors.InvalidRequest($"count must be within 1..{MaxScheduleQueryEpochs}, got {req.Count}");
        if (req.FromEpoch < 0) throw MintErrors.InvalidRequest($"from_epoch must not be negative, got {req.FromEpoch}");
        long from = req.FromEpoch == 0 ? keeper.EpochOf(ctx, ctx.Height) : req.FromEpoch;
        var response = new QueryScheduleResponse();
        response.Epochs.AddRange(keeper.ProjectSchedule(ctx, from, (int)req.Count));
        return response;
    }
}
