using DePinChain.Modules.Coverage.Poc;
using DePinChain.Modules.Devices;
using DePinChain.Protos.Depin.Coverage.V1;
using KeyType = DePinChain.Protos.Depin.Devices.V1.KeyType;
using DePinChain.Sdk;
using Google.Protobuf;

namespace DePinChain.Modules.Coverage;

/// <summary>
/// The coverage <c>service Msg</c>: for each rpc, its stateless checks (ValidateBasic) and its handler. A report is
/// checked here in order: well-formed (<see cref="PocRules.CheckWellFormed"/>), device signatures, then every beacon and
/// witness rule (<see cref="PocEvaluator"/>); only then does the keeper store it.
/// </summary>
public sealed class CoverageMsgServer(CoverageKeeper keeper)
{
    public const int MaxReasonLength = 512;

    /// <summary>Beyond any sane params value: refused before the handler even reads params.</summary>
    public const int AbsoluteMaxWitnesses = 1_000;

    public void Register(MsgRouter router)
    {
        router.Register(MsgSubmitPoc.Parser, ValidateSubmitPoc, SubmitPoc, PocSignatureChecks.Of);
        router.Register(MsgDenyList.Parser, m => ValidateDeny(m.Authority, m.DeviceKey, m.PairedDeviceKey, m.Reason, m.EvidenceHash), DenyList);
        router.Register(MsgLiftDenyList.Parser, m => ValidateDeny(m.Authority, m.DeviceKey, m.PairedDeviceKey, m.Reason, ByteString.Empty), LiftDenyList);
    }

    public static void ValidateSubmitPoc(MsgSubmitPoc m)
    {
        Bech32Address.Parse(m.Submitter);
        if (m.Beacon is null) throw CoverageErrors.Rejected(RuleResult.Fail(PocVerdict.MalformedReport, "report has no beacon"));
        if (m.Witnesses.Count > AbsoluteMaxWitnesses)
            throw CoverageErrors.Rejected(RuleResult.Fail(PocVerdict.TooManyWitnesses, $"{m.Witnesses.Count} witnesses; never more than {AbsoluteMaxWitnesses}"));
    }

    /// <summary>
    /// A beacon and its witnesses: refused with the beacon's verdict code if the beacon fails a rule (no state change);
    /// otherwise stored with every witness's verdict, and the units earned credited to each participant's ledger.
    /// </summary>
    public MsgSubmitPocResponse SubmitPoc(Context ctx, MsgSubmitPoc msg)
    {
        var p = keeper.GetParams(ctx);
        var poc = CoverageParams.ToPoc(p);
        var beacon = PocSignatureChecks.Record(msg.Beacon ?? new Protos.Depin.Coverage.V1.BeaconReport());
        var witnesses = new Poc.WitnessReport[msg.Witnesses.Count];
        for (var i = 0; i < witnesses.Length; i++) witnesses[i] = PocSignatureChecks.Record(msg.Witnesses[i]);
        ctx.GasMeter.Consume((ulong)(1 + Math.Min(witnesses.Length, poc.MaxWitnessesPerReport)) * CoverageKeeper.SignatureVerifyGas, "proof-of-coverage signatures");

        // Malformed reports are refused before any signature work.
        var wellFormed = PocRules.CheckWellFormed(beacon, witnesses, poc);
        if (!wellFormed.Passed) throw CoverageErrors.Rejected(wellFormed);
        // Verdicts from the context: the app may have verified them ahead (MsgSubmitPoc registers its checks).
        var signatures = PocSignatureChecks.Verify(ctx.Signatures, ctx.ChainId, beacon, witnesses);
        var view = keeper.OpenView(ctx);
        var evaluation = PocEvaluator.Evaluate(beacon, witnesses, view, poc, signatures);
        if (evaluation.Rejected) throw CoverageErrors.Rejected(evaluation.Beacon);

        var (epoch, selected) = keeper.RecordReport(ctx, p, view, msg, beacon.BeaconerKey, evaluation);
        ctx.Events.Emit(SdkEvent.Of("poc_report",
            ("beaconer", Convert.ToHexString(beacon.BeaconerKey)), ("epoch", epoch.ToString()), ("beacon_verdict", evaluation.Beacon.Verdict.Name()),
            ("witnesses", witnesses.Length.ToString()), ("selected", selected.ToString()), ("beacon_units", RewardUnits.Format(evaluation.BeaconUnits))));
        return new MsgSubmitPocResponse { BeaconVerdict = (uint)evaluation.Beacon.Verdict, SelectedWitnesses = (uint)selected, BeaconUnits = evaluation.BeaconUnits };
    }

