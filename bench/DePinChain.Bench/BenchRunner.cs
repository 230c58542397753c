namespace DePinChain.Bench;

/// <summary>One measured figure, printed as a table row; Target is the issue's figure, if it names one.</summary>
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
        var rows = new List<BenchResult>();
        foreach (var (name, run) in Suites)
        {
            if (selected.Count > 0 && !selected.Contains(name)) continue;
            foreach (var row in run(args))
            {
                rows.Add(row);
                Console.Error.WriteLine($"  [{row.Suite}] {row.Name}: {row.Value} {row.Note}");
            }
        }
        PrintTable(rows);
        return 0;
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
