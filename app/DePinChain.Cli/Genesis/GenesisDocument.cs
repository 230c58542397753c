using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using DePinChain.Cli.Home;
using DePinChain.Crypto;
using Coins = DePinChain.Sdk.Coins;
using ProtoCoin = DePinChain.Protos.Cosmos.Base.V1Beta1.Coin;

namespace DePinChain.Cli.Genesis;

/// <summary>A genesis.json that is malformed or inconsistent; the message names the field.</summary>
public sealed class GenesisException(string message) : Exception(message);

public sealed record GenesisValidator(CometEd25519Key Key, long Power, string Name);

/// <summary>
/// CometBFT v0.38's genesis.json with our app_state (Cosmos-shaped auth and bank genesis).
/// Kept as a JSON tree so that sections other modules add survive a read-modify-write.
/// </summary>
public sealed class GenesisDocument
{
    public const string AccountPrefix = "depin";
    public const string BaseAccountType = "/cosmos.auth.v1beta1.BaseAccount";
    public const string ModuleAccountType = "/cosmos.auth.v1beta1.ModuleAccount";
    private const int MaxChainIdLength = 50;

    private GenesisDocument(JsonObject root) => Root = root;

    public JsonObject Root { get; }

    public string ChainId => (string?)Root["chain_id"] ?? "";

    /// <summary>A new genesis: CometBFT's default consensus params (vote extensions off), initial height 1, default module state.</summary>
    public static GenesisDocument Create(string chainId, DateTime genesisTimeUtc, IEnumerable<GenesisValidator> validators)
    {
        ValidateChainId(chainId);
        var validatorArray = new JsonArray();
        foreach (var v in validators)
        {
            validatorArray.Add(new JsonObject
            {
                ["address"] = v.Key.Address,
                ["pub_key"] = v.Key.PublicKeyJson(),
                ["power"] = v.Power.ToString(CultureInfo.InvariantCulture),
                ["name"] = v.Name,
            });
        }
        var root = new JsonObject
        {
            ["genesis_time"] = FormatTime(genesisTimeUtc),
            ["chain_id"] = chainId,
            ["initial_height"] = "1",
            ["consensus_params"] = new JsonObject
            {
                ["block"] = new JsonObject { ["max_bytes"] = "22020096", ["max_gas"] = "-1" },
                ["evidence"] = new JsonObject
                {
                    ["max_age_num_blocks"] = "100000",
                    ["max_age_duration"] = "172800000000000",
                    ["max_bytes"] = "1048576",
                },
                ["validator"] = new JsonObject { ["pub_key_types"] = new JsonArray("ed25519") },
                ["version"] = new JsonObject { ["app"] = "0" },
                ["abci"] = new JsonObject { ["vote_extensions_enable_height"] = "0" },
            },
            ["validators"] = validatorArray,
            ["app_hash"] = "",
            ["app_state"] = DefaultAppState(),
        };
        return new GenesisDocument(root);
    }

    /// <summary>Default module genesis in the Cosmos SDK's JSON shape (proto field names, 64-bit integers as strings).</summary>
    public static JsonObject DefaultAppState() => new()
    {
        ["auth"] = new JsonObject
        {
            ["params"] = new JsonObject
            {
                ["max_memo_characters"] = "256",
                ["tx_sig_limit"] = "7",
                ["tx_size_cost_per_byte"] = "10",
                ["sig_verify_cost_ed25519"] = "590",
                ["sig_verify_cost_secp256k1"] = "1000",
            },
            ["accounts"] = new JsonArray(),
        },
        ["bank"] = new JsonObject
        {
            ["params"] = new JsonObject { ["send_enabled"] = new JsonArray(), ["default_send_enabled"] = true },
            ["balances"] = new JsonArray(),
            ["supply"] = new JsonArray(),
            ["denom_metadata"] = new JsonArray(),
            ["send_enabled"] = new JsonArray(),
        },
    };

