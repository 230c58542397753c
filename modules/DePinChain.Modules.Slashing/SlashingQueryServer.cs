using DePinChain.Protos.Cosmos.Base.Query.V1Beta1;
using DePinChain.Protos.Cosmos.Slashing.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;

namespace DePinChain.Modules.Slashing;

/// <summary>The slashing <c>service Query</c>, at /cosmos.slashing.v1beta1.Query/.</summary>
public sealed class SlashingQueryServer(SlashingKeeper keeper)
{
    /// <summary>The SDK's page size when the request names none.</summary>
    public const ulong DefaultLimit = 100;

    public void Register(QueryRouter.ServiceRegistrar query)
    {
        query.Register("Params", QueryParamsRequest.Parser, Params);
        query.Register("SigningInfo", QuerySigningInfoRequest.Parser, SigningInfo);
        query.Register("SigningInfos", QuerySigningInfosRequest.Parser, SigningInfos);
    }

    public QueryParamsResponse Params(Context ctx, QueryParamsRequest _) => new() { Params = keeper.GetParams(ctx) };

    /// <summary>One validator's signing info, by consensus address (depinvalcons1…).</summary>
    public QuerySigningInfoResponse SigningInfo(Context ctx, QuerySigningInfoRequest req)
    {
        if (string.IsNullOrEmpty(req.ConsAddress)) throw SdkErrors.InvalidRequest("rpc error: code = InvalidArgument desc = invalid request");
        var consAddr = ValidatorAddress.ParseConsensus(req.ConsAddress);
        var info = keeper.GetSigningInfo(ctx, consAddr)
            ?? throw SdkErrors.KeyNotFound($"rpc error: code = NotFound desc = SigningInfo not found for validator {req.ConsAddress}");
        return new QuerySigningInfoResponse { ValSigningInfo = info };
    }

    /// <summary>
    /// Every signing info, by consensus address, paginated as the SDK's <c>query.Paginate</c>: by key (next_key is the
    /// address key after the page) or by offset, limit 100 by default, count_total with offsets, reverse.
    /// </summary>
    public QuerySigningInfosResponse SigningInfos(Context ctx, QuerySigningInfosRequest req)
    {
        var page = req.Pagination ?? new PageRequest();
        if (!page.Key.IsEmpty && page.Offset > 0) throw SdkErrors.InvalidRequest("either offset or key is expected, got both");
        ulong limit = page.Limit == 0 ? DefaultLimit : page.Limit;
        bool countTotal = page.CountTotal && page.Key.IsEmpty;

        var all = keeper.SigningInfos(ctx);
        if (page.Reverse) all = all.Reverse();
        var response = new QuerySigningInfosResponse { Pagination = new PageResponse() };
        ulong seen = 0;
        bool started = page.Key.IsEmpty;
        byte[] startKey = page.Key.ToByteArray();
        foreach (var (consAddr, info) in all)
        {
            // The page key is the store key after the prefix (len | address), as the SDK's paginated prefix store has it.
            byte[] key = [(byte)consAddr.Length, .. consAddr];
            if (!started)
            {
                int c = key.AsSpan().SequenceCompareTo(startKey);
                if (page.Reverse ? c > 0 : c < 0) continue;
                started = true;
            }
            if (page.Key.IsEmpty && seen < page.Offset) { seen++; continue; }
            if ((ulong)response.Info.Count == limit)
            {
                if (response.Pagination.NextKey.IsEmpty) response.Pagination.NextKey = ByteString.CopyFrom(key);
                if (!countTotal) break;
                seen++;
                continue;
            }
            response.Info.Add(info);
            seen++;
        }
        if (countTotal) response.Pagination.Total = seen;
        return response;
    }
}
