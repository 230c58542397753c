using System.Security.Cryptography;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Types;
using DePinChain.Store;
using Google.Protobuf;

namespace DePinChain.Comet.Hashing;

/// <summary>
/// The header's other hashes, as CometBFT v0.38 computes them, for a driver that builds real headers: data, last
/// results, consensus params, evidence and last commit, and the block's part set header.
/// </summary>
public static class BlockHashes
{
    /// <summary>CometBFT's block part size (types/params.go <c>BlockPartSizeBytes</c>).</summary>
    public const int BlockPartSizeBytes = 65536;

    /// <summary><c>Txs.Hash()</c>: the Merkle root over the SHA-256 of each tx (not over the txs themselves).</summary>
    public static byte[] DataHash(IReadOnlyList<ByteString> txs)
    {
        ArgumentNullException.ThrowIfNull(txs);
        var leaves = new byte[txs.Count][];
        for (int i = 0; i < leaves.Length; i++) leaves[i] = SHA256.HashData(txs[i].Span);
        return SimpleMerkle.HashFromByteSlices(leaves);
    }

    /// <summary>
    /// <c>ABCIResults.Hash()</c>: the Merkle root over each result reduced to its deterministic fields
    /// (abci/types <c>deterministicExecTxResult</c>: code, data, gas_wanted, gas_used; log, info, events and codespace
    /// are left out).
    /// </summary>
    public static byte[] LastResultsHash(IReadOnlyList<ExecTxResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var leaves = new byte[results.Count][];
        for (int i = 0; i < leaves.Length; i++)
        {
            var r = results[i];
            leaves[i] = new ExecTxResult { Code = r.Code, Data = r.Data, GasWanted = r.GasWanted, GasUsed = r.GasUsed }.ToByteArray();
        }
        return SimpleMerkle.HashFromByteSlices(leaves);
    }

    /// <summary><c>ConsensusParams.Hash()</c>: SHA-256 (not a Merkle root) of <c>HashedParams{max_bytes, max_gas}</c>.</summary>
    public static byte[] ConsensusHash(long blockMaxBytes, long blockMaxGas)
        => SHA256.HashData(new HashedParams { BlockMaxBytes = blockMaxBytes, BlockMaxGas = blockMaxGas }.ToByteArray());

    public static byte[] ConsensusHash(ConsensusParams consensusParams)
    {
        ArgumentNullException.ThrowIfNull(consensusParams);
        return ConsensusHash(consensusParams.Block?.MaxBytes ?? 0, consensusParams.Block?.MaxGas ?? 0);
    }

    /// <summary><c>EvidenceList.Hash()</c> of no evidence: the empty Merkle root, SHA-256 of nothing.</summary>
    public static byte[] EmptyEvidenceHash() => SimpleMerkle.HashFromByteSlices([]);

    /// <summary><c>Commit.Hash()</c> (the next header's last_commit_hash): the Merkle root over each CommitSig's encoding.</summary>
    public static byte[] CommitHash(Commit commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var leaves = new byte[commit.Signatures.Count][];
        for (int i = 0; i < leaves.Length; i++)
        {
            var sig = commit.Signatures[i];
            // The timestamp is non-nullable in CometBFT: an absent signature still encodes Go's zero time.
            leaves[i] = (sig.Timestamp is null ? new CommitSig(sig) { Timestamp = CometTime.GoZeroTime } : sig).ToByteArray();
        }
        return SimpleMerkle.HashFromByteSlices(leaves);
    }

    /// <summary>
    /// The part set header of a block (<c>Block.MakePartSet(BlockPartSizeBytes)</c>): the block's protobuf encoding cut
    /// into 64 KiB parts, total = the number of parts, hash = the Merkle root over the parts' bytes.
    /// </summary>
    public static PartSetHeader PartSetHeader(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        byte[] bytes = block.ToByteArray();
        int count = Math.Max(1, (bytes.Length + BlockPartSizeBytes - 1) / BlockPartSizeBytes);
        var parts = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            int start = i * BlockPartSizeBytes;
            parts[i] = bytes.AsSpan(start, Math.Min(BlockPartSizeBytes, bytes.Length - start)).ToArray();
        }
        return new PartSetHeader { Total = (uint)count, Hash = ByteString.CopyFrom(SimpleMerkle.HashFromByteSlices(parts)) };
    }

    /// <summary>The block id CometBFT gives a block: its header's hash and its part set header.</summary>
    public static BlockID BlockId(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        return new BlockID { Hash = ByteString.CopyFrom(HeaderHasher.Hash(block.Header)), PartSetHeader = PartSetHeader(block) };
    }
}
