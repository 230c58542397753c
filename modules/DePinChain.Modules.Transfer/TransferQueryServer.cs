using DePinChain.Protos.Ibc.Applications.Transfer.V1;
using DePinChain.Sdk;
using ProtoCoin = DePinChain.Protos.Cosmos.Base.V1Beta1.Coin;

namespace DePinChain.Modules.Transfer;

/// <summary>
/// The transfer <c>service Query</c> under /ibc.applications.transfer.v1.Query/, answering as ibc-go v8's grpc_query.go
/// does (the same messages, errors and page shapes).
/// </summary>
public sealed class TransferQueryServer(TransferKeeper keeper, IChannelKeeper channels)
{
    public void Register(QueryRouter.ServiceRegistrar query) => query
        .Register("DenomTrace", QueryDenomTraceRequest.Parser, DenomTrace)
        .Register("DenomTraces", QueryDenomTracesRequest.Parser, DenomTraces)
        .Register("Params", QueryParamsRequest.Parser, Params)
        .Register("DenomHash", QueryDenomHashRequest.Parser, DenomHash)
        .Register("EscrowAddress", QueryEscrowAddressRequest.Parser, EscrowAddress)
        .Register("TotalEscrowForDenom", QueryTotalEscrowForDenomRequest.Parser, TotalEscrowForDenom);

    /// <summary>A trace by its hash, given as hex or as the voucher denom <c>ibc/{hex}</c>.</summary>
    public QueryDenomTraceResponse DenomTrace(Context ctx, QueryDenomTraceRequest req)
    {
        var hex = req.Hash.StartsWith("ibc/", StringComparison.Ordinal) ? req.Hash[4..] : req.Hash;
        if (Transfer.DenomTrace.ParseHexHash(hex) is not { } hash)
            throw TransferErrors.InvalidDenomForTransfer($"invalid denom trace hash: {hex}");
        var trace = keeper.GetDenomTrace(ctx, hash) ?? throw TransferErrors.TraceNotFound(req.Hash);
        return new QueryDenomTraceResponse { DenomTrace = TransferGenesis.ToProto(trace) };
    }

    /// <summary>A page of traces in store order (by hash), each page sorted by full path as ibc-go sorts it.</summary>
    public QueryDenomTracesResponse DenomTraces(Context ctx, QueryDenomTracesRequest req)
    {
        var (page, pagination) = Pagination.Page(keeper.DenomTracesByHash(ctx).ToList(), req.Pagination);
        var response = new QueryDenomTracesResponse { Pagination = pagination };
        response.DenomTraces.AddRange(page.OrderBy(t => t.FullPath, StringComparer.Ordinal).Select(TransferGenesis.ToProto));
        return response;
    }

    public QueryParamsResponse Params(Context ctx, QueryParamsRequest req) => new() { Params = TransferGenesis.ToProto(keeper.GetParams(ctx)) };

    /// <summary>The hash (upper-case hex) of a full denom path whose trace is stored.</summary>
    public QueryDenomHashResponse DenomHash(Context ctx, QueryDenomHashRequest req)
    {
        var trace = Transfer.DenomTrace.Parse(req.Trace);
        trace.Validate();
        var hash = trace.Hash();
        if (!keeper.HasDenomTrace(ctx, hash)) throw TransferErrors.TraceNotFound(req.Trace);
        return new QueryDenomHashResponse { Hash = Convert.ToHexString(hash) };
    }

    /// <summary>The escrow account of an existing channel, in bech32.</summary>
    public QueryEscrowAddressResponse EscrowAddress(Context ctx, QueryEscrowAddressRequest req)
    {
        Identifiers.ValidatePortId(req.PortId);
        Identifiers.ValidateChannelId(req.ChannelId);
        if (channels.GetCounterparty(ctx, req.PortId, req.ChannelId) is null)
            throw IbcCoreErrors.ChannelNotFound($"port-id: {req.PortId}, channel-id: {req.ChannelId}");
        return new QueryEscrowAddressResponse { EscrowAddress = Bech32Address.ToBech32(TransferKeys.EscrowAddress(req.PortId, req.ChannelId)) };
    }

    /// <summary>The total escrowed of a denom, as a coin (amount 0 when none is escrowed).</summary>
    public QueryTotalEscrowForDenomResponse TotalEscrowForDenom(Context ctx, QueryTotalEscrowForDenomRequest req)
    {
        if (!Coins.IsValidDenom(req.Denom)) throw SdkErrors.InvalidCoins($"invalid denom: {req.Denom}");
        var amount = keeper.GetTotalEscrowForDenom(ctx, req.Denom);
        return new QueryTotalEscrowForDenomResponse { Amount = new ProtoCoin { Denom = req.Denom, Amount = Amounts.Format(amount) } };
    }
}
