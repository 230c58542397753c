using System.Text.Json.Nodes;
using DePinChain.Cli.Commands;

namespace DePinChain.Cli.Tests.Keyring;

/// <summary>Passphrases typed on a terminal: not echoed, and asked twice when they seal a new key or export.</summary>
public sealed class PassphrasePromptTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("depin-prompt-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private string[] File(params string[] args) => [.. args, "--home", _home, "--keyring-backend", "file"];

    /// <summary>A terminal: prompts on stderr, and every secret typed as keys that are not shown.</summary>
    private static Func<CliContext, CliContext> Terminal(params string[] typedLines)
    {
        var keys = new Queue<ConsoleKeyInfo>(typedLines.SelectMany(line =>
            line.Select(c => c == '\b'
                    ? new ConsoleKeyInfo('\b', ConsoleKey.Backspace, false, false, false)
                    : new ConsoleKeyInfo(c, ConsoleKey.A, false, false, false))
                .Append(new ConsoleKeyInfo('\r', ConsoleKey.Enter, false, false, false))));
        return c => new CliContext
        {
            In = c.In, Out = c.Out, Error = c.Error, DefaultHome = c.DefaultHome, KeyringCost = c.KeyringCost,
            Interactive = true,
            ReadKeyHidden = () => keys.Count > 0 ? keys.Dequeue() : new ConsoleKeyInfo('\u0004', ConsoleKey.D, false, false, true),
        };
    }

    [Fact]
    public void Keys_add_on_a_terminal_asks_twice_and_shows_no_character_typed()
    {
        CliRun add = CliRunner.Run("", Terminal("s3cret-x\b", "s3cret-"), File("keys", "add", "op"));

        Assert.Equal(0, add.ExitCode);
        Assert.Equal("Enter keyring passphrase: \nRe-enter keyring passphrase: \n", add.Error);
        Assert.DoesNotContain("s3cret", add.Out);
        // Sealed with what was typed (Backspace included): a piped passphrase opens it for export.
        Assert.Equal(0, CliRunner.Run("export-pw\ns3cret-\n", File("keys", "export", "op")).ExitCode);
    }

    [Fact]
    public void Two_different_entries_write_no_key()
    {
        CliRun add = CliRunner.Run("", Terminal("one-passphrase", "one-passphrasf"), File("keys", "add", "op", "--output", "json"));

        Assert.Equal(1, add.ExitCode);
        Assert.EndsWith("Error: the passphrases do not match; nothing was written\n", add.Error);
        Assert.Equal("", add.Out);
        Assert.Equal("[]", JsonNode.Parse(CliRunner.Run("", File("keys", "list", "--output", "json")).Out)!.ToJsonString());
    }

    [Fact]
    public void Opening_a_key_asks_once_and_an_export_passphrase_twice()
    {
        Assert.Equal(0, CliRunner.Run("pw\n", File("keys", "add", "op")).ExitCode);

        CliRun export = CliRunner.Run("", Terminal("export-pw", "export-pw", "pw"), File("keys", "export", "op"));
        Assert.Equal(0, export.ExitCode);
        Assert.Equal("Enter export passphrase: \nRe-enter export passphrase: \nEnter keyring passphrase: \n", export.Error);

        CliRun mismatch = CliRunner.Run("", Terminal("export-pw", "export-pv"), File("keys", "export", "op"));
        Assert.Equal((1, ""), (mismatch.ExitCode, mismatch.Out));
        Assert.Contains("the passphrases do not match", mismatch.Error);
    }

    [Fact]
    public void Ctrl_d_on_an_empty_line_is_no_input()
    {
        CliRun add = CliRunner.Run("", Terminal(), File("keys", "add", "op"));
        Assert.Equal(1, add.ExitCode);
        Assert.EndsWith("Error: no input: expected the keyring passphrase\n", add.Error);
    }

    [Fact]
    public void Piped_stdin_still_gives_one_line_per_passphrase()
    {
        // Not a terminal: no prompt, no confirmation (scripts and tests pipe passphrases).
        CliRun add = CliRunner.Run("pw\n", File("keys", "add", "op"));
        Assert.Equal((0, ""), (add.ExitCode, add.Error));
    }
}
