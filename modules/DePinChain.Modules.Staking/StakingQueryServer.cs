using DePinChain.Protos.Cosmos.Base.Query.V1Beta1;
using DePinChain.Protos.Cosmos.Staking.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;
using ProtoCoin = DePinChain.Protos.Cosmos.Base.V1Beta1.Coin;

namespace DePinChain.Modules.Staking;

/// <summary>The staking <c>service Query</c> (/cosmos.staking.v1beta1.Query/...): one handler per rpc, the SDK's
/// answers; lists are paginated (key or offset, limit default 100, count_total, reverse) in store order.</summary>
public sealed class StakingQueryServer(StakingKeeper keeper)
{
    public void Register(QueryRouter.ServiceRegistrar query)
    {
        query.Register("Validators", QueryValidatorsRequest.Parser, Validators);
        query.Register("Validator", QueryValidatorRequest.Parser, Validator);
        query.Register("ValidatorDelegations", QueryValidatorDelegationsRequest.Parser, ValidatorDelegations);
        query.Register("ValidatorUnbondingDelegations", QueryValidatorUnbondingDelegationsRequest.Parser, ValidatorUnbondingDelegations);
        query.Register("Delegation", QueryDelegationRequest.Parser, Delegation);
        query.Register("UnbondingDelegation", QueryUnbondingDelegationRequest.Parser, UnbondingDelegation);
        query.Register("DelegatorDelegations", QueryDelegatorDelegationsRequest.Parser, DelegatorDelegations);
        query.Register("DelegatorUnbondingDelegations", QueryDelegatorUnbondingDelegationsRequest.Parser, DelegatorUnbondingDelegations);
        query.Register("Redelegations", QueryRedelegationsRequest.Parser, Redelegations);
        query.Register("DelegatorValidators", QueryDelegatorValidatorsRequest.Parser, DelegatorValidators);
        query.Register("DelegatorValidator", QueryDelegatorValidatorRequest.Parser, DelegatorValidator);
        query.Register("HistoricalInfo", QueryHistoricalInfoRequest.Parser, HistoricalInfo);
        query.Register("Pool", QueryPoolRequest.Parser, Pool);
        query.Register("Params", QueryParamsRequest.Parser, Params);
    }

    private static byte[] Operator(string addr)
    {
        if (string.IsNullOrEmpty(addr)) throw SdkErrors.InvalidRequest("validator address cannot be empty");
        return ValidatorAddress.ParseOperator(addr);
    }

    private static byte[] Delegator(string addr)
    {
        if (string.IsNullOrEmpty(addr)) throw SdkErrors.InvalidRequest("delegator address cannot be empty");
        return Bech32Address.Parse(addr);
    }

    private DelegationResponse ToResponse(Context ctx, Delegation d)
    {
        var v = keeper.GetValidator(ctx, ValidatorAddress.ParseOperator(d.ValidatorAddress)) ?? throw StakingErrors.NoValidatorFound();
        var tokens = v.TokensFromShares(LegacyDec.FromWire(d.Shares)).TruncateInt();
        return new DelegationResponse { Delegation = d, Balance = new ProtoCoin { Denom = keeper.BondDenom(ctx), Amount = ValidatorMath.Int(tokens) } };
    }

    private RedelegationResponse ToResponse(Context ctx, Redelegation r)
    {
        var dst = keeper.GetValidator(ctx, ValidatorAddress.ParseOperator(r.ValidatorDstAddress)) ?? throw StakingErrors.NoValidatorFound();
        var response = new RedelegationResponse { Redelegation = r };
        foreach (var e in r.Entries)
            response.Entries.Add(new RedelegationEntryResponse { RedelegationEntry = e, Balance = ValidatorMath.Int(dst.TokensFromShares(LegacyDec.FromWire(e.SharesDst)).TruncateInt()) });
        return response;
    }

    private static byte[] OpKey(Validator v) => v.Operator();

