using DePinChain.Crypto;
using DePinChain.Store.Backend;
using DePinChain.Modules.Devices;
using DePinChain.Modules.Devices.Geo;

namespace DePinChain.Modules.Coverage.Poc;

/// <summary>The chain state proof-of-coverage verification reads; the coverage keeper implements it.</summary>
public interface IPocChainView
{
    string ChainId { get; }
    /// <summary>Height of the block being executed.</summary>
    long Height { get; }
    DeviceInfo? GetDevice(ReadOnlySpan<byte> deviceKey);
    /// <summary>The hash of a recent block, null when it is not (or no longer) kept.</summary>
    byte[]? GetBlockHash(long height);
    /// <summary>Height of the device's last stored beacon (which passed every check but reciprocity).</summary>
    long? LastBeaconHeight(ReadOnlySpan<byte> deviceKey);
    /// <summary>Height of the device's last witness that passed every check but reciprocity and selection.</summary>
    long? LastWitnessHeight(ReadOnlySpan<byte> deviceKey);
    bool IsDeviceDenied(ReadOnlySpan<byte> deviceKey);
    bool IsPairDenied(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b);
    /// <summary>The HIP-17 transmit scale of a located device (fixed point, 1.0 = <see cref="RewardUnits.Scale"/>).</summary>
    long DensityScale(DeviceInfo device);
}

public sealed record WitnessOutcome(
    int Index,
    byte[] WitnessKey,
    PocVerdict Verdict,
    string Reason,
    long DistanceMetres,
    long Units)
{
    public bool Selected => Verdict == PocVerdict.Valid;
}

/// <summary>
/// The result of verifying one report. When <see cref="Beacon"/> rejects the transaction nothing else
/// is filled in; otherwise the report is stored with every witness outcome, and the units are earned.
/// </summary>
public sealed record PocEvaluation(
    RuleResult Beacon,
    IReadOnlyList<WitnessOutcome> Witnesses,
    long BeaconUnits,
    long DensityScale,
    byte[] EntropyHash)
{
    public bool Rejected => Beacon.Verdict.RejectsTransaction();

    public static PocEvaluation Reject(RuleResult beacon) => new(beacon, [], 0, 0, []);
}

