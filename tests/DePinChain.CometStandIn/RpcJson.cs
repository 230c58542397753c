using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DePinChain.Comet;
using DePinChain.Crypto;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Types;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.CometStandIn;

/// <summary>
/// CometBFT v0.38's RPC JSON for its types (amino-style JSON: int64 as decimal strings, hashes and addresses as
/// upper-case hex, signatures, txs and ABCI bytes as base64, times as RFC 3339 with up to nine digits).
/// </summary>
public static class RpcJson
{
    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Hex(ByteString bytes) => Convert.ToHexString(bytes.Span);

    /// <summary>Go's <c>time.RFC3339Nano</c>: the fraction without trailing zeros, none when whole.</summary>
    public static string Time(Timestamp? time) => CometTime.Format(time);

    /// <summary>RFC 3339 with up to nine fractional digits, to the nanosecond (protobuf's JSON form of a Timestamp).</summary>
    public static Timestamp ParseTime(string text) => JsonParser.Default.Parse<Timestamp>(JsonSerializer.Serialize(text));

    public static JsonObject PubKey(byte[] ed25519) => new()
    {
        ["type"] = "tendermint/PubKeyEd25519",
        ["value"] = Convert.ToBase64String(ed25519),
    };

    public static JsonObject BlockId(BlockID? id) => new()
    {
        ["hash"] = id is null ? "" : Hex(id.Hash),
        ["parts"] = new JsonObject
        {
            ["total"] = id?.PartSetHeader?.Total ?? 0,
            ["hash"] = id?.PartSetHeader is null ? "" : Hex(id.PartSetHeader.Hash),
        },
    };

    public static JsonObject Header(Header h) => new()
    {
        ["version"] = new JsonObject { ["block"] = Int((long)h.Version.Block), ["app"] = Int((long)h.Version.App) },
        ["chain_id"] = h.ChainId,
        ["height"] = Int(h.Height),
        ["time"] = Time(h.Time),
        ["last_block_id"] = BlockId(h.LastBlockId),
        ["last_commit_hash"] = Hex(h.LastCommitHash),
        ["data_hash"] = Hex(h.DataHash),
        ["validators_hash"] = Hex(h.ValidatorsHash),
        ["next_validators_hash"] = Hex(h.NextValidatorsHash),
        ["consensus_hash"] = Hex(h.ConsensusHash),
        ["app_hash"] = Hex(h.AppHash),
        ["last_results_hash"] = Hex(h.LastResultsHash),
        ["evidence_hash"] = Hex(h.EvidenceHash),
        ["proposer_address"] = Hex(h.ProposerAddress),
    };

    public static JsonObject Commit(Commit c) => new()
    {
        ["height"] = Int(c.Height),
        ["round"] = c.Round,
        ["block_id"] = BlockId(c.BlockId),
        ["signatures"] = new JsonArray(c.Signatures.Select(s => (JsonNode)new JsonObject
        {
            ["block_id_flag"] = (int)s.BlockIdFlag,
            ["validator_address"] = Hex(s.ValidatorAddress),
            ["timestamp"] = Time(s.Timestamp),
            ["signature"] = s.Signature.IsEmpty ? null : s.Signature.ToBase64(),
        }).ToArray()),
    };

    public static JsonObject Block(Block b) => new()
    {
        ["header"] = Header(b.Header),
        ["data"] = new JsonObject { ["txs"] = new JsonArray(b.Data.Txs.Select(t => (JsonNode)t.ToBase64()).ToArray()) },
        ["evidence"] = new JsonObject { ["evidence"] = new JsonArray() },
        ["last_commit"] = Commit(b.LastCommit),
    };

    public static JsonObject Validator(DePinChain.Protos.Types.Validator v) => new()
    {
        ["address"] = Hex(v.Address),
        ["pub_key"] = PubKey(v.PubKey.Ed25519.ToByteArray()),
        ["voting_power"] = Int(v.VotingPower),
        ["proposer_priority"] = Int(v.ProposerPriority),
    };

    /// <summary>ABCI events; CometBFT writes a nil list as null.</summary>
    public static JsonNode? Events(IEnumerable<Event> events)
    {
        var list = events.Select(e => (JsonNode)new JsonObject
        {
            ["type"] = e.Type,
            ["attributes"] = new JsonArray(e.Attributes.Select(a => (JsonNode)new JsonObject
            {
                ["key"] = a.Key,
                ["value"] = a.Value,
                ["index"] = a.Index,
            }).ToArray()),
        }).ToArray();
        return list.Length == 0 ? null : new JsonArray(list);
    }

    public static JsonObject TxResult(ExecTxResult r) => new()
    {
        ["code"] = r.Code,
        ["data"] = r.Data.IsEmpty ? null : r.Data.ToBase64(),
        ["log"] = r.Log,
        ["info"] = r.Info,
        ["gas_wanted"] = Int(r.GasWanted),
        ["gas_used"] = Int(r.GasUsed),
        ["events"] = Events(r.Events),
        ["codespace"] = r.Codespace,
    };

    /// <summary>CheckTx's answer, written as CometBFT writes it in broadcast_tx_commit (the fields it shares with a tx result).</summary>
    public static JsonObject CheckTx(ResponseCheckTx r) => TxResult(new ExecTxResult
    {
        Code = r.Code, Data = r.Data, Log = r.Log, Info = r.Info, GasWanted = r.GasWanted, GasUsed = r.GasUsed, Events = { r.Events }, Codespace = r.Codespace,
    });

    public static JsonNode? ValidatorUpdates(IEnumerable<ValidatorUpdate> updates)
    {
        var list = updates.Select(u => (JsonNode)new JsonObject
        {
            ["pub_key"] = new JsonObject { ["Sum"] = new JsonObject { ["type"] = "tendermint.crypto.PublicKey_Ed25519", ["value"] = new JsonObject { ["ed25519"] = u.PubKey.Ed25519.ToBase64() } } },
            ["power"] = Int(u.Power),
        }).ToArray();
        return list.Length == 0 ? null : new JsonArray(list);
    }

    public static JsonNode? ConsensusParams(ConsensusParams? p) => p is null ? null : new JsonObject
    {
        ["block"] = p.Block is null ? null : new JsonObject { ["max_bytes"] = Int(p.Block.MaxBytes), ["max_gas"] = Int(p.Block.MaxGas) },
    };

    public static string Address(byte[] ed25519PublicKey) => Convert.ToHexString(Ed25519.Address(ed25519PublicKey));
}
