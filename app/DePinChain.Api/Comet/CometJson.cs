using System.Globalization;
using System.Text.Json.Nodes;
using DePinChain.Comet.Hashing;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Types;
using DePinChain.Protos.Version;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using SdkBlock = DePinChain.Protos.Cosmos.Base.Tendermint.V1Beta1.Block;
using SdkHeader = DePinChain.Protos.Cosmos.Base.Tendermint.V1Beta1.Header;

namespace DePinChain.Api.Comet;

/// <summary>
/// CometBFT v0.38's RPC JSON (int64 as decimal strings, hashes and addresses as upper-case hex, signatures and txs as
/// base64, times as RFC 3339 with nanoseconds) into its protobuf types, field for field as <c>ToProto</c> in CometBFT
/// builds them: the fields gogoproto declares non-nullable (a header's version, time and last block id, a block id's
/// part set header, a block's data and evidence, a commit signature's time) are always set, so a message encodes to
/// CometBFT's bytes and <see cref="HeaderHash"/> reproduces the block hash.
/// </summary>
public static class CometJson
{
    /// <exception cref="CometRpcException">A field is missing or malformed.</exception>
    public static BlockID BlockId(JsonNode? json)
    {
        var parts = json?["parts"] ?? json?["part_set_header"];
        return new BlockID
        {
            Hash = Hex(json?["hash"], "block_id.hash"),
            PartSetHeader = new PartSetHeader
            {
                Total = (uint)Int(parts?["total"], "block_id.parts.total"),
                Hash = Hex(parts?["hash"], "block_id.parts.hash"),
            },
        };
    }

    public static Header Header(JsonNode? json)
    {
        if (json is null) throw Malformed("block.header");
        return new Header
        {
            Version = new Consensus
            {
                Block = (ulong)Int(json["version"]?["block"], "header.version.block"),
                App = (ulong)Int(json["version"]?["app"], "header.version.app"),
            },
            ChainId = (string?)json["chain_id"] ?? "",
            Height = Int(json["height"], "header.height"),
            Time = Time(json["time"], "header.time"),
            LastBlockId = BlockId(json["last_block_id"]),
            LastCommitHash = Hex(json["last_commit_hash"], "header.last_commit_hash"),
            DataHash = Hex(json["data_hash"], "header.data_hash"),
            ValidatorsHash = Hex(json["validators_hash"], "header.validators_hash"),
            NextValidatorsHash = Hex(json["next_validators_hash"], "header.next_validators_hash"),
            ConsensusHash = Hex(json["consensus_hash"], "header.consensus_hash"),
            AppHash = Hex(json["app_hash"], "header.app_hash"),
            LastResultsHash = Hex(json["last_results_hash"], "header.last_results_hash"),
            EvidenceHash = Hex(json["evidence_hash"], "header.evidence_hash"),
            ProposerAddress = Hex(json["proposer_address"], "header.proposer_address"),
        };
    }

    public static Commit Commit(JsonNode? json)
    {
        if (json is null) throw Malformed("commit");
        var commit = new Commit
        {
            Height = Int(json["height"], "commit.height"),
            Round = (int)Int(json["round"], "commit.round"),
            BlockId = BlockId(json["block_id"]),
        };
        foreach (JsonNode? sig in json["signatures"]?.AsArray() ?? [])
            commit.Signatures.Add(new CommitSig
            {
                BlockIdFlag = (BlockIDFlag)Int(sig?["block_id_flag"], "commit.signatures.block_id_flag"),
                ValidatorAddress = Hex(sig?["validator_address"], "commit.signatures.validator_address"),
                Timestamp = Time(sig?["timestamp"], "commit.signatures.timestamp"),
                Signature = Base64(sig?["signature"], "commit.signatures.signature"),
            });
        return commit;
    }

