using DePinChain.Comet.Hashing;
using DePinChain.Protos.Types;

namespace DePinChain.Comet.Light;

/// <summary>CometBFT v0.38's <c>ValidateBasic</c> of a header, a commit and a signed header (types/block.go).</summary>
public static class HeaderValidation
{
    /// <summary>version.BlockProtocol of CometBFT v0.38.</summary>
    public const ulong BlockProtocol = 11;
    public const int MaxChainIdLength = 50;
    public const int AddressSize = 20;
    public const int HashSize = 32;
    public const int MaxSignatureSize = 64;

    /// <summary><c>SignedHeader.ValidateBasic(chainID)</c>: both parts valid, the chain id expected, and the commit for this header.</summary>
    public static void ValidateSignedHeader(SignedHeader signedHeader, string chainId)
    {
        if (signedHeader?.Header is null) throw Malformed("missing header");
        if (signedHeader.Commit is null) throw Malformed("missing commit");
        Guard("invalid header: ", () => ValidateHeader(signedHeader.Header));
        Guard("invalid commit: ", () => ValidateCommit(signedHeader.Commit));
        var header = signedHeader.Header;
        if (header.ChainId != chainId) throw Malformed($"header belongs to another chain \"{header.ChainId}\", not \"{chainId}\"");
        if (signedHeader.Commit.Height != header.Height)
            throw Malformed($"header and commit height mismatch: {header.Height} vs {signedHeader.Commit.Height}");
        byte[] headerHash = HeaderHasher.Hash(header);
        var commitHash = signedHeader.Commit.BlockId?.Hash ?? Google.Protobuf.ByteString.Empty;
        if (!commitHash.Span.SequenceEqual(headerHash))
            throw Malformed($"commit signs block {Convert.ToHexString(commitHash.Span)}, header is block {Convert.ToHexString(headerHash)}");
    }

    public static void ValidateHeader(Header h)
    {
        ArgumentNullException.ThrowIfNull(h);
        ulong block = h.Version?.Block ?? 0;
        if (block != BlockProtocol) throw Malformed($"block protocol is incorrect: got: {block}, want: {BlockProtocol} ");
        if (h.ChainId.Length > MaxChainIdLength) throw Malformed($"chainID is too long; got: {h.ChainId.Length}, max: {MaxChainIdLength}");
        if (h.Height < 0) throw Malformed("negative Height");
        if (h.Height == 0) throw Malformed("zero Height");
        var last = BlockIds.OrEmpty(h.LastBlockId);
        Hash(last.Hash, "LastBlockID: wrong Hash");
        Hash(last.PartSetHeader.Hash, "LastBlockID: wrong PartSetHeader");
        Hash(h.LastCommitHash, "LastCommitHash");
        Hash(h.DataHash, "DataHash");
        Hash(h.EvidenceHash, "EvidenceHash");
        if (h.ProposerAddress.Length != AddressSize)
            throw Malformed($"invalid ProposerAddress length; got: {h.ProposerAddress.Length}, expected: {AddressSize}");
        Hash(h.ValidatorsHash, "ValidatorsHash");
        Hash(h.NextValidatorsHash, "NextValidatorsHash");
        Hash(h.ConsensusHash, "ConsensusHash");
        // The app hash has no fixed length.
        Hash(h.LastResultsHash, "LastResultsHash");
    }

    public static void ValidateCommit(Commit commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        if (commit.Height < 0) throw Malformed("negative Height");
        if (commit.Round < 0) throw Malformed("negative Round");
        if (commit.Height < 1) return;
        if (BlockIds.IsZero(commit.BlockId)) throw Malformed("commit cannot be for nil block");
        if (commit.Signatures.Count == 0) throw Malformed("no signatures in commit");
        for (int i = 0; i < commit.Signatures.Count; i++)
        {
            var sig = commit.Signatures[i];
            string? error = sig.BlockIdFlag switch
            {
                BlockIDFlag.Absent when !sig.ValidatorAddress.IsEmpty => "validator address is present",
                BlockIDFlag.Absent when sig.Timestamp is not null && CometTime.Nanos(sig.Timestamp) != CometTime.Nanos(CometTime.GoZeroTime) => "time is present",
                BlockIDFlag.Absent when !sig.Signature.IsEmpty => "signature is present",
                BlockIDFlag.Absent => null,
                BlockIDFlag.Commit or BlockIDFlag.Nil when sig.ValidatorAddress.Length != AddressSize
                    => $"expected ValidatorAddress size to be {AddressSize} bytes, got {sig.ValidatorAddress.Length} bytes",
                BlockIDFlag.Commit or BlockIDFlag.Nil when sig.Signature.IsEmpty => "signature is missing",
                BlockIDFlag.Commit or BlockIDFlag.Nil when sig.Signature.Length > MaxSignatureSize => $"signature is too big (max: {MaxSignatureSize})",
                BlockIDFlag.Commit or BlockIDFlag.Nil => null,
                _ => $"unknown BlockIDFlag: {(int)sig.BlockIdFlag}",
            };
            if (error is not null) throw Malformed($"wrong CommitSig #{i}: {error}");
        }
    }

    private static void Hash(Google.Protobuf.ByteString hash, string what)
    {
        if (hash.Length != 0 && hash.Length != HashSize)
            throw Malformed($"wrong {what}: expected size to be {HashSize} bytes, got {hash.Length} bytes");
    }

    private static void Guard(string prefix, Action check)
    {
        try
        {
            check();
        }
        catch (LightVerificationException e)
        {
            throw Malformed(prefix + e.Message);
        }
    }

    private static LightVerificationException Malformed(string message) => new(LightFailure.Malformed, message);
}
