using System.Diagnostics;
using System.Globalization;

namespace DePinChain.Bench;

/// <summary>
/// The process's CPU time split by who spent it, from Linux's per-thread accounting (/proc/self/task/*/schedstat and
/// comm): the calling thread, the runtime's thread-pool workers, write-behind threads, GC threads, and native
/// threads the runtime did not name (LevelDB's compaction thread). CPU of threads that ended between two snapshots
/// (each write-behind commit runs on a thread of its own) is the process total minus what the live threads account for.
/// </summary>
internal sealed class ThreadGroupsCpu
{
    private readonly Dictionary<int, (string Group, double Milliseconds)> _threads;
    private readonly double _processMilliseconds;

    private ThreadGroupsCpu(Dictionary<int, (string, double)> threads, double processMilliseconds)
    {
        _threads = threads;
        _processMilliseconds = processMilliseconds;
    }

    public static ThreadGroupsCpu Now()
    {
        var threads = new Dictionary<int, (string, double)>();
        var main = Environment.ProcessId;
        if (OperatingSystem.IsLinux())
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc/self/task"))
            {
                try
                {
                    var tid = int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture);
                    var name = File.ReadAllText(Path.Combine(dir, "comm")).Trim();
                    var nanoseconds = long.Parse(File.ReadAllText(Path.Combine(dir, "schedstat")).Split(' ')[0], CultureInfo.InvariantCulture);
                    threads[tid] = (GroupOf(tid == main, name), nanoseconds / 1e6);
                }
                catch (IOException)
                {
                    // The thread ended while being listed: its time shows up in the remainder.
                }
            }
        }
        return new ThreadGroupsCpu(threads, Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds);
    }

    private static string GroupOf(bool main, string name) => name switch
    {
        _ when main => "main thread",
        ".NET TP Worker" => "thread pool (hashing, numbering, encoding)",
        ".NET Long Runni" => "write-behind (staging, pruning, LevelDB write)",
        ".NET Server GC" or ".NET BGC" or ".NET Background" => "GC",
        "dotnet" => "unnamed native (LevelDB compaction)",
        _ => "other",
    };

    /// <summary>Milliseconds per <paramref name="units"/> by group since <paramref name="before"/>, largest first.</summary>
    public string Since(ThreadGroupsCpu before, int units)
    {
        if (_threads.Count == 0) return "per-thread CPU unavailable (not Linux)";
        var groups = new Dictionary<string, double>(StringComparer.Ordinal);
        double accounted = 0;
        foreach (var (tid, (group, milliseconds)) in _threads)
        {
            var spent = before._threads.TryGetValue(tid, out var earlier) ? milliseconds - earlier.Milliseconds : milliseconds;
            groups[group] = groups.GetValueOrDefault(group) + spent;
            accounted += spent;
        }
        var ended = _processMilliseconds - before._processMilliseconds - accounted;
        groups["threads that ended (write-behind commits)"] = Math.Max(0, ended);
        return string.Join(", ", groups.Where(g => g.Value / units >= 0.5).OrderByDescending(g => g.Value).Select(g => $"{g.Key} {g.Value / units:F0}"));
    }
}
