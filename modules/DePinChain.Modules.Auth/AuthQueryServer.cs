using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Auth;

/// <summary>The auth <c>service Query</c> (cosmos.auth.v1beta1): one handler per rpc.</summary>
public sealed class AuthQueryServer(AccountKeeper keeper)
{
    public void Register(QueryRouter.ServiceRegistrar query)
    {
        query.Register("Account", QueryAccountRequest.Parser, Account);
        query.Register("AccountInfo", QueryAccountInfoRequest.Parser, AccountInfo);
        query.Register("Params", QueryParamsRequest.Parser, Params);
        query.Register("ModuleAccountByName", QueryModuleAccountByNameRequest.Parser, ModuleAccountByName);
        query.Register("Bech32Prefix", Bech32PrefixRequest.Parser, Bech32Prefix);
    }

    public QueryAccountResponse Account(Context ctx, QueryAccountRequest req)
    {
        var address = Bech32Address.Parse(req.Address);
        var any = keeper.GetAccountAny(ctx, address)
            ?? throw SdkErrors.KeyNotFound($"rpc error: code = NotFound desc = account {req.Address} not found");
        return new QueryAccountResponse { Account = any };
    }

    public QueryAccountInfoResponse AccountInfo(Context ctx, QueryAccountInfoRequest req)
    {
        var account = keeper.GetAccount(ctx, Bech32Address.Parse(req.Address))
            ?? throw SdkErrors.KeyNotFound($"rpc error: code = NotFound desc = account {req.Address} not found");
        return new QueryAccountInfoResponse { Info = account };
    }

    public QueryParamsResponse Params(Context ctx, QueryParamsRequest _) => new() { Params = keeper.GetParams(ctx) };

    public QueryModuleAccountByNameResponse ModuleAccountByName(Context ctx, QueryModuleAccountByNameRequest req)
    {
        if (keeper.ModuleAccounts.All(m => m.Name != req.Name))
            throw SdkErrors.KeyNotFound($"rpc error: code = NotFound desc = module account {req.Name} not found");
        var any = keeper.GetAccountAny(ctx, AuthKeys.ModuleAddress(req.Name))
            ?? throw SdkErrors.KeyNotFound($"rpc error: code = NotFound desc = module account {req.Name} not found");
        return new QueryModuleAccountByNameResponse { Account = any };
    }

    public Bech32PrefixResponse Bech32Prefix(Context ctx, Bech32PrefixRequest _) => new() { Bech32Prefix = Bech32Address.AccountPrefix };
}
