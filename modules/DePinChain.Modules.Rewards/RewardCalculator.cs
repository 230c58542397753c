namespace DePinChain.Modules.Rewards;

/// <summary>The split in basis points (the five shares sum to 10,000) and the data-overflow split.</summary>
public readonly record struct RewardShares(uint BeaconBps, uint WitnessBps, uint DataTransferBps, uint ValidatorBps, uint TreasuryBps, uint OverflowWitnessBps)
{
    public const uint Total = 10_000;

    /// <summary>Beacons 6%, witnesses 24%, data transfer 50%, validators 14%, treasury 6%; overflow 80% to witnesses.</summary>
    public static RewardShares Default => new(600, 2_400, 5_000, 1_400, 600, 8_000);

    /// <summary>Null when usable, else why not.</summary>
    public string? Validate()
    {
        ulong sum = (ulong)BeaconBps + WitnessBps + DataTransferBps + ValidatorBps + TreasuryBps;
        if (sum != Total) return $"shares sum to {sum} basis points, not {Total}";
        return OverflowWitnessBps > Total ? $"overflow_witness_bps {OverflowWitnessBps} is above {Total}" : null;
    }
}

/// <summary>
/// One device's inputs for an epoch. Units are fixed point (10^9 = 1.0) and already density-scaled, as proof of
/// coverage produces them (HIP-17 scales a beacon and its witnesses by the beaconer's cell); the density scale
/// is carried only so the reward record can explain the result.
/// </summary>
/// <param name="Owner">Who is paid; null when the device has no active owner any more (its share goes to the treasury).</param>
public readonly record struct DeviceEpochInput(
    byte[] DeviceKey, byte[]? Owner, ulong BeaconUnits, ulong WitnessUnits, ulong DensityScale, ulong TrafficBytes, ulong TrafficDc);

/// <summary>One device's reward: the three parts, each floored on its own.</summary>
public readonly record struct DeviceReward(ulong BeaconAmount, ulong WitnessAmount, ulong DataAmount)
{
    public ulong Amount => BeaconAmount + WitnessAmount + DataAmount;
}

/// <summary>
/// An epoch's pools and what the devices share: <paramref name="BeaconAmount"/> by beacon units (the beacon pool and the
/// overflow's beacon part), <paramref name="WitnessAmount"/> by witness units, <paramref name="DataAmount"/> (data paid)
/// by DC. <see cref="DeviceShare"/> is the one per-device formula, eager or lazy.
/// </summary>
public readonly record struct EpochSplit(
    ulong BeaconPool, ulong WitnessPool, ulong DataPool, ulong ValidatorPool, ulong TreasuryPool, ulong DataCap, ulong DataOverflow,
    ulong BeaconAmount, ulong WitnessAmount, ulong DataAmount, UInt128 TotalBeaconUnits, UInt128 TotalWitnessUnits, UInt128 TotalDc)
{
    /// <summary>⌊amount · mine / total⌋ per part, 0 for a part nobody earned.</summary>
    /// <exception cref="InvalidOperationException">A device claims more units or DC than the epoch's total (a source broke its contract).</exception>
    public DeviceReward DeviceShare(ulong beaconUnits, ulong witnessUnits, ulong trafficDc)
    {
        if (beaconUnits > TotalBeaconUnits || witnessUnits > TotalWitnessUnits || trafficDc > TotalDc)
            throw new InvalidOperationException($"a device's units ({beaconUnits}, {witnessUnits}) or DC ({trafficDc}) exceed the epoch's totals ({TotalBeaconUnits}, {TotalWitnessUnits}, {TotalDc})");
        ulong beacon = TotalBeaconUnits == 0 ? 0 : (ulong)(BeaconAmount * (UInt128)beaconUnits / TotalBeaconUnits);
        ulong witness = TotalWitnessUnits == 0 ? 0 : (ulong)(WitnessAmount * (UInt128)witnessUnits / TotalWitnessUnits);
        ulong data = TotalDc == 0 ? 0 : (ulong)(DataAmount * (UInt128)trafficDc / TotalDc);
        return new DeviceReward(beacon, witness, data);
    }
}