    public static Block Block(JsonNode? json)
    {
        if (json is null) throw Malformed("block");
        var data = new Data();
        foreach (JsonNode? tx in json["data"]?["txs"]?.AsArray() ?? [])
            data.Txs.Add(Base64(tx, "block.data.txs"));
        var evidence = new EvidenceList();
        foreach (JsonNode? e in json["evidence"]?["evidence"]?.AsArray() ?? [])
            evidence.Evidence.Add(Evidence(e));
        return new Block
        {
            Header = Header(json["header"]),
            Data = data,
            Evidence = evidence,
            // CometBFT's block at the initial height has an empty commit; ToProto still sets it.
            LastCommit = json["last_commit"] is JsonNode last ? Commit(last) : null,
        };
    }

    /// <summary>One evidence item as CometBFT's JSON writes it (amino-style <c>{"type":…,"value":…}</c>).</summary>
    public static Evidence Evidence(JsonNode? json)
    {
        string type = (string?)json?["type"] ?? "";
        JsonNode? value = json?["value"];
        if (type == "tendermint/DuplicateVoteEvidence" && value is not null)
            return new Evidence
            {
                DuplicateVoteEvidence = new DuplicateVoteEvidence
                {
                    VoteA = Vote(value["vote_a"]),
                    VoteB = Vote(value["vote_b"]),
                    TotalVotingPower = Int(value["TotalVotingPower"] ?? value["total_voting_power"], "evidence.TotalVotingPower"),
                    ValidatorPower = Int(value["ValidatorPower"] ?? value["validator_power"], "evidence.ValidatorPower"),
                    Timestamp = Time(value["Timestamp"] ?? value["timestamp"], "evidence.Timestamp"),
                },
            };
        throw new CometRpcException(CometRpcFailure.Malformed, $"evidence of type \"{type}\" is not converted (only duplicate votes are)");
    }

    public static Vote Vote(JsonNode? json)
    {
        if (json is null) throw Malformed("vote");
        return new Vote
        {
            Type = (SignedMsgType)Int(json["type"], "vote.type"),
            Height = Int(json["height"], "vote.height"),
            Round = (int)Int(json["round"], "vote.round"),
            BlockId = BlockId(json["block_id"]),
            Timestamp = Time(json["timestamp"], "vote.timestamp"),
            ValidatorAddress = Hex(json["validator_address"], "vote.validator_address"),
            ValidatorIndex = (int)Int(json["validator_index"], "vote.validator_index"),
            Signature = Base64(json["signature"], "vote.signature"),
            Extension = Base64(json["extension"], "vote.extension"),
            ExtensionSignature = Base64(json["extension_signature"], "vote.extension_signature"),
        };
    }

    /// <summary>The SDK's block (cmtservice <c>convertBlock</c>): the same, with the proposer as a bech32 consensus address.</summary>
    public static SdkBlock ToSdkBlock(Block block, Func<byte[], string> consensusBech32)
    {
        Header h = block.Header;
        return new SdkBlock
        {
            Header = new SdkHeader
            {
                Version = h.Version,
                ChainId = h.ChainId,
                Height = h.Height,
                Time = h.Time,
                LastBlockId = h.LastBlockId,
                LastCommitHash = h.LastCommitHash,
                DataHash = h.DataHash,
                ValidatorsHash = h.ValidatorsHash,
                NextValidatorsHash = h.NextValidatorsHash,
                ConsensusHash = h.ConsensusHash,
                AppHash = h.AppHash,
                LastResultsHash = h.LastResultsHash,
                EvidenceHash = h.EvidenceHash,
                ProposerAddress = h.ProposerAddress.IsEmpty ? "" : consensusBech32(h.ProposerAddress.ToByteArray()),
            },
            Data = block.Data,
            Evidence = block.Evidence,
            LastCommit = block.LastCommit,
        };
    }

    /// <summary>CometBFT's <c>Header.Hash()</c> (<see cref="HeaderHasher"/>).</summary>
    public static byte[] HeaderHash(Header header) => HeaderHasher.Hash(header);

    /// <summary>CometBFT's <c>Data.Hash()</c>: the Merkle root over the SHA-256 of each tx.</summary>
    public static byte[] DataHash(Data data) => BlockHashes.DataHash(data.Txs);

    /// <summary>CometBFT's <c>Commit.Hash()</c>: the Merkle root over each signature's protobuf encoding.</summary>
    public static byte[] CommitHash(Commit commit) => BlockHashes.CommitHash(commit);

