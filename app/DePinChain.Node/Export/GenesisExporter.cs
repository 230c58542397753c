using System.Text.Json.Nodes;
using DePinChain.App;
using DePinChain.Cli.Commands;
using DePinChain.Cli.Genesis;
using DePinChain.Cli.Home;
using DePinChain.Store;
using DePinChain.Store.Backend.LevelDb;

namespace DePinChain.Node.Export;

/// <summary>What <see cref="GenesisExporter.ExportHome"/> produced: the genesis and the height its state is from.</summary>
public sealed record ExportedGenesis(GenesisDocument Genesis, long Height);

/// <summary>
/// Builds a genesis.json from committed application state. The CometBFT fields (chain_id, genesis_time,
/// consensus_params, validators) are kept from the home's genesis.json; app_state is the modules' export at the
/// requested height. Two simplifications, both documented in `depinchaind export --help`:
/// <list type="bullet">
/// <item>validators are the genesis validators, not CometBFT's current set (the app has no staking module yet, so
/// the set cannot have changed through the app);</item>
/// <item>initial_height is "1": InitChain does not support starting above height 1 yet, so an exported genesis starts
/// a new chain at height 1 with the exported state (the SDK would write H+1).</item>
/// </list>
/// </summary>
public static class GenesisExporter
{
    /// <summary>Replaces app_state in a copy of <paramref name="source"/> and resets the fields a new chain starts from.</summary>
    public static GenesisDocument WithAppState(GenesisDocument source, string appStateJson)
    {
        var genesis = GenesisDocument.Parse(source.ToJson());
        genesis.Root["app_state"] = JsonNode.Parse(appStateJson);
        genesis.Root["initial_height"] = "1";
        genesis.Root["app_hash"] = "";
        return genesis;
    }

    /// <summary>Exports the state of <paramref name="app"/> at <paramref name="height"/> (0 = latest) into <paramref name="source"/>'s CometBFT fields.</summary>
    public static ExportedGenesis Export(DePinApp app, GenesisDocument source, long height)
    {
        long latest = app.Info(new DePinChain.Protos.Abci.RequestInfo()).LastBlockHeight;
        if (latest == 0)
            throw new CliException("nothing to export: no block has been committed yet");
        if (height < 0 || height > latest)
            throw new CliException($"--height {height}: must be between 1 and the latest committed height {latest} (0 = latest)");
        if (height == 0)
            height = latest;
        if (source.ChainId != app.ChainId)
            throw new CliException($"genesis.json is for chain '{source.ChainId}' but the application state is chain '{app.ChainId}'; wrong --home?");
        string appState;
        try
        {
            appState = app.ExportAppState(height);
        }
        catch (VersionNotFoundException)
        {
            throw new CliException($"--height {height}: that state was pruned (keep more with pruning in app.toml)");
        }
        var genesis = WithAppState(source, appState);
        genesis.Validate();
        return new ExportedGenesis(genesis, height);
    }

    /// <summary>
    /// Opens the home's application database (read-only use; it must not be open in a running node), and exports.
    /// </summary>
    public static ExportedGenesis ExportHome(string homeDirectory, long height)
    {
        var home = new NodeHome(homeDirectory);
        var source = GenesisDocument.Load(home.Genesis);
        string dbPath = NodeHost.DatabasePath(home.Root);
        if (!Directory.Exists(dbPath))
            throw new CliException($"no application state at {dbPath} (has `depinchaind start` run on this home?)");
        LevelDbStore db;
        try
        {
            db = LevelDbStore.Open(dbPath, new LevelDbOptions { CreateIfMissing = false });
        }
        catch (LevelDbException e) when (e.LevelDbMessage?.Contains("lock", StringComparison.OrdinalIgnoreCase) == true)
        {
            throw new CliException($"{dbPath} is locked: a node is running on this home; stop depinchaind before export");
        }
        catch (LevelDbException e)
        {
            throw new CliException($"cannot open {dbPath}: {e.Message}");
        }
        // Nothing is committed here, so pruning never runs; "nothing" states that intent. The database says its format
        // (a changeset database is opened from its snapshot and changesets, whole trees in memory).
        var modules = new AppModules();
        var format = MultiStore.FormatOf(db) ?? StoreFormat.Nodes;
        using var store = MultiStore.OpenOwning(db, modules.StoreNames, new MultiStoreOptions
        {
            Pruning = PruningOptions.Nothing,
            CreateIfEmpty = false,
            Format = format,
            PinnedHeight = format == StoreFormat.Changesets ? 0 : new MultiStoreOptions().PinnedHeight,
            SnapshotDirectory = NodeHost.SnapshotDirectory(home.Root),
        });
        var app = new DePinApp(store, modules: modules);
        return Export(app, source, height);
    }
}
