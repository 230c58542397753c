using System.Globalization;
using System.Text.Json.Nodes;
using ExecTxResult = DePinChain.Protos.Abci.ExecTxResult;
using DePinChain.Protos.Crypto;
using DePinChain.Protos.Types;
using DePinChain.Protos.Version;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.Comet.Tests;

/// <summary>
/// Reads the recorded CometBFT RPC answers under Fixtures/ (copied from shared/conformance) into CometBFT's protobuf
/// types, setting every field gogoproto declares non-nullable, as CometBFT's ToProto does.
/// </summary>
internal static class CometFixtures
{
    private static string Dir(string set) => Path.Combine(AppContext.BaseDirectory, "Fixtures", set);

    public static JsonNode Result(string set, string file)
        => JsonNode.Parse(File.ReadAllText(Path.Combine(Dir(set), file)))!["result"]!;

    public static SignedHeader SignedHeader(string set, string file)
    {
        var sh = Result(set, file)["signed_header"]!;
        return new SignedHeader { Header = Header(sh["header"]!), Commit = Commit(sh["commit"]!) };
    }

    public static ValidatorSet Validators(string set, string file)
    {
        var result = Result(set, file);
        var vs = new ValidatorSet();
        foreach (var v in result["validators"]!.AsArray())
        {
            if ((string?)v!["pub_key"]!["type"] != "tendermint/PubKeyEd25519") throw new InvalidDataException("not an ed25519 validator");
            vs.Validators.Add(new Validator
            {
                Address = Hex(v["address"]),
                PubKey = new PublicKey { Ed25519 = B64(v["pub_key"]!["value"]) },
                VotingPower = Int(v["voting_power"]),
                ProposerPriority = Int(v["proposer_priority"]),
            });
        }
        vs.TotalVotingPower = vs.Validators.Sum(v => v.VotingPower);
        vs.Proposer = vs.Validators[0];
        return vs;
    }

    public static Block Block(string set, string file)
    {
        var b = Result(set, file)["block"]!;
        var data = new Data();
        foreach (var tx in b["data"]!["txs"]!.AsArray()) data.Txs.Add(B64(tx));
        return new Block
        {
            Header = Header(b["header"]!),
            Data = data,
            Evidence = new EvidenceList(),
            LastCommit = Commit(b["last_commit"]!),
        };
    }

    public static BlockID BlockIdOfBlock(string set, string file) => BlockId(Result(set, file)["block_id"]!);

    public static IReadOnlyList<ExecTxResult> TxResults(string set, string file)
        => [.. (Result(set, file)["txs_results"]?.AsArray() ?? []).Select(r => new ExecTxResult
        {
            Code = (uint)Int(r!["code"]),
            Data = B64(r["data"]),
            Log = (string?)r["log"] ?? "",
            GasWanted = Int(r["gas_wanted"]),
            GasUsed = Int(r["gas_used"]),
            Codespace = (string?)r["codespace"] ?? "",
        })];

    public static Header Header(JsonNode h) => new()
    {
        Version = new Consensus { Block = (ulong)Int(h["version"]!["block"]), App = (ulong)Int(h["version"]!["app"]) },
        ChainId = (string)h["chain_id"]!,
        Height = Int(h["height"]),
        Time = Time(h["time"]),
        LastBlockId = BlockId(h["last_block_id"]!),
        LastCommitHash = Hex(h["last_commit_hash"]),
        DataHash = Hex(h["data_hash"]),
        ValidatorsHash = Hex(h["validators_hash"]),
        NextValidatorsHash = Hex(h["next_validators_hash"]),
        ConsensusHash = Hex(h["consensus_hash"]),
        AppHash = Hex(h["app_hash"]),
        LastResultsHash = Hex(h["last_results_hash"]),
        EvidenceHash = Hex(h["evidence_hash"]),
        ProposerAddress = Hex(h["proposer_address"]),
    };

    public static Commit Commit(JsonNode c)
    {
        var commit = new Commit { Height = Int(c["height"]), Round = (int)Int(c["round"]), BlockId = BlockId(c["block_id"]!) };
        foreach (var s in c["signatures"]!.AsArray())
            commit.Signatures.Add(new CommitSig
            {
                BlockIdFlag = (BlockIDFlag)Int(s!["block_id_flag"]),
                ValidatorAddress = Hex(s["validator_address"]),
                Timestamp = Time(s["timestamp"]),
                Signature = B64(s["signature"]),
            });
        return commit;
    }

    public static BlockID BlockId(JsonNode id) => new()
    {
        Hash = Hex(id["hash"]),
        PartSetHeader = new PartSetHeader { Total = (uint)Int(id["parts"]!["total"]), Hash = Hex(id["parts"]!["hash"]) },
    };

    private static long Int(JsonNode? n) => n is null ? 0
        : n is JsonValue v && v.TryGetValue(out long l) ? l : long.Parse((string)n!, CultureInfo.InvariantCulture);

    private static ByteString Hex(JsonNode? n) => string.IsNullOrEmpty((string?)n) ? ByteString.Empty : ByteString.CopyFrom(Convert.FromHexString((string)n!));

    private static ByteString B64(JsonNode? n) => string.IsNullOrEmpty((string?)n) ? ByteString.Empty : ByteString.CopyFrom(Convert.FromBase64String((string)n!));

    /// <summary>RFC 3339 with up to 9 fractional digits, to the nanosecond (DateTime stops at 100 ns).</summary>
    public static Timestamp Time(JsonNode? n)
    {
        string text = (string)n!;
        int dot = text.IndexOf('.', StringComparison.Ordinal);
        string whole = dot < 0 ? text.TrimEnd('Z') : text[..dot];
        string fraction = dot < 0 ? "" : text[(dot + 1)..].TrimEnd('Z');
        var seconds = DateTimeOffset.ParseExact(whole + "Z", "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal).ToUnixTimeSeconds();
        int nanos = fraction.Length == 0 ? 0 : int.Parse(fraction.PadRight(9, '0'), CultureInfo.InvariantCulture);
        return new Timestamp { Seconds = seconds, Nanos = nanos };
    }
}