    public QueryValidatorsResponse Validators(Context ctx, QueryValidatorsRequest req)
    {
        if (req.Status.Length > 0 && !Enum.GetValues<BondStatus>().Where(s => s != BondStatus.Unspecified).Any(s => StatusName(s) == req.Status))
            throw SdkErrors.InvalidRequest($"invalid validator status {req.Status}");
        var all = keeper.GetAllValidators(ctx).Where(v => req.Status.Length == 0 || StatusName(v.Status) == req.Status).Select(v => (OpKey(v), v)).ToList();
        var (page, response) = Pagination.Page(all, req.Pagination);
        return new QueryValidatorsResponse { Validators = { page }, Pagination = response };
    }

    /// <summary>The proto enum name (BOND_STATUS_BONDED, ...), as the SDK's BondStatus.String().</summary>
    public static string StatusName(BondStatus s) => s switch
    {
        BondStatus.Unbonded => "BOND_STATUS_UNBONDED",
        BondStatus.Unbonding => "BOND_STATUS_UNBONDING",
        BondStatus.Bonded => "BOND_STATUS_BONDED",
        _ => "BOND_STATUS_UNSPECIFIED",
    };

    public QueryValidatorResponse Validator(Context ctx, QueryValidatorRequest req)
        => new() { Validator = keeper.GetValidator(ctx, Operator(req.ValidatorAddr)) ?? throw SdkErrors.NotFound($"validator {req.ValidatorAddr} not found") };

    public QueryValidatorDelegationsResponse ValidatorDelegations(Context ctx, QueryValidatorDelegationsRequest req)
    {
        var op = Operator(req.ValidatorAddr);
        var all = keeper.GetValidatorDelegations(ctx, op).Select(d => (Bech32Address.Parse(d.DelegatorAddress), d)).ToList();
        var (page, response) = Pagination.Page(all, req.Pagination);
        return new QueryValidatorDelegationsResponse { DelegationResponses = { page.Select(d => ToResponse(ctx, d)) }, Pagination = response };
    }

    public QueryValidatorUnbondingDelegationsResponse ValidatorUnbondingDelegations(Context ctx, QueryValidatorUnbondingDelegationsRequest req)
    {
        var op = Operator(req.ValidatorAddr);
        var all = keeper.GetUnbondingDelegationsFromValidator(ctx, op).Select(u => (Bech32Address.Parse(u.DelegatorAddress), u)).ToList();
        var (page, response) = Pagination.Page(all, req.Pagination);
        return new QueryValidatorUnbondingDelegationsResponse { UnbondingResponses = { page }, Pagination = response };
    }

    public QueryDelegationResponse Delegation(Context ctx, QueryDelegationRequest req)
    {
        var del = Delegator(req.DelegatorAddr);
        var op = Operator(req.ValidatorAddr);
        var d = keeper.GetDelegation(ctx, del, op) ?? throw SdkErrors.NotFound($"delegation with delegator {req.DelegatorAddr} not found for validator {req.ValidatorAddr}");
        return new QueryDelegationResponse { DelegationResponse = ToResponse(ctx, d) };
    }

    public QueryUnbondingDelegationResponse UnbondingDelegation(Context ctx, QueryUnbondingDelegationRequest req)
    {
        var del = Delegator(req.DelegatorAddr);
        var op = Operator(req.ValidatorAddr);
        var u = keeper.GetUnbondingDelegation(ctx, del, op) ?? throw SdkErrors.NotFound($"unbonding delegation with delegator {req.DelegatorAddr} not found for validator {req.ValidatorAddr}");
        return new QueryUnbondingDelegationResponse { Unbond = u };
    }

    public QueryDelegatorDelegationsResponse DelegatorDelegations(Context ctx, QueryDelegatorDelegationsRequest req)
    {
        var del = Delegator(req.DelegatorAddr);
        var all = keeper.GetDelegatorDelegations(ctx, del).Select(d => (ValidatorAddress.ParseOperator(d.ValidatorAddress), d)).ToList();
        var (page, response) = Pagination.Page(all, req.Pagination);
        return new QueryDelegatorDelegationsResponse { DelegationResponses = { page.Select(d => ToResponse(ctx, d)) }, Pagination = response };
    }

