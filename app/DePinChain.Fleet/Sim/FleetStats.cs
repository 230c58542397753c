using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using DePinChain.Modules.Coverage.Poc;

namespace DePinChain.Fleet.Sim;

/// <summary>Counts for one epoch (or the whole run): reports and witnesses by verdict, cheats caught, traffic, rewards.</summary>
public sealed class FleetTally
{
    public long ReportsSubmitted { get; set; }
    public long ReportsAccepted { get; set; }
    /// <summary>Rejected reports (failed txs) by reason: a PoC verdict name, or codespace/code for anything else.</summary>
    public SortedDictionary<string, long> ReportsRejected { get; } = new(StringComparer.Ordinal);
    /// <summary>Accepted reports by beacon verdict (Valid, BeaconerNoReciprocity).</summary>
    public SortedDictionary<string, long> BeaconVerdicts { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, long> WitnessVerdicts { get; } = new(StringComparer.Ordinal);
    /// <summary>Per cheat kind: reports or witnesses that cheated, and how many of them got the matching rejection.</summary>
    public SortedDictionary<string, (long Attempts, long Caught)> Cheats { get; } = new(StringComparer.Ordinal);
    public long Unexpected { get; set; }
    public long TrafficReports { get; set; }
    public long TrafficBytes { get; set; }
    public long CheckTxFailures { get; set; }
    public long TxsSent { get; set; }

    public void Add(SortedDictionary<string, long> map, string key, long n = 1) => map[key] = map.GetValueOrDefault(key) + n;

    public void Cheat(CheatKind kind, bool caught)
    {
        var (attempts, hits) = Cheats.GetValueOrDefault(kind.ToString());
        Cheats[kind.ToString()] = (attempts + 1, hits + (caught ? 1 : 0));
    }

    public long RejectedTotal => ReportsRejected.Values.Sum();

    public void AddTo(FleetTally total)
    {
        total.ReportsSubmitted += ReportsSubmitted;
        total.ReportsAccepted += ReportsAccepted;
        foreach (var (k, v) in ReportsRejected) total.Add(total.ReportsRejected, k, v);
        foreach (var (k, v) in BeaconVerdicts) total.Add(total.BeaconVerdicts, k, v);
        foreach (var (k, v) in WitnessVerdicts) total.Add(total.WitnessVerdicts, k, v);
        foreach (var (k, (a, c)) in Cheats)
        {
            var (ta, tc) = total.Cheats.GetValueOrDefault(k);
            total.Cheats[k] = (ta + a, tc + c);
        }
        total.Unexpected += Unexpected;
        total.TrafficReports += TrafficReports;
        total.TrafficBytes += TrafficBytes;
        total.CheckTxFailures += CheckTxFailures;
        total.TxsSent += TxsSent;
    }

    public JsonObject ToJson() => new()
    {
        ["reports_submitted"] = ReportsSubmitted,
        ["reports_accepted"] = ReportsAccepted,
        ["reports_rejected"] = Map(ReportsRejected),
        ["beacon_verdicts"] = Map(BeaconVerdicts),
        ["witness_verdicts"] = Map(WitnessVerdicts),
        ["cheats"] = new JsonObject(Cheats.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)new JsonObject { ["attempts"] = c.Value.Attempts, ["caught"] = c.Value.Caught }))),
        ["unexpected_verdicts"] = Unexpected,
        ["traffic_reports"] = TrafficReports,
        ["traffic_bytes"] = TrafficBytes,
        ["txs_sent"] = TxsSent,
        ["checktx_failures"] = CheckTxFailures,
    };

    private static JsonObject Map(SortedDictionary<string, long> map) => new(map.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));

    public static string Describe(SortedDictionary<string, long> map) =>
        map.Count == 0 ? "none" : string.Join(", ", map.Select(p => $"{p.Key} {p.Value.ToString(CultureInfo.InvariantCulture)}"));
}

