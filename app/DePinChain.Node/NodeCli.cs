using System.CommandLine;
using DePinChain.Cli.Commands;
using DePinChain.Node.Commands;

namespace DePinChain.Node;

/// <summary>
/// The <c>depinchaind</c> command tree. Each command lives in Commands/ and is added here; shared options
/// (like --home) are created once and passed to the commands that use them.
/// </summary>
public static class NodeCli
{
    public static RootCommand Build(CliContext? context = null)
    {
        context ??= new CliContext();
        var home = new Option<string>("--home")
        {
            Description = "The node's home directory (config/ and data/); default $DEPINCHAIN_HOME or ~/.depinchain",
            Recursive = true,
            DefaultValueFactory = _ => context.DefaultHome,
        };
        var root = new RootCommand("depinchaind: the DePinChain application, served to CometBFT over ABCI");
        root.Options.Add(home);
        root.Subcommands.Add(StartCommand.Create(home, context));
        root.Subcommands.Add(ExportCommand.Create(home, context));
        // Operator commands (init, genesis, keys, testnet, tx, query, status, show-*) share this --home.
        OperatorCommands.AddTo(root, context, home);
        return root;
    }

    /// <summary>Parses and runs; a usage error prints one line to stderr and returns 2.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter? error = null, CancellationToken cancellationToken = default)
        => RunAsync(args, new CliContext { Error = error ?? Console.Error }, cancellationToken);

    /// <summary>Parses and runs with the given input and output: a usage error is one line and exit 2, a failure one line and exit 1.</summary>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var parse = Build(context).Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line, however System.CommandLine words it: every error, whitespace collapsed.
            string message = string.Join("; ", parse.Errors.Select(e => string.Join(' ', e.Message.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim()))));
            await context.Error.WriteLineAsync($"Error: {message} (see depinchaind --help)");
            return OperatorCommands.UsageError;
        }
        // A failing command prints one line (no stack trace) and exits 1.
        return await OperatorCommands.InvokeAsync(parse, context, cancellationToken);
    }
}
