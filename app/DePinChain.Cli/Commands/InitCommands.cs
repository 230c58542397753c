using System.CommandLine;
using System.Text.Json.Nodes;
using DePinChain.Cli.Genesis;
using DePinChain.Cli.Home;
using DePinChain.Crypto;
using DePinChain.Crypto.Keyring;
using static DePinChain.Cli.Commands.CommandHelpers;

namespace DePinChain.Cli.Commands;

/// <summary>init, genesis add-account/validate, show-node-id, show-validator, testnet init-files.</summary>
internal static class InitCommands
{
    public static Command Init(GlobalOptions g, CliContext context)
    {
        var moniker = Arg("moniker", "Human-readable name of this node");
        var chainId = new Option<string>("--chain-id") { Description = "Chain ID of the new genesis", Required = true };
        var overwrite = Flag("--overwrite", "Replace an existing home's config, keys and genesis");
        var transport = new Option<string>("--abci") { Description = "ABCI transport between CometBFT and the app: socket or grpc", DefaultValueFactory = _ => "socket" };
        transport.AcceptOnlyFromAmong("socket", "grpc");
        var proxyApp = new Option<string>("--proxy-app") { Description = "Address the app listens on and CometBFT dials", DefaultValueFactory = _ => "tcp://127.0.0.1:26658" };

        var command = new Command("init", "Create a node home (CometBFT config, keys, genesis, app.toml)") { moniker, chainId, overwrite, transport, proxyApp };
        command.SetAction(result =>
        {
            var home = new NodeHome(result.HomeOf(g));
            string id = result.GetValue(chainId)!;
            var comet = new CometConfig { Moniker = result.GetValue(moniker)!, ProxyApp = result.GetValue(proxyApp)!, AbciTransport = result.GetValue(transport)! };
            var app = new AppConfig { AbciAddress = comet.ProxyApp, AbciTransport = AppConfig.ParseTransport(comet.AbciTransport), MinimumGasPrices = "0udpin" };
            var init = home.Initialize(comet, app, id, result.GetValue(overwrite));
            if (result.Json(g))
                context.WriteJson(new JsonObject
                {
                    ["moniker"] = comet.Moniker,
                    ["chain_id"] = id,
                    ["node_id"] = init.NodeKey.NodeId,
                    ["validator_address"] = init.Validator.Address,
                    ["home"] = home.Root,
                });
            else
                context.Out.WriteLine($"Initialized {home.Root} (chain {id}, node ID {init.NodeKey.NodeId}, validator {init.Validator.Address})");
            return 0;
        });
        return command;
    }

    public static Command Genesis(GlobalOptions g, CliContext context)
    {
        var address = Arg("address", "Account: a depin1… address or a key name in the keyring");
        var coins = Arg("coins", "Initial balance, like 1000udpin,5stake");
        var addAccount = new Command("add-account", "Add a funded account to config/genesis.json") { address, coins };
        addAccount.SetAction(result =>
        {
            var home = new NodeHome(result.HomeOf(g));
            var genesis = GenesisDocument.Load(home.Genesis);
            string who = result.GetValue(address)!;
            byte[] bytes = CosmosAddress.TryParse(who, GenesisDocument.AccountPrefix, out byte[] parsed)
                ? parsed
                : ResolveKey(result, g, context, who);
            var amount = ParseCoins(result.GetValue(coins)!, "coins");
            genesis.AddAccount(bytes, amount);
            genesis.Validate();
            genesis.Save(home.Genesis);
            context.Out.WriteLine($"Added {CosmosAddress.ToBech32(bytes, GenesisDocument.AccountPrefix)} with {amount} to {home.Genesis}");
            return 0;
        });

        var authority = Arg("address", "Account: a depin1… address or a key name in the keyring");
        var setAuthority = new Command("set-authority",
            "Make an account the authority of the mint, datacredits and rewards modules (params.authority) in config/genesis.json") { authority };
        setAuthority.SetAction(result =>
        {
            var home = new NodeHome(result.HomeOf(g));
            var genesis = GenesisDocument.Load(home.Genesis);
            string who = result.GetValue(authority)!;
            byte[] bytes = CosmosAddress.TryParse(who, GenesisDocument.AccountPrefix, out byte[] parsed)
                ? parsed
                : ResolveKey(result, g, context, who);
            genesis.SetAuthority(bytes);
            genesis.Validate();
            genesis.Save(home.Genesis);
            context.Out.WriteLine($"Set {CosmosAddress.ToBech32(bytes, GenesisDocument.AccountPrefix)} as the authority of {string.Join(", ", GenesisDocument.AuthorityModules)} in {home.Genesis}");
            return 0;
        });

        var validate = new Command("validate", "Check config/genesis.json (or FILE): JSON shape, chain ID, validators, app_state");
        var file = new Argument<string?>("file") { Description = "Genesis file (default: HOME/config/genesis.json)", Arity = ArgumentArity.ZeroOrOne };
        validate.Arguments.Add(file);
        validate.SetAction(result =>
        {
            string path = result.GetValue(file) ?? new NodeHome(result.HomeOf(g)).Genesis;
            var genesis = GenesisDocument.Load(path);
            genesis.Validate();
            context.Out.WriteLine($"{path} is a valid genesis for chain {genesis.ChainId}");
            return 0;
        });

        return new Command("genesis", "Edit and check the genesis file") { addAccount, setAuthority, validate };
    }

