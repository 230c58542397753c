using DePinChain.Modules.Devices;
using DePinChain.Modules.Devices.Geo;
using KeyType = DePinChain.Protos.Depin.Devices.V1.KeyType;

namespace DePinChain.Modules.Coverage.Poc;

/// <summary>
/// Each proof-of-coverage rule as a pure function of the facts it needs. <see cref="PocEvaluator"/>
/// applies them in a fixed order; the first failure decides the verdict.
/// </summary>
public static class PocRules
{
    /// <summary>Structure and bounds, before any state is read.</summary>
    public static RuleResult CheckWellFormed(BeaconReport beacon, IReadOnlyList<WitnessReport> witnesses, PocParams p)
    {
        if (DeviceSignatures.TypeOf(beacon.BeaconerKey) == KeyType.Unspecified)
            return RuleResult.Fail(PocVerdict.MalformedReport, $"beaconer key is {beacon.BeaconerKey.Length} bytes; expected 33 (secp256k1) or 32 (ed25519)");
        if (beacon.Payload.Length != PocSignBytes.PayloadLength)
            return RuleResult.Fail(PocVerdict.MalformedReport, $"beacon payload is {beacon.Payload.Length} bytes; expected {PocSignBytes.PayloadLength}");
        if (beacon.Signature.Length != DeviceSignatures.SignatureLength)
            return RuleResult.Fail(PocVerdict.MalformedReport, $"beacon signature is {beacon.Signature.Length} bytes; expected {DeviceSignatures.SignatureLength}");
        if (beacon.EntropyHeight < 1)
            return RuleResult.Fail(PocVerdict.MalformedReport, $"entropy height {beacon.EntropyHeight} is not a block height");
        if (beacon.TimestampMs < 0)
            return RuleResult.Fail(PocVerdict.MalformedReport, $"beacon timestamp {beacon.TimestampMs} is negative");
        if (beacon.FrequencyHz <= 0)
            return RuleResult.Fail(PocVerdict.InvalidFrequency, $"beacon frequency {beacon.FrequencyHz} Hz is not positive");
        if (witnesses.Count > p.MaxWitnessesPerReport)
            return RuleResult.Fail(PocVerdict.TooManyWitnesses, $"{witnesses.Count} witnesses; at most {p.MaxWitnessesPerReport} per report");
        for (var i = 0; i < witnesses.Count; i++)
        {
            var w = witnesses[i];
            if (DeviceSignatures.TypeOf(w.WitnessKey) == KeyType.Unspecified)
                return RuleResult.Fail(PocVerdict.MalformedReport, $"witness {i}: key is {w.WitnessKey.Length} bytes; expected 33 or 32");
            if (w.PayloadHash.Length != 32)
                return RuleResult.Fail(PocVerdict.MalformedReport, $"witness {i}: payload hash is {w.PayloadHash.Length} bytes; expected 32");
            if (w.Signature.Length != DeviceSignatures.SignatureLength)
                return RuleResult.Fail(PocVerdict.MalformedReport, $"witness {i}: signature is {w.Signature.Length} bytes; expected {DeviceSignatures.SignatureLength}");
            if (w.TimestampMs < 0)
                return RuleResult.Fail(PocVerdict.MalformedReport, $"witness {i}: timestamp {w.TimestampMs} is negative");
            if (w.FrequencyHz <= 0)
                return RuleResult.Fail(PocVerdict.InvalidFrequency, $"witness {i}: frequency {w.FrequencyHz} Hz is not positive");
        }
        return RuleResult.Pass;
    }

    /// <summary>Onboarded, active, full mode, located: the same four facts for beaconer and witness, with their own codes.</summary>
    public static RuleResult CheckEligible(DeviceInfo? device, bool asBeaconer)
    {
        var role = asBeaconer ? "beaconer" : "witness";
        if (device is null)
            return RuleResult.Fail(asBeaconer ? PocVerdict.BeaconerUnknown : PocVerdict.WitnessUnknown, $"{role} is not an onboarded device");
        if (!device.IsActive)
            return RuleResult.Fail(asBeaconer ? PocVerdict.BeaconerInactive : PocVerdict.WitnessInactive, $"{role} is {device.Status.ToString().ToLowerInvariant()}");
        if (!device.IsFullMode)
            return RuleResult.Fail(asBeaconer ? PocVerdict.BeaconerNotFullMode : PocVerdict.WitnessNotFullMode, $"{role} is a data-only device");
        if (!device.IsLocated)
            return RuleResult.Fail(asBeaconer ? PocVerdict.BeaconerNotLocated : PocVerdict.WitnessNotLocated, $"{role} has not asserted a location");
        return RuleResult.Pass;
    }

    /// <summary>The entropy block must be strictly before the current one and at most <c>window</c> blocks back, with its hash kept.</summary>
    public static RuleResult CheckEntropy(long entropyHeight, long currentHeight, long window, bool hashKept)
    {
        if (entropyHeight >= currentHeight)
            return RuleResult.Fail(PocVerdict.EntropyOutsideWindow, $"entropy height {entropyHeight} is not before the current block {currentHeight}");
        if (currentHeight - entropyHeight > window)
            return RuleResult.Fail(PocVerdict.EntropyOutsideWindow, $"entropy height {entropyHeight} is {currentHeight - entropyHeight} blocks old; window is {window}");
        if (!hashKept)
            return RuleResult.Fail(PocVerdict.EntropyOutsideWindow, $"no block hash is kept for height {entropyHeight}");
        return RuleResult.Pass;
    }