/// <summary>A validator's weight for the epoch: the sum of its power over the blocks it signed.</summary>
public readonly record struct ValidatorWeight(byte[] ConsensusAddress, byte[]? PayoutAddress, ulong SignedPower);

/// <summary>Everything an epoch end pays, with the pools it came from. Totals satisfy PaidToDevices + PaidToValidators + ToTreasury = Minted.</summary>
public sealed class EpochRewards
{
    public ulong Minted { get; init; }
    public ulong BeaconPool { get; init; }
    public ulong WitnessPool { get; init; }
    public ulong DataPool { get; init; }
    public ulong ValidatorPool { get; init; }
    public ulong TreasuryPool { get; init; }
    public ulong DataCap { get; init; }
    public ulong DataOverflow { get; init; }
    public ulong TotalBeaconUnits { get; init; }
    public ulong TotalWitnessUnits { get; init; }
    public ulong TotalTrafficDc { get; init; }

    /// <summary>Parallel to the input devices.</summary>
    public required DeviceReward[] Devices { get; init; }

    /// <summary>Parallel to the input validators.</summary>
    public required ulong[] Validators { get; init; }

    /// <summary>Paid to device owners (devices without an owner excluded).</summary>
    public ulong PaidToDevices { get; init; }

    public ulong PaidToValidators { get; init; }

    /// <summary>The treasury share, every rounding remainder, and every share nobody could be paid.</summary>
    public ulong ToTreasury { get; init; }
}

/// <summary>
/// The epoch-end split, in integers only. With M minted:
///   pool_x = ⌊M · bps_x / 10^4⌋ for beacons, witnesses, data transfer, validators; treasury gets M minus those.
///   data cap = ⌊total DC · 10^6 / price⌋ (the udpin value of the DC burned for the epoch's traffic);
///   data paid = min(data pool, cap); overflow = data pool − data paid → ⌊overflow · ow / 10^4⌋ to witnesses, rest to beacons.
///   device beacon = ⌊beacon pool · beacon units_i / Σ beacon units⌋ (units arrive density-scaled);
///   device witness = ⌊witness pool · witness units_i / Σ witness units⌋; device data = ⌊data paid · dc_i / Σ dc⌋;
///   validator = ⌊validator pool · signed power_v / Σ signed power⌋.
/// A pool with no units at all, every floor remainder and every share of a device without owner or a validator
/// without payout address go to the treasury, so paid + treasury = minted exactly.
/// </summary>
public static class RewardCalculator
{
    public const ulong UnitScale = 1_000_000_000;
    public const ulong MicroPerToken = 1_000_000;

    /// <exception cref="ArgumentException">Invalid shares, a zero price, or a density scale above 1.0.</exception>
    public static EpochRewards Compute(ulong minted, RewardShares shares, ulong dcPerDpin, ReadOnlySpan<DeviceEpochInput> devices, ReadOnlySpan<ValidatorWeight> validators)
    {
        UInt128 totalBeacon = 0, totalWitness = 0, totalDc = 0;
        for (int i = 0; i < devices.Length; i++)
        {
            ref readonly var d = ref devices[i];
            if (d.DensityScale > UnitScale) throw new ArgumentException($"device {Convert.ToHexString(d.DeviceKey)} has density scale {d.DensityScale} above 1.0");
            totalBeacon += d.BeaconUnits;
            totalWitness += d.WitnessUnits;
            totalDc += d.TrafficDc;
        }
        var split = Split(minted, shares, dcPerDpin, totalBeacon, totalWitness, totalDc);
        ulong beaconPool = split.BeaconPool, witnessPool = split.WitnessPool, dataPool = split.DataPool;
        ulong validatorPool = split.ValidatorPool, treasuryPool = split.TreasuryPool, dataCap = split.DataCap, overflow = split.DataOverflow;

        var rewards = new DeviceReward[devices.Length];
        UInt128 paidDevices = 0;
        for (int i = 0; i < devices.Length; i++)
        {
            ref readonly var d = ref devices[i];
            rewards[i] = split.DeviceShare(d.BeaconUnits, d.WitnessUnits, d.TrafficDc);
            if (d.Owner is not null) paidDevices += rewards[i].Amount;
        }

        var validatorAmounts = SplitValidators(validatorPool, validators);
        UInt128 paidValidators = 0;
        for (int i = 0; i < validators.Length; i++)
            if (validators[i].PayoutAddress is not null) paidValidators += validatorAmounts[i];

        // Each pool's floors sum to at most the pool, so paid ≤ minted and the difference is the treasury's.
        UInt128 paid = paidDevices + paidValidators;
        if (paid > minted) throw new InvalidOperationException($"rewards paid {paid} exceed the {minted} minted");
        return new EpochRewards
        {
            Minted = minted,
            BeaconPool = beaconPool,
            WitnessPool = witnessPool,
            DataPool = dataPool,
            ValidatorPool = validatorPool,
            TreasuryPool = treasuryPool,
            DataCap = dataCap,
            DataOverflow = overflow,
            TotalBeaconUnits = Saturate(totalBeacon),
            TotalWitnessUnits = Saturate(totalWitness),
            TotalTrafficDc = Saturate(totalDc),
            Devices = rewards,
            Validators = validatorAmounts,
            PaidToDevices = (ulong)paidDevices,
            PaidToValidators = (ulong)paidValidators,
            ToTreasury = minted - (ulong)paid,
        };
    }

