using DePinChain.Store.Backend;
using System.Buffers.Binary;
using DePinChain.Modules.Coverage.Poc;
using DePinChain.Modules.Devices;
using DePinChain.Modules.Devices.Geo;
using DePinChain.Protos.Depin.Coverage.V1;
using DePinChain.Sdk;
using DePinChain.Store;
using Google.Protobuf;
using BeaconReportProto = DePinChain.Protos.Depin.Coverage.V1.BeaconReport;
using WitnessReportProto = DePinChain.Protos.Depin.Coverage.V1.WitnessReport;

namespace DePinChain.Modules.Coverage;

/// <summary>A device's reward units in one epoch, for the rewards module.</summary>
/// <param name="BeaconUnits">Transmitter units, already density-scaled (fixed point, 1.0 = 10^9).</param>
/// <param name="WitnessUnits">Witness units, already scaled by each beaconer's density scale.</param>
/// <param name="DensityScale">The device's own current transmit scale, for information: do not apply it again.</param>
public sealed record DeviceEpochUnits(byte[] DeviceKey, byte[] Owner, long BeaconUnits, long WitnessUnits, long DensityScale);

/// <summary>
/// What the rewards module reads. Epochs are the chain's (<see cref="ICoverageEpochClock"/>). Units are written
/// only by transactions, so an epoch's units are final once its last block's transactions have run: end-block
/// hooks of that block (rewards) already read the final units.
/// </summary>
public interface ICoverageRewardsSource
{
    ulong EpochOf(Context ctx, long height);

    /// <summary>Every device with units in <paramref name="epoch"/>, sorted by device key; owner is the current owner.</summary>
    IReadOnlyList<DeviceEpochUnits> UnitsForEpoch(Context ctx, ulong epoch);
}

/// <summary>
/// Owns coverage state: params, recent block hashes (entropy), per-device activity, the deny list, stored
/// reports with every verdict, units per device per epoch and the density scale per occupied cell.
/// </summary>
public sealed class CoverageKeeper(IDeviceRegistry devices, ICoverageEpochClock epochs) : ICoverageRewardsSource
{
    public IDeviceRegistry Devices { get; } = devices;

    public ICoverageEpochClock Epochs { get; } = epochs;

    private static IKVStore Store(Context ctx) => ctx.KVStore(CoverageKeys.ModuleName);

    public static Params DefaultParams() => CoverageParams.FromPoc(PocParams.Default, DensityScaling.DefaultTable, authority: "");

    public Params GetParams(Context ctx)
    {
        var bytes = Store(ctx).Get([CoverageKeys.ParamsKey]);
        return bytes is null ? DefaultParams() : Params.Parser.ParseFrom(bytes);
    }

    public void SetParams(Context ctx, Params p) => Store(ctx).Set([CoverageKeys.ParamsKey], p.ToByteArray());

    public ulong EpochOf(Context ctx, long height) => checked((ulong)Epochs.EpochOf(ctx, height));

    /// <summary>True when <paramref name="height"/> is the first block of its epoch (never the chain's first block).</summary>
    public bool StartsEpoch(Context ctx, long height) => height > 1 && Epochs.EpochOf(ctx, height) != Epochs.EpochOf(ctx, height - 1);

    // ---- entropy ----

    public byte[]? GetBlockHash(Context ctx, long height) => Store(ctx).Get(CoverageKeys.BlockHashKey(height));

    /// <summary>Keeps this block's hash and forgets those that left the entropy window.</summary>
    public void RecordBlockHash(Context ctx, long height, byte[] hash)
    {
        var store = Store(ctx);
        store.Set(CoverageKeys.BlockHashKey(height), hash);
        var oldestKept = height - GetParams(ctx).EntropyWindowBlocks;
        if (oldestKept <= 1) return; // heights are positive; keys are big-endian signed, so never build a negative bound
        foreach (var (key, _) in store.Iterate(CoverageKeys.BlockHashKey(0), CoverageKeys.BlockHashKey(oldestKept)).ToList())
            store.Delete(key);
    }

    // ---- activity (interval and reciprocity) ----

    public DeviceActivity? GetActivity(Context ctx, ReadOnlySpan<byte> device)
    {
        var bytes = Store(ctx).Get(CoverageKeys.ActivityKey(device));
        return bytes is null ? null : DeviceActivity.Parser.ParseFrom(bytes);
    }

