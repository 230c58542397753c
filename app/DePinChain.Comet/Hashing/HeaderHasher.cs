using DePinChain.Protos.Types;
using DePinChain.Protos.Version;
using DePinChain.Store;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.Comet.Hashing;

/// <summary>
/// CometBFT's <c>Header.Hash()</c> (types/block.go): the simple Merkle root over the 14 fields in field order, the
/// version, time and last block id as their protobuf messages and every other field <c>cdcEncode</c>d (wrapped as a
/// StringValue / Int64Value / BytesValue, so an empty value encodes to no bytes).
/// </summary>
public static class HeaderHasher
{
    /// <summary>The block hash; empty when the header has no validators hash (CometBFT's <c>nil</c>).</summary>
    public static byte[] Hash(Header header)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (header.ValidatorsHash.IsEmpty) return [];
        return SimpleMerkle.HashFromByteSlices(
        [
            (header.Version ?? new Consensus()).ToByteArray(),
            new StringValue { Value = header.ChainId }.ToByteArray(),
            new Int64Value { Value = header.Height }.ToByteArray(),
            (header.Time ?? CometTime.GoZeroTime).ToByteArray(),
            BlockIds.OrEmpty(header.LastBlockId).ToByteArray(),
            Wrap(header.LastCommitHash),
            Wrap(header.DataHash),
            Wrap(header.ValidatorsHash),
            Wrap(header.NextValidatorsHash),
            Wrap(header.ConsensusHash),
            Wrap(header.AppHash),
            Wrap(header.LastResultsHash),
            Wrap(header.EvidenceHash),
            Wrap(header.ProposerAddress),
        ]);

        static byte[] Wrap(ByteString bytes) => new BytesValue { Value = bytes }.ToByteArray();
    }
}
