namespace DePinChain.Modules.Coverage.Poc;

/// <summary>
/// Every outcome of proof-of-coverage verification, with a stable code: the number is the ABCI code in
/// codespace "coverage" when a transaction fails, and is stored with each witness of an accepted report.
/// Never renumber; add new values at the end of their group.
///
/// Groups: 2–9 malformed input (the transaction fails, nothing is stored); 10–19 beacon rejected (the
/// transaction fails: a beacon that is forged, stale, early or from an ineligible device is not worth
/// storing against anyone); 20–29 beacon stored but earns nothing; 30–49 per-witness verdicts stored
/// with the report.
/// </summary>
public enum PocVerdict : uint
{
    Valid = 0,

    MalformedReport = 2,
    TooManyWitnesses = 3,
    InvalidFrequency = 4,

    BeaconerUnknown = 10,
    BeaconSignatureInvalid = 11,
    BeaconerInactive = 12,
    BeaconerNotFullMode = 13,
    BeaconerNotLocated = 14,
    BeaconerDenyListed = 15,
    EntropyOutsideWindow = 16,
    PayloadMismatch = 17,
    FrequencyOutsidePlan = 18,
    BeaconIntervalNotElapsed = 19,

    BeaconerNoReciprocity = 20,

    DuplicateWitness = 30,
    SelfWitness = 31,
    WitnessUnknown = 32,
    WitnessSignatureInvalid = 33,
    WitnessPayloadMismatch = 34,
    WitnessInactive = 35,
    WitnessNotFullMode = 36,
    WitnessNotLocated = 37,
    WitnessDenyListed = 38,
    PairDenyListed = 39,
    WitnessLate = 40,
    FrequencyMismatch = 41,
    RegionMismatch = 42,
    TooClose = 43,
    TooFar = 44,
    SignalTooStrong = 45,
    WitnessNoReciprocity = 46,
    Unselected = 47,
}

/// <summary>A verdict with the human-readable reason (which names the numbers that decided it).</summary>
public readonly record struct RuleResult(PocVerdict Verdict, string Reason)
{
    public static readonly RuleResult Pass = new(PocVerdict.Valid, "");

    public bool Passed => Verdict == PocVerdict.Valid;

    public static RuleResult Fail(PocVerdict verdict, string reason) => new(verdict, reason);

    public override string ToString() => Passed ? "valid" : $"{Verdict} ({(uint)Verdict}): {Reason}";
}

public static class PocVerdictExtensions
{
    /// <summary>True when a report with this beacon verdict is rejected as a whole (the transaction fails).</summary>
    private static readonly Dictionary<PocVerdict, string> Names = Enum.GetValues<PocVerdict>().ToDictionary(v => v, v => v.ToString()); // looked up, never iterated

    /// <summary>The verdict's name (what <c>ToString</c> gives), without formatting the enum on every report.</summary>
    public static string Name(this PocVerdict verdict) => Names.TryGetValue(verdict, out var name) ? name : verdict.ToString();

    public static bool RejectsTransaction(this PocVerdict verdict) => verdict is not PocVerdict.Valid and < PocVerdict.BeaconerNoReciprocity;

    /// <summary>
    /// Whether a witness with this verdict counts as "has witnessed" for reciprocity: it passed every
    /// check other than reciprocity itself and selection.
    /// </summary>
    public static bool CountsForReciprocity(this PocVerdict verdict) =>
        verdict is PocVerdict.Valid or PocVerdict.Unselected or PocVerdict.WitnessNoReciprocity;
}
