using System.CommandLine;

namespace DePinChain.Cli.Commands;

/// <summary>tx, query and status against a node's CometBFT RPC.</summary>
internal static class ChainCommands
{
    public static IEnumerable<Command> Create(GlobalOptions g, CliContext context) => [];
}