    public QueryDelegatorUnbondingDelegationsResponse DelegatorUnbondingDelegations(Context ctx, QueryDelegatorUnbondingDelegationsRequest req)
    {
        var del = Delegator(req.DelegatorAddr);
        var all = keeper.GetDelegatorUnbondingDelegations(ctx, del).Select(u => (ValidatorAddress.ParseOperator(u.ValidatorAddress), u)).ToList();
        var (page, response) = Pagination.Page(all, req.Pagination);
        return new QueryDelegatorUnbondingDelegationsResponse { UnbondingResponses = { page }, Pagination = response };
    }

    /// <summary>One redelegation (delegator, source and destination given), those out of a source validator (source
    /// only), or a delegator's.</summary>
    public QueryRedelegationsResponse Redelegations(Context ctx, QueryRedelegationsRequest req)
    {
        var response = new QueryRedelegationsResponse();
        if (req.DelegatorAddr.Length > 0 && req.SrcValidatorAddr.Length > 0 && req.DstValidatorAddr.Length > 0)
        {
            var r = keeper.GetRedelegation(ctx, Delegator(req.DelegatorAddr), Operator(req.SrcValidatorAddr), Operator(req.DstValidatorAddr))
                ?? throw SdkErrors.NotFound($"redelegation not found for delegator address {req.DelegatorAddr} from validator address {req.SrcValidatorAddr}");
            response.RedelegationResponses.Add(ToResponse(ctx, r));
            return response;
        }
        IReadOnlyList<Redelegation> all = req.DelegatorAddr.Length == 0 && req.SrcValidatorAddr.Length > 0 && req.DstValidatorAddr.Length == 0
            ? keeper.GetRedelegationsFromSrcValidator(ctx, Operator(req.SrcValidatorAddr))
            : keeper.GetDelegatorRedelegations(ctx, Delegator(req.DelegatorAddr));
        var keyed = all.Select(r => (StakingKeys.RedelegationKey(Bech32Address.Parse(r.DelegatorAddress), ValidatorAddress.ParseOperator(r.ValidatorSrcAddress), ValidatorAddress.ParseOperator(r.ValidatorDstAddress)), r))
            .OrderBy(x => x.Item1, StakingKeeper.ByteComparer.Instance).ToList();
        var (page, pageResponse) = Pagination.Page(keyed, req.Pagination);
        response.RedelegationResponses.AddRange(page.Select(r => ToResponse(ctx, r)));
        response.Pagination = pageResponse;
        return response;
    }

    public QueryDelegatorValidatorsResponse DelegatorValidators(Context ctx, QueryDelegatorValidatorsRequest req)
    {
        var del = Delegator(req.DelegatorAddr);
        var all = keeper.GetDelegatorDelegations(ctx, del)
            .Select(d => ValidatorAddress.ParseOperator(d.ValidatorAddress))
            .Select(op => (op, keeper.GetValidator(ctx, op) ?? throw StakingErrors.NoValidatorFound())).ToList();
        var (page, response) = Pagination.Page(all, req.Pagination);
        return new QueryDelegatorValidatorsResponse { Validators = { page }, Pagination = response };
    }

    public QueryDelegatorValidatorResponse DelegatorValidator(Context ctx, QueryDelegatorValidatorRequest req)
    {
        var del = Delegator(req.DelegatorAddr);
        var op = Operator(req.ValidatorAddr);
        if (keeper.GetDelegation(ctx, del, op) is null) throw StakingErrors.NoDelegation();
        return new QueryDelegatorValidatorResponse { Validator = keeper.GetValidator(ctx, op) ?? throw StakingErrors.NoValidatorFound() };
    }

    public QueryHistoricalInfoResponse HistoricalInfo(Context ctx, QueryHistoricalInfoRequest req)
    {
        if (req.Height < 0) throw SdkErrors.InvalidRequest("height cannot be negative");
        return new QueryHistoricalInfoResponse { Hist = keeper.GetHistoricalInfo(ctx, req.Height) ?? throw SdkErrors.NotFound($"historical info for height {req.Height} not found") };
    }

    public QueryPoolResponse Pool(Context ctx, QueryPoolRequest _) => new() { Pool = keeper.GetPool(ctx) };

    public QueryParamsResponse Params(Context ctx, QueryParamsRequest _) => new() { Params = keeper.GetParams(ctx) };
}
