namespace DePinChain.Cli.Tests;

public sealed class CommandLineTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("depin-cli-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Theory]
    [InlineData("init")]
    [InlineData("init", "m")]
    [InlineData("keys", "add")]
    [InlineData("keys", "frobnicate")]
    [InlineData("init", "m", "--chain-id", "c", "--bogus")]
    [InlineData("keys", "list", "--output", "yaml")]
    [InlineData("keys", "list", "--keyring-backend", "os")]
    [InlineData("testnet", "init-files", "--validators", "four")]
    [InlineData("query", "bank", "balances", "depin1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53d5ev8", "--height", "-1")]
    [InlineData("tx", "bank", "send", "a", "b", "1udpin", "--broadcast-mode", "async")]
    // Values that parse as strings but are not valid (CliUsageException), checked before any file is touched:
    [InlineData("init", "m", "--chain-id", "")]
    [InlineData("testnet", "init-files", "--validators", "0")]
    [InlineData("testnet", "init-files", "--starting-port", "80")]
    [InlineData("keys", "add", "no/slash")]
    [InlineData("keys", "import", ".hidden", "key.json")]
    [InlineData("genesis", "add-account", "cosmos1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmmk8rs6", "1udpin")]
    [InlineData("genesis", "add-account", "nokey", "1udpin")]
    [InlineData("genesis", "add-account", "depin1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53d5ev8", "10")]
    [InlineData("genesis", "set-authority", "not*a*name")]
    [InlineData("tx", "bank", "send", "alice", "depin1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53d5ev8", "1.5udpin")]
    public void Bad_flags_and_arguments_give_one_line_and_exit_code_2(params string[] args)
    {
        CliRun run = CliRunner.Run("", args);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("Error: ", run.Error);
        Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void A_bad_amount_names_the_argument_and_how_to_write_coins()
    {
        CliRun run = CliRunner.Run("", "tx", "bank", "send", "alice", "depin1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53d5ev8", "1.5udpin", "--keyring-backend", "test");
        Assert.Equal((2, "Error: amount: invalid coin '1.5udpin': expected an amount followed by a denom, like 1000udpin\n"), (run.ExitCode, run.Error));
    }

    [Fact]
    public void A_missing_key_or_file_is_a_failure_not_a_usage_error()
    {
        CliRun missing = CliRunner.Run("", "keys", "import", "op", Path.Combine(_home, "none.json"), "--home", _home);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no such file", missing.Error);
    }

    [Fact]
    public void Help_is_available_on_every_level()
    {
        foreach (string[] args in new[] { new[] { "--help" }, ["keys", "--help"], ["testnet", "init-files", "--help"], ["genesis", "add-account", "--help"], ["tx", "bank", "send", "--help"], ["query", "tx", "--help"], ["status", "--help"] })
        {
            CliRun run = CliRunner.Run("", args);
            Assert.Equal(0, run.ExitCode);
            Assert.Contains("Usage:", run.Out);
        }
    }

    [Fact]
    public void Keys_commands_work_end_to_end_with_the_file_backend()
    {
        string[] file = ["--home", _home, "--keyring-backend", "file"];
        CliRun add = CliRunner.Run("pw\n", ["keys", "add", "op", "--output", "json", .. file]);
        Assert.Equal(0, add.ExitCode);
        var created = System.Text.Json.Nodes.JsonNode.Parse(add.Out)!;
        string mnemonic = (string)created["mnemonic"]!;
        string address = (string)created["address"]!;

        Assert.Equal(address + "\n", CliRunner.Run("", ["keys", "show", "op", "--address", .. file]).Out);
        Assert.Equal($"op\t{address}\n", CliRunner.Run("", ["keys", "list", .. file]).Out);

        CliRun export = CliRunner.Run("export-pw\npw\n", ["keys", "export", "op", .. file]);
        Assert.Equal(0, export.ExitCode);
        CliRun wrong = CliRunner.Run("export-pw\nnot-pw\n", ["keys", "export", "op", .. file]);
        Assert.Equal((1, "Error: wrong passphrase (or the key file was altered)\n"), (wrong.ExitCode, wrong.Error));

        string armored = Path.Combine(_home, "op.armor");
        File.WriteAllText(armored, export.Out);
        Assert.Equal(0, CliRunner.Run("", ["keys", "delete", "op", "--yes", .. file]).ExitCode);
        Assert.Equal(0, CliRunner.Run("export-pw\npw\n", ["keys", "import", "op2", armored, .. file]).ExitCode);
        Assert.Equal(address + "\n", CliRunner.Run("", ["keys", "show", "op2", "--address", .. file]).Out);

        Assert.Equal(0, CliRunner.Run(mnemonic + "\n", "keys", "add", "again", "--recover", "--keyring-backend", "test", "--home", _home).ExitCode);
        Assert.Equal(address + "\n", CliRunner.Run("", "keys", "show", "again", "--address", "--keyring-backend", "test", "--home", _home).Out);
    }

    [Fact]
    public void Missing_stdin_input_and_unknown_keys_are_one_line_errors()
    {
        CliRun noPassphrase = CliRunner.Run("", "keys", "add", "x", "--home", _home);
        Assert.Equal((1, "Error: no input: expected the keyring passphrase on stdin\n"), (noPassphrase.ExitCode, noPassphrase.Error));
        CliRun unknown = CliRunner.Run("", "keys", "show", "ghost", "--home", _home, "--keyring-backend", "test");
        Assert.Equal((1, "Error: key 'ghost' not found in the test keyring\n"), (unknown.ExitCode, unknown.Error));
        CliRun noHome = CliRunner.Run("", "show-node-id", "--home", Path.Combine(_home, "nope"));
        Assert.Equal(1, noHome.ExitCode);
        Assert.Contains("node_key.json not found (run init first)", noHome.Error);
    }
}

public sealed class HostWiringTests
{
    [Fact]
    public void A_host_root_with_its_own_home_option_and_start_command_keeps_both()
    {
        var output = new StringWriter();
        var context = new DePinChain.Cli.Commands.CliContext { Out = output, Error = new StringWriter(), In = new StringReader(""), Interactive = false };
        var root = new System.CommandLine.RootCommand("host");
        var home = new System.CommandLine.Option<string>("--home") { Recursive = true, DefaultValueFactory = _ => "/default" };
        root.Options.Add(home);
        var start = new System.CommandLine.Command("start");
        start.SetAction(r => { output.Write("start " + r.GetValue(home)); return 0; });
        root.Subcommands.Add(start);

        DePinChain.Cli.Commands.OperatorCommands.AddTo(root, context, home);

        Assert.Equal(0, DePinChain.Cli.Commands.OperatorCommands.Run(root, ["start", "--home", "/h"], context));
        Assert.Equal("start /h", output.ToString());
        string dir = Directory.CreateTempSubdirectory("depin-host-").FullName;
        try
        {
            Assert.Equal(0, DePinChain.Cli.Commands.OperatorCommands.Run(root, ["init", "n", "--chain-id", "c", "--home", dir], context));
            Assert.True(File.Exists(Path.Combine(dir, "config", "genesis.json")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task InvokeAsync_turns_a_command_failure_into_one_line()
    {
        var error = new StringWriter();
        var context = new DePinChain.Cli.Commands.CliContext { Out = new StringWriter(), Error = error, In = new StringReader(""), Interactive = false, DefaultHome = "/nonexistent" };
        var root = DePinChain.Cli.Commands.OperatorCommands.CreateRoot(context);
        int code = await DePinChain.Cli.Commands.OperatorCommands.InvokeAsync(root.Parse(["show-node-id"]), context);
        Assert.Equal(1, code);
        Assert.Equal("Error: /nonexistent/config/node_key.json not found (run init first)\n", error.ToString());
    }
}
