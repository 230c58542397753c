using System.Globalization;
using DePinChain.Comet;
using DePinChain.Comet.Light;
using DePinChain.Comet.Signing;
using DePinChain.Protos.Types;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using static DePinChain.Bench.BenchArgs;

namespace DePinChain.Bench;

/// <summary>
/// CometBFT light verification of a 150-validator signed header (issue 14: MsgUpdateClient with a 150-validator
/// header ≤ 15 ms of FinalizeBlock). Measures the library alone, from the proto messages MsgUpdateClient carries
/// (the validator sets are converted and hashed each time, as a client update must). Deterministic keys, equal power.
/// Options: --comet-validators=150 --comet-iterations=50.
/// </summary>
public static class CometBench
{
    public static IEnumerable<BenchResult> Run(IReadOnlyList<string> args)
    {
        int n = int.Parse(Option(args, "comet-validators", "150"), CultureInfo.InvariantCulture);
        int iterations = int.Parse(Option(args, "comet-iterations", "50"), CultureInfo.InvariantCulture);
        var vals = LocalValidatorSet.Generate("bench", n, _ => 1000);
        var parts = new PartSetHeader { Total = 1, Hash = ByteString.CopyFrom(new byte[32]) };
        var h1 = CommitSigner.SignHeader(Header(vals, 1, new BlockID { PartSetHeader = new PartSetHeader() }), vals, parts);
        var h2 = CommitSigner.SignHeader(Header(vals, 2, h1.Commit.BlockId), vals, parts);
        var h100 = CommitSigner.SignHeader(Header(vals, 100, h1.Commit.BlockId), vals, parts);
        var period = new Duration { Seconds = 14 * 24 * 3600 };
        var drift = new Duration { Seconds = 10 };
        var now = CometTime.FromNanos(CometTime.Nanos(h100.Header.Time) + CometTime.NanosPerSecond);

        yield return Row($"VerifyAdjacent, {n} validators", iterations,
            () => LightVerifier.VerifyAdjacent(h1, h2, vals.ValidatorSet, period, now, drift));
        yield return Row($"VerifyNonAdjacent (trust 1/3), {n} validators", iterations,
            () => LightVerifier.VerifyNonAdjacent(h1, vals.ValidatorSet, h100, vals.ValidatorSet, period, now, drift, TrustLevel.OneThird));
    }

    private static BenchResult Row(string name, int iterations, Action verify)
    {
        verify(); // warm-up, and a failed verification stops the bench here
        var times = new List<double>(iterations);
        double cpu = 0, allocated = 0;
        for (int i = 0; i < iterations; i++)
        {
            var (wall, c, mb) = Measure(verify);
            times.Add(wall);
            cpu += c;
            allocated += mb;
        }
        times.Sort();
        double median = times[times.Count / 2];
        double p95 = times[(int)Math.Min(times.Count - 1, Math.Ceiling(times.Count * 0.95) - 1)];
        return new BenchResult("comet", name, $"{median:F2} ms median", "≤ 15 ms (whole MsgUpdateClient)",
            $"p95 {p95:F2} ms, cpu {cpu / iterations:F2} ms, {allocated / iterations * 1024:F0} KB alloc per verify, {iterations} runs");
    }

    private static Header Header(LocalValidatorSet vals, long height, BlockID lastBlockId)
        => HeaderFactory.Create("bench-1", height, new Timestamp { Seconds = 1_800_000_000 + height * 5 }, lastBlockId, lastCommit: null,
            vals, vals, ByteString.CopyFrom(new byte[32]));
}