    public static GenesisDocument Parse(string json)
    {
        try
        {
            return new GenesisDocument(JsonNode.Parse(json) as JsonObject ?? throw new GenesisException("genesis: not a JSON object"));
        }
        catch (JsonException e)
        {
            throw new GenesisException($"genesis: not valid JSON ({e.Message})");
        }
    }

    public static GenesisDocument Load(string path)
    {
        if (!File.Exists(path))
            throw new GenesisException($"{path} not found (run init first)");
        return Parse(File.ReadAllText(path));
    }

    public string ToJson() => Root.ToJsonString(JsonText.Indented);

    public void Save(string path)
    {
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, ToJson());
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// The modules whose <c>params.authority</c> <see cref="SetAuthority"/> sets (the only account that may change their
    /// params, add makers, keep the deny list): every module whose genesis params have an authority, so a module added
    /// later is covered without a list to keep.
    /// </summary>
    public static readonly IReadOnlyList<string> AuthorityModules = new App.AppModules().AuthorityModuleNames;

    /// <summary>
    /// Makes <paramref name="address"/> the authority of every module in <see cref="AuthorityModules"/>. A module left out
    /// of app_state gets its default genesis written first (the app would use it anyway), so only the authority changes.
    /// </summary>
    public void SetAuthority(byte[] address)
    {
        string bech32 = CosmosAddress.ToBech32(address, AccountPrefix);
        JsonObject appState = AppState();
        var modules = new App.AppModules().Modules;
        foreach (string name in AuthorityModules)
        {
            if (appState[name] is null)
                appState[name] = JsonNode.Parse(modules.Single(m => m.Name == name).DefaultGenesis());
            JsonObject section = RequireObject(appState, name, "app_state." + name);
            RequireObject(section, "params", $"app_state.{name}.params")["authority"] = bech32;
        }
    }

    /// <summary>
    /// Adds a BaseAccount (next free account number) with a bank balance, and raises the supply.
    /// An address that already has an account is refused, like the SDK's `genesis add-genesis-account`.
    /// </summary>
    public void AddAccount(byte[] address, Coins coins)
    {
        string bech32 = CosmosAddress.ToBech32(address, AccountPrefix);
        JsonArray accounts = RequireArray(RequireObject(AppState(), "auth", "app_state.auth"), "accounts", "app_state.auth.accounts");
        JsonObject bank = RequireObject(AppState(), "bank", "app_state.bank");
        JsonArray balances = RequireArray(bank, "balances", "app_state.bank.balances");
        JsonArray supply = RequireArray(bank, "supply", "app_state.bank.supply");

        BigInteger nextNumber = 0;
        foreach (JsonNode? entry in accounts)
        {
            JsonNode? account = (string?)entry?["@type"] == ModuleAccountType ? entry?["base_account"] : entry;
            if ((string?)account?["address"] == bech32)
                throw new GenesisException($"account {bech32} already exists in genesis");
            if (ParseUint((string?)account?["account_number"], "account_number") is var n && n >= nextNumber)
                nextNumber = n + 1;
        }
        foreach (JsonNode? balance in balances)
            if ((string?)balance?["address"] == bech32)
                throw new GenesisException($"a balance for {bech32} already exists in genesis");

        accounts.Add(new JsonObject
        {
            ["@type"] = BaseAccountType,
            ["address"] = bech32,
            ["pub_key"] = null,
            ["account_number"] = nextNumber.ToString(CultureInfo.InvariantCulture),
            ["sequence"] = "0",
        });
        if (!coins.IsEmpty)
        {
            balances.Add(new JsonObject { ["address"] = bech32, ["coins"] = CoinsJson(coins) });
            var total = ReadCoins(supply, "app_state.bank.supply").Add(coins);
            bank["supply"] = CoinsJson(total);
        }
    }

    public void AddValidator(GenesisValidator validator)
    {
        JsonArray validators = RequireArray(Root, "validators", "validators");
        validators.Add(new JsonObject
        {
            ["address"] = validator.Key.Address,
            ["pub_key"] = validator.Key.PublicKeyJson(),
            ["power"] = validator.Power.ToString(CultureInfo.InvariantCulture),
            ["name"] = validator.Name,
        });
    }