/// <summary>One finished epoch: what the fleet did in its blocks, and what the chain paid for it.</summary>
public sealed record EpochReport(long Epoch, long FirstHeight, long LastHeight, FleetTally Tally, BigInteger? PaidToDevices, ulong DevicesRewarded, BigInteger? Minted)
{
    public JsonObject ToJson()
    {
        var o = new JsonObject
        {
            ["event"] = "epoch",
            ["epoch"] = Epoch,
            ["first_height"] = FirstHeight,
            ["last_height"] = LastHeight,
        };
        foreach (var (k, v) in Tally.ToJson()) o[k] = v?.DeepClone();
        o["rewards_paid_to_devices"] = PaidToDevices?.ToString(CultureInfo.InvariantCulture);
        o["devices_rewarded"] = DevicesRewarded;
        o["minted"] = Minted?.ToString(CultureInfo.InvariantCulture);
        return o;
    }

    public string ToText(string denom) =>
        $"epoch {Epoch} (blocks {FirstHeight}-{LastHeight}): reports {Tally.ReportsAccepted} accepted, {Tally.RejectedTotal} rejected ({FleetTally.Describe(Tally.ReportsRejected)}); "
        + $"witnesses {FleetTally.Describe(Tally.WitnessVerdicts)}; traffic {Tally.TrafficReports} reports; "
        + (PaidToDevices is { } paid ? $"rewards paid {paid}{denom} to {DevicesRewarded} devices" : "rewards: no summary yet")
        + (Tally.Unexpected > 0 ? $"; {Tally.Unexpected} UNEXPECTED verdicts" : "");
}

/// <summary>The end of a run: the world, every count, rewards, and the chain's state at the end.</summary>
public sealed record FleetSummary(
    string ChainId,
    ulong Seed,
    int Devices,
    IReadOnlyDictionary<string, int> CheatersByKind,
    long FirstHeight,
    long LastHeight,
    string AppHash,
    FleetTally Total,
    IReadOnlyList<EpochReport> Epochs,
    IReadOnlyList<string> UnexpectedSamples)
{
    public BigInteger RewardsPaid => Epochs.Aggregate(BigInteger.Zero, (s, e) => s + (e.PaidToDevices ?? 0));

    public JsonObject ToJson()
    {
        var o = new JsonObject
        {
            ["event"] = "summary",
            ["chain_id"] = ChainId,
            ["seed"] = Seed,
            ["devices"] = Devices,
            ["cheaters"] = new JsonObject(CheatersByKind.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))),
            ["first_height"] = FirstHeight,
            ["last_height"] = LastHeight,
            ["app_hash"] = AppHash,
            ["epochs"] = Epochs.Count,
            ["rewards_paid_to_devices"] = RewardsPaid.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (k, v) in Total.ToJson()) o[k] = v?.DeepClone();
        o["unexpected_samples"] = new JsonArray(UnexpectedSamples.Select(s => (JsonNode)s).ToArray());
        return o;
    }

    public IEnumerable<string> ToText(string denom)
    {
        yield return $"fleet summary: {Devices} devices (cheaters: {string.Join(", ", CheatersByKind.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"))}), blocks {FirstHeight}-{LastHeight}, {Epochs.Count} epochs";
        yield return $"  reports: {Total.ReportsSubmitted} submitted, {Total.ReportsAccepted} accepted, {Total.RejectedTotal} rejected ({FleetTally.Describe(Total.ReportsRejected)})";
        yield return $"  accepted beacons: {FleetTally.Describe(Total.BeaconVerdicts)}";
        yield return $"  witnesses: {FleetTally.Describe(Total.WitnessVerdicts)}";
        yield return $"  cheats caught: {string.Join(", ", Total.Cheats.Select(c => $"{c.Key} {c.Value.Caught}/{c.Value.Attempts}"))}";
        yield return $"  traffic: {Total.TrafficReports} reports, {Total.TrafficBytes} bytes; txs: {Total.TxsSent} sent, {Total.CheckTxFailures} refused by CheckTx";
        yield return $"  rewards paid to devices: {RewardsPaid}{denom}";
        yield return $"  unexpected verdicts: {Total.Unexpected}";
        foreach (var s in UnexpectedSamples) yield return "    " + s;
        yield return $"  app hash at height {LastHeight}: {AppHash}";
    }
}

internal static class VerdictNames
{
    public static string Of(uint code) => Enum.IsDefined(typeof(PocVerdict), code) ? ((PocVerdict)code).ToString() : $"coverage/{code}";
}
