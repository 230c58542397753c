using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using DePinChain.Protos.Cosmos.Base.Query.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;
using ProtoCoin = DePinChain.Protos.Cosmos.Base.V1Beta1.Coin;

namespace DePinChain.Modules.Bank;

/// <summary>The bank <c>service Query</c> (cosmos.bank.v1beta1): one handler per rpc.</summary>
public sealed class BankQueryServer(BankKeeper keeper)
{
    public void Register(QueryRouter.ServiceRegistrar query)
    {
        query.Register("Balance", QueryBalanceRequest.Parser, Balance);
        query.Register("AllBalances", QueryAllBalancesRequest.Parser, AllBalances);
        query.Register("TotalSupply", QueryTotalSupplyRequest.Parser, TotalSupply);
        query.Register("SupplyOf", QuerySupplyOfRequest.Parser, SupplyOf);
        query.Register("Params", QueryParamsRequest.Parser, Params);
        query.Register("DenomMetadata", QueryDenomMetadataRequest.Parser, DenomMetadata);
    }

    public QueryBalanceResponse Balance(Context ctx, QueryBalanceRequest req)
    {
        var address = Bech32Address.Parse(req.Address);
        if (!Coins.IsValidDenom(req.Denom)) throw SdkErrors.InvalidCoins($"invalid denom: \"{req.Denom}\"");
        return new QueryBalanceResponse
        {
            Balance = new ProtoCoin { Denom = req.Denom, Amount = keeper.GetBalance(ctx, address, req.Denom).ToString() },
        };
    }

    public QueryAllBalancesResponse AllBalances(Context ctx, QueryAllBalancesRequest req)
    {
        var balances = keeper.GetAllBalances(ctx, Bech32Address.Parse(req.Address));
        var (page, pagination) = Page(balances, req.Pagination);
        var response = new QueryAllBalancesResponse { Pagination = pagination };
        response.Balances.AddRange(page.Select(c => c.ToProto()));
        return response;
    }

    public QueryTotalSupplyResponse TotalSupply(Context ctx, QueryTotalSupplyRequest req)
    {
        var (page, pagination) = Page(keeper.GetTotalSupply(ctx), req.Pagination);
        var response = new QueryTotalSupplyResponse { Pagination = pagination };
        response.Supply.AddRange(page.Select(c => c.ToProto()));
        return response;
    }

    /// <summary>
    /// One page of coins (sorted by denom), as the SDK's <c>query.Paginate</c> pages the store under an address or the
    /// supply prefix, where each coin's key is its denom: <c>next_key</c> is the next page's first denom (absent on the
    /// last page), <c>key</c> starts at that denom, <c>offset</c> skips coins (not with a key), <c>reverse</c> walks from
    /// the end, a limit of 0 means 100 and also counts the total, and <c>count_total</c> counts it (not with a key).
    /// </summary>
    public static (List<Coin> Page, PageResponse Response) Page(Coins coins, PageRequest? req)
    {
        req ??= new PageRequest();
        if (!req.Key.IsEmpty && req.Offset > 0) throw SdkErrors.InvalidRequest("either offset or key is expected, got both");
        var ordered = req.Reverse ? coins.Items.Reverse().ToList() : coins.Items.ToList();
        bool countTotal = req.CountTotal || req.Limit == 0;
        ulong limit = req.Limit == 0 ? DefaultPageLimit : req.Limit;
        int start;
        if (!req.Key.IsEmpty)
        {
            string key = req.Key.ToStringUtf8();
            start = ordered.FindIndex(c => req.Reverse ? string.CompareOrdinal(c.Denom, key) <= 0 : string.CompareOrdinal(c.Denom, key) >= 0);
            if (start < 0) start = ordered.Count;
        }
        else start = (int)Math.Min(req.Offset, (ulong)ordered.Count);
        int count = (int)Math.Min(limit, (ulong)(ordered.Count - start));
        var response = new PageResponse();
        if (start + count < ordered.Count) response.NextKey = ByteString.CopyFromUtf8(ordered[start + count].Denom);
        if (countTotal && req.Key.IsEmpty) response.Total = (ulong)ordered.Count;
        return (ordered.GetRange(start, count), response);
    }

    /// <summary>The SDK's <c>query.DefaultLimit</c>.</summary>
    public const ulong DefaultPageLimit = 100;

    public QuerySupplyOfResponse SupplyOf(Context ctx, QuerySupplyOfRequest req)
    {
        if (!Coins.IsValidDenom(req.Denom)) throw SdkErrors.InvalidCoins($"invalid denom: \"{req.Denom}\"");
        return new QuerySupplyOfResponse
        {
            Amount = new ProtoCoin { Denom = req.Denom, Amount = keeper.GetSupply(ctx, req.Denom).ToString() },
        };
    }

    public QueryParamsResponse Params(Context ctx, QueryParamsRequest _) => new() { Params = keeper.GetParams(ctx) };

    public QueryDenomMetadataResponse DenomMetadata(Context ctx, QueryDenomMetadataRequest req) => new()
    {
        Metadata = keeper.GetDenomMetadata(ctx, req.Denom)
            ?? throw SdkErrors.KeyNotFound($"rpc error: code = NotFound desc = client metadata for denom {req.Denom}"),
    };
}