    /// <summary>The balance genesis gives <paramref name="bech32"/> (empty when none).</summary>
    public Coins BalanceOf(string bech32)
    {
        JsonArray balances = RequireArray(RequireObject(AppState(), "bank", "app_state.bank"), "balances", "app_state.bank.balances");
        foreach (JsonNode? balance in balances)
            if ((string?)balance?["address"] == bech32)
                return ReadCoins(balance["coins"] as JsonArray ?? [], $"balance of {bech32}");
        return Coins.Empty;
    }

    /// <summary>Checks what CometBFT checks when loading genesis, plus our app_state's auth and bank sections.</summary>
    public void Validate(string? expectedChainId = null)
    {
        string chainId = RequireString(Root, "chain_id", "chain_id");
        ValidateChainId(chainId);
        if (expectedChainId is not null && chainId != expectedChainId)
            throw new GenesisException($"chain_id: genesis has '{chainId}', expected '{expectedChainId}'");
        string time = RequireString(Root, "genesis_time", "genesis_time");
        if (!DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
            throw new GenesisException($"genesis_time: '{time}' is not an RFC 3339 time");
        if (ParseUint(RequireString(Root, "initial_height", "initial_height"), "initial_height") > long.MaxValue)
            throw new GenesisException("initial_height: too large");
        if (Root["app_hash"] is JsonNode appHash && appHash.GetValueKind() != JsonValueKind.String)
            throw new GenesisException("app_hash: must be a hex string");

        ValidateConsensusParams();
        ValidateValidators();
        ValidateAppState();
    }

    private void ValidateConsensusParams()
    {
        JsonObject consensus = RequireObject(Root, "consensus_params", "consensus_params");
        JsonObject block = RequireObject(consensus, "block", "consensus_params.block");
        BigInteger maxBytes = ParseInt(RequireString(block, "max_bytes", "consensus_params.block.max_bytes"), "consensus_params.block.max_bytes");
        if (maxBytes == 0 || maxBytes < -1 || maxBytes > 104857600)
            throw new GenesisException("consensus_params.block.max_bytes: must be -1 or in 1..104857600");
        if (ParseInt(RequireString(block, "max_gas", "consensus_params.block.max_gas"), "consensus_params.block.max_gas") < -1)
            throw new GenesisException("consensus_params.block.max_gas: must be -1 or more");
        JsonObject evidence = RequireObject(consensus, "evidence", "consensus_params.evidence");
        if (ParseInt(RequireString(evidence, "max_age_num_blocks", "consensus_params.evidence.max_age_num_blocks"), "consensus_params.evidence.max_age_num_blocks") <= 0)
            throw new GenesisException("consensus_params.evidence.max_age_num_blocks: must be positive");
        if (ParseInt(RequireString(evidence, "max_age_duration", "consensus_params.evidence.max_age_duration"), "consensus_params.evidence.max_age_duration") <= 0)
            throw new GenesisException("consensus_params.evidence.max_age_duration: must be positive");
        BigInteger evidenceBytes = ParseInt(RequireString(evidence, "max_bytes", "consensus_params.evidence.max_bytes"), "consensus_params.evidence.max_bytes");
        if (evidenceBytes < 0 || (maxBytes > 0 && evidenceBytes > maxBytes))
            throw new GenesisException("consensus_params.evidence.max_bytes: must be in 0..block.max_bytes");
        JsonArray types = RequireArray(RequireObject(consensus, "validator", "consensus_params.validator"), "pub_key_types", "consensus_params.validator.pub_key_types");
        if (types.Count == 0 || types.Any(t => (string?)t is not ("ed25519" or "secp256k1")))
            throw new GenesisException("consensus_params.validator.pub_key_types: must list ed25519 and/or secp256k1");
    }

    private void ValidateValidators()
    {
        JsonArray validators = RequireArray(Root, "validators", "validators");
        // CometBFT needs a set: its own list, or the one InitChain answers with (from gentxs or staking's genesis).
        bool hasGenTxs = Root["app_state"]?["genutil"]?["gen_txs"] is JsonArray { Count: > 0 };
        bool hasStakingValidators = Root["app_state"]?["staking"]?["validators"] is JsonArray { Count: > 0 };
        if (validators.Count == 0 && !hasGenTxs && !hasStakingValidators)
            throw new GenesisException("validators: none, and no gentxs or staking validators either (run `genesis gentx` and `genesis collect-gentxs`)");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < validators.Count; i++)
        {
            string field = $"validators[{i}]";
            JsonObject v = validators[i] as JsonObject ?? throw new GenesisException($"{field}: not an object");
            JsonObject publicKey = RequireObject(v, "pub_key", field + ".pub_key");
            if ((string?)publicKey["type"] != CometEd25519Key.PublicKeyType)
                throw new GenesisException($"{field}.pub_key.type: must be {CometEd25519Key.PublicKeyType}");
            byte[] key;
            try
            {
                key = CometEd25519Key.DecodeBase64((string?)publicKey["value"], field + ".pub_key.value");
            }
            catch (HomeException e)
            {
                throw new GenesisException(e.Message);
            }
            if (key.Length != Ed25519.PublicKeyLength)
                throw new GenesisException($"{field}.pub_key.value: must be {Ed25519.PublicKeyLength} bytes");
            string expected = Convert.ToHexString(Ed25519.Address(key));
            string address = (string?)v["address"] ?? "";
            if (address.Length > 0 && address != expected)
                throw new GenesisException($"{field}.address: {address} does not match its pub_key (expected {expected})");
            if (ParseInt(RequireString(v, "power", field + ".power"), field + ".power") <= 0)
                throw new GenesisException($"{field}.power: must be positive");
            if (!seen.Add(expected))
                throw new GenesisException($"{field}: duplicate validator {expected}");
        }
    }

