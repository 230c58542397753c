using DePinChain.Comet.Hashing;
using DePinChain.Comet.Light;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Types;
using DePinChain.Protos.Version;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.Comet.Signing;

/// <summary>Headers as a CometBFT v0.38 proposer fills them in, for a driver that stands in for CometBFT.</summary>
public static class HeaderFactory
{
    /// <summary>
    /// The header of a block at <paramref name="height"/>: version 11 / <paramref name="appVersion"/>, every hash
    /// computed from what is given (the txs, the previous block's tx results, the previous commit, no evidence, the
    /// block params), the proposer the set's first validator.
    /// </summary>
    public static Header Create(string chainId, long height, Timestamp time, BlockID lastBlockId, Commit? lastCommit,
        LocalValidatorSet validators, LocalValidatorSet nextValidators, ByteString appHash,
        IReadOnlyList<ByteString>? txs = null, IReadOnlyList<ExecTxResult>? lastResults = null,
        long blockMaxBytes = 22020096, long blockMaxGas = -1, ulong appVersion = 0)
    {
        ArgumentNullException.ThrowIfNull(validators);
        ArgumentNullException.ThrowIfNull(nextValidators);
        return Create(chainId, height, time, lastBlockId, lastCommit, validators.Hash, nextValidators.Hash,
            validators.Validators[0].Address, appHash, txs, lastResults, blockMaxBytes, blockMaxGas, appVersion);
    }

    /// <summary>
    /// As above for a set given by its hashes and proposer (a driver whose set changes with the app's validator updates
    /// and may hold only some of the keys).
    /// </summary>
    public static Header Create(string chainId, long height, Timestamp time, BlockID lastBlockId, Commit? lastCommit,
        byte[] validatorsHash, byte[] nextValidatorsHash, byte[] proposerAddress, ByteString appHash,
        IReadOnlyList<ByteString>? txs = null, IReadOnlyList<ExecTxResult>? lastResults = null,
        long blockMaxBytes = 22020096, long blockMaxGas = -1, ulong appVersion = 0)
    {
        ArgumentNullException.ThrowIfNull(validatorsHash);
        ArgumentNullException.ThrowIfNull(nextValidatorsHash);
        ArgumentNullException.ThrowIfNull(proposerAddress);
        return new Header
        {
            Version = new Consensus { Block = HeaderValidation.BlockProtocol, App = appVersion },
            ChainId = chainId,
            Height = height,
            Time = time,
            LastBlockId = BlockIds.OrEmpty(lastBlockId),
            LastCommitHash = ByteString.CopyFrom(BlockHashes.CommitHash(lastCommit ?? new Commit())),
            DataHash = ByteString.CopyFrom(BlockHashes.DataHash(txs ?? [])),
            ValidatorsHash = ByteString.CopyFrom(validatorsHash),
            NextValidatorsHash = ByteString.CopyFrom(nextValidatorsHash),
            ConsensusHash = ByteString.CopyFrom(BlockHashes.ConsensusHash(blockMaxBytes, blockMaxGas)),
            AppHash = appHash ?? ByteString.Empty,
            LastResultsHash = ByteString.CopyFrom(BlockHashes.LastResultsHash(lastResults ?? [])),
            EvidenceHash = ByteString.CopyFrom(BlockHashes.EmptyEvidenceHash()),
            ProposerAddress = ByteString.CopyFrom(proposerAddress),
        };
    }
}
