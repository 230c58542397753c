using System.Globalization;
using System.Text.Json.Nodes;
using DePinChain.Comet;
using DePinChain.Crypto;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.CometStandIn;

/// <summary>A genesis validator: its ed25519 public key and voting power.</summary>
public sealed record GenesisValidator(byte[] PublicKey, long Power, string Name = "");

/// <summary>What CometBFT reads from genesis.json: chain id, time, initial height, block params, validators and app_state.</summary>
public sealed record StandInGenesis
{
    public required string ChainId { get; init; }

    public required Timestamp GenesisTime { get; init; }

    public long InitialHeight { get; init; } = 1;

    /// <summary>The app_state object as JSON text (RequestInitChain.app_state_bytes).</summary>
    public string AppStateJson { get; init; } = "{}";

    /// <summary>May be empty: the app then names the validators in ResponseInitChain (gentxs).</summary>
    public IReadOnlyList<GenesisValidator> Validators { get; init; } = [];

    public long BlockMaxBytes { get; init; } = 22020096;

    public long BlockMaxGas { get; init; } = -1;

    /// <summary>Reads a genesis.json (CometBFT's fields and app_state), as written by <c>depinchaind init</c>.</summary>
    public static StandInGenesis FromJson(string json)
    {
        JsonNode genesis = JsonNode.Parse(json) ?? throw new FormatException("genesis.json is empty");
        var validators = new List<GenesisValidator>();
        foreach (JsonNode? v in genesis["validators"]?.AsArray() ?? [])
        {
            string type = (string?)v?["pub_key"]?["type"] ?? "";
            if (type != "tendermint/PubKeyEd25519")
                throw new FormatException($"genesis validator key type {type} is not supported (ed25519 only)");
            validators.Add(new GenesisValidator(Convert.FromBase64String((string)v!["pub_key"]!["value"]!),
                long.Parse((string)v["power"]!, CultureInfo.InvariantCulture), (string?)v["name"] ?? ""));
        }
        JsonNode? block = genesis["consensus_params"]?["block"];
        string? time = (string?)genesis["genesis_time"];
        return new StandInGenesis
        {
            ChainId = (string?)genesis["chain_id"] ?? throw new FormatException("genesis.json has no chain_id"),
            GenesisTime = time is null ? Timestamp.FromDateTime(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)) : RpcJson.ParseTime(time),
            InitialHeight = genesis["initial_height"] is JsonNode h ? long.Parse((string)h!, CultureInfo.InvariantCulture) : 1,
            AppStateJson = genesis["app_state"]?.ToJsonString() ?? "{}",
            Validators = validators,
            BlockMaxBytes = block?["max_bytes"] is JsonNode mb ? long.Parse((string)mb!, CultureInfo.InvariantCulture) : 22020096,
            BlockMaxGas = block?["max_gas"] is JsonNode mg ? long.Parse((string)mg!, CultureInfo.InvariantCulture) : -1,
        };
    }

    /// <summary>The genesis document as CometBFT's <c>/genesis</c> answers it.</summary>
    public JsonObject ToJson() => new()
    {
        ["genesis_time"] = RpcJson.Time(GenesisTime),
        ["chain_id"] = ChainId,
        ["initial_height"] = RpcJson.Int(InitialHeight),
        ["consensus_params"] = new JsonObject
        {
            ["block"] = new JsonObject { ["max_bytes"] = RpcJson.Int(BlockMaxBytes), ["max_gas"] = RpcJson.Int(BlockMaxGas) },
            ["evidence"] = new JsonObject { ["max_age_num_blocks"] = "100000", ["max_age_duration"] = "172800000000000", ["max_bytes"] = "1048576" },
            ["validator"] = new JsonObject { ["pub_key_types"] = new JsonArray("ed25519") },
            ["version"] = new JsonObject { ["app"] = "0" },
            ["abci"] = new JsonObject { ["vote_extensions_enable_height"] = "0" },
        },
        ["validators"] = new JsonArray(Validators.Select(v => (JsonNode)new JsonObject
        {
            ["address"] = Convert.ToHexString(Ed25519.Address(v.PublicKey)),
            ["pub_key"] = RpcJson.PubKey(v.PublicKey),
            ["power"] = RpcJson.Int(v.Power),
            ["name"] = v.Name,
        }).ToArray()),
        ["app_hash"] = "",
        ["app_state"] = JsonNode.Parse(AppStateJson),
    };

    internal Timestamp TimeOrZero => GenesisTime ?? CometTime.GoZeroTime;
}
