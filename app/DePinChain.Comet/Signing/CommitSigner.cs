using DePinChain.Comet.Hashing;
using DePinChain.Comet.Votes;
using DePinChain.Protos.Types;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.Comet.Signing;

/// <summary>
/// Signs commits as CometBFT's validators do: each validator a precommit over the canonical vote sign bytes for the
/// block id, at its own timestamp, collected in the set's order with <c>BlockIDFlagCommit</c>; validators that do not
/// sign appear as absent (flag, no address, Go's zero time, no signature).
/// </summary>
public static class CommitSigner
{
    /// <summary>
    /// The commit of <paramref name="blockId"/> at <paramref name="height"/>. Validator i's vote time is
    /// <paramref name="voteTime"/> + i ms (CometBFT's votes carry distinct local times); <paramref name="signs"/>
    /// picks the validators (by index in the set) that sign, default all.
    /// </summary>
    public static Commit Sign(string chainId, LocalValidatorSet validators, long height, int round, BlockID blockId,
        Timestamp voteTime, Func<int, bool>? signs = null)
    {
        ArgumentNullException.ThrowIfNull(validators);
        var signers = new LocalValidator?[validators.Validators.Count];
        for (int i = 0; i < signers.Length; i++)
            signers[i] = signs is null || signs(i) ? validators.Validators[i] : null;
        return Sign(chainId, signers, height, round, blockId, voteTime);
    }

    /// <summary>
    /// The commit of <paramref name="blockId"/> by a set whose validators are given in the set's order: a key signs, a
    /// null (a validator whose key is not held here, or that does not vote) is absent. Vote times as above.
    /// </summary>
    public static Commit Sign(string chainId, IReadOnlyList<LocalValidator?> signersInSetOrder, long height, int round,
        BlockID blockId, Timestamp voteTime)
    {
        ArgumentNullException.ThrowIfNull(chainId);
        ArgumentNullException.ThrowIfNull(signersInSetOrder);
        ArgumentNullException.ThrowIfNull(voteTime);
        var commit = new Commit { Height = height, Round = round, BlockId = BlockIds.OrEmpty(blockId) };
        for (int i = 0; i < signersInSetOrder.Count; i++)
        {
            if (signersInSetOrder[i] is not { } v)
            {
                commit.Signatures.Add(new CommitSig { BlockIdFlag = BlockIDFlag.Absent, Timestamp = CometTime.GoZeroTime });
                continue;
            }
            var time = CometTime.FromNanos(CometTime.Nanos(voteTime) + (Int128)i * 1_000_000);
            byte[] signBytes = CanonicalVoteSignBytes.For(chainId, height, round, commit.BlockId, time, SignedMsgType.Precommit);
            commit.Signatures.Add(new CommitSig
            {
                BlockIdFlag = BlockIDFlag.Commit,
                ValidatorAddress = ByteString.CopyFrom(v.Address),
                Timestamp = time,
                Signature = ByteString.CopyFrom(v.Sign(signBytes)),
            });
        }
        return commit;
    }

    /// <summary>
    /// A signed header: the header's hash with <paramref name="partSetHeader"/> as block id, signed by the set at round 0,
    /// votes from header time + 1 s on (<see cref="Sign"/>).
    /// </summary>
    public static SignedHeader SignHeader(Header header, LocalValidatorSet validators, PartSetHeader partSetHeader, Func<int, bool>? signs = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        var blockId = BlockIds.Of(HeaderHasher.Hash(header), partSetHeader);
        var voteTime = CometTime.FromNanos(CometTime.Nanos(header.Time) + CometTime.NanosPerSecond);
        return new SignedHeader { Header = header, Commit = Sign(header.ChainId, validators, header.Height, 0, blockId, voteTime, signs) };
    }
}