    private static byte[] ResolveKey(ParseResult result, GlobalOptions g, CliContext context, string name)
    {
        if (name.Contains('1', StringComparison.Ordinal) && TryDecodeBech32(name, out string? prefix))
            throw new CliException($"'{name}' is a {prefix} address; expected prefix {GenesisDocument.AccountPrefix}");
        if (!DirectoryKeyring.IsValidName(name))
            throw new CliException($"'{name}' is neither a {GenesisDocument.AccountPrefix}1… address nor a key name");
        var keyring = result.OpenKeyring(g, context);
        if (!keyring.Exists(name))
            throw new CliException($"'{name}' is neither a valid {GenesisDocument.AccountPrefix}1… address nor a key in the {keyring.Backend} keyring");
        return CosmosAddress.Parse(keyring.Get(name).Address, GenesisDocument.AccountPrefix);
    }

    private static bool TryDecodeBech32(string text, out string? prefix)
    {
        try
        {
            prefix = Bech32.Decode(text).Hrp;
            return true;
        }
        catch (FormatException)
        {
            prefix = null;
            return false;
        }
        catch (ArgumentException)
        {
            prefix = null;
            return false;
        }
    }

    public static Command ShowNodeId(GlobalOptions g, CliContext context)
    {
        var command = new Command("show-node-id", "Print this node's ID (from config/node_key.json), as `cometbft show-node-id` does");
        command.SetAction(result =>
        {
            context.Out.WriteLine(CometEd25519Key.ReadKeyFile(new NodeHome(result.HomeOf(g)).NodeKey).NodeId);
            return 0;
        });
        return command;
    }

    public static Command ShowValidator(GlobalOptions g, CliContext context)
    {
        var command = new Command("show-validator", "Print this node's validator public key, as `cometbft show-validator` does");
        command.SetAction(result =>
        {
            context.Out.WriteLine(CometEd25519Key.ReadKeyFile(new NodeHome(result.HomeOf(g)).PrivValidatorKey).ShowValidator());
            return 0;
        });
        return command;
    }

    public static Command Testnet(GlobalOptions g, CliContext context)
    {
        var validators = new Option<int>("--validators", "-n") { Description = "Number of validator nodes", DefaultValueFactory = _ => 4 };
        var output = new Option<string>("--output-dir") { Description = "Directory for node0..nodeN-1, keys.txt and nodes.txt", DefaultValueFactory = _ => "./localnet-files" };
        var startingPort = new Option<int>("--starting-port") { Description = "First port; node i uses P+10i (p2p), +1 (rpc), +2 (abci)", DefaultValueFactory = _ => 26656 };
        var chainId = new Option<string>("--chain-id") { Description = "Chain ID", DefaultValueFactory = _ => "depinchain-localnet" };
        var transport = new Option<string>("--abci") { Description = "ABCI transport: socket or grpc", DefaultValueFactory = _ => "socket" };
        transport.AcceptOnlyFromAmong("socket", "grpc");
        var overwrite = Flag("--overwrite", "Delete a non-empty output directory first");
        var authority = new Option<string?>("--authority") { Description = "A user key (alice, bob, carol) to make the authority of devices, coverage, datacredits, rewards and mint" };
        var shortEpochs = Flag("--short-epochs", "Fleet-friendly params: 30-block epochs, 10-block beacon interval, 20-block entropy and 90-block reciprocity windows");

        var initFiles = new Command("init-files", "Write N validator homes on 127.0.0.1 with one shared genesis and funded keys")
            { validators, output, startingPort, chainId, transport, overwrite, authority, shortEpochs };
        initFiles.SetAction(result =>
        {
            var nodes = Home.Testnet.InitFiles(new TestnetOptions
            {
                Validators = result.GetValue(validators),
                OutputDirectory = result.GetValue(output)!,
                StartingPort = result.GetValue(startingPort),
                ChainId = result.GetValue(chainId)!,
                AbciTransport = result.GetValue(transport)!,
                Overwrite = result.GetValue(overwrite),
                KeyringCost = context.KeyringCost,
                AuthorityKey = result.GetValue(authority),
                ShortEpochs = result.GetValue(shortEpochs),
            });
            if (result.Json(g))
            {
                var array = new JsonArray();
                foreach (var n in nodes)
                    array.Add(new JsonObject
                    {
                        ["name"] = n.Name, ["home"] = n.Home, ["node_id"] = n.NodeId,
                        ["p2p_port"] = n.P2pPort, ["rpc_port"] = n.RpcPort, ["abci_port"] = n.AbciPort,
                        ["validator_address"] = n.ValidatorAddress, ["account"] = n.ValidatorKeyAddress,
                    });
                context.WriteJson(array);
            }
            else
            {
                foreach (var n in nodes)
                    context.Out.WriteLine($"{n.Name}: home {n.Home}, rpc http://127.0.0.1:{n.RpcPort}, p2p {n.P2pPort}, abci {n.AbciPort}, node ID {n.NodeId}");
                context.Out.WriteLine($"Keys and mnemonics: {Path.Combine(Path.GetFullPath(result.GetValue(output)!), "keys.txt")}");
            }
            return 0;
        });
        return new Command("testnet", "Multi-validator local network files") { initFiles };
    }
}
