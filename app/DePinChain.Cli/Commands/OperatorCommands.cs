using System.CommandLine;
using System.Net.Sockets;
using System.Text.Json;
using DePinChain.Cli.Genesis;
using DePinChain.Cli.Home;
using DePinChain.Cli.Toml;
using DePinChain.Crypto.Keyring;

namespace DePinChain.Cli.Commands;

/// <summary>
/// The operator commands of `depinchaind` (init, genesis, keys, testnet, show-node-id, show-validator, tx, query, status),
/// added to the executable's root command. <see cref="Run"/> turns every error into one line and a non-zero exit:
/// <see cref="UsageError"/> (2) for a command line that does not parse or a bad argument or flag value
/// (<see cref="CliUsageException"/>), <see cref="Failure"/> (1) for anything else.
/// </summary>
public static class OperatorCommands
{
    public const int UsageError = 2;
    public const int Failure = 1;

    /// <summary>Adds the operator commands and the global options (--home, --output, --keyring-backend) to <paramref name="root"/>.</summary>
    /// <param name="existingHome">Pass the root's own recursive --home option if it already has one; otherwise one is added.</param>
    public static GlobalOptions AddTo(RootCommand root, CliContext context, Option<string>? existingHome = null)
    {
        var g = new GlobalOptions(context, existingHome);
        g.AddTo(root);
        root.Subcommands.Add(InitCommands.Init(g, context));
        root.Subcommands.Add(InitCommands.Genesis(g, context));
        root.Subcommands.Add(InitCommands.ShowNodeId(g, context));
        root.Subcommands.Add(InitCommands.ShowValidator(g, context));
        root.Subcommands.Add(GenTxCommands.Comet(g, context));
        root.Subcommands.Add(KeplrCommand.Create(g, context));
        root.Subcommands.Add(InitCommands.Testnet(g, context));
        root.Subcommands.Add(KeysCommands.Create(g, context));
        root.Subcommands.Add(DeviceCommands.Device(g, context));
        root.Subcommands.Add(DeviceCommands.Maker(g, context));
        root.Subcommands.Add(SimulateCommands.Create(g, context));
        foreach (Command command in ChainCommands.Create(g, context))
            root.Subcommands.Add(command);
        return g;
    }

    /// <summary>A root command holding only the operator commands (for tests and for a stand-alone CLI).</summary>
    public static RootCommand CreateRoot(CliContext context)
    {
        var root = new RootCommand("depinchaind: DePinChain node and operator CLI");
        AddTo(root, context);
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>: parse errors and command failures are one line on stderr.</summary>
    public static int Run(RootCommand root, string[] args, CliContext context)
    {
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            context.Error.WriteLine($"Error: {parsed.Errors[0].Message.ReplaceLineEndings(" ")} (see --help)");
            return UsageError;
        }
        try
        {
            var configuration = new InvocationConfiguration
            {
                Output = context.Out,
                Error = context.Error,
                EnableDefaultExceptionHandler = false,
            };
            return parsed.Invoke(configuration);
        }
        catch (Exception e)
        {
            context.Error.WriteLine("Error: " + Describe(e));
            return ExitCodeOf(e);
        }
    }

    /// <summary>
    /// Runs an already parsed command line (for hosts with their own parse-error handling, like depinchaind):
    /// a failure of any command is one line on stderr and exit code 1 (2 for a bad argument or flag value), never a stack trace.
    /// </summary>
    public static async Task<int> InvokeAsync(ParseResult parsed, CliContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var configuration = new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false };
            return await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await context.Error.WriteLineAsync("Error: " + Describe(e)).ConfigureAwait(false);
            return ExitCodeOf(e);
        }
    }

    /// <summary><see cref="UsageError"/> for a bad argument or flag value, <see cref="Failure"/> for any other error.</summary>
    public static int ExitCodeOf(Exception e)
    {
        while (e is AggregateException { InnerException: { } inner })
            e = inner;
        return e is CliUsageException ? UsageError : Failure;
    }

    /// <summary>One line for the user: our own exceptions carry precise messages; others get a short prefix.</summary>
    public static string Describe(Exception e)
    {
        while (e is AggregateException { InnerException: { } inner })
            e = inner;
        string message = e switch
        {
            CliException or Rpc.RpcErrorException or KeyringException or Fleet.FleetException or HomeException or GenesisException or TomlException => e.Message,
            HttpRequestException { InnerException: SocketException s } => $"cannot reach the node: {s.Message}",
            HttpRequestException h => $"node request failed: {h.Message}",
            TaskCanceledException => "the node did not answer in time",
            UnauthorizedAccessException or IOException => $"file error: {e.Message}",
            JsonException => $"bad JSON: {e.Message}",
            _ => $"{e.GetType().Name}: {e.Message}",
        };
        return message.ReplaceLineEndings(" ");
    }
}
