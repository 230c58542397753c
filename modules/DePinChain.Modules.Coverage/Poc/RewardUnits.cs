namespace DePinChain.Modules.Coverage.Poc;

/// <summary>
/// HIP-15 reward units per beacon, in fixed point (<see cref="Scale"/> = 1.0), floored at every step.
/// With w selected witnesses, redundancy N, decay r and transmitter cap C:
///   w ≤ N: transmitter w/N, each witness 1;
///   w &gt; N: transmitter min(C, 1 + (C − 1)·(1 − r^(w−N))), each witness (N − (1 − r^(w−N))) / w.
/// With C = 2 the total is N + 1 for every w ≥ N: extra witnesses share a fixed pool instead of
/// inflating it. Worked examples, N = 4, r = 0.8, C = 2:
///   w = 1  → transmitter 0.25,        witness 1.0
///   w = 4  → transmitter 1.0,         witness 1.0
///   w = 5  → transmitter 1.2,         witness 0.76         (r^1 = 0.8)
///   w = 10 → transmitter 1.737856,    witness 0.3262144    (r^6 = 0.262144)
///   w = 14 → transmitter 1.892625818, witness 0.221955298  (r^10 = 0.107374182 after flooring)
/// </summary>
public static class RewardUnits
{
    public const long Scale = 1_000_000_000;

    /// <summary>r^k, flooring after each multiplication.</summary>
    public static long DecayPower(long decayFixed, int k)
    {
        var result = Scale;
        for (var i = 0; i < k && result != 0; i++)
            result = result * decayFixed / Scale;
        return result;
    }

    public static long TransmitterUnits(int witnesses, int redundancy, long decayFixed, long capFixed)
    {
        if (witnesses <= 0) return 0;
        if (witnesses <= redundancy) return witnesses * Scale / redundancy;
        var growth = Scale - DecayPower(decayFixed, witnesses - redundancy);
        return Math.Min(capFixed, Scale + (capFixed - Scale) * growth / Scale);
    }

    public static long WitnessUnits(int witnesses, int redundancy, long decayFixed)
    {
        if (witnesses <= 0) return 0;
        if (witnesses <= redundancy) return Scale;
        var growth = Scale - DecayPower(decayFixed, witnesses - redundancy);
        return (redundancy * Scale - growth) / witnesses;
    }

    /// <summary>units · scale, both fixed point, floored.</summary>
    public static long ApplyScale(long units, long scaleFixed) => (long)((Int128)units * scaleFixed / Scale);

    /// <summary>Fixed point as "1.737856000" (for reasons, logs and docs).</summary>
    public static string Format(long fixedPoint) => $"{fixedPoint / Scale}.{Math.Abs(fixedPoint % Scale):D9}";
}