    /// <summary>ABCI events as CometBFT's JSON writes them (<c>tx_result.events</c>).</summary>
    public static IEnumerable<Event> Events(JsonNode? json)
    {
        foreach (JsonNode? e in json?.AsArray() ?? [])
        {
            var ev = new Event { Type = (string?)e?["type"] ?? "" };
            foreach (JsonNode? a in e?["attributes"]?.AsArray() ?? [])
                ev.Attributes.Add(new EventAttribute
                {
                    Key = (string?)a?["key"] ?? "",
                    Value = (string?)a?["value"] ?? "",
                    Index = a?["index"] is JsonNode index && (bool)index,
                });
            yield return ev;
        }
    }

    /// <summary>A decimal integer, written as a JSON string (int64) or number (int, uint32); absent = 0.</summary>
    public static long Int(JsonNode? node, string what)
    {
        if (node is null) return 0;
        if (node is JsonValue value && value.TryGetValue(out long number)) return number;
        string text = node is JsonValue v && v.TryGetValue(out string? s) ? s : node.ToJsonString();
        return CometRpc.ParseInt64(text, what);
    }

    /// <summary>Hex (either case); absent, null or empty = empty.</summary>
    public static ByteString Hex(JsonNode? node, string what)
    {
        string? text = (string?)node;
        if (string.IsNullOrEmpty(text)) return ByteString.Empty;
        try
        {
            return UnsafeByteOperations.UnsafeWrap(Convert.FromHexString(text));
        }
        catch (FormatException)
        {
            throw new CometRpcException(CometRpcFailure.Malformed, $"node answered a {what} that is not hex: '{text}'");
        }
    }

    public static ByteString Base64(JsonNode? node, string what)
    {
        string? text = (string?)node;
        if (string.IsNullOrEmpty(text)) return ByteString.Empty;
        try
        {
            return UnsafeByteOperations.UnsafeWrap(Convert.FromBase64String(text));
        }
        catch (FormatException)
        {
            throw new CometRpcException(CometRpcFailure.Malformed, $"node answered a {what} that is not base64");
        }
    }

    /// <summary>RFC 3339 with up to nine fractional digits (Go's <c>time.RFC3339Nano</c>), to the nanosecond; absent =
    /// Go's zero time (what CometBFT writes for an absent vote: 0001-01-01T00:00:00Z).</summary>
    public static Timestamp Time(JsonNode? node, string what)
    {
        string? text = (string?)node;
        if (string.IsNullOrEmpty(text)) return new Timestamp { Seconds = GoZeroTimeSeconds };
        if (ParseTime(text) is { } parsed) return parsed;
        throw new CometRpcException(CometRpcFailure.Malformed, $"node answered a {what} that is not an RFC 3339 time: '{text}'");
    }

    /// <summary>Go's zero time.Time in Unix seconds (0001-01-01T00:00:00Z).</summary>
    public const long GoZeroTimeSeconds = -62135596800;

    internal static Timestamp? ParseTime(string text)
    {
        // Split off the fraction: DateTimeOffset keeps only 7 digits, CometBFT writes up to 9.
        int dot = text.IndexOf('.', StringComparison.Ordinal);
        int nanos = 0;
        string whole = text;
        if (dot > 0)
        {
            int end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
            string digits = text[(dot + 1)..end];
            if (digits.Length is 0 or > 9) return null;
            nanos = int.Parse(digits.PadRight(9, '0'), NumberStyles.None, CultureInfo.InvariantCulture);
            whole = text[..dot] + text[end..];
        }
        if (!DateTimeOffset.TryParseExact(whole, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss'Z'"], CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset time))
            return null;
        return new Timestamp { Seconds = time.ToUnixTimeSeconds(), Nanos = nanos };
    }

    /// <summary>Go's <c>time.RFC3339</c> (whole seconds, UTC as Z): the SDK's TxResponse.timestamp.</summary>
    public static string Rfc3339Seconds(Timestamp time)
        => DateTimeOffset.FromUnixTimeSeconds(time.Seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static CometRpcException Malformed(string what) => new(CometRpcFailure.Malformed, $"node answered without {what}");
}
