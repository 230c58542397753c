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

    /// <summary>
    /// Reads one key as typed, without showing it; secrets are read with it when <see cref="Interactive"/> (tests
    /// inject one). Null: the console's <c>ReadKey(intercept: true)</c> when stdin is the terminal, else lines from
    /// <see cref="In"/>.
    /// </summary>
    public Func<ConsoleKeyInfo>? ReadKeyHidden { get; init; }

    /// <summary>Reads one line from stdin; <paramref name="what"/> names it in the prompt and in the error when stdin is empty.</summary>
    public string ReadLine(string what, string prompt)
    {
        if (Interactive)
            Error.Write(prompt);
        return In.ReadLine() ?? throw new CliException($"no input: expected {what} on stdin");
    }

    /// <summary>
    /// Reads a secret (a passphrase). Typed on a terminal it is not echoed; piped stdin gives one line, as
    /// <see cref="ReadLine"/> does.
    /// </summary>
    public string ReadSecret(string what, string prompt)
    {
        if (!Interactive)
            return ReadLine(what, prompt);
        Func<ConsoleKeyInfo>? readKey = ReadKeyHidden
            ?? (ReferenceEquals(In, Console.In) && !Console.IsInputRedirected ? () => Console.ReadKey(intercept: true) : null);
        if (readKey is null)
            return ReadLine(what, prompt);
        Error.Write(prompt);
        string? typed = ReadHiddenLine(readKey);
        Error.WriteLine(); // the Enter that ended the line was not echoed either
        return typed ?? throw new CliException($"no input: expected {what}");
    }

    /// <summary>
    /// Reads a secret that will seal something new (a key, an export): on a terminal it is asked twice and the two must
    /// match, since a typo would lock the key away; piped stdin gives one line.
    /// </summary>
    /// <exception cref="CliException">The two entries differ.</exception>
    public string ReadNewSecret(string what, string prompt, string confirmPrompt)
    {
        string secret = ReadSecret(what, prompt);
        if (Interactive && ReadSecret(what, confirmPrompt) != secret)
            throw new CliException("the passphrases do not match; nothing was written");
        return secret;
    }

    /// <summary>Keys up to Enter, with Backspace; Ctrl+D on an empty line is the end of input (null). Nothing is shown.</summary>
    private static string? ReadHiddenLine(Func<ConsoleKeyInfo> readKey)
    {
        var typed = new System.Text.StringBuilder();
        while (true)
        {
            ConsoleKeyInfo key = readKey();
            if (key.Key == ConsoleKey.Enter || key.KeyChar is '\r' or '\n')
                return typed.ToString();
            if (key.Key == ConsoleKey.Backspace || key.KeyChar == '\b')
            {
                if (typed.Length > 0)
                    typed.Length--;
            }
            else if (key.KeyChar == '\u0004' && typed.Length == 0)
            {
                return null;
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }
    }
}
