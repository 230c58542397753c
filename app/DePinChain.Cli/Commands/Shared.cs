using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using DePinChain.Crypto.Keyring;

namespace DePinChain.Cli.Commands;

/// <summary>Options every command understands (recursive from the root).</summary>
public sealed class GlobalOptions
{
    /// <param name="existingHome">The host's own recursive --home option, when its root already has one (e.g. for `start`).</param>
    public GlobalOptions(CliContext context, Option<string>? existingHome = null)
    {
        _ownsHome = existingHome is null;
        Home = existingHome ?? new Option<string>("--home")
        {
            Description = "Node home directory ($DEPINCHAIN_HOME or ~/.depinchain)",
            Recursive = true,
            DefaultValueFactory = _ => context.DefaultHome,
        };
        Output = new Option<string>("--output", "-o")
        {
            Description = "Output format: text or json",
            Recursive = true,
            DefaultValueFactory = _ => "text",
        };
        Output.AcceptOnlyFromAmong("text", "json");
        KeyringBackend = new Option<string>("--keyring-backend")
        {
            Description = "Keyring backend: file (encrypted with a passphrase) or test (plain files, localnets only)",
            Recursive = true,
            DefaultValueFactory = _ => "file",
        };
        KeyringBackend.AcceptOnlyFromAmong("file", "test");
    }

    public Option<string> Home { get; }
    public Option<string> Output { get; }
    public Option<string> KeyringBackend { get; }

    private readonly bool _ownsHome;

    public void AddTo(Command root)
    {
        if (_ownsHome)
            root.Options.Add(Home);
        root.Options.Add(Output);
        root.Options.Add(KeyringBackend);
    }
}

internal static class CommandHelpers
{
    public static string HomeOf(this ParseResult result, GlobalOptions g) => result.GetValue(g.Home)!;

    public static bool Json(this ParseResult result, GlobalOptions g) => result.GetValue(g.Output) == "json";

    /// <summary>
    /// The keyring of --keyring-backend; the file backend asks for its passphrase when it opens or seals a key, without
    /// echo on a terminal.
    /// </summary>
    /// <param name="sealsNewKey">The command writes a new key (keys add, keys import): on a terminal the passphrase is
    /// asked twice, as a typo would lock the key away.</param>
    public static IKeyring OpenKeyring(this ParseResult result, GlobalOptions g, CliContext context, bool sealsNewKey = false)
    {
        string backend = result.GetValue(g.KeyringBackend)!;
        const string what = "the keyring passphrase", prompt = "Enter keyring passphrase: ";
        Func<string> passphrase = sealsNewKey
            ? () => context.ReadNewSecret(what, prompt, "Re-enter keyring passphrase: ")
            : () => context.ReadSecret(what, prompt);
        return DirectoryKeyring.Open(backend, result.HomeOf(g), passphrase, context.KeyringCost);
    }

    public static void WriteJson(this CliContext context, JsonNode node) => context.Out.WriteLine(node.ToJsonString(JsonText.Indented));

    /// <summary>Coins as users type them ("1000udpin,5stake"); a bad list is a usage error (exit 2) naming <paramref name="what"/>.</summary>
    public static Sdk.Coins ParseCoins(string text, string what, bool allowEmpty = false)
    {
        Sdk.Coins coins;
        try
        {
            coins = Sdk.Coins.Parse(text);
        }
        catch (FormatException e)
        {
            throw new CliUsageException($"{what}: {e.Message}");
        }
        if (coins.IsEmpty && !allowEmpty)
            throw new CliUsageException($"{what}: give at least one coin, like 1000udpin");
        return coins;
    }

    public static Argument<string> Arg(string name, string description) => new(name) { Description = description };

    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };
}
