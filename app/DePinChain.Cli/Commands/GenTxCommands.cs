using System.CommandLine;
using System.Text.Json.Nodes;
using DePinChain.App;
using DePinChain.Cli.Genesis;
using DePinChain.Cli.Home;
using DePinChain.Crypto;
using DePinChain.Sdk;
using static DePinChain.Cli.Commands.CommandHelpers;

namespace DePinChain.Cli.Commands;

/// <summary>`genesis gentx`, `genesis collect-gentxs` (simd's) and `comet show-validator|show-node-id|show-address`.</summary>
internal static class GenTxCommands
{
    public static Command GenTx(GlobalOptions g, CliContext context)
    {
        var key = Arg("key", "The operator's account key in the keyring (it signs, and the validator is its depinvaloper address)");
        var amount = Arg("amount", "Self-delegation, like 10000000udpin (power = amount / 10^6)");
        var chainId = new Option<string?>("--chain-id") { Description = "Chain ID (default: the genesis file's)" };
        var moniker = new Option<string?>("--moniker") { Description = "Validator name (default: config.toml's moniker)" };
        var rate = new Option<string>("--commission-rate") { Description = "Commission rate", DefaultValueFactory = _ => "0.1" };
        var maxRate = new Option<string>("--commission-max-rate") { Description = "Maximum commission rate, ever", DefaultValueFactory = _ => "0.2" };
        var maxChange = new Option<string>("--commission-max-change-rate") { Description = "Maximum commission change per day", DefaultValueFactory = _ => "0.01" };
        var minSelf = new Option<string>("--min-self-delegation") { Description = "Minimum self-delegation (below it the validator is jailed)", DefaultValueFactory = _ => "1" };
        var identity = new Option<string>("--identity") { Description = "Identity signature (ex. Keybase)", DefaultValueFactory = _ => "" };
        var website = new Option<string>("--website") { DefaultValueFactory = _ => "" };
        var contact = new Option<string>("--security-contact") { DefaultValueFactory = _ => "" };
        var details = new Option<string>("--details") { DefaultValueFactory = _ => "" };
        var ip = new Option<string>("--ip") { Description = "This node's public IP, for the memo NODE_ID@IP:PORT", DefaultValueFactory = _ => "127.0.0.1" };
        var p2pPort = new Option<int>("--p2p-port") { Description = "This node's P2P port, for the memo", DefaultValueFactory = _ => 26656 };
        var output = new Option<string?>("--output-document") { Description = "Write the gentx here instead of config/gentx/gentx-NODE_ID.json" };
        var command = new Command("gentx", "Sign this node's MsgCreateValidator for genesis (config/gentx/); collect-gentxs adds them to genesis.json")
            { key, amount, chainId, moniker, rate, maxRate, maxChange, minSelf, identity, website, contact, details, ip, p2pPort, output };
        command.SetAction(result =>
        {
            var home = new NodeHome(result.HomeOf(g));
            var bond = ParseCoins(result.GetValue(amount)!, "amount");
            var genesis = GenesisDocument.Load(home.Genesis);
            string chain = result.GetValue(chainId) ?? genesis.ChainId;
            if (chain != genesis.ChainId)
                throw new CliUsageException($"--chain-id {chain} differs from the genesis file's {genesis.ChainId}");
            var validator = CometEd25519Key.ReadKeyFile(home.PrivValidatorKey);
            var nodeKey = CometEd25519Key.ReadKeyFile(home.NodeKey);
            var keyring = result.OpenKeyring(g, context);
            var info = keyring.Get(result.GetValue(key)!);
            var signer = new TxSigner(keyring.GetPrivateKey(info.Name));
            string account = Bech32Address.ToBech32(signer.Address);
            var balance = genesis.BalanceOf(account);
            foreach (var coin in bond.ToProto())
                if (balance.AmountOf(coin.Denom) < System.Numerics.BigInteger.Parse(coin.Amount, System.Globalization.CultureInfo.InvariantCulture))
                    throw new CliException($"account {account} has {balance} in genesis, not enough for the self-delegation {bond} (genesis add-account first)");
            string name = result.GetValue(moniker) ?? MonikerOf(home) ?? info.Name;
            Protos.Cosmos.Tx.V1Beta1.Tx gentx;
            try
            {
                gentx = GenTxs.Create(chain, signer, validator.PublicKey, bond, new GenTxOptions
                {
                    Moniker = name,
                    CommissionRate = result.GetValue(rate)!, CommissionMaxRate = result.GetValue(maxRate)!,
                    CommissionMaxChangeRate = result.GetValue(maxChange)!, MinSelfDelegation = result.GetValue(minSelf)!,
                    Identity = result.GetValue(identity)!, Website = result.GetValue(website)!,
                    SecurityContact = result.GetValue(contact)!, Details = result.GetValue(details)!,
                    Memo = $"{nodeKey.NodeId}@{result.GetValue(ip)}:{result.GetValue(p2pPort)}",
                });
            }
            catch (GenesisException e)
            {
                throw new CliUsageException(e.Message);
            }
            string path;
            if (result.GetValue(output) is { } file)
            {
                File.WriteAllText(file, Rpc.TxJson.Format(gentx) + "\n");
                path = Path.GetFullPath(file);
            }
            else path = GenTxs.Write(home, nodeKey.NodeId, gentx);
            if (result.Json(g))
                context.WriteJson(new JsonObject { ["gentx"] = path, ["validator"] = ValidatorAddress.ToOperatorBech32(signer.Address), ["moniker"] = name });
            else
                context.Out.WriteLine($"Genesis transaction written to \"{path}\"");
            return 0;
        });
        return command;
    }

