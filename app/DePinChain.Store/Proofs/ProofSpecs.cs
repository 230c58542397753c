using DePinChain.Protos.Ics23;
using Google.Protobuf;

namespace DePinChain.Store.Proofs;

/// <summary>
/// The ICS-23 proof specs that ibc-go verifies Cosmos chains with (<c>GetSDKSpecs()</c> = [IavlSpec, TendermintSpec]),
/// with the exact values of cosmos/ics23 <c>go/proof.go</c>. Each call returns a fresh instance (protobuf messages
/// are mutable).
/// </summary>
public static class ProofSpecs
{
    /// <summary>
    /// A store's IAVL tree. Leaf: prefix 0x00 (the leaf's height 0, then size and version as varints follow in the
    /// proof's own prefix), key as is, value SHA-256'd, both length-prefixed with a protobuf varint, SHA-256.
    /// Inner nodes: 4..12 prefix bytes (height, size, version varints plus the 0x20 length byte) before the
    /// 33-byte child (length byte + hash), binary, no empty child, SHA-256, no depth limits.
    /// </summary>
    public static ProofSpec Iavl => new()
    {
        LeafSpec = LeafSpec(),
        InnerSpec = new InnerSpec
        {
            ChildOrder = { 0, 1 },
            MinPrefixLength = 4,
            MaxPrefixLength = 12,
            ChildSize = 33,
            EmptyChild = ByteString.Empty,
            Hash = HashOp.Sha256,
        },
        MaxDepth = 0,
        MinDepth = 0,
        PrehashKeyBeforeComparison = false,
    };

    /// <summary>
    /// CometBFT's simple Merkle tree (<c>crypto/merkle</c>), which the multistore root (app hash) is built with:
    /// the same leaf as <see cref="Iavl"/>; inner nodes hash 0x01 ‖ left ‖ right, so exactly one prefix byte and a
    /// 32-byte child.
    /// </summary>
    public static ProofSpec Tendermint => new()
    {
        LeafSpec = LeafSpec(),
        InnerSpec = new InnerSpec
        {
            ChildOrder = { 0, 1 },
            MinPrefixLength = 1,
            MaxPrefixLength = 1,
            ChildSize = 32,
            EmptyChild = ByteString.Empty,
            Hash = HashOp.Sha256,
        },
        MaxDepth = 0,
        MinDepth = 0,
        PrehashKeyBeforeComparison = false,
    };

    private static LeafOp LeafSpec() => new()
    {
        Prefix = ByteString.CopyFrom(0x00),
        PrehashKey = HashOp.NoHash,
        Hash = HashOp.Sha256,
        PrehashValue = HashOp.Sha256,
        Length = LengthOp.VarProto,
    };
}
