using System.Numerics;
using DePinChain.Protos.Depin.Mint.V1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Mint;

/// <summary>
/// The scheduled emission: initial · 2^−⌊e / halving interval⌋, floored (an integer right shift), so epoch
/// e of the k-th halving period mints initial &gt;&gt; k. The hard cap is applied by the keeper on top of this.
/// </summary>
public static class EmissionSchedule
{
    /// <summary>
    /// Bound on each part of an epoch's emission (scheduled, re-emitted) so that their sum fits 64 bits: reward
    /// arithmetic then runs in ulong/UInt128. 2^63 udpin is 9.2 trillion DPIN.
    /// </summary>
    public static readonly BigInteger MaxEpochPart = long.MaxValue;

    public static BigInteger ScheduledFor(Schedule schedule, long epoch)
        => ScheduledFor(Amounts.Parse(schedule.InitialEpochEmission, "initial_epoch_emission"), schedule.HalvingIntervalEpochs, epoch);

    public static BigInteger ScheduledFor(BigInteger initial, long halvingIntervalEpochs, long epoch)
    {
        if (epoch < 0) throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "epoch must not be negative");
        long halvings = epoch / halvingIntervalEpochs;
        // Amounts are below 2^256, so 256 halvings leave nothing.
        return halvings >= 256 ? BigInteger.Zero : initial >> (int)halvings;
    }
}
