namespace DePinChain.Cli.Commands;

/// <summary>A failure the user can act on (a missing key or file, an unreachable node): one line, no stack trace, exit 1.</summary>
public class CliException(string message) : Exception(message);

/// <summary>
/// A bad argument or flag value (an address, an amount, a name, a port): one line and exit 2, like a command line
/// that does not parse (<see cref="OperatorCommands.UsageError"/>).
/// </summary>
public sealed class CliUsageException(string message) : CliException(message);

/// <summary>Where commands read input and write output; tests pass string readers and writers.</summary>
public sealed class CliContext
{
    public TextReader In { get; init; } = Console.In;
    public TextWriter Out { get; init; } = Console.Out;
    public TextWriter Error { get; init; } = Console.Error;

    /// <summary>Prompts go to stderr only when a person is typing.</summary>
    public bool Interactive { get; init; } = !Console.IsInputRedirected;

    /// <summary>--home when not given: $DEPINCHAIN_HOME, else ~/.depinchain.</summary>
    public string DefaultHome { get; init; } =
        Environment.GetEnvironmentVariable("DEPINCHAIN_HOME") is { Length: > 0 } home
            ? home
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".depinchain");

    /// <summary>scrypt cost for the file keyring; tests lower it.</summary>
    public Crypto.Keyring.ScryptParameters? KeyringCost { get; init; }

    /// <summary>HTTP client for CometBFT RPC; tests may inject one.</summary>
    public HttpClient? Http { get; init; }

    /// <summary>How long `tx ... --broadcast-mode commit` waits for inclusion.</summary>
    public TimeSpan InclusionTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Reads one line from stdin; <paramref name="what"/> names it in the prompt and in the error when stdin is empty.</summary>
    public string ReadLine(string what, string prompt)
    {
        if (Interactive)
            Error.Write(prompt);
        return In.ReadLine() ?? throw new CliException($"no input: expected {what} on stdin");
    }
}
