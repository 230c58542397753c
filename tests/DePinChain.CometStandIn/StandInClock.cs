using DePinChain.Comet;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.CometStandIn;

/// <summary>
/// The stand-ins' wall clock, moved only by blocks and by tests: every block takes the current time and moves the
/// clock on by <see cref="BlockInterval"/>. Two chains given one clock see the same time, as two real chains do.
/// </summary>
public sealed class StandInClock(Timestamp start)
{
    private readonly Lock _gate = new();
    private Int128 _now = CometTime.Nanos(start);

    public Duration BlockInterval { get; set; } = Duration.FromTimeSpan(TimeSpan.FromSeconds(1));

    public Timestamp Now
    {
        get { lock (_gate) return CometTime.FromNanos(_now); }
    }

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        lock (_gate) _now += (Int128)by.Ticks * 100;
    }

    /// <summary>The time for a block: now, but after <paramref name="previous"/>; then the clock moves on one interval.</summary>
    internal Timestamp TakeBlockTime(Timestamp? previous)
    {
        lock (_gate)
        {
            Int128 time = _now;
            if (previous is not null && time <= CometTime.Nanos(previous)) time = CometTime.Nanos(previous) + 1_000_000;
            _now = time + CometTime.Nanos(BlockInterval);
            return CometTime.FromNanos(time);
        }
    }
}
