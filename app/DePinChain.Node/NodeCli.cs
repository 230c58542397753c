using System.CommandLine;
using DePinChain.Node.Commands;

namespace DePinChain.Node;

/// <summary>
/// The <c>depinchaind</c> command tree. Each command lives in Commands/ and is added here; shared options
/// (like --home) are created once and passed to the commands that use them.
/// </summary>
public static class NodeCli
{
    public static string DefaultHome =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".depinchain");

    public static RootCommand Build()
    {
        var home = new Option<string>("--home")
        {
            Description = "The node's home directory (config/ and data/)",
            Recursive = true,
            DefaultValueFactory = _ => DefaultHome,
        };
        var root = new RootCommand("depinchaind: the DePinChain application, served to CometBFT over ABCI");
        root.Options.Add(home);
        root.Subcommands.Add(StartCommand.Create(home));
        // Operator commands (init, genesis, keys, testnet, tx, query, status, show-*) share this --home.
        DePinChain.Cli.Commands.OperatorCommands.AddTo(root, new DePinChain.Cli.Commands.CliContext(), home);
        return root;
    }

    /// <summary>Parses and runs; a usage error prints one line to stderr and returns 2.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line, however System.CommandLine words it: every error, whitespace collapsed.
            string message = string.Join("; ", parse.Errors.Select(e => string.Join(' ', e.Message.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim()))));
            await (error ?? Console.Error).WriteLineAsync($"Error: {message} (see depinchaind --help)");
            return 2;
        }
        // A failing command prints one line (no stack trace) and exits 1.
        var context = new DePinChain.Cli.Commands.CliContext { Error = error ?? Console.Error };
        return await DePinChain.Cli.Commands.OperatorCommands.InvokeAsync(parse, context, cancellationToken);
    }
}
