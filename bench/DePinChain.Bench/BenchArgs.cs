using System.Diagnostics;

namespace DePinChain.Bench;

/// <summary>What every suite shares: its `--name=value` options and the measure of one timed step.</summary>
internal static class BenchArgs
{
    /// <summary>The value of <c>--name=value</c> (or <c>--name value</c>) among the bench's arguments, else <paramref name="fallback"/>.</summary>
    public static string Option(IReadOnlyList<string> args, string name, string fallback)
    {
        string prefix = "--" + name + "=";
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i].StartsWith(prefix, StringComparison.Ordinal)) return args[i][prefix.Length..];
            if (args[i] == "--" + name && i + 1 < args.Count) return args[i + 1];
        }
        return fallback;
    }

    /// <summary>
    /// Wall and process CPU milliseconds and managed MB allocated: the machine is shared, so CPU time is the steadier
    /// time figure, and allocation (deterministic for deterministic data) the steadiest measure of the work done.
    /// </summary>
    public static (double Wall, double Cpu, double AllocatedMb) Measure(Action action)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        action();
        process.Refresh();
        return (sw.Elapsed.TotalMilliseconds, (process.TotalProcessorTime - cpu).TotalMilliseconds,
            (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (1024.0 * 1024.0));
    }
}
