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
        var proxyApp = new Option<string?>("--proxy-app")
        {
            Description = "Address the app listens on and CometBFT dials (default 127.0.0.1:26658, or unix:///absolute/path); " +
                          "written as tcp://host:port for socket and as host:port for grpc, the form CometBFT's gRPC client dials",
        };

        var command = new Command("init", "Create a node home (CometBFT config, keys, genesis, app.toml)") { moniker, chainId, overwrite, transport, proxyApp };
        command.SetAction(result =>
        {
            var home = new NodeHome(result.HomeOf(g));
            string id = result.GetValue(chainId)!;
            try
            {
                GenesisDocument.ValidateChainId(id);
            }
            catch (GenesisException e)
            {
                throw new CliUsageException($"--chain-id: {e.Message}");
            }
            AbciTransport abci = AppConfig.ParseTransport(result.GetValue(transport)!);
            string address;
            try
            {
                address = AbciPairing.ProxyAppFor(abci, result.GetValue(proxyApp) ?? AppConfig.DefaultAbciAddress);
            }
            catch (FormatException e)
            {
                throw new CliUsageException($"--proxy-app: {e.Message}");
            }
            var comet = new CometConfig { Moniker = result.GetValue(moniker)!, ProxyApp = address, AbciTransport = AppConfig.FormatTransport(abci) };
            var app = new AppConfig { AbciAddress = address, AbciTransport = abci, MinimumGasPrices = "0udpin", IavlFormat = AppConfig.NewHomeIavlFormat };
            var init = home.Initialize(comet, app, id, result.GetValue(overwrite));
            if (result.Json(g))
                context.WriteJson(new JsonObject
                {
                    ["moniker"] = comet.Moniker,
                    ["chain_id"] = id,
                    ["node_id"] = init.NodeKey.NodeId,
                    ["validator_address"] = init.Validator.Address,
                    ["home"] = home.Root,
                    ["abci"] = comet.AbciTransport,
                    ["proxy_app"] = comet.ProxyApp,
                });
            else
                context.Out.WriteLine($"Initialized {home.Root} (chain {id}, node ID {init.NodeKey.NodeId}, validator {init.Validator.Address}, ABCI {comet.AbciTransport} at {comet.ProxyApp})");
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
            byte[] bytes = AccountOf(result, g, context, result.GetValue(address)!);
            var amount = ParseCoins(result.GetValue(coins)!, "coins");
            var genesis = GenesisDocument.Load(home.Genesis);
            genesis.AddAccount(bytes, amount);
            genesis.Validate();
            genesis.Save(home.Genesis);
            string account = CosmosAddress.ToBech32(bytes, GenesisDocument.AccountPrefix);
            if (result.Json(g))
                context.WriteJson(new JsonObject
                {
                    ["address"] = account,
                    ["coins"] = new JsonArray(amount.ToProto().Select(c => (JsonNode)new JsonObject { ["denom"] = c.Denom, ["amount"] = c.Amount }).ToArray()),
                    ["genesis"] = home.Genesis,
                });
            else
                context.Out.WriteLine($"Added {account} with {amount} to {home.Genesis}");
            return 0;
        });

        var authority = Arg("address", "Account: a depin1… address or a key name in the keyring");
        var setAuthority = new Command("set-authority",
            "Make an account the authority of every module with one (devices, coverage, mint, datacredits, rewards: params.authority) in config/genesis.json") { authority };
        setAuthority.SetAction(result =>
        {
            var home = new NodeHome(result.HomeOf(g));
            byte[] bytes = AccountOf(result, g, context, result.GetValue(authority)!);
            var genesis = GenesisDocument.Load(home.Genesis);
            genesis.SetAuthority(bytes);
            genesis.Validate();
            genesis.Save(home.Genesis);
            string account = CosmosAddress.ToBech32(bytes, GenesisDocument.AccountPrefix);
            if (result.Json(g))
                context.WriteJson(new JsonObject
                {
                    ["authority"] = account,
                    ["modules"] = new JsonArray(GenesisDocument.AuthorityModules.Select(m => (JsonNode)JsonValue.Create(m)).ToArray()),
                    ["genesis"] = home.Genesis,
                });
            else
                context.Out.WriteLine($"Set {account} as the authority of {string.Join(", ", GenesisDocument.AuthorityModules)} in {home.Genesis}");
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
            if (result.Json(g))
                context.WriteJson(new JsonObject { ["file"] = Path.GetFullPath(path), ["valid"] = true, ["chain_id"] = genesis.ChainId });
            else
                context.Out.WriteLine($"{path} is a valid genesis for chain {genesis.ChainId}");
            return 0;
        });

        return new Command("genesis", "Edit and check the genesis file")
            { addAccount, setAuthority, validate, GenTxCommands.GenTx(g, context), GenTxCommands.CollectGenTxs(g, context) };
    }

    /// <summary>
    /// A depin1… address or a key name in the keyring; anything else is a usage error (exit 2) that says why, e.g. "bad
    /// checksum" for a mistyped depin1… address.
    /// </summary>
    private static byte[] AccountOf(ParseResult result, GlobalOptions g, CliContext context, string text)
    {
        const string prefix = GenesisDocument.AccountPrefix;
        if (CosmosAddress.Problem(text, prefix) is not { } problem)
            return CosmosAddress.Parse(text, prefix);
        if (text.Contains('1', StringComparison.Ordinal) && TryDecodeBech32(text, out string? hrp) && hrp != prefix)
            throw new CliUsageException($"'{text}' is a {hrp} address; expected prefix {prefix}");
        // Text that starts like our addresses is reported as one (a key may still have such a name).
        bool looksLikeAddress = text.StartsWith(prefix + "1", StringComparison.OrdinalIgnoreCase);
        if (!DirectoryKeyring.IsValidName(text))
            throw new CliUsageException(looksLikeAddress
                ? $"'{text}' is not a valid {prefix}1… address: {problem}"
                : $"'{text}' is neither a {prefix}1… address nor a key name");
        var keyring = result.OpenKeyring(g, context);
        if (keyring.Exists(text))
            return CosmosAddress.Parse(keyring.Get(text).Address, prefix);
        throw new CliUsageException(looksLikeAddress
            ? $"'{text}' is not a valid {prefix}1… address ({problem}) nor a key in the {keyring.Backend} keyring"
            : $"'{text}' is neither a valid {prefix}1… address nor a key in the {keyring.Backend} keyring");
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
            if (Home.Testnet.SizeProblem(result.GetValue(validators), result.GetValue(startingPort)) is { } problem)
                throw new CliUsageException(problem);
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
                        ["p2p_port"] = n.P2pPort, ["rpc_port"] = n.RpcPort, ["abci_port"] = n.AbciPort, ["grpc_port"] = n.GrpcPort, ["api_port"] = n.ApiPort, ["explorer_port"] = n.ExplorerPort,
                        ["validator_address"] = n.ValidatorAddress, ["account"] = n.ValidatorKeyAddress,
                    });
                context.WriteJson(array);
            }
            else
            {
                foreach (var n in nodes)
                    context.Out.WriteLine($"{n.Name}: home {n.Home}, rpc http://127.0.0.1:{n.RpcPort}, p2p {n.P2pPort}, abci {n.AbciPort}, grpc 127.0.0.1:{n.GrpcPort}, rest http://127.0.0.1:{n.ApiPort}, explorer http://127.0.0.1:{n.ExplorerPort}, node ID {n.NodeId}");
                context.Out.WriteLine($"Keys and mnemonics: {Path.Combine(Path.GetFullPath(result.GetValue(output)!), "keys.txt")}");
            }
            return 0;
        });
        return new Command("testnet", "Multi-validator local network files") { initFiles };
    }
}
