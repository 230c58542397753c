using System.CommandLine;
using DePinChain.Cli.Commands;
using DePinChain.Node.Export;

namespace DePinChain.Node.Commands;

/// <summary><c>depinchaind export --home H [--height N] [--output-document F]</c>.</summary>
public static class ExportCommand
{
    public static Command Create(Option<string> home, CliContext context)
    {
        var height = new Option<long>("--height")
        {
            Description = "Export the state committed at this height (0 = latest); it must not be pruned",
        };
        var output = new Option<string?>("--output-document")
        {
            Description = "Write the genesis to this file instead of stdout",
        };
        var command = new Command("export",
            "Write a genesis.json from the committed application state. The node must be stopped. " +
            "chain_id, genesis_time, consensus_params and validators are copied from HOME/config/genesis.json " +
            "(the genesis validators, not CometBFT's current set); app_state is every module's state at the height. " +
            "initial_height is 1: an exported genesis starts a new chain at height 1 with the exported state.")
        { height, output };
        command.SetAction(parse =>
        {
            var exported = GenesisExporter.ExportHome(parse.GetRequiredValue(home), parse.GetValue(height));
            string json = exported.Genesis.ToJson();
            if (parse.GetValue(output) is { Length: > 0 } path)
            {
                exported.Genesis.Save(path);
                context.Error.WriteLine($"Exported the state at height {exported.Height} to {Path.GetFullPath(path)}");
            }
            else
            {
                context.Out.WriteLine(json);
            }
            return 0;
        });
        return command;
    }
}