    public void SetActivity(Context ctx, DeviceActivity activity) =>
        Store(ctx).Set(CoverageKeys.ActivityKey(activity.DeviceKey.Span), activity.ToByteArray());

    // ---- deny list ----

    public DenyEntry? GetDenyEntry(Context ctx, ReadOnlySpan<byte> device, ReadOnlySpan<byte> paired)
    {
        var bytes = Store(ctx).Get(paired.IsEmpty ? CoverageKeys.DenyDeviceKey(device) : CoverageKeys.DenyPairKey(device, paired));
        return bytes is null ? null : DenyEntry.Parser.ParseFrom(bytes);
    }

    public IEnumerable<DenyEntry> DenyList(Context ctx)
    {
        foreach (var prefix in new[] { CoverageKeys.DenyDevicePrefix, CoverageKeys.DenyPairPrefix })
            foreach (var (_, value) in Store(ctx).Iterate([prefix], KeyRange.PrefixEnd([prefix])))
                yield return DenyEntry.Parser.ParseFrom(value);
    }

    /// <summary>Stores a new deny-list entry and raises the flags in the activity records of the device(s) it names.</summary>
    public void SetDenyEntry(Context ctx, DenyEntry entry)
    {
        Store(ctx).Set(entry.PairedDeviceKey.IsEmpty ? CoverageKeys.DenyDeviceKey(entry.DeviceKey.Span) : CoverageKeys.DenyPairKey(entry.DeviceKey.Span, entry.PairedDeviceKey.Span), entry.ToByteArray());
        AdjustDenyFlags(ctx, entry.DeviceKey, entry.PairedDeviceKey, +1);
    }

    private void RemoveDenyEntry(Context ctx, ByteString device, ByteString paired)
    {
        Store(ctx).Delete(paired.IsEmpty ? CoverageKeys.DenyDeviceKey(device.Span) : CoverageKeys.DenyPairKey(device.Span, paired.Span));
        AdjustDenyFlags(ctx, device, paired, -1);
    }

    /// <summary>
    /// The activity record mirrors the deny list (denied, number of pair entries), so evaluating a report reads one
    /// record per device instead of probing the list for every device and pair. Callers add or remove one entry at a time.
    /// </summary>
    private void AdjustDenyFlags(Context ctx, ByteString device, ByteString paired, int delta)
    {
        if (paired.IsEmpty)
        {
            var activity = GetActivity(ctx, device.Span) ?? new DeviceActivity { DeviceKey = device };
            activity.Denied = delta > 0;
            SetActivity(ctx, activity);
            return;
        }
        foreach (var key in new[] { device, paired })
        {
            var activity = GetActivity(ctx, key.Span) ?? new DeviceActivity { DeviceKey = key };
            activity.PairDenials = checked((uint)(activity.PairDenials + delta));
            SetActivity(ctx, activity);
        }
    }

    /// <summary>Clears every activity record's deny flags and sets them again from the stored deny list (genesis import).</summary>
    internal void RebuildDenyFlags(Context ctx)
    {
        var store = Store(ctx);
        foreach (var (_, value) in store.Iterate([CoverageKeys.ActivityPrefix], KeyRange.PrefixEnd([CoverageKeys.ActivityPrefix])).ToList())
        {
            var activity = DeviceActivity.Parser.ParseFrom(value);
            if (!activity.Denied && activity.PairDenials == 0) continue;
            activity.Denied = false;
            activity.PairDenials = 0;
            SetActivity(ctx, activity);
        }
        foreach (var entry in DenyList(ctx).ToList()) AdjustDenyFlags(ctx, entry.DeviceKey, entry.PairedDeviceKey, +1);
    }

    public void DenyList(Context ctx, MsgDenyList msg)
    {
        RequireAuthority(ctx, msg.Authority);
        if (GetDenyEntry(ctx, msg.DeviceKey.Span, msg.PairedDeviceKey.Span) is not null) throw CoverageErrors.DenyEntryExists();
        SetDenyEntry(ctx, new DenyEntry
        {
            DeviceKey = msg.DeviceKey, PairedDeviceKey = msg.PairedDeviceKey, Reason = msg.Reason, EvidenceHash = msg.EvidenceHash, Height = ctx.Height,
        });
        ctx.Events.Emit(SdkEvent.Of("deny_list", ("device", Convert.ToHexString(msg.DeviceKey.Span)), ("paired_device", Convert.ToHexString(msg.PairedDeviceKey.Span)),
            ("reason", msg.Reason), ("evidence_hash", Convert.ToHexString(msg.EvidenceHash.Span))));
    }

