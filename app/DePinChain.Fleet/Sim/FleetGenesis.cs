using System.Globalization;
using System.Text.Json.Nodes;
using DePinChain.App;

namespace DePinChain.Fleet.Sim;

/// <summary>Chain params that make a simulated fleet show rewards within minutes.</summary>
public sealed record FleetChainParams
{
    /// <summary>Mint's epoch length (the chain's epochs): 30 blocks.</summary>
    public long EpochBlocks { get; init; } = 30;
    public long BeaconIntervalBlocks { get; init; } = 10;
    public long EntropyWindowBlocks { get; init; } = 20;
    public long ReciprocityWindowBlocks { get; init; } = 90;
}

/// <summary>
/// The genesis a fleet needs, applied to an app_state: one account as the authority of devices (adds the maker),
/// coverage, data credits (registers the routers), rewards and mint, and optionally short epochs, beacon intervals and
/// windows. A module missing from app_state gets its default section first. Used by `testnet init-files --authority
/// --short-epochs` for the localnet, and by the tests.
/// </summary>
public static class FleetGenesis
{
    public static void Apply(JsonObject appState, string? authorityBech32, FleetChainParams? shortEpochs)
    {
        var app = new AppModules();
        var modules = app.Modules;
        JsonObject Section(string name)
        {
            if (appState[name] is not JsonObject section)
                appState[name] = section = (JsonObject)JsonNode.Parse(modules.Single(m => m.Name == name).DefaultGenesis())!;
            return section;
        }
        JsonObject Params(string name) => Section(name)["params"] as JsonObject ?? throw new FleetException($"app_state.{name} has no params");

        if (authorityBech32 is not null)
            foreach (var name in app.AuthorityModuleNames)
                Params(name)["authority"] = authorityBech32;
        if (shortEpochs is null) return;
        var schedule = Section("mint")["schedule"] as JsonObject ?? throw new FleetException("app_state.mint has no schedule");
        schedule["epoch_blocks"] = Text(shortEpochs.EpochBlocks);
        var coverage = Params("coverage");
        coverage["beacon_interval_blocks"] = Text(shortEpochs.BeaconIntervalBlocks);
        coverage["entropy_window_blocks"] = Text(shortEpochs.EntropyWindowBlocks);
        coverage["reciprocity_window_blocks"] = Text(shortEpochs.ReciprocityWindowBlocks);
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
