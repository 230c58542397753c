using System.Diagnostics;

namespace DePinChain.Cli.Tests;

/// <summary>The localnet scripts: the paths that need no cometbft binary, and the whole gRPC localnet where one exists.</summary>
public class LocalnetScriptTests
{
    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DePinChain.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private static (int Code, string Out, string Error) Bash(string script, IReadOnlyDictionary<string, string> env, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoRoot() };
        start.ArgumentList.Add(script.StartsWith('-') ? script : Path.Combine(RepoRoot(), script));
        foreach (string a in args)
            start.ArgumentList.Add(a);
        start.Environment.Remove("COMETBFT");
        foreach (var (key, value) in env)
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        // Both pipes at once: a script that fills one while we wait on the other would hang.
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.GetAwaiter().GetResult());
    }

    [Fact]
    public void Start_without_cometbft_or_network_says_so_in_one_line_and_fails()
    {
        if (File.Exists(Path.Combine(RepoRoot(), "build", "bin", "cometbft")))
            return; // a developer machine with a downloaded binary takes the other path
        var (code, output, error) = Bash("localnet/start.sh", new Dictionary<string, string>
        {
            ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
            ["COMETBFT_RELEASE_URL"] = "http://127.0.0.1:1/releases/download/v0.38.25",
        }, "2");
        Assert.NotEqual(0, code);
        Assert.Equal("", output);
        Assert.Equal("localnet: no cometbft found and cannot download CometBFT v0.38.25 from http://127.0.0.1:1 (no network?); set COMETBFT=/path/to/cometbft (v0.38.x)\n", error);
    }

    [Fact]
    public void Every_script_parses()
    {
        foreach (string script in Directory.GetFiles(Path.Combine(RepoRoot(), "localnet"), "*.sh"))
        {
            var (code, _, error) = Bash("-n", new Dictionary<string, string>(), script);
            Assert.True(code == 0, $"bash -n {script}: {error}");
        }
    }

    [Theory]
    [InlineData("localnet/start.sh")]
    [InlineData("localnet/test.sh")]
    public void An_unknown_ABCI_transport_is_refused_in_one_line_before_anything_starts(string script)
    {
        var (code, _, error) = Bash(script, new Dictionary<string, string> { ["ABCI"] = "carrier", ["PATH"] = "/usr/local/bin:/usr/bin:/bin" }, "2");
        Assert.NotEqual(0, code);
        Assert.Equal("localnet: ABCI must be socket or grpc, not 'carrier'\n", error);
    }

    [Theory]
    [InlineData("localnet", "ABCI=grpc bash localnet/start.sh 4")]
    [InlineData("localnet-test", "ABCI=grpc bash localnet/test.sh")]
    public void Make_passes_ABCI_through_to_the_scripts(string target, string expected)
    {
        var start = new ProcessStartInfo("make", ["-n", target, "ABCI=grpc"]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoRoot() };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return; // no make on this machine
        }
        using (process)
        {
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.Equal(0, process.ExitCode);
            Assert.Contains(expected, output.Split('\n'));
        }
    }

    /// <summary>
    /// Issue 17: the whole localnet check (transfers, agreement, a validator stopped and restarted) with every node's
    /// CometBFT talking to its app over gRPC. Runs wherever a CometBFT binary is found ($COMETBFT, PATH, build/bin),
    /// on its own ports; passes without doing anything elsewhere.
    /// </summary>
    [Fact]
    public void The_localnet_test_passes_over_grpc_where_a_cometbft_binary_exists()
    {
        if (OperatingSystem.IsWindows() || FindCometbft() is not { } cometbft)
            return;
        if (File.Exists(Path.Combine(RepoRoot(), "localnet", ".run", "pids")))
            return; // a localnet is running on this checkout
        var env = new Dictionary<string, string> { ["ABCI"] = "grpc", ["COMETBFT"] = cometbft, ["STARTING_PORT"] = "36656" };
        string built = Path.Combine(RepoRoot(), "app", "DePinChain.Node", "bin", "Release", "net10.0", "depinchaind");
        if (File.Exists(built))
            env["DEPINCHAIND"] = built; // what `make test` just built: no second build while the tests run
        var (code, output, error) = Bash("localnet/test.sh", env);
        Assert.True(code == 0, $"localnet/test.sh with ABCI=grpc failed:\n{output}\n{error}");
        Assert.Contains("localnet test: PASS (ABCI over grpc)", output);
    }

    private static string? FindCometbft()
    {
        if (Environment.GetEnvironmentVariable("COMETBFT") is { Length: > 0 } fromEnvironment && File.Exists(fromEnvironment))
            return fromEnvironment;
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, "cometbft");
            if (File.Exists(candidate))
                return candidate;
        }
        string downloaded = Path.Combine(RepoRoot(), "build", "bin", "cometbft");
        return File.Exists(downloaded) ? downloaded : null;
    }

    [Fact]
    public void Start_runs_the_fleet_unless_FLEET_is_0_and_stop_stops_it_first()
    {
        string start = File.ReadAllText(Path.Combine(RepoRoot(), "localnet", "start.sh"));
        string lib = File.ReadAllText(Path.Combine(RepoRoot(), "localnet", "lib.sh"));
        Assert.Contains("--authority alice --short-epochs", start);
        Assert.Contains("if [[ \"${FLEET:-1}\" != \"0\" ]]; then\n  start_fleet ", start);
        Assert.Contains("simulate fleet --node", lib);
        Assert.Contains("for wanted in sim cometbft app; do", lib);
        Assert.Contains("FLEET=0 \"$LOCALNET_DIR/start.sh\" 4", File.ReadAllText(Path.Combine(RepoRoot(), "localnet", "test.sh")));
    }

    [Fact]
    public void The_IBC_localnet_refuses_a_bad_validator_count_in_one_line_before_anything_starts()
    {
        var (code, _, error) = Bash("localnet/ibc.sh", new Dictionary<string, string> { ["IBC_VALIDATORS"] = "12" });
        Assert.NotEqual(0, code);
        Assert.Equal("localnet-ibc: IBC_VALIDATORS must be 1..9, not '12'\n", error);
    }

    [Fact]
    public void Stop_with_nothing_recorded_touches_nothing()
    {
        string pids = Path.Combine(RepoRoot(), "localnet", ".run", "pids");
        if (File.Exists(pids))
            return; // a localnet is running on this checkout
        var (code, output, _) = Bash("localnet/stop.sh", new Dictionary<string, string>());
        Assert.Equal(0, code);
        Assert.StartsWith("no localnet running", output);
    }

    [Fact]
    public void A_cometbft_of_the_wrong_version_is_refused()
    {
        if (OperatingSystem.IsWindows())
            return; // the localnet scripts are bash
        string dir = Directory.CreateTempSubdirectory("depin-fakecomet-").FullName;
        try
        {
            string fake = Path.Combine(dir, "cometbft");
            File.WriteAllText(fake, "#!/bin/sh\necho 0.37.4\n");
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var (code, _, error) = Bash("localnet/start.sh", new Dictionary<string, string> { ["COMETBFT"] = fake }, "2");
            Assert.NotEqual(0, code);
            Assert.Contains("is CometBFT '0.37.4'; DePinChain needs v0.38.x (ABCI 2.0)", error);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
