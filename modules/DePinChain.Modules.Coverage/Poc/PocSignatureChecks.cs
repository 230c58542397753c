using DePinChain.Modules.Devices;
using DePinChain.Protos.Depin.Coverage.V1;
using DePinChain.Sdk;
using BeaconReportProto = DePinChain.Protos.Depin.Coverage.V1.BeaconReport;
using WitnessReportProto = DePinChain.Protos.Depin.Coverage.V1.WitnessReport;

namespace DePinChain.Modules.Coverage.Poc;

/// <summary>
/// A report's device signatures as the SDK's stateless signature checks: registered for MsgSubmitPoc so the app can
/// verify them ahead of execution, and asked of <see cref="Context.Signatures"/> by the keeper. A signature's
/// validity depends only on the report and the chain id (the key's type follows from its length), never on state.
/// </summary>
public static class PocSignatureChecks
{
    /// <summary>The checks of every signature whose key has a known type: the beacon's, then each witness's.</summary>
    public static IReadOnlyList<SignatureCheck> Of(MsgSubmitPoc msg, string chainId)
    {
        var checks = new List<SignatureCheck>(msg.Witnesses.Count + 1);
        if (msg.Beacon is { } beacon && For(chainId, Record(beacon)) is { } beaconCheck) checks.Add(beaconCheck);
        foreach (var w in msg.Witnesses)
            if (For(chainId, Record(w)) is { } check) checks.Add(check);
        return checks;
    }

    /// <summary>
    /// Every device signature of a report ([0] the beacon, [i + 1] witness i), with the verdicts taken from
    /// <paramref name="verifier"/> (the context's, which may hold verdicts computed ahead of execution).
    /// </summary>
    public static bool[] Verify(ISignatureVerifier verifier, string chainId, BeaconReport beacon, IReadOnlyList<WitnessReport> witnesses)
    {
        var checks = new List<SignatureCheck>(witnesses.Count + 1);
        var slots = new int[witnesses.Count + 1]; // index into checks, or -1: a key of no known type never verifies
        slots[0] = Add(For(chainId, beacon));
        for (int i = 0; i < witnesses.Count; i++) slots[i + 1] = Add(For(chainId, witnesses[i]));
        var verdicts = verifier.VerifyAll(checks);
        var results = new bool[slots.Length];
        for (int i = 0; i < slots.Length; i++) results[i] = slots[i] >= 0 && verdicts[slots[i]];
        return results;

        int Add(SignatureCheck? check)
        {
            if (check is null) return -1;
            checks.Add(check);
            return checks.Count - 1;
        }
    }

    private static SignatureCheck? For(string chainId, BeaconReport beacon)
        => DeviceSignatures.CheckOf(beacon.BeaconerKey, PocSignBytes.Beacon(chainId, beacon), beacon.Signature);

    private static SignatureCheck? For(string chainId, WitnessReport witness)
        => DeviceSignatures.CheckOf(witness.WitnessKey, PocSignBytes.Witness(chainId, witness), witness.Signature);

    // The wire records as the rules read them (the message server maps a report with these too: the same fields, so
    // the same sign bytes). The byte fields share the message's arrays: the rules and the checks only read them.
    internal static BeaconReport Record(BeaconReportProto b) =>
        new(ByteStrings.ArrayOf(b.BeaconerKey), b.EntropyHeight, ByteStrings.ArrayOf(b.Payload), b.FrequencyHz, b.TxPowerTenthsDbm, b.TimestampMs, ByteStrings.ArrayOf(b.Signature));

    internal static WitnessReport Record(WitnessReportProto w) =>
        new(ByteStrings.ArrayOf(w.WitnessKey), ByteStrings.ArrayOf(w.PayloadHash), w.RssiTenthsDbm, w.SnrTenthsDb, w.FrequencyHz, w.TimestampMs, ByteStrings.ArrayOf(w.Signature));
}
