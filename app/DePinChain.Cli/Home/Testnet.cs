using System.Globalization;
using System.Text;
using DePinChain.Cli.Genesis;
using DePinChain.Crypto;
using DePinChain.Crypto.Keyring;

namespace DePinChain.Cli.Home;

/// <summary>Ports of one localnet node: a block of 10 from the starting port (p2p, rpc, abci at +0, +1, +2).</summary>
public sealed record TestnetNode(string Name, string Home, string NodeId, int P2pPort, int RpcPort, int AbciPort, int GrpcPort, string ValidatorAddress, string ValidatorKeyAddress, int ApiPort, int ExplorerPort);

public sealed record TestnetOptions
{
    public required int Validators { get; init; }
    public required string OutputDirectory { get; init; }
    public string ChainId { get; init; } = "depinchain-localnet";
    public int StartingPort { get; init; } = 26656;
    public string AbciTransport { get; init; } = "socket";
    public string Denom { get; init; } = "udpin";
    public bool Overwrite { get; init; }
    /// <summary>Funded user keys, present in every node's keyring-test.</summary>
    public IReadOnlyList<string> UserKeys { get; init; } = ["alice", "bob", "carol"];
    public ScryptParameters? KeyringCost { get; init; }
    /// <summary>One of <see cref="UserKeys"/>: the authority of devices, coverage, datacredits, rewards and mint (a simulated fleet adds its maker and routers with it).</summary>
    public string? AuthorityKey { get; init; }
    /// <summary>Short epochs, beacon intervals and windows (<see cref="Fleet.Sim.FleetChainParams"/>), so a fleet's rewards show within minutes.</summary>
    public bool ShortEpochs { get; init; }
}

/// <summary>
/// `testnet init-files`: N validator homes on 127.0.0.1 sharing one genesis. Every node has a funded account key
/// `validator` in its keyring-test whose gentx (OUTPUT/gentx/) bonds 10 DPIN to the node's consensus key: power 10
/// each, from staking. The user keys are funded too and copied into every node's keyring. All mnemonics go to
/// OUTPUT/keys.txt (throw-away localnet keys).
/// </summary>
public static class Testnet
{
    public const int PortsPerNode = 10;
    /// <summary>Each validator's self-delegation in the bond denom: power 10 (power = tokens / 10^6).</summary>
    public static readonly string ValidatorBond = "10000000";
    public static readonly string ValidatorFunds = "1000000000000";
    public static readonly string UserFunds = "1000000000";

    /// <summary>Why <paramref name="validators"/> nodes from <paramref name="startingPort"/> cannot be laid out, or null.</summary>
    public static string? SizeProblem(int validators, int startingPort)
    {
        if (validators is < 1 or > 100)
            return $"--validators must be between 1 and 100, got {validators}";
        if (startingPort < 1024 || startingPort + validators * PortsPerNode > 65535)
            return $"--starting-port {startingPort} leaves no room for {validators} nodes below 65535 (10 ports each)";
        return null;
    }

