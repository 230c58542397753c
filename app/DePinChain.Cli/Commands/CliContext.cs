namespace DePinChain.Cli.Commands;

/// <summary>A failure (an unreachable node, a missing key, a rejected tx), shown as one line without a stack trace; exit 1.</summary>
public class CliException(string message) : Exception(message);

/// <summary>A bad command line (a malformed address, amount, flag value or file), found before anything is sent; exit 2.</summary>
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