    public void LiftDenyList(Context ctx, MsgLiftDenyList msg)
    {
        RequireAuthority(ctx, msg.Authority);
        if (GetDenyEntry(ctx, msg.DeviceKey.Span, msg.PairedDeviceKey.Span) is null) throw CoverageErrors.DenyEntryNotFound();
        RemoveDenyEntry(ctx, msg.DeviceKey, msg.PairedDeviceKey);
        ctx.Events.Emit(SdkEvent.Of("lift_deny_list", ("device", Convert.ToHexString(msg.DeviceKey.Span)), ("paired_device", Convert.ToHexString(msg.PairedDeviceKey.Span)), ("reason", msg.Reason)));
    }

    private void RequireAuthority(Context ctx, string signer)
    {
        var authority = GetParams(ctx).Authority;
        if (string.IsNullOrEmpty(authority) || !Bech32Address.Parse(authority).AsSpan().SequenceEqual(Bech32Address.Parse(signer)))
            throw SdkErrors.Unauthorized($"{signer} is not the coverage authority");
    }

    // ---- density ----

    public long CellScale(Context ctx, ulong finestCell)
    {
        var bytes = Store(ctx).Get(CoverageKeys.CellScaleKey(finestCell));
        return bytes is null ? RewardUnits.Scale : BinaryPrimitives.ReadInt64BigEndian(bytes);
    }

