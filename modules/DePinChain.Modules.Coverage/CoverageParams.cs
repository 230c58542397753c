using DePinChain.Modules.Coverage.Poc;
using DePinChain.Protos.Depin.Coverage.V1;
using DePinChain.Sdk;
using DensityLevelProto = DePinChain.Protos.Depin.Coverage.V1.DensityLevel;

namespace DePinChain.Modules.Coverage;

/// <summary>Between the stored params message and the evaluator's <see cref="PocParams"/> and density table.</summary>
public static class CoverageParams
{
    /// <summary>Two days of the default one-hour epochs: covers the 48-hour reciprocity window, so the report that satisfied it can still be looked up.</summary>
    public const ulong DefaultReportRetentionEpochs = 48;

    /// <summary>Twice the 500 MsgSubmitPoc per block of the coverage benchmark's blocks: pruning keeps up with the fastest creation rate.</summary>
    public const uint DefaultMaxPrunedReportsPerBlock = 1_000;

    public static Params FromPoc(PocParams p, IReadOnlyList<Poc.DensityLevel> table, string authority)
    {
        var result = new Params
        {
            Authority = authority,
            EntropyWindowBlocks = p.EntropyWindowBlocks,
            BeaconIntervalBlocks = p.BeaconIntervalBlocks,
            ReciprocityWindowBlocks = p.ReciprocityWindowBlocks,
            MaxWitnessDelayMs = p.MaxWitnessDelayMs,
            FrequencyToleranceHz = p.FrequencyToleranceHz,
            MinWitnessDistanceMetres = p.MinWitnessDistanceMetres,
            MaxWitnessDistanceMetres = p.MaxWitnessDistanceMetres,
            MaxSelectedWitnesses = (uint)p.MaxSelectedWitnesses,
            MaxWitnessesPerReport = (uint)p.MaxWitnessesPerReport,
            Redundancy = (uint)p.Redundancy,
            DecayFixed = p.DecayFixed,
            TransmitterCapFixed = p.TransmitterCapFixed,
            ReportRetentionEpochs = DefaultReportRetentionEpochs,
            MaxPrunedReportsPerBlock = DefaultMaxPrunedReportsPerBlock,
        };
        result.DensityLevels.AddRange(table.Select(l => new DensityLevelProto
        {
            Level = (uint)l.Level, SiblingThreshold = (uint)l.SiblingThreshold, Target = (ulong)l.Target, Max = (ulong)l.Max,
        }));
        return result;
    }

    public static PocParams ToPoc(Params p) => new()
    {
        EntropyWindowBlocks = p.EntropyWindowBlocks,
        BeaconIntervalBlocks = p.BeaconIntervalBlocks,
        ReciprocityWindowBlocks = p.ReciprocityWindowBlocks,
        MaxWitnessDelayMs = p.MaxWitnessDelayMs,
        FrequencyToleranceHz = p.FrequencyToleranceHz,
        MinWitnessDistanceMetres = p.MinWitnessDistanceMetres,
        MaxWitnessDistanceMetres = p.MaxWitnessDistanceMetres,
        MaxSelectedWitnesses = (int)Math.Min(p.MaxSelectedWitnesses, int.MaxValue),
        MaxWitnessesPerReport = (int)Math.Min(p.MaxWitnessesPerReport, int.MaxValue),
        Redundancy = (int)Math.Min(p.Redundancy, int.MaxValue),
        DecayFixed = p.DecayFixed,
        TransmitterCapFixed = p.TransmitterCapFixed,
    };

    public static IReadOnlyList<Poc.DensityLevel> DensityTable(Params p) =>
        p.DensityLevels.Select(l => new Poc.DensityLevel((int)Math.Min(l.Level, 64), (int)Math.Min(l.SiblingThreshold, int.MaxValue),
            (long)Math.Min(l.Target, long.MaxValue), (long)Math.Min(l.Max, long.MaxValue))).ToList();

    /// <exception cref="SdkError">The params are invalid (the message says why).</exception>
    public static void Validate(Params p)
    {
        if (p.Authority.Length > 0) Bech32Address.Parse(p.Authority);
        var problem = ToPoc(p).Validate() ?? DensityScaling.Validate(DensityTable(p))
            ?? (p.ReportRetentionEpochs < 1 ? "report retention must be at least 1 epoch (the current one)" : null)
            ?? (p.MaxPrunedReportsPerBlock < 1 ? "max pruned reports per block must be at least 1" : null);
        if (problem is not null) throw SdkErrors.InvalidRequest("coverage params: " + problem);
    }
}