    public static Command CollectGenTxs(GlobalOptions g, CliContext context)
    {
        var dir = new Option<string?>("--gentx-dir") { Description = "Directory of gentx files (default: HOME/config/gentx)" };
        var command = new Command("collect-gentxs", "Put every gentx into genesis.json (app_state.genutil.gen_txs); staking's set replaces its validators list") { dir };
        command.SetAction(result =>
        {
            var home = new NodeHome(result.HomeOf(g));
            var genesis = GenesisDocument.Load(home.Genesis);
            var monikers = GenTxs.Collect(genesis, result.GetValue(dir) ?? GenTxs.Directory(home));
            genesis.Validate();
            genesis.Save(home.Genesis);
            if (result.Json(g))
                context.WriteJson(new JsonObject { ["genesis"] = home.Genesis, ["validators"] = new JsonArray(monikers.Select(m => (JsonNode)JsonValue.Create(m)).ToArray()) });
            else
                context.Out.WriteLine($"Collected {monikers.Count} gentx(s) ({string.Join(", ", monikers)}) into {home.Genesis}");
            return 0;
        });
        return command;
    }

    public static Command Comet(GlobalOptions g, CliContext context)
    {
        var showValidator = new Command("show-validator", "Print this node's consensus public key as MsgCreateValidator's pubkey takes it ({\"@type\":\"/cosmos.crypto.ed25519.PubKey\",\"key\":…})");
        showValidator.SetAction(result =>
        {
            var key = CometEd25519Key.ReadKeyFile(new NodeHome(result.HomeOf(g)).PrivValidatorKey);
            context.Out.WriteLine(new JsonObject { ["@type"] = "/cosmos.crypto.ed25519.PubKey", ["key"] = Convert.ToBase64String(key.PublicKey) }.ToJsonString());
            return 0;
        });
        var showAddress = new Command("show-address", "Print this node's consensus address (depinvalcons1…)");
        showAddress.SetAction(result =>
        {
            var key = CometEd25519Key.ReadKeyFile(new NodeHome(result.HomeOf(g)).PrivValidatorKey);
            context.Out.WriteLine(ValidatorAddress.ToConsensusBech32(key.AddressBytes));
            return 0;
        });
        var showNodeId = new Command("show-node-id", "Print this node's ID (from config/node_key.json)");
        showNodeId.SetAction(result =>
        {
            context.Out.WriteLine(CometEd25519Key.ReadKeyFile(new NodeHome(result.HomeOf(g)).NodeKey).NodeId);
            return 0;
        });
        return new Command("comet", "This node's CometBFT keys, in the SDK's forms") { showValidator, showAddress, showNodeId };
    }

    private static string? MonikerOf(NodeHome home)
    {
        if (!File.Exists(home.ConfigToml)) return null;
        foreach (string line in File.ReadLines(home.ConfigToml))
        {
            string t = line.Trim();
            if (!t.StartsWith("moniker", StringComparison.Ordinal)) continue;
            int eq = t.IndexOf('=');
            if (eq < 0) continue;
            string value = t[(eq + 1)..].Trim().Trim('"');
            return value.Length > 0 ? value : null;
        }
        return null;
    }
}
