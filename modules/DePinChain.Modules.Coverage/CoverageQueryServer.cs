using DePinChain.Protos.Depin.Coverage.V1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Coverage;

/// <summary>The coverage <c>service Query</c>: one handler per rpc.</summary>
public sealed class CoverageQueryServer(CoverageKeeper keeper)
{
    public void Register(QueryRouter.ServiceRegistrar query)
    {
        query.Register("Params", QueryParamsRequest.Parser, Params);
        query.Register("Reports", QueryReportsRequest.Parser, Reports);
        query.Register("Units", QueryUnitsRequest.Parser, Units);
        query.Register("DenyList", QueryDenyListRequest.Parser, DenyList);
    }

    public QueryParamsResponse Params(Context ctx, QueryParamsRequest _) => new() { Params = keeper.GetParams(ctx) };

    /// <summary>The reports a device took part in during an epoch, each witness with its verdict code, name and reason.</summary>
    public QueryReportsResponse Reports(Context ctx, QueryReportsRequest req)
    {
        var response = new QueryReportsResponse();
        response.Reports.AddRange(keeper.ReportsOf(ctx, req.DeviceKey.ToByteArray(), req.Epoch));
        return response;
    }

    public QueryUnitsResponse Units(Context ctx, QueryUnitsRequest req)
    {
        var response = new QueryUnitsResponse();
        response.Units.AddRange(keeper.Units(ctx, req.Epoch));
        return response;
    }

    public QueryDenyListResponse DenyList(Context ctx, QueryDenyListRequest _)
    {
        var response = new QueryDenyListResponse();
        response.Entries.AddRange(keeper.DenyList(ctx));
        return response;
    }
}
