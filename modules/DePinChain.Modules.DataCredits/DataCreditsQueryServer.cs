using DePinChain.Protos.Depin.DataCredits.V1;
using DePinChain.Sdk;

namespace DePinChain.Modules.DataCredits;

/// <summary>The data-credits <c>service Query</c>: one handler per rpc.</summary>
public sealed class DataCreditsQueryServer(DataCreditsKeeper keeper)
{
    public void Register(QueryRouter.ServiceRegistrar query)
    {
        query.Register("Params", QueryParamsRequest.Parser, Params);
        query.Register("Balance", QueryBalanceRequest.Parser, Balance);
        query.Register("Routers", QueryRoutersRequest.Parser, Routers);
        query.Register("Traffic", QueryTrafficRequest.Parser, Traffic);
    }

    public QueryParamsResponse Params(Context ctx, QueryParamsRequest _)
        => new() { Params = keeper.GetParams(ctx), Authority = keeper.GetAuthority(ctx) };

    /// <summary>An owner's DC and its delegations.</summary>
    public QueryBalanceResponse Balance(Context ctx, QueryBalanceRequest req)
    {
        var owner = Bech32Address.Parse(req.Owner);
        var response = new QueryBalanceResponse { Amount = keeper.GetBalance(ctx, owner) };
        response.Delegations.AddRange(keeper.Delegations(ctx, owner));
        return response;
    }

    public QueryRoutersResponse Routers(Context ctx, QueryRoutersRequest _)
    {
        var response = new QueryRoutersResponse();
        foreach (var (_, value) in keeper.IteratePrefix(ctx, DataCreditsKeys.RouterPrefix)) response.Routers.Add(Router.Parser.ParseFrom(value));
        return response;
    }

    /// <summary>An epoch's traffic records, or one device's.</summary>
    public QueryTrafficResponse Traffic(Context ctx, QueryTrafficRequest req)
    {
        var response = new QueryTrafficResponse();
        if (req.DeviceKey.IsEmpty) response.Records.AddRange(keeper.EpochTraffic(ctx, req.Epoch));
        else if (keeper.GetTraffic(ctx, req.Epoch, req.DeviceKey.Span) is { } record) response.Records.Add(record);
        return response;
    }
}
