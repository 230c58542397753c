using DePinChain.Protos.Cosmos.Base.Query.V1Beta1;
using Google.Protobuf;

namespace DePinChain.Sdk;

/// <summary>
/// The SDK's <c>query.Paginate</c> over items already read in key order: <c>key</c> starts at that key (the
/// <c>next_key</c> of the last page), <c>offset</c> skips items (not with a key), <c>reverse</c> walks from the end, a
/// limit of 0 means 100 and also counts the total, <c>count_total</c> counts it (not with a key), and <c>next_key</c>
/// is the next page's first key, absent on the last page.
/// </summary>
public static class Pagination
{
    /// <summary>The SDK's <c>query.DefaultLimit</c>.</summary>
    public const ulong DefaultLimit = 100;

    /// <exception cref="SdkError">Both a key and an offset (sdk code 18).</exception>
    public static (List<T> Page, PageResponse Response) Page<T>(IReadOnlyList<(byte[] Key, T Item)> items, PageRequest? req)
    {
        req ??= new PageRequest();
        if (!req.Key.IsEmpty && req.Offset > 0) throw SdkErrors.InvalidRequest("either offset or key is expected, got both");
        var ordered = req.Reverse ? items.Reverse().ToList() : items.ToList();
        bool countTotal = req.CountTotal || req.Limit == 0;
        ulong limit = req.Limit == 0 ? DefaultLimit : req.Limit;
        int start;
        if (!req.Key.IsEmpty)
        {
            var key = req.Key.ToByteArray();
            start = ordered.FindIndex(x => req.Reverse ? x.Key.AsSpan().SequenceCompareTo(key) <= 0 : x.Key.AsSpan().SequenceCompareTo(key) >= 0);
            if (start < 0) start = ordered.Count;
        }
        else start = (int)Math.Min(req.Offset, (ulong)ordered.Count);
        int count = (int)Math.Min(limit, (ulong)(ordered.Count - start));
        var response = new PageResponse();
        if (start + count < ordered.Count) response.NextKey = ByteString.CopyFrom(ordered[start + count].Key);
        if (countTotal && req.Key.IsEmpty) response.Total = (ulong)ordered.Count;
        return (ordered.GetRange(start, count).Select(x => x.Item).ToList(), response);
    }
}