    /// <summary>
    /// Recomputes the density scale of every occupied cell from the active, located, full-mode devices,
    /// writing only what changed. Runs at the beginning of each epoch's first block, so every report of the
    /// epoch uses the same scales and rewards, at the epoch's last block, sees the scales that applied. A device
    /// located in a cell that was empty at the epoch's start has scale 1 until the next epoch.
    /// </summary>
    public void RecomputeDensity(Context ctx)
    {
        var counts = new SortedDictionary<ulong, long>();
        foreach (var (cell, _, mode) in Devices.LocatedDevices(ctx))
            if (mode == DeviceMode.Full) counts[cell] = counts.GetValueOrDefault(cell) + 1;
        var scales = DensityScaling.Compute(counts, CoverageParams.DensityTable(GetParams(ctx)));
        var store = Store(ctx);
        byte[] prefix = [CoverageKeys.CellScalePrefix];
        foreach (var (key, value) in store.Iterate(prefix, KeyRange.PrefixEnd(prefix)).ToList())
        {
            var cell = BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan(1));
            if (!scales.TryGetValue(cell, out var scale) || scale == RewardUnits.Scale) store.Delete(key);
        }
        var buffer = new byte[8];
        foreach (var (cell, scale) in scales)
        {
            if (scale == RewardUnits.Scale) continue; // absent means 1.0
            BinaryPrimitives.WriteInt64BigEndian(buffer, scale);
            store.Set(CoverageKeys.CellScaleKey(cell), buffer);
        }
    }

    // ---- proof of coverage ----

    /// <summary>Gas per device signature in a report, as the SDK charges per secp256k1 verification.</summary>
    public const ulong SignatureVerifyGas = 1_000;

    public MsgSubmitPocResponse SubmitPoc(Context ctx, MsgSubmitPoc msg)
    {
        var p = GetParams(ctx);
        var poc = CoverageParams.ToPoc(p);
        var beacon = ToRecord(msg.Beacon ?? new BeaconReportProto());
        var witnesses = new Poc.WitnessReport[msg.Witnesses.Count];
        for (var i = 0; i < witnesses.Length; i++) witnesses[i] = ToRecord(msg.Witnesses[i]);
        ctx.GasMeter.Consume((ulong)(1 + Math.Min(witnesses.Length, poc.MaxWitnessesPerReport)) * SignatureVerifyGas, "proof-of-coverage signatures");

        // Malformed reports are refused before any signature work.
        var wellFormed = PocRules.CheckWellFormed(beacon, witnesses, poc);
        if (!wellFormed.Passed) throw CoverageErrors.Rejected(wellFormed);
        // Verdicts from the context: the app may have verified them ahead (MsgSubmitPoc registers its checks).
        var signatures = PocSignatureChecks.Verify(ctx, beacon, witnesses);
        var store = Store(ctx);
        var view = new ChainView(this, ctx, store);
        var evaluation = PocEvaluator.Evaluate(beacon, witnesses, view, poc, signatures);
        if (evaluation.Rejected) throw CoverageErrors.Rejected(evaluation.Beacon);

        // Stored compactly: verdict codes (the Reports query derives the names), a reason only for a failed check.
        var epoch = EpochOf(ctx, ctx.Height);
        var report = new StoredReport
        {
            BeaconerKey = msg.Beacon!.BeaconerKey, Height = ctx.Height, Epoch = epoch, Beacon = msg.Beacon,
            BeaconVerdict = (uint)evaluation.Beacon.Verdict, BeaconReason = evaluation.Beacon.Reason,
            BeaconUnits = evaluation.BeaconUnits, DensityScale = evaluation.DensityScale,
        };
        var selected = 0;
        foreach (var outcome in evaluation.Witnesses)
        {
            var w = msg.Witnesses[outcome.Index];
            if (outcome.Selected) selected++;
            report.Witnesses.Add(new WitnessResult
            {
                WitnessKey = w.WitnessKey, Verdict = (uint)outcome.Verdict, Reason = outcome.Reason,
                DistanceMetres = outcome.DistanceMetres, Units = outcome.Units, RssiTenthsDbm = w.RssiTenthsDbm, SnrTenthsDb = w.SnrTenthsDb,
            });
        }

        var beaconerKey = beacon.BeaconerKey;
        store.Set(CoverageKeys.ReportKey(epoch, ctx.Height, beaconerKey), report.ToByteArray());
        store.Set(CoverageKeys.ReportIndexKey(beaconerKey, epoch, ctx.Height, beaconerKey), []);

        // The beacon passed every check but (perhaps) reciprocity: it counts for the interval and for its witnesses' reciprocity.
        // Activity records were read (and parsed) once by the evaluation; they are updated in place here.
        var beaconerActivity = view.Activity(beaconerKey) ?? new DeviceActivity { DeviceKey = msg.Beacon.BeaconerKey };
        beaconerActivity.LastBeaconHeight = ctx.Height;
        store.Set(CoverageKeys.ActivityKey(beaconerKey), beaconerActivity.ToByteArray());
        AddUnits(store, epoch, beaconerKey, msg.Beacon.BeaconerKey, evaluation.BeaconUnits, 0, beacons: 1, witnessed: 0);

        var indexed = new HashSet<byte[]>(ByteArrayComparer.Instance); // membership only
        foreach (var outcome in evaluation.Witnesses)
        {
            var key = outcome.WitnessKey;
            if (outcome.Verdict is PocVerdict.DuplicateWitness or PocVerdict.SelfWitness || !indexed.Add(key)) continue;
            // Unknown devices are not indexed: anyone could otherwise fill the index with made-up keys.
            if (outcome.Verdict == PocVerdict.WitnessUnknown) continue;
            store.Set(CoverageKeys.ReportIndexKey(key, epoch, ctx.Height, beaconerKey), []);
            var keyBytes = msg.Witnesses[outcome.Index].WitnessKey;
            if (outcome.Verdict.CountsForReciprocity())
            {
                var activity = view.Activity(key) ?? new DeviceActivity { DeviceKey = keyBytes };
                activity.LastWitnessHeight = ctx.Height;
                store.Set(CoverageKeys.ActivityKey(key), activity.ToByteArray());
            }
            if (outcome.Selected) AddUnits(store, epoch, key, keyBytes, 0, outcome.Units, beacons: 0, witnessed: 1);
        }

        ctx.Events.Emit(SdkEvent.Of("poc_report",
            ("beaconer", Convert.ToHexString(beaconerKey)), ("epoch", epoch.ToString()), ("beacon_verdict", evaluation.Beacon.Verdict.ToString()),
            ("witnesses", witnesses.Length.ToString()), ("selected", selected.ToString()), ("beacon_units", RewardUnits.Format(evaluation.BeaconUnits))));
        return new MsgSubmitPocResponse { BeaconVerdict = (uint)evaluation.Beacon.Verdict, SelectedWitnesses = (uint)selected, BeaconUnits = evaluation.BeaconUnits };
    }

    private static Poc.BeaconReport ToRecord(BeaconReportProto b) =>
        new(b.BeaconerKey.ToByteArray(), b.EntropyHeight, b.Payload.ToByteArray(), b.FrequencyHz, b.TxPowerTenthsDbm, b.TimestampMs, b.Signature.ToByteArray());

    private static Poc.WitnessReport ToRecord(WitnessReportProto w) =>
        new(w.WitnessKey.ToByteArray(), w.PayloadHash.ToByteArray(), w.RssiTenthsDbm, w.SnrTenthsDb, w.FrequencyHz, w.TimestampMs, w.Signature.ToByteArray());

    private static void AddUnits(IKVStore store, ulong epoch, byte[] device, ByteString deviceBytes, long beaconUnits, long witnessUnits, uint beacons, uint witnessed)
    {
        var key = CoverageKeys.UnitsKey(epoch, device);
        var bytes = store.Get(key);
        var units = bytes is null ? new DeviceUnits { DeviceKey = deviceBytes, Epoch = epoch } : DeviceUnits.Parser.ParseFrom(bytes);
        units.BeaconUnits += beaconUnits;
        units.WitnessUnits += witnessUnits;
        units.Beacons += beacons;
        units.Witnesses += witnessed;
        store.Set(key, units.ToByteArray());
    }

    // ---- retention ----

    /// <summary>
    /// Deletes reports (with their index entries) and units records of epochs older than the retention, oldest
    /// first, at most <c>max_pruned_reports_per_block</c> reports and as many units records per call (the end
    /// blocker calls it every block). A report costs one read and 2 + (indexed witnesses ≤ max_witnesses_per_report)
    /// deletes, so a block's pruning is bounded by max_pruned_reports_per_block · (3 + max_witnesses_per_report)
    /// store operations. Deterministic: keys are visited in store order. Returns the number of reports pruned.
    /// </summary>
    public int PruneExpired(Context ctx)
    {
        var p = GetParams(ctx);
        var current = EpochOf(ctx, ctx.Height);
        if (current < p.ReportRetentionEpochs) return 0;
        var firstKept = current - p.ReportRetentionEpochs + 1; // epochs below this one are pruned
        var budget = (int)Math.Min(p.MaxPrunedReportsPerBlock, int.MaxValue);
        var store = Store(ctx);

        var reports = store.Iterate(CoverageKeys.UInt64Key(CoverageKeys.ReportPrefix, 0), CoverageKeys.UInt64Key(CoverageKeys.ReportPrefix, firstKept)).Take(budget).ToList();
        foreach (var (key, value) in reports)
        {
            var report = StoredReport.Parser.ParseFrom(value);
            var beaconer = report.BeaconerKey.Span;
            store.Delete(CoverageKeys.ReportIndexKey(beaconer, report.Epoch, report.Height, beaconer));
            foreach (var w in report.Witnesses)
                if (IsIndexed((PocVerdict)w.Verdict)) store.Delete(CoverageKeys.ReportIndexKey(w.WitnessKey.Span, report.Epoch, report.Height, beaconer));
            store.Delete(key);
        }

        var units = store.Iterate(CoverageKeys.UnitsPrefixOf(0), CoverageKeys.UnitsPrefixOf(firstKept)).Take(budget).Select(kv => kv.Key).ToList();
        foreach (var key in units) store.Delete(key);
        return reports.Count;
    }

    /// <summary>Whether a witness with this verdict has an index entry (duplicates, self-witnesses and unknown keys have none).</summary>
    internal static bool IsIndexed(PocVerdict verdict) => verdict is not (PocVerdict.DuplicateWitness or PocVerdict.SelfWitness or PocVerdict.WitnessUnknown);

    // ---- reads ----

    public IEnumerable<StoredReport> ReportsOf(Context ctx, byte[] device, ulong epoch)
    {
        var prefix = CoverageKeys.ReportIndexPrefixOf(device, epoch);
        var store = Store(ctx);
        foreach (var (key, _) in store.Iterate(prefix, KeyRange.PrefixEnd(prefix)).ToList())
        {
            var height = BinaryPrimitives.ReadInt64BigEndian(key.AsSpan(prefix.Length));
            var beaconer = key.AsSpan(prefix.Length + 8);
            var bytes = store.Get(CoverageKeys.ReportKey(epoch, height, beaconer));
            if (bytes is not null) yield return WithVerdictNames(StoredReport.Parser.ParseFrom(bytes));
        }
    }

    /// <summary>Fills in the verdict names, which are not stored (the codes are), for readers.</summary>
    public static StoredReport WithVerdictNames(StoredReport report)
    {
        report.BeaconVerdictName = ((PocVerdict)report.BeaconVerdict).ToString();
        foreach (var w in report.Witnesses) w.VerdictName = ((PocVerdict)w.Verdict).ToString();
        return report;
    }

    public IEnumerable<StoredReport> AllReports(Context ctx)
    {
        byte[] prefix = [CoverageKeys.ReportPrefix];
        foreach (var (_, value) in Store(ctx).Iterate(prefix, KeyRange.PrefixEnd(prefix)))
            yield return StoredReport.Parser.ParseFrom(value);
    }

    public IEnumerable<DeviceUnits> Units(Context ctx, ulong epoch)
    {
        var prefix = CoverageKeys.UnitsPrefixOf(epoch);
        foreach (var (_, value) in Store(ctx).Iterate(prefix, KeyRange.PrefixEnd(prefix)))
            yield return DeviceUnits.Parser.ParseFrom(value);
    }

    public IReadOnlyList<DeviceEpochUnits> UnitsForEpoch(Context ctx, ulong epoch)
    {
        var result = new List<DeviceEpochUnits>();
        foreach (var u in Units(ctx, epoch))
        {
            var device = Devices.GetDevice(ctx, u.DeviceKey.Span);
            if (device is null) continue;
            var scale = device.Location is { } l ? CellScale(ctx, l.Cell.Index) : RewardUnits.Scale;
            result.Add(new DeviceEpochUnits(u.DeviceKey.ToByteArray(), device.Owner, u.BeaconUnits, u.WitnessUnits, scale));
        }
        return result;
    }

    /// <summary>
    /// Chain state as the evaluator reads it, bound to one context. A device's activity record (interval,
    /// reciprocity and deny flags) is read and parsed once per report and kept for the writes that follow.
    /// </summary>
    private sealed class ChainView(CoverageKeeper keeper, Context ctx, IKVStore store) : IPocChainView
    {
        private readonly Dictionary<byte[], DeviceActivity?> _activity = new(ByteArrayComparer.Instance);

        public string ChainId => ctx.ChainId;
        public long Height => ctx.Height;
        public DeviceInfo? GetDevice(ReadOnlySpan<byte> deviceKey) => keeper.Devices.GetDevice(ctx, deviceKey);
        public byte[]? GetBlockHash(long height) => store.Get(CoverageKeys.BlockHashKey(height));
        public long? LastBeaconHeight(ReadOnlySpan<byte> deviceKey) => Activity(deviceKey) is { LastBeaconHeight: > 0 } a ? a.LastBeaconHeight : null;
        public long? LastWitnessHeight(ReadOnlySpan<byte> deviceKey) => Activity(deviceKey) is { LastWitnessHeight: > 0 } a ? a.LastWitnessHeight : null;
        public bool IsDeviceDenied(ReadOnlySpan<byte> deviceKey) => Activity(deviceKey) is { Denied: true };

        // A pair entry exists only if both devices count one; the list itself is read only then.
        public bool IsPairDenied(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) =>
            Activity(a) is { PairDenials: > 0 } && Activity(b) is { PairDenials: > 0 } && store.Get(CoverageKeys.DenyPairKey(a, b)) is not null;

        public long DensityScale(DeviceInfo device) => device.Location is { } l ? keeper.CellScale(ctx, l.Cell.Index) : RewardUnits.Scale;

        public DeviceActivity? Activity(ReadOnlySpan<byte> deviceKey)
        {
            var lookup = _activity.GetAlternateLookup<ReadOnlySpan<byte>>();
            if (lookup.TryGetValue(deviceKey, out var cached)) return cached;
            var bytes = store.Get(CoverageKeys.ActivityKey(deviceKey));
            var activity = bytes is null ? null : DeviceActivity.Parser.ParseFrom(bytes);
            lookup[deviceKey] = activity;
            return activity;
        }
    }
}
