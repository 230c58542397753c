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

    public static IKeyring OpenKeyring(this ParseResult result, GlobalOptions g, CliContext context)
    {
        string backend = result.GetValue(g.KeyringBackend)!;
        return DirectoryKeyring.Open(backend, result.HomeOf(g), () => context.ReadLine("the keyring passphrase", "Enter keyring passphrase: "), context.KeyringCost);
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
