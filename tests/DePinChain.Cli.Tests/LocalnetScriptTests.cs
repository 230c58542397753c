using System.Diagnostics;

namespace DePinChain.Cli.Tests;

/// <summary>The localnet scripts' paths that need no cometbft binary.</summary>
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
        start.ArgumentList.Add(Path.Combine(RepoRoot(), script));
        foreach (string a in args)
            start.ArgumentList.Add(a);
        start.Environment.Remove("COMETBFT");
        foreach (var (key, value) in env)
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error);
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
    public void Every_localnet_script_parses()
    {
        foreach (string script in Directory.EnumerateFiles(Path.Combine(RepoRoot(), "localnet"), "*.sh"))
        {
            var start = new ProcessStartInfo("bash") { RedirectStandardError = true, ArgumentList = { "-n", script } };
            using var process = Process.Start(start)!;
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{script}: {error}");
        }
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
