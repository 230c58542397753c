namespace DePinChain.Bench;

/// <summary>One measured figure, printed as a table row; Target is the figure the project aims for, if one is set.</summary>
public sealed record BenchResult(string Suite, string Name, string Value, string Target = "", string Note = "");

public static class BenchRunner
{
    // Explicit, ordered list of suites: name → runner. Suites append rows as they measure.
    private static readonly (string Name, Func<IReadOnlyList<string>, IEnumerable<BenchResult>> Run)[] Suites =
    [
        ("store", StoreBench.Run),   // issue figures: the multistore on LevelDB, as the app uses it
        ("iavl", IavlBench.Run),     // one tree without the multistore, for locating store costs
        ("app", AppBench.Run),       // issue 3 figures: bank sends through DePinApp on LevelDB
        ("rewards", RewardsBench.Run), // issue 6: epoch-end reward split at 100k devices (≤ 1 s)
        ("coverage", CoverageBench.Run), // issue 5 figures: MsgSubmitPoc with 10 witnesses through DePinApp on LevelDB
        ("fleet", FleetBench.Run),       // issue 12: the simulator builds and signs reports faster than the chain takes them
        ("staking", StakingBench.Run),   // issue 13: epoch end at 100k (opt-in 1M) delegations ≤ 50 ms; MsgDelegate blocks ≥ 5,000 tx/s
        ("api", ApiBench.Run),           // issue 15: REST balances and gRPC Balance at 100k accounts ≥ 10,000 req/s, p99 ≤ 5 ms
        ("comet", CometBench.Run),       // issue 14: light verification of a 150-validator header (MsgUpdateClient ≤ 15 ms)
        ("ibc", IbcBench.Run),           // issue 14: MsgUpdateClient through the app ≤ 15 ms; MsgRecvPacket blocks ≥ 1,500 packets/s
    ];

    public static int Run(string[] args)
    {
        // Suite names are the bare arguments, except one that follows a "--option" without "=" (its value).
        var selected = args.Where((a, i) => !a.StartsWith('-') && !(i > 0 && args[i - 1].StartsWith("--", StringComparison.Ordinal) && !args[i - 1].Contains('=')))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unknown = selected.Where(s => Suites.All(x => !x.Name.Equals(s, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"unknown suite(s): {string.Join(", ", unknown)}; known: {string.Join(", ", Suites.Select(s => s.Name))}");
            return 2;
        }
        var suites = Suites.Where(x => selected.Count == 0 || selected.Contains(x.Name)).ToList();
        var rowsFile = args.FirstOrDefault(a => a.StartsWith(RowsOption, StringComparison.Ordinal))?[RowsOption.Length..];
        var rows = new List<BenchResult>();
        if (suites.Count > 1 && rowsFile is null)
        {
            // Each suite in a process of its own: a suite must not pay for the heap, threads and page cache another
            // left behind (the 10M-key store suite leaves a multi-GiB heap that slows every later collection).
            foreach (var (name, _) in suites)
            {
                var exit = RunSuiteProcess(name, args, rows);
                if (exit != 0) return exit;
            }
        }
        else
        {
            foreach (var (name, run) in suites)
            {
                foreach (var row in run(args))
                {
                    rows.Add(row);
                    Console.Error.WriteLine($"  [{row.Suite}] {row.Name}: {row.Value} {row.Note}");
                    if (rowsFile is not null) File.AppendAllText(rowsFile, System.Text.Json.JsonSerializer.Serialize(row) + "\n");
                }
            }
            if (rowsFile is not null) return 0;
        }
        PrintTable(rows);
        return 0;
    }

    private const string RowsOption = "--rows-file=";

    /// <summary>Runs one suite in a child process of this program (same options) and collects its rows.</summary>
    private static int RunSuiteProcess(string suite, string[] args, List<BenchResult> rows)
    {
        var rowsFile = Path.Combine(Path.GetTempPath(), $"depin-bench-rows-{Environment.ProcessId}-{suite}.jsonl");
        File.Delete(rowsFile);
        var start = new System.Diagnostics.ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        // Run through the `dotnet` host: the entry assembly is the first argument.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") start.ArgumentList.Add(typeof(BenchRunner).Assembly.Location);
        start.ArgumentList.Add(suite);
        foreach (var arg in args.Where(a => Suites.All(x => !x.Name.Equals(a, StringComparison.OrdinalIgnoreCase)))) start.ArgumentList.Add(arg);
        start.ArgumentList.Add(RowsOption + rowsFile);
        using var child = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException($"could not start the {suite} suite");
        child.WaitForExit();
        try
        {
            if (File.Exists(rowsFile))
                rows.AddRange(File.ReadAllLines(rowsFile).Where(l => l.Length > 0).Select(l => System.Text.Json.JsonSerializer.Deserialize<BenchResult>(l)!));
        }
        finally
        {
            File.Delete(rowsFile);
        }
        if (child.ExitCode != 0) Console.Error.WriteLine($"the {suite} suite failed (exit {child.ExitCode})");
        return child.ExitCode;
    }

    public static void PrintTable(IReadOnlyList<BenchResult> rows)
    {
        string[] header = ["suite", "measure", "value", "target", "note"];
        var cells = rows.Select(r => new[] { r.Suite, r.Name, r.Value, r.Target, r.Note }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        string Line(string[] c) => "| " + string.Join(" | ", c.Select((x, i) => x.PadRight(widths[i]))) + " |";
        Console.WriteLine(Line(header));
        Console.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (var c in cells) Console.WriteLine(Line(c));
    }
}
