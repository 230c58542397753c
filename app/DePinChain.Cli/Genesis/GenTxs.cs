using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using DePinChain.App;
using DePinChain.Cli.Home;
using DePinChain.Cli.Rpc;
using DePinChain.Protos.Cosmos.Staking.V1Beta1;
using DePinChain.Protos.Cosmos.Tx.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;
using Any = Google.Protobuf.WellKnownTypes.Any;
using Ed25519PubKey = DePinChain.Protos.Cosmos.Crypto.Ed25519.PubKey;
using ProtoCoin = DePinChain.Protos.Cosmos.Base.V1Beta1.Coin;

namespace DePinChain.Cli.Genesis;

/// <summary>What a validator declares in its gentx (simd's `genesis gentx` flags).</summary>
public sealed record GenTxOptions
{
    public required string Moniker { get; init; }
    public string CommissionRate { get; init; } = "0.1";
    public string CommissionMaxRate { get; init; } = "0.2";
    public string CommissionMaxChangeRate { get; init; } = "0.01";
    public string MinSelfDelegation { get; init; } = "1";
    public string Identity { get; init; } = "";
    public string Website { get; init; } = "";
    public string SecurityContact { get; init; } = "";
    public string Details { get; init; } = "";
    /// <summary>The memo: how peers reach this node, "NODE_ID@IP:PORT" (simd writes the same).</summary>
    public string Memo { get; init; } = "";
}

/// <summary>
/// Genesis transactions as the SDK's x/genutil makes them: each validator signs a MsgCreateValidator with its account key
/// (account number 0, sequence 0, no fee: the chain has not numbered accounts yet), files it under config/gentx/, and
/// `collect-gentxs` puts every file into <c>app_state.genutil.gen_txs</c>. InitChain delivers them, and staking's
/// resulting set is the one CometBFT starts with, so genesis.json's own "validators" list is emptied.
/// </summary>
public static class GenTxs
{
    public const ulong GasLimit = 200_000;

    public static string Directory(NodeHome home) => Path.Combine(home.ConfigDirectory, "gentx");

    /// <summary>A signed gentx: <paramref name="signer"/>'s account creates a validator with <paramref name="consensusKey"/> and bonds <paramref name="selfBond"/>.</summary>
    /// <exception cref="GenesisException">A rate or amount that does not parse, or a message the chain would refuse.</exception>
    public static Tx Create(string chainId, TxSigner signer, byte[] consensusKey, Coins selfBond, GenTxOptions options)
    {
        var coins = selfBond.ToProto().ToList();
        if (coins.Count != 1) throw new GenesisException($"self-delegation must be one coin, got {selfBond}");
        var coin = coins[0];
        var msg = new MsgCreateValidator
        {
            Description = new Description
            {
                Moniker = options.Moniker, Identity = options.Identity, Website = options.Website,
                SecurityContact = options.SecurityContact, Details = options.Details,
            },
            Commission = new CommissionRates
            {
                Rate = Dec(options.CommissionRate, "--commission-rate"),
                MaxRate = Dec(options.CommissionMaxRate, "--commission-max-rate"),
                MaxChangeRate = Dec(options.CommissionMaxChangeRate, "--commission-max-change-rate"),
            },
            MinSelfDelegation = Int(options.MinSelfDelegation, "--min-self-delegation"),
            ValidatorAddress = ValidatorAddress.ToOperatorBech32(signer.Address),
            Pubkey = Any.Pack(new Ed25519PubKey { Key = ByteString.CopyFrom(consensusKey) }, ""),
            Value = new ProtoCoin { Denom = coin.Denom, Amount = coin.Amount },
        };
        var body = new TxBody { Memo = options.Memo, Messages = { Any.Pack(msg, "") } };
        var fee = new Fee { GasLimit = GasLimit };
        return Commands.TxPipeline.SignWith(signer, body, fee, chainId, accountNumber: 0, sequence: 0);
    }

    /// <summary>Writes the gentx as config/gentx/gentx-NODE_ID.json; returns the path.</summary>
    public static string Write(NodeHome home, string nodeId, Tx gentx)
    {
        System.IO.Directory.CreateDirectory(Directory(home));
        string path = Path.Combine(Directory(home), $"gentx-{nodeId}.json");
        File.WriteAllText(path, TxJson.Format(gentx) + "\n");
        return path;
    }

    /// <summary>
    /// Puts every gentx file of <paramref name="gentxDirectory"/> (sorted by name) into the genesis and empties its
    /// "validators"; each must be one MsgCreateValidator whose operator has an account in genesis holding the bond.
    /// Returns the validators' monikers in order.
    /// </summary>
    /// <exception cref="GenesisException">No gentx, or one that does not parse or cannot be paid.</exception>
    public static IReadOnlyList<string> Collect(GenesisDocument genesis, string gentxDirectory)
    {
        if (!System.IO.Directory.Exists(gentxDirectory))
            throw new GenesisException($"{gentxDirectory} does not exist: run `genesis gentx` first");
        var files = System.IO.Directory.GetFiles(gentxDirectory, "*.json").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new GenesisException($"no gentx files in {gentxDirectory}");
        var txs = new JsonArray();
        var monikers = new List<string>();
        var pubkeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (string file in files)
        {
            string name = Path.GetFileName(file);
            Tx tx;
            try { tx = TxJson.ParseTx(File.ReadAllText(file), name); }
            catch (Commands.CliException e) { throw new GenesisException(e.Message); }
            if (tx.Body?.Messages.Count != 1 || !tx.Body.Messages[0].TryUnpack(out MsgCreateValidator msg))
                throw new GenesisException($"{name}: a gentx holds exactly one /cosmos.staking.v1beta1.MsgCreateValidator");
            string account;
            try { account = Bech32Address.ToBech32(ValidatorAddress.ParseOperator(msg.ValidatorAddress)); }
            catch (SdkError e) { throw new GenesisException($"{name}: {e.Message}"); }
            string key = msg.Pubkey?.Value.ToBase64() ?? "";
            if (!pubkeys.Add(key)) throw new GenesisException($"{name}: a second gentx for the same consensus key");
            BigInteger bond = BigInteger.Parse(msg.Value?.Amount ?? "0", CultureInfo.InvariantCulture);
            BigInteger balance = genesis.BalanceOf(account).AmountOf(msg.Value?.Denom ?? "");
            if (balance < bond)
                throw new GenesisException($"{name}: account {account} has {balance}{msg.Value?.Denom} in genesis, less than the self-delegation {bond}{msg.Value?.Denom}");
            txs.Add(JsonNode.Parse(TxJson.Format(tx)));
            monikers.Add(msg.Description?.Moniker ?? "");
        }
        var appState = genesis.Root["app_state"] as JsonObject ?? throw new GenesisException("app_state: missing");
        appState[GenesisTxs.Section] = new JsonObject { ["gen_txs"] = txs };
        // Staking decides the set now; CometBFT takes it from InitChain's answer when its own list is empty.
        genesis.Root["validators"] = new JsonArray();
        return monikers;
    }

    private static string Dec(string text, string flag)
        => LegacyDec.TryParse(text, out var value) && !value.IsNegative
            ? value.ToWire()
            : throw new GenesisException($"{flag}: \"{text}\" is not a non-negative decimal with at most {LegacyDec.Precision} decimals");

    private static string Int(string text, string flag)
    {
        try { return Amounts.Format(Amounts.Parse(text, flag)); }
        catch (FormatException e) { throw new GenesisException(e.Message); }
    }
}