    /// <summary>
    /// The epoch's pools and the three amounts devices share, from the epoch's totals alone: all the exact split needs
    /// besides each device's own units and DC (what the lazy payout records at the epoch end).
    /// </summary>
    /// <exception cref="ArgumentException">Invalid shares or a zero price.</exception>
    public static EpochSplit Split(ulong minted, RewardShares shares, ulong dcPerDpin, UInt128 totalBeaconUnits, UInt128 totalWitnessUnits, UInt128 totalDc)
    {
        if (shares.Validate() is { } why) throw new ArgumentException(why, nameof(shares));
        if (dcPerDpin == 0) throw new ArgumentException("the DC price must be positive", nameof(dcPerDpin));
        ulong beaconPool = Share(minted, shares.BeaconBps);
        ulong witnessPool = Share(minted, shares.WitnessBps);
        ulong dataPool = Share(minted, shares.DataTransferBps);
        ulong validatorPool = Share(minted, shares.ValidatorBps);
        ulong treasuryPool = minted - beaconPool - witnessPool - dataPool - validatorPool;
        // The value of the DC burned, in udpin at today's price; saturates far above any pool.
        UInt128 capWide = totalDc * MicroPerToken / dcPerDpin;
        ulong dataCap = capWide > ulong.MaxValue ? ulong.MaxValue : (ulong)capWide;
        ulong dataPaidPool = Math.Min(dataPool, dataCap);
        ulong overflow = dataPool - dataPaidPool;
        ulong witnessExtra = Share(overflow, shares.OverflowWitnessBps);
        return new EpochSplit(beaconPool, witnessPool, dataPool, validatorPool, treasuryPool, dataCap, overflow,
            beaconPool + (overflow - witnessExtra), witnessPool + witnessExtra, dataPaidPool, totalBeaconUnits, totalWitnessUnits, totalDc);
    }

    /// <summary>validator = ⌊pool · signed power_v / Σ signed power⌋, parallel to <paramref name="validators"/>.</summary>
    public static ulong[] SplitValidators(ulong pool, ReadOnlySpan<ValidatorWeight> validators)
    {
        UInt128 totalPower = 0;
        foreach (var v in validators) totalPower += v.SignedPower;
        var amounts = new ulong[validators.Length];
        for (int i = 0; i < validators.Length; i++)
            amounts[i] = totalPower == 0 ? 0 : (ulong)(pool * (UInt128)validators[i].SignedPower / totalPower);
        return amounts;
    }

    public static ulong Share(ulong amount, uint bps) => (ulong)((UInt128)amount * bps / RewardShares.Total);

    private static ulong Saturate(UInt128 v) => v > ulong.MaxValue ? ulong.MaxValue : (ulong)v;
}