/// <summary>
/// Verifies a beacon and its witnesses against chain state: every rule of <see cref="PocRules"/> in a
/// fixed order, first failure wins. Pure given the view: no writes, no clock, no unordered iteration.
///
/// Beacon (failure rejects the transaction): well-formed → onboarded → signature → active → full
/// mode → located → not deny-listed → entropy in window → payload → frequency in the region's plan →
/// interval. Then reciprocity (failure is stored: the beacon earns nothing, its witnesses still do).
///
/// Each witness: duplicate (a key already listed earlier) → self-witness → onboarded → signature →
/// payload hash → active → full mode → located → deny-listed → pair deny-listed → late → frequency →
/// region → too close → too far → signal too strong → reciprocity. Distances (too close, too far, the stored
/// distance) are great-circle ones on the ground; the signal bound uses the 3-D distance between the antennas.
///
/// Selection: witnesses that passed everything are ordered by SHA-256(entropy hash ‖ witness key)
/// (byte-wise ascending): the first <see cref="PocParams.MaxSelectedWitnesses"/> are selected and
/// earn; the rest are recorded as <see cref="PocVerdict.Unselected"/>. Neither the submitter nor the
/// witnesses control the order, and it does not depend on the order of the list.
/// </summary>
public static class PocEvaluator
{
    /// <param name="signatureValid">Verdicts computed ahead ([0] the beacon, [i + 1] witness i: <see cref="PocSignatureChecks.Verify"/>), or null to verify inline.</param>
    public static PocEvaluation Evaluate(BeaconReport beacon, IReadOnlyList<WitnessReport> witnesses, IPocChainView view, PocParams p, bool[]? signatureValid = null)
    {
        var wellFormed = PocRules.CheckWellFormed(beacon, witnesses, p);
        if (!wellFormed.Passed) return PocEvaluation.Reject(wellFormed);

        var beaconer = view.GetDevice(beacon.BeaconerKey);
        if (beaconer is null) return PocEvaluation.Reject(PocRules.CheckEligible(null, asBeaconer: true));
        if (!(signatureValid?[0] ?? DeviceSignatures.Verify(beaconer.KeyType, beaconer.Key, PocSignBytes.Beacon(view.ChainId, beacon), beacon.Signature)))
            return PocEvaluation.Reject(RuleResult.Fail(PocVerdict.BeaconSignatureInvalid, "beacon signature does not verify under the beaconer's key"));
        var eligible = PocRules.CheckEligible(beaconer, asBeaconer: true);
        if (!eligible.Passed) return PocEvaluation.Reject(eligible);
        if (view.IsDeviceDenied(beaconer.Key))
            return PocEvaluation.Reject(RuleResult.Fail(PocVerdict.BeaconerDenyListed, "beaconer is on the deny list"));

        var entropyHash = view.GetBlockHash(beacon.EntropyHeight);
        var entropy = PocRules.CheckEntropy(beacon.EntropyHeight, view.Height, p.EntropyWindowBlocks, entropyHash is not null);
        if (!entropy.Passed) return PocEvaluation.Reject(entropy);
        var payload = PocRules.CheckPayload(PocSignBytes.ExpectedPayload(entropyHash!, beaconer.Key), beacon.Payload);
        if (!payload.Passed) return PocEvaluation.Reject(payload);
        var beaconerLocation = beaconer.Location!;
        var plan = PocRules.CheckFrequencyInPlan(beaconerLocation.Region, beacon.FrequencyHz);
        if (!plan.Passed) return PocEvaluation.Reject(plan);
        var interval = PocRules.CheckBeaconInterval(view.LastBeaconHeight(beaconer.Key), view.Height, p.BeaconIntervalBlocks);
        if (!interval.Passed) return PocEvaluation.Reject(interval);

        var beaconVerdict = PocRules.CheckReciprocity(view.LastWitnessHeight(beaconer.Key), beaconer.OnboardedHeight, view.Height, p.ReciprocityWindowBlocks, asBeaconer: true);

        var beaconerVector = UnitVector.From(beaconerLocation.Point);
        var payloadHash = PocSignBytes.PayloadHash(beacon.Payload);
        var results = new (RuleResult Result, long Distance)[witnesses.Count];
        var seen = new HashSet<byte[]>(witnesses.Count, ByteArrayComparer.Instance); // membership only; never iterated
        for (var i = 0; i < witnesses.Count; i++)
        {
            var isDuplicate = !seen.Add(witnesses[i].WitnessKey);
            results[i] = isDuplicate
                ? (RuleResult.Fail(PocVerdict.DuplicateWitness, "this witness is already listed earlier in the report"), 0)
                : EvaluateWitness(beacon, beaconer, beaconerLocation, beaconerVector, payloadHash, witnesses[i], view, p, signatureValid?[i + 1]);
        }

        // Selection among the witnesses that passed every check.
        var passing = new List<(byte[] SortKey, int Index)>();
        for (var i = 0; i < results.Length; i++)
        {
            if (!results[i].Result.Passed) continue;
            passing.Add((SelectionKey(entropyHash!, witnesses[i].WitnessKey), i));
        }
        passing.Sort((a, b) => a.SortKey.AsSpan().SequenceCompareTo(b.SortKey));
        for (var rank = p.MaxSelectedWitnesses; rank < passing.Count; rank++)
            results[passing[rank].Index].Result = RuleResult.Fail(PocVerdict.Unselected, $"ranked {rank + 1} of {passing.Count} valid witnesses; at most {p.MaxSelectedWitnesses} are selected");

        var selectedCount = Math.Min(passing.Count, p.MaxSelectedWitnesses);
        var scale = view.DensityScale(beaconer);
        var witnessUnits = RewardUnits.ApplyScale(RewardUnits.WitnessUnits(selectedCount, p.Redundancy, p.DecayFixed), scale);
        var beaconUnits = beaconVerdict.Passed
            ? RewardUnits.ApplyScale(RewardUnits.TransmitterUnits(selectedCount, p.Redundancy, p.DecayFixed, p.TransmitterCapFixed), scale)
            : 0;

        var outcomes = new WitnessOutcome[witnesses.Count];
        for (var i = 0; i < witnesses.Count; i++)
        {
            var (result, distance) = results[i];
            outcomes[i] = new WitnessOutcome(i, witnesses[i].WitnessKey, result.Verdict, result.Reason, distance, result.Passed ? witnessUnits : 0);
        }
        return new PocEvaluation(beaconVerdict, outcomes, beaconUnits, scale, entropyHash!);
    }

