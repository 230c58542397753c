namespace DePinChain.Modules.Coverage.Poc;

/// <summary>
/// Proof-of-coverage rules as parameters. Block-count defaults assume the nominal 5 s block time
/// (<see cref="NominalBlockTimeSeconds"/>): 10 min = 120 blocks, 6 h = 4,320 blocks, 48 h = 34,560 blocks.
/// Epochs are not a coverage param: they are the chain's (<see cref="IEpochClock"/>).
/// </summary>
public sealed record PocParams
{
    public const int NominalBlockTimeSeconds = 5;

    /// <summary>A beacon's entropy must be the hash of one of the last this many blocks (10 min).</summary>
    public long EntropyWindowBlocks { get; init; } = 120;
    /// <summary>At most one beacon per device per this many blocks (6 h).</summary>
    public long BeaconIntervalBlocks { get; init; } = 4_320;
    /// <summary>Reciprocity look-back, and the new-device exemption (48 h).</summary>
    public long ReciprocityWindowBlocks { get; init; } = 34_560;
    public long MaxWitnessDelayMs { get; init; } = 4_000;
    public long FrequencyToleranceHz { get; init; } = 100_000;
    public long MinWitnessDistanceMetres { get; init; } = 400;
    public long MaxWitnessDistanceMetres { get; init; } = 100_000;
    /// <summary>Witnesses that pass every check beyond this many are recorded as unselected.</summary>
    public int MaxSelectedWitnesses { get; init; } = 14;
    /// <summary>A report with more witnesses than this is malformed (bounds the work per transaction).</summary>
    public int MaxWitnessesPerReport { get; init; } = 64;
    /// <summary>HIP-15 redundancy N: the number of witnesses a beacon should ideally have.</summary>
    public int Redundancy { get; init; } = 4;
    /// <summary>HIP-15 decay r in fixed point (0.8).</summary>
    public long DecayFixed { get; init; } = 800_000_000;
    /// <summary>HIP-15 transmitter cap in fixed point (2.0).</summary>
    public long TransmitterCapFixed { get; init; } = 2_000_000_000;

    public static PocParams Default { get; } = new();

    /// <summary>Null when valid, else why not.</summary>
    public string? Validate()
    {
        if (EntropyWindowBlocks < 1) return "entropy window must be at least 1 block";
        if (BeaconIntervalBlocks < 1) return "beacon interval must be at least 1 block";
        if (ReciprocityWindowBlocks < 1) return "reciprocity window must be at least 1 block";
        if (MaxWitnessDelayMs < 0) return "witness delay must not be negative";
        if (FrequencyToleranceHz < 0) return "frequency tolerance must not be negative";
        if (MinWitnessDistanceMetres < 1 || MaxWitnessDistanceMetres < MinWitnessDistanceMetres) return "witness distances must satisfy 1 ≤ min ≤ max";
        if (MaxSelectedWitnesses < 1 || MaxWitnessesPerReport < MaxSelectedWitnesses || MaxWitnessesPerReport > 1_000) return "witness limits must satisfy 1 ≤ selected ≤ per report ≤ 1000";
        if (Redundancy < 1) return "redundancy must be at least 1";
        if (DecayFixed is < 0 or > RewardUnits.Scale) return "decay must be within [0, 1]";
        if (TransmitterCapFixed < RewardUnits.Scale) return "transmitter cap must be at least 1";
        return null;
    }
}
