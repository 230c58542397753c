using System.Diagnostics;
using System.Text;
using DePinChain.Abci;

namespace DePinChain.IntegrationTests;

/// <summary>Where the repository and the built depinchaind live.</summary>
internal static class Paths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>depinchaind.dll next to the tests (the project reference copies it) or in the Node project's output.</summary>
    public static string DaemonDll { get; } = FindDaemon();

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DePinChain.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"DePinChain.sln not found above {AppContext.BaseDirectory}");
    }

    private static string FindDaemon()
    {
        string local = Path.Combine(AppContext.BaseDirectory, "depinchaind.dll");
        if (File.Exists(local) && File.Exists(Path.ChangeExtension(local, ".runtimeconfig.json"))) return local;
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
        string built = Path.Combine(RepoRoot, "app", "DePinChain.Node", "bin", configuration, "net10.0", "depinchaind.dll");
        if (File.Exists(built)) return built;
        throw new InvalidOperationException($"depinchaind.dll not found at {local} or {built}: build app/DePinChain.Node");
    }
}

/// <summary>A temporary directory removed on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "depin-it-" + Guid.NewGuid().ToString("N")[..12]);

    public TempDir() => Directory.CreateDirectory(Path);

    public string Sub(string name)
    {
        string path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>
/// One <c>dotnet depinchaind.dll start --home H</c> process serving ABCI on a unix socket inside its home. Output is kept
/// (last lines) for failure messages. Dispose kills it.
/// </summary>
internal sealed class Daemon : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private Daemon(string home, Process process)
    {
        Home = home;
        _process = process;
        Address = AddressFor(home);
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Home { get; }

    public string Address { get; }

    public bool HasExited => _process.HasExited;

    public int Pid => _process.Id;

    public static string AddressFor(string home) => "unix://" + System.IO.Path.Combine(home, "abci.sock");

    /// <param name="crashPoint">Value for the test-only DEPINCHAIN_CRASH_POINT hook, e.g. "before-commit-write:7".</param>
    public static Daemon Start(string home, string? crashPoint = null)
    {
        string config = System.IO.Path.Combine(home, "config");
        Directory.CreateDirectory(config);
        File.WriteAllText(System.IO.Path.Combine(config, "app.toml"),
            $"abci_address = \"{AddressFor(home)}\"\nabci_transport = \"socket\"\npruning = \"nothing\"\nlog_level = \"warn\"\n" +
            // Several daemons run at once: each gRPC API server and REST gateway on a free port.
            "[grpc]\naddress = \"127.0.0.1:0\"\n[api]\naddress = \"127.0.0.1:0\"\n");
        var start = new ProcessStartInfo("dotnet", [Paths.DaemonDll, "start", "--home", home])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        start.Environment["DOTNET_TieredPGO"] = "0";
        if (crashPoint is not null) start.Environment["DEPINCHAIN_CRASH_POINT"] = crashPoint;
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        return new Daemon(home, process);
    }

    /// <summary>Opens CometBFT's four connections, retrying while the process starts up.</summary>
    public async Task<AbciDriver> ConnectAsync()
    {
        using var timeout = new CancellationTokenSource(ConnectTimeout);
        string path = Address["unix://".Length..];
        while (!File.Exists(path))
        {
            if (_process.HasExited) throw new InvalidOperationException($"depinchaind exited with {_process.ExitCode} before listening:\n{Output}");
            await Task.Delay(20, timeout.Token);
        }
        return await AbciDriver.ConnectAsync(Address, timeout.Token, TimeSpan.FromMilliseconds(20));
    }

    /// <summary>kill -9.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>Waits for a process that is expected to die (a crash point); fails if it keeps running.</summary>
    public async Task<int> WaitForCrashAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try { await _process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            Kill();
            throw new InvalidOperationException($"depinchaind was expected to crash but kept running:\n{Output}");
        }
        return _process.ExitCode;
    }

    public string Output
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > 60) _output.Dequeue();
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