    public static IReadOnlyList<TestnetNode> InitFiles(TestnetOptions options)
    {
        if (SizeProblem(options.Validators, options.StartingPort) is { } problem)
            throw new HomeException(problem);
        AbciTransport transport = AppConfig.ParseTransport(options.AbciTransport);
        string output = Path.GetFullPath(options.OutputDirectory);
        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
        {
            if (!options.Overwrite)
                throw new HomeException($"{output} is not empty; pass --overwrite to replace it");
            Directory.Delete(output, recursive: true);
        }
        Directory.CreateDirectory(output);

        var keysText = new StringBuilder("# Throw-away localnet keys (keyring-test in every node home). Never use them elsewhere.\n");
        var genesisTime = DateTime.UtcNow;
        var nodes = new List<(string Name, NodeHome Home, CometEd25519Key Validator, CometEd25519Key NodeKey, NewKey Account, int Base)>();
        var userKeys = options.UserKeys.Select(_ => (string?)null).ToArray();

        for (int i = 0; i < options.Validators; i++)
        {
            string name = $"node{i}";
            var home = new NodeHome(Path.Combine(output, name));
            var keyring = DirectoryKeyring.Open("test", home.Root, cost: options.KeyringCost);
            NewKey account = keyring.Add("validator");
            for (int u = 0; u < options.UserKeys.Count; u++)
                userKeys[u] = keyring.Add(options.UserKeys[u], userKeys[u]).Mnemonic;
            nodes.Add((name, home, CometEd25519Key.Generate(), CometEd25519Key.Generate(), account, options.StartingPort + i * PortsPerNode));
            keysText.Append(CultureInfo.InvariantCulture, $"{name} validator {account.Info.Address} {account.Mnemonic}\n");
        }

        // The validator set comes from gentxs, as on a simd chain: each node's account bonds ValidatorBond (power 10) with
        // its node's consensus key; InitChain gives CometBFT the set staking makes of them.
        var genesis = GenesisDocument.Create(options.ChainId, genesisTime, []);
        foreach (var node in nodes)
            genesis.AddAccount(CosmosAddress.Parse(node.Account.Info.Address, GenesisDocument.AccountPrefix),
                DePinChain.Sdk.Coins.Parse(ValidatorFunds + options.Denom));
        var firstKeyring = DirectoryKeyring.Open("test", nodes[0].Home.Root);
        for (int u = 0; u < options.UserKeys.Count; u++)
        {
            KeyInfo user = firstKeyring.Get(options.UserKeys[u]);
            genesis.AddAccount(CosmosAddress.Parse(user.Address, GenesisDocument.AccountPrefix), DePinChain.Sdk.Coins.Parse(UserFunds + options.Denom));
            keysText.Append(CultureInfo.InvariantCulture, $"all {options.UserKeys[u]} {user.Address} {userKeys[u]}\n");
        }
        if (options.AuthorityKey is not null || options.ShortEpochs)
        {
            string? authority = null;
            if (options.AuthorityKey is { } key)
            {
                if (!options.UserKeys.Contains(key))
                    throw new HomeException($"--authority must be one of the funded user keys ({string.Join(", ", options.UserKeys)}), got '{key}'");
                authority = firstKeyring.Get(key).Address;
            }
            Fleet.Sim.FleetGenesis.Apply((System.Text.Json.Nodes.JsonObject)genesis.Root["app_state"]!, authority, options.ShortEpochs ? new Fleet.Sim.FleetChainParams() : null);
        }
        if (options.ShortEpochs)
        {
            // Liveness a localnet test can watch: a 20-block signing window (10 must be signed) and a 60 s jail (the SDK's shortest).
            ((System.Text.Json.Nodes.JsonObject)genesis.Root["app_state"]!)["slashing"] = System.Text.Json.Nodes.JsonNode.Parse("""
                {"params": {"signed_blocks_window": "20", "min_signed_per_window": "0.500000000000000000", "downtime_jail_duration": "60s",
                 "slash_fraction_double_sign": "0.050000000000000000", "slash_fraction_downtime": "0.010000000000000000"},
                 "signing_infos": [], "missed_blocks": []}
                """);
        }
        string gentxDirectory = Path.Combine(output, "gentx");
        Directory.CreateDirectory(gentxDirectory);
        foreach (var node in nodes)
        {
            var signer = new DePinChain.App.TxSigner(DirectoryKeyring.Open("test", node.Home.Root).GetPrivateKey("validator"));
            var gentx = GenTxs.Create(options.ChainId, signer, node.Validator.PublicKey,
                DePinChain.Sdk.Coins.Parse(ValidatorBond + options.Denom),
                new GenTxOptions { Moniker = node.Name, Memo = $"{node.NodeKey.NodeId}@127.0.0.1:{node.Base}" });
            File.WriteAllText(Path.Combine(gentxDirectory, $"gentx-{node.NodeKey.NodeId}.json"), Rpc.TxJson.Format(gentx) + "\n");
        }
        GenTxs.Collect(genesis, gentxDirectory);
        genesis.Validate(options.ChainId);
        string genesisJson = genesis.ToJson();

        var result = new List<TestnetNode>();
        foreach (var node in nodes)
        {
            string peers = string.Join(',', nodes.Where(other => other.Name != node.Name)
                .Select(other => $"{other.NodeKey.NodeId}@127.0.0.1:{other.Base}"));
            var comet = new CometConfig
            {
                Moniker = node.Name,
                // The form the transport's CometBFT client dials: tcp://127.0.0.1:P for socket, 127.0.0.1:P for grpc.
                ProxyApp = AbciPairing.ProxyAppFor(transport, $"127.0.0.1:{node.Base + 2}"),
                AbciTransport = AppConfig.FormatTransport(transport),
                RpcListen = $"tcp://127.0.0.1:{node.Base + 1}",
                P2pListen = $"tcp://127.0.0.1:{node.Base}",
                PersistentPeers = peers,
                AddrBookStrict = false,
                AllowDuplicateIp = true,
                TimeoutPropose = "2s",
                TimeoutCommit = "1s",
            };
            // The app's gRPC server and REST gateway take the next ports of the node's block (p2p +0, RPC +1, ABCI +2, gRPC +3, REST +4, explorer +5).
            var app = new AppConfig
            {
                AbciAddress = comet.ProxyApp, AbciTransport = transport, MinimumGasPrices = "0" + options.Denom, IavlFormat = AppConfig.NewHomeIavlFormat,
                GrpcAddress = $"127.0.0.1:{node.Base + 3}",
                ApiAddress = $"127.0.0.1:{node.Base + 4}",
                ExplorerEnable = true, ExplorerAddress = $"127.0.0.1:{node.Base + 5}",
            };
            node.Home.Initialize(comet, app, options.ChainId, overwrite: false, genesisJson, node.Validator, node.NodeKey);
            result.Add(new TestnetNode(node.Name, node.Home.Root, node.NodeKey.NodeId, node.Base, node.Base + 1, node.Base + 2, node.Base + 3,
                node.Validator.Address, node.Account.Info.Address, node.Base + 4, node.Base + 5));
        }

        File.WriteAllText(Path.Combine(output, "keys.txt"), keysText.ToString());
        // grpc_port, then api_port, then explorer_port, come last so the scripts' column numbers of the older fields stay.
        var nodesText = new StringBuilder("# name home p2p_port rpc_port abci_port node_id grpc_port api_port explorer_port\n");
        foreach (var n in result)
            nodesText.Append(CultureInfo.InvariantCulture, $"{n.Name} {n.Home} {n.P2pPort} {n.RpcPort} {n.AbciPort} {n.NodeId} {n.GrpcPort} {n.ApiPort} {n.ExplorerPort}\n");
        File.WriteAllText(Path.Combine(output, "nodes.txt"), nodesText.ToString());
        return result;
    }
}
