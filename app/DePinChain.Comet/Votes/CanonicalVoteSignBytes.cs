using DePinChain.Comet.Hashing;
using DePinChain.Protos.Types;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.Comet.Votes;

/// <summary>
/// What a validator signs for a vote (types/vote.go <c>VoteSignBytes</c>): the length-delimited protobuf
/// <c>CanonicalVote{type, sfixed64 height, sfixed64 round, CanonicalBlockID, timestamp, chain_id}</c>. A vote for nil
/// (zero block id) leaves the block id out; otherwise its part set header is always written. The timestamp is always
/// written too (Go's zero time when unset).
/// </summary>
public static class CanonicalVoteSignBytes
{
    public static byte[] For(string chainId, Vote vote)
    {
        ArgumentNullException.ThrowIfNull(vote);
        return For(chainId, vote.Height, vote.Round, vote.BlockId, vote.Timestamp, vote.Type);
    }

    public static byte[] For(string chainId, long height, int round, BlockID? blockId, Timestamp? timestamp, SignedMsgType type)
    {
        ArgumentNullException.ThrowIfNull(chainId);
        var canonical = new CanonicalVote
        {
            Type = type,
            Height = height,
            Round = round,
            BlockId = Canonicalize(blockId),
            Timestamp = timestamp ?? CometTime.GoZeroTime,
            ChainId = chainId,
        };
        int size = canonical.CalculateSize();
        var bytes = new byte[CodedOutputStream.ComputeLengthSize(size) + size];
        var output = new CodedOutputStream(bytes);
        output.WriteLength(size);
        canonical.WriteTo(output);
        output.CheckNoSpaceLeft();
        return bytes;
    }

    /// <summary>
    /// The sign bytes of signature <paramref name="index"/> of a commit (<c>Commit.VoteSignBytes</c>): a precommit at
    /// the commit's height and round, for the commit's block id when the flag is COMMIT and for nil otherwise, at the
    /// signature's own timestamp.
    /// </summary>
    public static byte[] ForCommitSig(string chainId, Commit commit, int index)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var sig = commit.Signatures[index];
        var blockId = sig.BlockIdFlag == BlockIDFlag.Commit ? commit.BlockId : null;
        return For(chainId, commit.Height, commit.Round, blockId, sig.Timestamp, SignedMsgType.Precommit);
    }

    private static CanonicalBlockID? Canonicalize(BlockID? id)
    {
        if (BlockIds.IsZero(id)) return null;
        var psh = id!.PartSetHeader ?? new PartSetHeader();
        return new CanonicalBlockID
        {
            Hash = id.Hash,
            PartSetHeader = new CanonicalPartSetHeader { Total = psh.Total, Hash = psh.Hash },
        };
    }
}