    /// <summary>SHA-256(entropy hash ‖ witness key): the witness's rank key in selection.</summary>
    private static byte[] SelectionKey(byte[] entropyHash, byte[] witnessKey)
    {
        Span<byte> input = stackalloc byte[entropyHash.Length + witnessKey.Length]; // a block hash and a device key: small
        entropyHash.CopyTo(input);
        witnessKey.CopyTo(input[entropyHash.Length..]);
        return Hashes.Sha256(input);
    }

    private static (RuleResult Result, long Distance) EvaluateWitness(
        BeaconReport beacon, DeviceInfo beaconer, DeviceLocation beaconerLocation, in UnitVector beaconerVector, byte[] payloadHash,
        WitnessReport report, IPocChainView view, PocParams p, bool? signatureValid)
    {
        if (report.WitnessKey.AsSpan().SequenceEqual(beaconer.Key))
            return (RuleResult.Fail(PocVerdict.SelfWitness, "a device cannot witness its own beacon"), 0);
        var witness = view.GetDevice(report.WitnessKey);
        if (witness is null)
            return (PocRules.CheckEligible(null, asBeaconer: false), 0);
        if (!(signatureValid ?? DeviceSignatures.Verify(witness.KeyType, witness.Key, PocSignBytes.Witness(view.ChainId, report), report.Signature)))
            return (RuleResult.Fail(PocVerdict.WitnessSignatureInvalid, "witness signature does not verify under the witness's key"), 0);
        if (!report.PayloadHash.AsSpan().SequenceEqual(payloadHash))
            return (RuleResult.Fail(PocVerdict.WitnessPayloadMismatch, "witness quotes a different payload than the beacon's"), 0);
        var eligible = PocRules.CheckEligible(witness, asBeaconer: false);
        if (!eligible.Passed) return (eligible, 0);
        if (view.IsDeviceDenied(witness.Key))
            return (RuleResult.Fail(PocVerdict.WitnessDenyListed, "witness is on the deny list"), 0);
        if (view.IsPairDenied(beaconer.Key, witness.Key))
            return (RuleResult.Fail(PocVerdict.PairDenyListed, "this beaconer–witness pair is on the deny list"), 0);

        RuleResult check;
        if (!(check = PocRules.CheckWitnessTiming(beacon.TimestampMs, report.TimestampMs, p.MaxWitnessDelayMs)).Passed) return (check, 0);
        if (!(check = PocRules.CheckFrequencyMatch(beacon.FrequencyHz, report.FrequencyHz, p.FrequencyToleranceHz)).Passed) return (check, 0);
        var location = witness.Location!;
        if (!(check = PocRules.CheckSameRegion(beaconerLocation.Region, location.Region)).Passed) return (check, 0);
        var distance = GreatCircle.DistanceMetres(beaconerVector, UnitVector.From(location.Point));
        if (!(check = PocRules.CheckDistance(distance, p.MinWitnessDistanceMetres, p.MaxWitnessDistanceMetres)).Passed) return (check, distance);
        // Path loss over the straight line between the antennas: ground distance and elevation difference.
        var slant = RadioMath.SlantDistanceMetres(distance, (long)location.ElevationMetres - beaconerLocation.ElevationMetres);
        var maxRssi = RadioMath.MaxPlausibleRssiTenthsDbm(beacon.TxPowerTenthsDbm, beaconerLocation.AntennaGainTenthsDbi, location.AntennaGainTenthsDbi, slant, beacon.FrequencyHz);
        if (!(check = PocRules.CheckSignal(report.RssiTenthsDbm, maxRssi)).Passed) return (check, distance);
        check = PocRules.CheckReciprocity(view.LastBeaconHeight(witness.Key), witness.OnboardedHeight, view.Height, p.ReciprocityWindowBlocks, asBeaconer: false);
        return (check, distance);
    }
}