    /// <summary>Checks of a deny-list entry (the genesis's deny list too).</summary>
    internal static void ValidateDeny(string authority, ByteString device, ByteString paired, string reason, ByteString evidence)
    {
        Bech32Address.Parse(authority);
        ValidateDenyEntry(device, paired, reason, evidence);
    }

    internal static void ValidateDenyEntry(ByteString device, ByteString paired, string reason, ByteString evidence)
    {
        if (DeviceSignatures.TypeOf(device.Span) == KeyType.Unspecified) throw CoverageErrors.InvalidDenyEntry($"device key of {device.Length} bytes");
        if (!paired.IsEmpty && DeviceSignatures.TypeOf(paired.Span) == KeyType.Unspecified) throw CoverageErrors.InvalidDenyEntry($"paired device key of {paired.Length} bytes");
        if (device.Span.SequenceEqual(paired.Span)) throw CoverageErrors.InvalidDenyEntry("a device cannot be paired with itself");
        if (reason.Length is 0 or > MaxReasonLength) throw CoverageErrors.InvalidDenyEntry($"a public reason of 1–{MaxReasonLength} characters is required");
        if (evidence.Length is not (0 or 32)) throw CoverageErrors.InvalidDenyEntry("evidence hash must be empty or 32 bytes (SHA-256)");
    }

    /// <summary>Denies a device, or a pair of devices, rewards from reports. Authority only.</summary>
    public MsgDenyListResponse DenyList(Context ctx, MsgDenyList msg)
    {
        CoverageErrors.Authority.Require(keeper.GetAuthority(ctx), msg.Authority);
        if (keeper.GetDenyEntry(ctx, msg.DeviceKey.Span, msg.PairedDeviceKey.Span) is not null) throw CoverageErrors.DenyEntryExists();
        keeper.SetDenyEntry(ctx, new DenyEntry
        {
            DeviceKey = msg.DeviceKey, PairedDeviceKey = msg.PairedDeviceKey, Reason = msg.Reason, EvidenceHash = msg.EvidenceHash, Height = ctx.Height,
        });
        ctx.Events.Emit(SdkEvent.Of("deny_list", ("device", Convert.ToHexString(msg.DeviceKey.Span)), ("paired_device", Convert.ToHexString(msg.PairedDeviceKey.Span)),
            ("reason", msg.Reason), ("evidence_hash", Convert.ToHexString(msg.EvidenceHash.Span))));
        return new MsgDenyListResponse();
    }

    /// <summary>Authority only.</summary>
    public MsgLiftDenyListResponse LiftDenyList(Context ctx, MsgLiftDenyList msg)
    {
        CoverageErrors.Authority.Require(keeper.GetAuthority(ctx), msg.Authority);
        if (keeper.GetDenyEntry(ctx, msg.DeviceKey.Span, msg.PairedDeviceKey.Span) is null) throw CoverageErrors.DenyEntryNotFound();
        keeper.RemoveDenyEntry(ctx, msg.DeviceKey, msg.PairedDeviceKey);
        ctx.Events.Emit(SdkEvent.Of("lift_deny_list", ("device", Convert.ToHexString(msg.DeviceKey.Span)), ("paired_device", Convert.ToHexString(msg.PairedDeviceKey.Span)), ("reason", msg.Reason)));
        return new MsgLiftDenyListResponse();
    }
}
