using DePinChain.Cli.Commands;
using DePinChain.Crypto.Keyring;

namespace DePinChain.Cli.Tests;

/// <summary>Runs the CLI in-process with captured stdin/stdout/stderr.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error);

internal static class CliRunner
{
    public static readonly ScryptParameters CheapKeyring = new(1024, 8, 1);

    public static CliRun Run(string stdin, params string[] args) => Run(stdin, null, args);

    public static CliRun Run(string stdin, Func<CliContext, CliContext>? configure, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext
        {
            In = new StringReader(stdin),
            Out = output,
            Error = error,
            Interactive = false,
            DefaultHome = "/nonexistent-default-home",
            KeyringCost = CheapKeyring,
        };
        if (configure is not null)
            context = configure(context);
        int code = OperatorCommands.Run(OperatorCommands.CreateRoot(context), args, context);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs the CLI with <paramref name="home"/> as the default home, polling a node quickly (tests against <c>FakeCometNode</c>).</summary>
    public static CliRun RunAt(string home, string stdin, params string[] args) =>
        Run(stdin, c => new CliContext
        {
            In = c.In, Out = c.Out, Error = c.Error, Interactive = false, DefaultHome = home, KeyringCost = c.KeyringCost,
            PollInterval = TimeSpan.FromMilliseconds(10), InclusionTimeout = TimeSpan.FromSeconds(20),
        }, args);

    /// <summary>The run, after asserting it succeeded (its output in the message when not).</summary>
    public static CliRun Check(CliRun run)
    {
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Error}{run.Out}");
        return run;
    }

    public static string TestData(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);
}
