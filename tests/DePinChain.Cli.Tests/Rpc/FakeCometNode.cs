using System.Text.Json.Nodes;
using DePinChain.App;
using DePinChain.App.Tests;
using DePinChain.CometStandIn;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.Cli.Tests.Rpc;

/// <summary>
/// CometBFT for the CLI and API tests: the repository's one stand-in (<see cref="StandInNode"/>: the real app over a
/// real ABCI socket, real signed blocks, v0.38's RPC), started from a genesis.json written by `init`. The validator keys
/// found beside it (config/priv_validator_key.json) sign; validators added later (staking) are absent from commits. A
/// broadcast tx waits in the mempool; the first `tx` lookup answers "not found" (as a node does before inclusion) and
/// commits a block with the mempool's txs.
/// </summary>
internal sealed class FakeCometNode : IAsyncDisposable
{
    private readonly StandInNode _node;

    private FakeCometNode(StandInNode node, DePinApp app)
    {
        _node = node;
        App = app;
    }

    public string Url => _node.RpcUrl!;

    /// <summary>The app this node drives (committed state for servers that read it beside CometBFT, like the gRPC API).</summary>
    public DePinApp App { get; }

    public long Height => _node.Height;

    /// <summary>The node id `status` reports (node_info.id).</summary>
    public const string NodeId = CometRpcServer.NodeId;

    /// <summary>What `status` reports as sync_info.catching_up.</summary>
    public bool CatchingUp
    {
        get => _node.Rpc!.CatchingUp;
        set => _node.Rpc!.CatchingUp = value;
    }

    /// <summary>Every `status` call first commits a block (with the mempool's txs): a chain that moves on while a client polls it (the fleet simulator).</summary>
    public bool BlockOnStatus
    {
        get => _node.Rpc!.BlockOnStatus;
        set => _node.Rpc!.BlockOnStatus = value;
    }

    /// <summary>Starts the app from a genesis.json written by `init` (CometBFT fields + app_state) and commits block 1.</summary>
    public static async Task<FakeCometNode> StartAsync(string genesisPath)
    {
        // The tests' block times do not depend on when `init` ran: block H is at 2026-01-01T00:00:00Z + H seconds (the
        // first block's time is the genesis time, one second per block after it).
        var genesis = StandInGenesis.FromJson(File.ReadAllText(genesisPath)) with
        {
            GenesisTime = Timestamp.FromDateTime(new DateTime(2026, 1, 1, 0, 0, 1, DateTimeKind.Utc)),
        };
        var seeds = new List<byte[]>();
        string keyFile = Path.Combine(Path.GetDirectoryName(genesisPath)!, "priv_validator_key.json");
        if (File.Exists(keyFile))
            seeds.Add(Convert.FromBase64String((string)JsonNode.Parse(File.ReadAllText(keyFile))!["priv_key"]!["value"]!)[..32]);
        var app = new DePinApp(new TestCommitMultiStore(AppModules.AllStoreNames));
        StandInNode node = await StandInNode.StartAsync(app, genesis, new StandInOptions { ValidatorSeeds = seeds, Moniker = "fake" });
        node.Rpc!.BlockOnTxNotFound = true;
        return new FakeCometNode(node, app);
    }

    public ValueTask DisposeAsync() => _node.DisposeAsync();
}
