using DePinChain.Protos.Types;
using Google.Protobuf;

namespace DePinChain.Comet.Hashing;

/// <summary>BlockID helpers with CometBFT's meaning: a missing message is the zero block id, whose part set header is still written.</summary>
public static class BlockIds
{
    public static BlockID OrEmpty(BlockID? id)
        => id is null ? new BlockID { PartSetHeader = new PartSetHeader() }
            : id.PartSetHeader is null ? new BlockID(id) { PartSetHeader = new PartSetHeader() } : id;

    /// <summary><c>BlockID.IsZero()</c>: no hash and an empty part set header.</summary>
    public static bool IsZero(BlockID? id)
        => id is null || (id.Hash.IsEmpty && (id.PartSetHeader is null || (id.PartSetHeader.Total == 0 && id.PartSetHeader.Hash.IsEmpty)));

    /// <summary><c>BlockID.Equals</c>: same hash and same part set header.</summary>
    public static bool Equal(BlockID? a, BlockID? b)
    {
        var x = OrEmpty(a);
        var y = OrEmpty(b);
        return x.Hash.Span.SequenceEqual(y.Hash.Span) && x.PartSetHeader.Total == y.PartSetHeader.Total
            && x.PartSetHeader.Hash.Span.SequenceEqual(y.PartSetHeader.Hash.Span);
    }

    public static string Describe(BlockID? id)
    {
        var x = OrEmpty(id);
        return $"{Convert.ToHexString(x.Hash.Span)}:{x.PartSetHeader.Total}:{Convert.ToHexString(x.PartSetHeader.Hash.Span)}";
    }

    public static BlockID Of(ReadOnlySpan<byte> hash, PartSetHeader partSetHeader)
        => new() { Hash = ByteString.CopyFrom(hash), PartSetHeader = partSetHeader ?? new PartSetHeader() };
}
