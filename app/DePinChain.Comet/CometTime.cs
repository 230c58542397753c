using Google.Protobuf.WellKnownTypes;

namespace DePinChain.Comet;

/// <summary>
/// Protobuf times and durations as integer nanoseconds (Int128: no overflow for any valid timestamp plus duration), so
/// comparisons match Go's <c>time.Time</c> to the nanosecond without floating point or the wall clock.
/// </summary>
public static class CometTime
{
    /// <summary>Go's zero <c>time.Time</c> (0001-01-01T00:00:00Z), what CometBFT encodes for an unset non-nullable time.</summary>
    public static Timestamp GoZeroTime => new() { Seconds = -62135596800, Nanos = 0 };

    public const long NanosPerSecond = 1_000_000_000;

    public static Int128 Nanos(Timestamp? time)
    {
        var t = time ?? GoZeroTime;
        return (Int128)t.Seconds * NanosPerSecond + t.Nanos;
    }

    public static Int128 Nanos(Duration? duration)
        => duration is null ? 0 : (Int128)duration.Seconds * NanosPerSecond + duration.Nanos;

    public static Timestamp FromNanos(Int128 nanos)
    {
        var seconds = (long)Int128.DivRem(nanos, NanosPerSecond).Quotient;
        var rest = (int)(nanos - (Int128)seconds * NanosPerSecond);
        if (rest < 0) { seconds--; rest += (int)NanosPerSecond; }
        return new Timestamp { Seconds = seconds, Nanos = rest };
    }

    public static Timestamp Add(Timestamp time, Duration duration) => FromNanos(Nanos(time) + Nanos(duration));

    /// <summary>RFC 3339 with nanoseconds, as CometBFT prints times in its errors.</summary>
    public static string Format(Timestamp? time)
    {
        var t = time ?? GoZeroTime;
        var whole = DateTimeOffset.FromUnixTimeSeconds(t.Seconds).UtcDateTime;
        return whole.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)
            + (t.Nanos == 0 ? "" : "." + t.Nanos.ToString("D9", System.Globalization.CultureInfo.InvariantCulture).TrimEnd('0')) + "Z";
    }

    public static string Format(Duration? duration)
    {
        var ns = Nanos(duration);
        return ns % NanosPerSecond == 0 ? $"{ns / NanosPerSecond}s" : $"{ns}ns";
    }
}