    public static RuleResult CheckPayload(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual) =>
        expected.SequenceEqual(actual)
            ? RuleResult.Pass
            : RuleResult.Fail(PocVerdict.PayloadMismatch, "payload is not SHA-256(domain ‖ entropy hash ‖ beaconer key)");

    public static RuleResult CheckFrequencyInPlan(Region region, long frequencyHz)
    {
        if (region == Region.Unknown)
            return RuleResult.Fail(PocVerdict.FrequencyOutsidePlan, "beaconer's location has no frequency plan (region unknown)");
        var (min, max) = Regions.Band(region);
        return frequencyHz >= min && frequencyHz <= max
            ? RuleResult.Pass
            : RuleResult.Fail(PocVerdict.FrequencyOutsidePlan, $"{frequencyHz} Hz is outside {region} ({min}–{max} Hz)");
    }

    /// <summary>At most one beacon per device per interval: the last stored beacon must be at least <c>interval</c> blocks back.</summary>
    public static RuleResult CheckBeaconInterval(long? lastBeaconHeight, long currentHeight, long interval) =>
        lastBeaconHeight is { } last && currentHeight - last < interval
            ? RuleResult.Fail(PocVerdict.BeaconIntervalNotElapsed, $"device beaconed at height {last}; next beacon allowed from height {last + interval}")
            : RuleResult.Pass;

    /// <summary>
    /// Reciprocity: the device did the other half of proof of coverage (witnessed, for a beaconer;
    /// beaconed, for a witness) within the window, or is itself younger than the window.
    /// </summary>
    public static RuleResult CheckReciprocity(long? lastOtherActivityHeight, long onboardedHeight, long currentHeight, long window, bool asBeaconer)
    {
        if (currentHeight - onboardedHeight < window)
            return RuleResult.Pass;
        if (lastOtherActivityHeight is { } last && currentHeight - last <= window)
            return RuleResult.Pass;
        return asBeaconer
            ? RuleResult.Fail(PocVerdict.BeaconerNoReciprocity, $"beaconer has not witnessed a valid beacon in the last {window} blocks")
            : RuleResult.Fail(PocVerdict.WitnessNoReciprocity, $"witness has not beaconed in the last {window} blocks");
    }

    public static RuleResult CheckWitnessTiming(long beaconTimestampMs, long witnessTimestampMs, long maxDelayMs) =>
        witnessTimestampMs - beaconTimestampMs > maxDelayMs
            ? RuleResult.Fail(PocVerdict.WitnessLate, $"witnessed {witnessTimestampMs - beaconTimestampMs} ms after the beacon; at most {maxDelayMs} ms")
            : RuleResult.Pass;

    public static RuleResult CheckFrequencyMatch(long beaconHz, long witnessHz, long toleranceHz) =>
        Math.Abs(witnessHz - beaconHz) > toleranceHz
            ? RuleResult.Fail(PocVerdict.FrequencyMismatch, $"witness heard {witnessHz} Hz, beacon sent {beaconHz} Hz; tolerance {toleranceHz} Hz")
            : RuleResult.Pass;

    public static RuleResult CheckSameRegion(Region beaconer, Region witness) =>
        beaconer != witness
            ? RuleResult.Fail(PocVerdict.RegionMismatch, $"witness is in {witness}, beaconer in {beaconer}")
            : RuleResult.Pass;

    public static RuleResult CheckDistance(long distanceMetres, long minMetres, long maxMetres)
    {
        if (distanceMetres < minMetres)
            return RuleResult.Fail(PocVerdict.TooClose, $"witness is {distanceMetres} m away; at least {minMetres} m");
        if (distanceMetres > maxMetres)
            return RuleResult.Fail(PocVerdict.TooFar, $"witness is {distanceMetres} m away; at most {maxMetres} m");
        return RuleResult.Pass;
    }

    /// <summary>rssi ≤ tx power + both gains − FSPL(d, f), all in tenths (dBm, dBi, dB).</summary>
    public static RuleResult CheckSignal(long rssiTenthsDbm, long maxPlausibleTenthsDbm) =>
        rssiTenthsDbm > maxPlausibleTenthsDbm
            ? RuleResult.Fail(PocVerdict.SignalTooStrong, $"RSSI {Tenths(rssiTenthsDbm)} dBm is stronger than free space allows ({Tenths(maxPlausibleTenthsDbm)} dBm)")
            : RuleResult.Pass;

    /// <summary>Integer tenths as "-12.3" without floating point (reasons are stored in state).</summary>
    public static string Tenths(long tenths) =>
        $"{(tenths < 0 ? "-" : "")}{Math.Abs(tenths) / 10}.{Math.Abs(tenths) % 10}";
}