    private void ValidateAppState()
    {
        JsonObject appState = AppState();
        JsonObject auth = RequireObject(appState, "auth", "app_state.auth");
        JsonObject authParams = RequireObject(auth, "params", "app_state.auth.params");
        foreach (string key in new[] { "max_memo_characters", "tx_sig_limit", "tx_size_cost_per_byte", "sig_verify_cost_secp256k1" })
            if (ParseUint(RequireString(authParams, key, "app_state.auth.params." + key), "app_state.auth.params." + key) == 0)
                throw new GenesisException($"app_state.auth.params.{key}: must be positive");

        var addresses = new HashSet<string>(StringComparer.Ordinal);
        var numbers = new HashSet<BigInteger>();
        JsonArray accounts = RequireArray(auth, "accounts", "app_state.auth.accounts");
        for (int i = 0; i < accounts.Count; i++)
        {
            string field = $"app_state.auth.accounts[{i}]";
            JsonObject account = accounts[i] as JsonObject ?? throw new GenesisException($"{field}: not an object");
            string? type = (string?)account["@type"];
            if (type == ModuleAccountType)
            {
                // An exported genesis holds the module accounts too (fee collector, ...): name + permissions around a BaseAccount.
                if (string.IsNullOrEmpty((string?)account["name"]))
                    throw new GenesisException($"{field}.name: a module account needs a name");
                field += ".base_account";
                account = RequireObject(account, "base_account", field);
            }
            else if (type != BaseAccountType)
                throw new GenesisException($"{field}.@type: must be {BaseAccountType} or {ModuleAccountType}");
            string address = CheckAddress(RequireString(account, "address", field + ".address"), field + ".address");
            if (!addresses.Add(address))
                throw new GenesisException($"{field}.address: duplicate account {address}");
            if (!numbers.Add(ParseUint(RequireString(account, "account_number", field + ".account_number"), field + ".account_number")))
                throw new GenesisException($"{field}.account_number: duplicate account number");
            ParseUint((string?)account["sequence"] ?? "0", field + ".sequence");
        }

        JsonObject bank = RequireObject(appState, "bank", "app_state.bank");
        RequireObject(bank, "params", "app_state.bank.params");
        JsonArray balances = RequireArray(bank, "balances", "app_state.bank.balances");
        var holders = new HashSet<string>(StringComparer.Ordinal);
        Coins total = Coins.Empty;
        for (int i = 0; i < balances.Count; i++)
        {
            string field = $"app_state.bank.balances[{i}]";
            JsonObject balance = balances[i] as JsonObject ?? throw new GenesisException($"{field}: not an object");
            string address = CheckAddress(RequireString(balance, "address", field + ".address"), field + ".address");
            if (!holders.Add(address))
                throw new GenesisException($"{field}.address: duplicate balance for {address}");
            total = total.Add(ReadCoins(RequireArray(balance, "coins", field + ".coins"), field + ".coins"));
        }
        Coins supply = ReadCoins(RequireArray(bank, "supply", "app_state.bank.supply"), "app_state.bank.supply");
        if (!supply.IsEmpty && !supply.Equals(total))
            throw new GenesisException($"app_state.bank.supply: {supply} does not equal the sum of balances {total}");
    }

