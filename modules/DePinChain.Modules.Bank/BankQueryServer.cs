using System.Text;
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

    /// <summary>One page of coins (sorted by denom), each coin keyed by its denom as in the SDK's balance and supply stores.</summary>
    public static (List<Coin> Page, PageResponse Response) Page(Coins coins, PageRequest? req)
        => Pagination.Page(coins.Items.Select(c => (Encoding.UTF8.GetBytes(c.Denom), c)).ToList(), req);

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