    private JsonObject AppState() => RequireObject(Root, "app_state", "app_state");

    private static string CheckAddress(string bech32, string field)
    {
        if (CosmosAddress.Problem(bech32, AccountPrefix) is { } problem)
            throw new GenesisException($"{field}: '{bech32}' is not a {AccountPrefix} bech32 address: {problem}");
        return bech32;
    }

    private static JsonArray CoinsJson(Coins coins)
    {
        var array = new JsonArray();
        foreach (var c in coins.Items)
            array.Add(new JsonObject { ["denom"] = c.Denom, ["amount"] = c.Amount.ToString(CultureInfo.InvariantCulture) });
        return array;
    }

    /// <summary>Coins as genesis holds them: valid denoms, positive amounts, sorted, each denom once (the SDK's rules).</summary>
    private static Coins ReadCoins(JsonArray array, string field)
    {
        var coins = new List<ProtoCoin>();
        for (int i = 0; i < array.Count; i++)
        {
            JsonObject coin = array[i] as JsonObject ?? throw new GenesisException($"{field}[{i}]: not an object");
            coins.Add(new ProtoCoin { Denom = RequireString(coin, "denom", $"{field}[{i}].denom"), Amount = RequireString(coin, "amount", $"{field}[{i}].amount") });
        }
        try
        {
            return Coins.FromProto(coins);
        }
        catch (DePinChain.Sdk.SdkError e)
        {
            throw new GenesisException($"{field}: {e.Message}");
        }
    }

    /// <exception cref="GenesisException">Empty, or longer than CometBFT allows.</exception>
    public static void ValidateChainId(string chainId)
    {
        if (string.IsNullOrWhiteSpace(chainId))
            throw new GenesisException("chain_id: must not be empty");
        if (chainId.Length > MaxChainIdLength)
            throw new GenesisException($"chain_id: longer than {MaxChainIdLength} characters");
    }

    private static string FormatTime(DateTime utc) =>
        utc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static JsonObject RequireObject(JsonObject parent, string key, string field) =>
        parent[key] as JsonObject ?? throw new GenesisException($"{field}: missing or not an object");

    private static JsonArray RequireArray(JsonObject parent, string key, string field) =>
        parent[key] as JsonArray ?? throw new GenesisException($"{field}: missing or not an array");

    private static string RequireString(JsonObject parent, string key, string field)
    {
        JsonNode? node = parent[key];
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
            return value.GetValue<string>();
        throw new GenesisException($"{field}: missing or not a string");
    }

    private static BigInteger ParseInt(string text, string field)
    {
        if (text.Length == 0 || text.Length > 20 || !BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw new GenesisException($"{field}: '{text}' is not an integer");
        return value;
    }

    private static BigInteger ParseUint(string? text, string field)
    {
        if (string.IsNullOrEmpty(text) || !text.All(char.IsAsciiDigit) || text.Length > 20)
            throw new GenesisException($"{field}: '{text}' is not an unsigned integer");
        return BigInteger.Parse(text, CultureInfo.InvariantCulture);
    }
}
