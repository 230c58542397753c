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

namespace DePinChain.Modules.Coverage;

/// <summary>
/// Owns coverage state: params, recent block hashes (entropy), one activity record per device (rule facts, deny flags,
/// the ledger of its last active epoch: units and report refs), the deny list, stored reports with every verdict,
/// ledgers of past epochs and the density scale per occupied cell. A report writes itself and one activity record per
/// participant (see README, "Writes per report"). The only code that reads or writes the coverage store; what it needs
/// from other modules is in ExpectedKeepers.cs.
/// </summary>
public sealed class CoverageKeeper(IDeviceRegistry devices, IEpochClock epochs)
{
    public IDeviceRegistry Devices { get; } = devices;

    public IEpochClock Epochs { get; } = epochs;

    private static IKVStore Store(Context ctx) => ctx.KVStore(CoverageKeys.ModuleName);

    public static Params DefaultParams() => CoverageParams.FromPoc(PocParams.Default, DensityScaling.DefaultTable, authority: ModuleAuthority.Default);

    private static readonly ParamsStore<Params> ParamsStore = new(CoverageKeys.ModuleName, CoverageKeys.ParamsKey, Params.Parser, DefaultParams);

    public Params GetParams(Context ctx) => ParamsStore.Get(ctx);

    public void SetParams(Context ctx, Params p) => ParamsStore.Set(ctx, p);

    /// <summary>The only account that may keep the deny list (from params: genesis sets it).</summary>
    public string GetAuthority(Context ctx) => GetParams(ctx).Authority;

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

    /// <summary>A device's activity record (with its device key filled in), or null.</summary>
    public DeviceActivity? GetActivity(Context ctx, ReadOnlySpan<byte> device)
    {
        var bytes = Store(ctx).Get(CoverageKeys.ActivityKey(device));
        if (bytes is null) return null;
        var activity = DeviceActivity.Parser.ParseFrom(bytes);
        activity.DeviceKey = ByteString.CopyFrom(device);
        return activity;
    }

    /// <summary>Stores <paramref name="activity"/> under its device key (the key is not repeated in the value).</summary>
    public void SetActivity(Context ctx, DeviceActivity activity) => WriteActivity(Store(ctx), activity.DeviceKey.Span, activity);

    private static void WriteActivity(IKVStore store, ReadOnlySpan<byte> device, DeviceActivity activity)
    {
        var key = activity.DeviceKey;
        activity.DeviceKey = ByteString.Empty;
        var ledgerKey = activity.Ledger?.DeviceKey ?? ByteString.Empty;
        if (activity.Ledger is { } l) l.DeviceKey = ByteString.Empty;
        store.Set(CoverageKeys.ActivityKey(device), activity.ToByteArray());
        activity.DeviceKey = key;
        if (activity.Ledger is { } restored) restored.DeviceKey = ledgerKey;
    }

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

    /// <summary>Removes a deny-list entry and lowers the flags it raised.</summary>
    public void RemoveDenyEntry(Context ctx, ByteString device, ByteString paired)
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
        foreach (var (key, value) in store.Iterate([CoverageKeys.ActivityPrefix], KeyRange.PrefixEnd([CoverageKeys.ActivityPrefix])).ToList())
        {
            var activity = DeviceActivity.Parser.ParseFrom(value);
            if (!activity.Denied && activity.PairDenials == 0) continue;
            activity.Denied = false;
            activity.PairDenials = 0;
            WriteActivity(store, key.AsSpan(1), activity);
        }
        foreach (var entry in DenyList(ctx).ToList()) AdjustDenyFlags(ctx, entry.DeviceKey, entry.PairedDeviceKey, +1);
    }

    // ---- density ----

    public long CellScale(Context ctx, ulong finestCell)
    {
        var bytes = Store(ctx).Get(CoverageKeys.CellScaleKey(finestCell));
        return bytes is null ? RewardUnits.Scale : BinaryPrimitives.ReadInt64BigEndian(bytes);
    }

    /// <summary>
    /// Brings the density scales up to date with the active, located, full-mode devices, writing only what changed.
    /// Runs at the beginning of each epoch's first block, so every report of the epoch uses the same scales and
    /// rewards, at the epoch's last block, sees the scales that applied. A device located in a cell that was empty at
    /// the epoch's start has scale 1 until the next epoch.
    /// Incremental: a finest cell's scale depends only on the counts inside its ancestor at the table's coarsest level
    /// (its region), so only the regions around cells whose count changed since the last recompute (the registry's
    /// journal, and the cells genesis left unreconciled) are recomputed: O(devices in those regions), never O(devices).
    /// The result is the full recompute's (a property test compares the two over random histories).
    /// </summary>
    public void RecomputeDensity(Context ctx)
    {
        var store = Store(ctx);
        byte[] pendingPrefix = [CoverageKeys.PendingDensityCellPrefix];
        var pending = store.Iterate(pendingPrefix, KeyRange.PrefixEnd(pendingPrefix)).Select(kv => kv.Key).ToList();
        foreach (var key in pending) store.Delete(key);
        var table = CoverageParams.DensityTable(GetParams(ctx));
        var regionLevel = table[0].Level;
        var regions = new SortedSet<ulong>();
        foreach (var cell in Devices.TakeChangedDensityCells(ctx)) regions.Add(RegionOf(cell, regionLevel));
        foreach (var key in pending) regions.Add(RegionOf(KeyCodec.ReadUInt64(key), regionLevel));
        if (regions.Count == 0) return;

        // The scales of the epoch that just ended, for the cells whose scale changes now: rewards explains a device's
        // reward with the scale its epoch ended with, even when the payout runs after this recompute.
        ulong current = EpochOf(ctx, ctx.Height);
        ulong? ended = current > 0 ? current - 1 : null;
        foreach (var region in regions)
        {
            var (first, last) = new GeoCell(regionLevel, region).DescendantRange(GeoCell.FinestLevel);
            var counts = new SortedDictionary<ulong, long>();
            foreach (var (cell, devices) in Devices.FullDeviceCounts(ctx, first, last)) counts[cell] = devices;
            ApplyScales(store, first, last, DensityScaling.Compute(counts, table), ended);
        }
    }

    private static ulong RegionOf(ulong finestCell, int regionLevel) => new GeoCell(GeoCell.FinestLevel, finestCell).AncestorAt(regionLevel).Index;

    /// <summary>
    /// Makes the stored scales of the finest cells in [first, last] equal <paramref name="scales"/> (absent = 1.0),
    /// keeping each changed cell's previous scale as the history of epoch <paramref name="ended"/> (none before epoch 1).
    /// </summary>
    private static void ApplyScales(IKVStore store, ulong first, ulong last, SortedDictionary<ulong, long> scales, ulong? ended)
    {
        var buffer = new byte[8];
        var end = last == ulong.MaxValue ? KeyRange.PrefixEnd([CoverageKeys.CellScalePrefix]) : CoverageKeys.CellScaleKey(last + 1);
        var stored = new HashSet<ulong>(); // membership only; never iterated
        foreach (var (key, value) in store.Iterate(CoverageKeys.CellScaleKey(first), end).ToList())
        {
            var cell = BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan(1));
            var scale = scales.GetValueOrDefault(cell, RewardUnits.Scale);
            var before = BinaryPrimitives.ReadInt64BigEndian(value);
            if (scale == before) { stored.Add(cell); continue; }
            if (ended is { } e) store.Set(CoverageKeys.ScaleHistoryKey(e, cell), value);
            if (scale == RewardUnits.Scale) store.Delete(key);
            else
            {
                BinaryPrimitives.WriteInt64BigEndian(buffer, scale);
                store.Set(key, buffer);
                stored.Add(cell);
            }
        }
        foreach (var (cell, scale) in scales)
        {
            if (scale == RewardUnits.Scale || stored.Contains(cell)) continue; // absent means 1.0
            if (ended is { } e)
            {
                BinaryPrimitives.WriteInt64BigEndian(buffer, RewardUnits.Scale);
                store.Set(CoverageKeys.ScaleHistoryKey(e, cell), buffer);
            }
            BinaryPrimitives.WriteInt64BigEndian(buffer, scale);
            store.Set(CoverageKeys.CellScaleKey(cell), buffer);
        }
    }

    /// <summary>
    /// Genesis: the imported scales apply during epoch 0 as they are; a cell whose imported scale is not what its region's
    /// counts give (devices moved since the scales were computed, or a hand-written document) is left pending, so the
    /// next epoch's recompute visits its region, as a full recompute would. O(devices), once, at genesis.
    /// </summary>
    internal void ReconcileDensity(Context ctx)
    {
        var store = Store(ctx);
        var counts = new SortedDictionary<ulong, long>();
        foreach (var (cell, devices) in Devices.FullDeviceCounts(ctx, 0, ulong.MaxValue)) counts[cell] = devices;
        var scales = DensityScaling.Compute(counts, CoverageParams.DensityTable(GetParams(ctx)));
        var imported = new HashSet<ulong>(); // membership only; never iterated
        foreach (var c in CellScales(ctx).ToList())
        {
            imported.Add(c.Cell);
            if (scales.GetValueOrDefault(c.Cell, RewardUnits.Scale) != c.Scale) store.Set(CoverageKeys.PendingDensityCellKey(c.Cell), []);
        }
        foreach (var (cell, scale) in scales)
            if (scale != RewardUnits.Scale && !imported.Contains(cell)) store.Set(CoverageKeys.PendingDensityCellKey(cell), []);
    }

    /// <summary>
    /// The device's density scale during <paramref name="epoch"/> (its cell's scale then; 1.0 unlocated): the first
    /// kept history entry of the cell from that epoch on, else the cell's scale now. The device's location is its
    /// location now (rewards settles a device before its location changes).
    /// </summary>
    public long DensityScaleAt(Context ctx, DeviceInfo device, ulong epoch)
    {
        if (device.Location is not { } l) return RewardUnits.Scale;
        var store = Store(ctx);
        ulong current = EpochOf(ctx, ctx.Height);
        for (ulong e = epoch; e < current; e++)
            if (store.Get(CoverageKeys.ScaleHistoryKey(e, l.Cell.Index)) is { } bytes) return BinaryPrimitives.ReadInt64BigEndian(bytes);
        return CellScale(ctx, l.Cell.Index);
    }

    /// <summary>Σ beacon units and Σ witness units recorded in <paramref name="epoch"/> (every device's ledger of that epoch).</summary>
    public (ulong Beacon, ulong Witness) EpochTotals(Context ctx, ulong epoch)
    {
        var bytes = Store(ctx).Get(CoverageKeys.EpochTotalsKey(epoch));
        return bytes is null ? (0, 0) : (BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(8)));
    }

    private static void AddToEpochTotals(IKVStore store, ulong epoch, ulong beacon, ulong witness)
    {
        if (beacon == 0 && witness == 0) return;
        var key = CoverageKeys.EpochTotalsKey(epoch);
        var bytes = store.Get(key) ?? new byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, checked(BinaryPrimitives.ReadUInt64BigEndian(bytes) + beacon));
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8), checked(BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(8)) + witness));
        store.Set(key, bytes);
    }

    /// <summary>Genesis: the epoch totals from the ledgers (archived and in activity records); they are not exported.</summary>
    internal void RebuildEpochTotals(Context ctx)
    {
        var store = Store(ctx);
        var totals = new SortedDictionary<ulong, (ulong Beacon, ulong Witness)>();
        void Add(EpochLedger l)
        {
            var t = totals.GetValueOrDefault(l.Epoch);
            totals[l.Epoch] = (checked(t.Beacon + (ulong)l.BeaconUnits), checked(t.Witness + (ulong)l.WitnessUnits));
        }
        foreach (var l in ArchivedLedgers(ctx)) Add(l);
        byte[] prefix = [CoverageKeys.ActivityPrefix];
        foreach (var (_, value) in store.Iterate(prefix, KeyRange.PrefixEnd(prefix)).ToList())
            if (DeviceActivity.Parser.ParseFrom(value).Ledger is { } l) Add(l);
        foreach (var (epoch, (beacon, witness)) in totals) AddToEpochTotals(store, epoch, beacon, witness);
    }

    // ---- proof of coverage ----

    /// <summary>Gas per device signature in a report, as the SDK charges per secp256k1 verification.</summary>
    public const ulong SignatureVerifyGas = 1_000;

    /// <summary>Chain state as the evaluator of one report reads it; <see cref="RecordReport"/> then writes through the same view.</summary>
    internal ChainView OpenView(Context ctx) => new(this, ctx, Store(ctx));

    /// <summary>
    /// Stores an evaluated (not rejected) report and updates each participant's activity record: the report, then one
    /// write per participant. Returns the report's epoch and how many witnesses were selected.
    /// </summary>
    internal (ulong Epoch, int Selected) RecordReport(Context ctx, Params p, ChainView view, MsgSubmitPoc msg, byte[] beaconerKey, PocEvaluation evaluation)
    {
        var store = view.Store;
        // Stored compactly: verdict codes (the Reports query derives the names), a reason only for a failed check,
        // the beacon without its payload and signature, no field the key already holds, one witness_units for all
        // selected witnesses.
        var epoch = EpochOf(ctx, ctx.Height);
        var report = new StoredReport
        {
            Beacon = new BeaconReportProto { EntropyHeight = msg.Beacon!.EntropyHeight, FrequencyHz = msg.Beacon.FrequencyHz, TxPowerTenthsDbm = msg.Beacon.TxPowerTenthsDbm, TimestampMs = msg.Beacon.TimestampMs },
            BeaconVerdict = (uint)evaluation.Beacon.Verdict, BeaconReason = evaluation.Beacon.Reason,
            BeaconUnits = evaluation.BeaconUnits, DensityScale = evaluation.DensityScale,
        };
        var selected = 0;
        foreach (var outcome in evaluation.Witnesses)
        {
            var w = msg.Witnesses[outcome.Index];
            if (outcome.Selected) { selected++; report.WitnessUnits = outcome.Units; }
            report.Witnesses.Add(new WitnessResult
            {
                WitnessKey = w.WitnessKey, Verdict = (uint)outcome.Verdict, Reason = outcome.Reason,
                DistanceMetres = outcome.DistanceMetres, RssiTenthsDbm = w.RssiTenthsDbm, SnrTenthsDb = w.SnrTenthsDb,
            });
        }
        store.Set(CoverageKeys.ReportKey(epoch, ctx.Height, beaconerKey), report.ToByteArray());

        // One write per participant: its activity record carries the rule facts and this epoch's ledger (units and
        // the reports it took part in). Records were read (and parsed) once by the evaluation; updated in place here.
        var firstKept = FirstKeptEpoch(p, epoch);
        var reference = new byte[ReportRefLength];
        BinaryPrimitives.WriteInt64BigEndian(reference, ctx.Height);
        beaconerKey.AsSpan(0, 4).CopyTo(reference.AsSpan(8));

        // The beacon passed every check but (perhaps) reciprocity: it counts for the interval and for its witnesses' reciprocity.
        var beaconerActivity = view.Activity(beaconerKey) ?? new DeviceActivity();
        beaconerActivity.LastBeaconHeight = ctx.Height;
        var beaconerLedger = CurrentLedger(store, beaconerKey, beaconerActivity, epoch, firstKept);
        beaconerLedger.BeaconUnits += evaluation.BeaconUnits;
        ulong witnessUnitsAdded = 0;
        beaconerLedger.Beacons++;
        AddRef(beaconerLedger, reference);
        WriteActivity(store, beaconerKey, beaconerActivity);

        var indexed = new HashSet<byte[]>(evaluation.Witnesses.Count, ByteArrayComparer.Instance); // membership only
        foreach (var outcome in evaluation.Witnesses)
        {
            var key = outcome.WitnessKey;
            // Unknown devices get no record: anyone could otherwise fill the store with made-up keys.
            if (!IsIndexed(outcome.Verdict) || !indexed.Add(key)) continue;
            var activity = view.Activity(key) ?? new DeviceActivity();
            if (outcome.Verdict.CountsForReciprocity()) activity.LastWitnessHeight = ctx.Height;
            var ledger = CurrentLedger(store, key, activity, epoch, firstKept);
            if (outcome.Selected)
            {
                ledger.WitnessUnits += outcome.Units;
                witnessUnitsAdded = checked(witnessUnitsAdded + (ulong)outcome.Units);
                ledger.Witnesses++;
            }
            AddRef(ledger, reference);
            WriteActivity(store, key, activity);
        }
        AddToEpochTotals(store, epoch, (ulong)evaluation.BeaconUnits, witnessUnitsAdded);

        return (epoch, selected);
    }

    /// <summary>
    /// The device's ledger for <paramref name="epoch"/>, started in its activity record if the record holds an older
    /// one; the older one moves to 0x0A | its epoch | device (one write per device and epoch it was active in), unless
    /// that epoch is already past the retention.
    /// </summary>
    private static EpochLedger CurrentLedger(IKVStore store, ReadOnlySpan<byte> device, DeviceActivity activity, ulong epoch, ulong firstKept)
    {
        if (activity.Ledger is { } ledger)
        {
            if (ledger.Epoch == epoch) return ledger;
            if (ledger.Epoch >= firstKept) store.Set(CoverageKeys.LedgerKey(ledger.Epoch, device), StoredLedger(ledger));
        }
        return activity.Ledger = new EpochLedger { Epoch = epoch };
    }

    /// <summary>Bytes per entry of <c>EpochLedger.report_refs</c>: height (8, big-endian) and the beaconer key's first four bytes.</summary>
    internal const int ReportRefLength = 12;

    private static void AddRef(EpochLedger ledger, byte[] reference)
    {
        var refs = ledger.ReportRefs.Span;
        var grown = new byte[refs.Length + ReportRefLength];
        refs.CopyTo(grown);
        reference.CopyTo(grown.AsSpan(refs.Length));
        ledger.ReportRefs = UnsafeByteOperations.UnsafeWrap(grown);
    }

    /// <summary>A ledger as 0x0A stores it: device key and epoch are in the key.</summary>
    private static byte[] StoredLedger(EpochLedger ledger)
    {
        var stored = ledger.Clone();
        stored.DeviceKey = ByteString.Empty;
        stored.Epoch = 0;
        return stored.ToByteArray();
    }

    // ---- retention ----

    /// <summary>The oldest epoch whose reports and ledgers are kept while <paramref name="current"/> runs.</summary>
    internal static ulong FirstKeptEpoch(Params p, ulong current) => current < p.ReportRetentionEpochs ? 0 : current - p.ReportRetentionEpochs + 1;

    /// <summary>
    /// Deletes reports and archived ledgers (0x0A) of epochs older than the retention, oldest first, at most
    /// <c>max_pruned_reports_per_block</c> of each per call (the end blocker calls it every block): a report or a
    /// ledger is one delete, found by one step of a key iteration, so a block's pruning is bounded by
    /// 2 · max_pruned_reports_per_block deletes. A device's ledger still in its activity record is dropped when the
    /// device is next active (queries already ignore expired epochs). Deterministic: keys are visited in store order.
    /// Returns the number of reports pruned.
    /// </summary>
    public int PruneExpired(Context ctx)
    {
        var p = GetParams(ctx);
        var firstKept = FirstKeptEpoch(p, EpochOf(ctx, ctx.Height));
        if (firstKept == 0) return 0;
        var budget = (int)Math.Min(p.MaxPrunedReportsPerBlock, int.MaxValue);
        var store = Store(ctx);
        var reports = store.Iterate(CoverageKeys.UInt64Key(CoverageKeys.ReportPrefix, 0), CoverageKeys.UInt64Key(CoverageKeys.ReportPrefix, firstKept)).Take(budget).Select(kv => kv.Key).ToList();
        foreach (var key in reports) store.Delete(key);
        var ledgers = store.Iterate(CoverageKeys.LedgerPrefixOf(0), CoverageKeys.LedgerPrefixOf(firstKept)).Take(budget).Select(kv => kv.Key).ToList();
        foreach (var key in ledgers) store.Delete(key);
        // The epoch totals and scale history of expired epochs: a few keys per epoch, and per changed cell.
        foreach (var (start, end) in new[] { (CoverageKeys.EpochTotalsKey(0), CoverageKeys.EpochTotalsKey(firstKept)), (KeyCodec.UInt64(CoverageKeys.ScaleHistoryPrefix, 0), KeyCodec.UInt64(CoverageKeys.ScaleHistoryPrefix, firstKept)) })
            foreach (var key in store.Iterate(start, end).Take(budget).Select(kv => kv.Key).ToList()) store.Delete(key);
        return reports.Count;
    }

    /// <summary>Whether a witness with this verdict takes part in the report for its ledger (duplicates, self-witnesses and unknown keys do not).</summary>
    internal static bool IsIndexed(PocVerdict verdict) => verdict is not (PocVerdict.DuplicateWitness or PocVerdict.SelfWitness or PocVerdict.WitnessUnknown);

    private bool IsExpired(Context ctx, ulong epoch) => epoch < FirstKeptEpoch(GetParams(ctx), EpochOf(ctx, ctx.Height));

    // ---- reads ----

    /// <summary>
    /// The reports <paramref name="device"/> beaconed or witnessed (as a witness that is neither a duplicate, nor
    /// itself, nor unknown) in <paramref name="epoch"/>, by height then beaconer key, with verdict names and
    /// per-witness units filled in. Reads the device's ledger of that epoch, then one short key range per report.
    /// Empty for epochs past the retention.
    /// </summary>
    public IEnumerable<StoredReport> ReportsOf(Context ctx, byte[] device, ulong epoch)
    {
        if (IsExpired(ctx, epoch)) yield break;
        var ledger = LedgerOf(ctx, device, epoch);
        if (ledger is null) yield break;
        var store = Store(ctx);
        var packed = ledger.ReportRefs.Memory;
        if (packed.Length % ReportRefLength != 0) throw new InvalidOperationException($"report refs of {Convert.ToHexString(device)} are {packed.Length} bytes, not a multiple of {ReportRefLength}");
        var refs = new List<(long Height, uint BeaconerPrefix)>(packed.Length / ReportRefLength);
        for (var at = 0; at < packed.Length; at += ReportRefLength)
            refs.Add((BinaryPrimitives.ReadInt64BigEndian(packed.Span[at..]), BinaryPrimitives.ReadUInt32BigEndian(packed.Span[(at + 8)..])));
        foreach (var (height, beaconerPrefix) in refs.Distinct().Order().ToList())
        {
            var prefix = CoverageKeys.ReportRefPrefix(epoch, height, beaconerPrefix);
            foreach (var (key, value) in store.Iterate(prefix, KeyRange.PrefixEnd(prefix)).ToList())
            {
                var report = ReadReport(key, value);
                if (TookPart(report, device)) yield return ForReaders(report);
            }
        }
    }

    private static bool TookPart(StoredReport report, ReadOnlySpan<byte> device)
    {
        if (report.BeaconerKey.Span.SequenceEqual(device)) return true;
        foreach (var w in report.Witnesses)
            if (IsIndexed((PocVerdict)w.Verdict) && w.WitnessKey.Span.SequenceEqual(device)) return true;
        return false;
    }

    /// <summary>The device's ledger for <paramref name="epoch"/>: in its activity record if that is its last active epoch, else archived.</summary>
    public EpochLedger? LedgerOf(Context ctx, ReadOnlySpan<byte> device, ulong epoch)
    {
        if (GetActivity(ctx, device)?.Ledger is { } current && current.Epoch == epoch) return current;
        var bytes = Store(ctx).Get(CoverageKeys.LedgerKey(epoch, device));
        if (bytes is null) return null;
        var ledger = EpochLedger.Parser.ParseFrom(bytes);
        ledger.Epoch = epoch;
        return ledger;
    }

    /// <summary>A stored report with the fields its key holds (beaconer, height, epoch) filled in, as genesis exports it.</summary>
    internal static StoredReport ReadReport(byte[] key, byte[] value)
    {
        var report = StoredReport.Parser.ParseFrom(value);
        report.Epoch = BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan(1));
        report.Height = BinaryPrimitives.ReadInt64BigEndian(key.AsSpan(9));
        report.BeaconerKey = ByteString.CopyFrom(key.AsSpan(CoverageKeys.ReportKeyFixedLength));
        return report;
    }

    /// <summary>A report as stored (genesis form): key fields and the per-witness units dropped, the beacon without key, payload and signature.</summary>
    internal static StoredReport Compact(StoredReport report)
    {
        var stored = report.Clone();
        stored.BeaconerKey = ByteString.Empty;
        stored.Height = 0;
        stored.Epoch = 0;
        stored.BeaconVerdictName = "";
        if (stored.Beacon is { } b)
        {
            b.BeaconerKey = ByteString.Empty;
            b.Payload = ByteString.Empty;
            b.Signature = ByteString.Empty;
        }
        foreach (var w in stored.Witnesses)
        {
            w.VerdictName = "";
            w.Units = 0;
        }
        return stored;
    }

    /// <summary>Fills in what is derived rather than stored, for readers: verdict names, the beacon's key, each witness's units.</summary>
    public static StoredReport ForReaders(StoredReport report)
    {
        report.BeaconVerdictName = ((PocVerdict)report.BeaconVerdict).Name();
        if (report.Beacon is { } b) b.BeaconerKey = report.BeaconerKey;
        foreach (var w in report.Witnesses)
        {
            w.VerdictName = ((PocVerdict)w.Verdict).Name();
            w.Units = w.Verdict == (uint)PocVerdict.Valid ? report.WitnessUnits : 0;
        }
        return report;
    }

    public IEnumerable<StoredReport> AllReports(Context ctx)
    {
        byte[] prefix = [CoverageKeys.ReportPrefix];
        foreach (var (key, value) in Store(ctx).Iterate(prefix, KeyRange.PrefixEnd(prefix)))
            yield return ReadReport(key, value);
    }

    /// <summary>Every archived ledger (0x0A), with device key and epoch filled in, in key order.</summary>
    public IEnumerable<EpochLedger> ArchivedLedgers(Context ctx)
    {
        byte[] prefix = [CoverageKeys.LedgerPrefix];
        foreach (var (key, value) in Store(ctx).Iterate(prefix, KeyRange.PrefixEnd(prefix)))
        {
            var ledger = EpochLedger.Parser.ParseFrom(value);
            ledger.Epoch = BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan(1));
            ledger.DeviceKey = ByteString.CopyFrom(key.AsSpan(CoverageKeys.LedgerKeyFixedLength));
            yield return ledger;
        }
    }

    /// <summary>
    /// Every device with units in <paramref name="epoch"/> (it beaconed, or was a selected witness), sorted by device
    /// key: the archived ledgers of that epoch merged with the activity records whose ledger is still that epoch's.
    /// Reads every activity record once (one per device that ever took part in a report); rewards calls it once per
    /// epoch. Empty for epochs past the retention.
    /// </summary>
    public IEnumerable<DeviceUnits> Units(Context ctx, ulong epoch)
    {
        if (IsExpired(ctx, epoch)) yield break;
        var store = Store(ctx);
        var archivedPrefix = CoverageKeys.LedgerPrefixOf(epoch);
        using var archived = store.Iterate(archivedPrefix, KeyRange.PrefixEnd(archivedPrefix))
            .Select(kv => (Device: kv.Key[CoverageKeys.LedgerKeyFixedLength..], Ledger: EpochLedger.Parser.ParseFrom(kv.Value))).ToList().GetEnumerator();
        using var current = CurrentLedgers(store, epoch).GetEnumerator();
        var hasArchived = archived.MoveNext();
        var hasCurrent = current.MoveNext();
        while (hasArchived || hasCurrent)
        {
            var order = !hasArchived ? 1 : !hasCurrent ? -1 : archived.Current.Device.AsSpan().SequenceCompareTo(current.Current.Device);
            if (order == 0) throw new InvalidOperationException($"device {Convert.ToHexString(current.Current.Device)} has two ledgers for epoch {epoch}");
            var (device, ledger) = order < 0 ? archived.Current : current.Current;
            if (order < 0) hasArchived = archived.MoveNext();
            else hasCurrent = current.MoveNext();
            if (ledger.Beacons == 0 && ledger.Witnesses == 0) continue; // took part, earned nothing: no units record
            yield return new DeviceUnits
            {
                DeviceKey = ByteString.CopyFrom(device), Epoch = epoch, BeaconUnits = ledger.BeaconUnits, WitnessUnits = ledger.WitnessUnits,
                Beacons = ledger.Beacons, Witnesses = ledger.Witnesses,
            };
        }
    }

    /// <summary>
    /// One page of <see cref="Units"/>: the devices with units in <paramref name="epoch"/> with a key in
    /// (<paramref name="after"/>, bound], examining at most <paramref name="limit"/> activity records (and the archived
    /// ledgers of the same key range, each of which belongs to one of them). Bound null: through the last device.
    /// </summary>
    public (List<DeviceUnits> Units, byte[]? Bound) UnitsPage(Context ctx, ulong epoch, byte[]? after, int limit)
    {
        var store = Store(ctx);
        byte[] activityStart = after is null ? [CoverageKeys.ActivityPrefix] : [.. CoverageKeys.ActivityKey(after), 0];
        var current = new List<(byte[] Device, EpochLedger Ledger)>();
        byte[]? bound = null;
        int examined = 0;
        foreach (var (key, value) in store.Iterate(activityStart, KeyRange.PrefixEnd([CoverageKeys.ActivityPrefix])))
        {
            var ledger = DeviceActivity.Parser.ParseFrom(value).Ledger;
            if (ledger is not null && ledger.Epoch == epoch) current.Add((key[1..], ledger));
            if (++examined == limit) { bound = key[1..]; break; }
        }
        var archivedPrefix = CoverageKeys.LedgerPrefixOf(epoch);
        byte[] archivedStart = after is null ? archivedPrefix : [.. CoverageKeys.LedgerKey(epoch, after), 0];
        byte[] archivedEnd = bound is null ? KeyRange.PrefixEnd(archivedPrefix)! : [.. CoverageKeys.LedgerKey(epoch, bound), 0];
        var archived = store.Iterate(archivedStart, archivedEnd)
            .Select(kv => (Device: kv.Key[CoverageKeys.LedgerKeyFixedLength..], Ledger: EpochLedger.Parser.ParseFrom(kv.Value))).ToList();
        var units = new List<DeviceUnits>(current.Count + archived.Count);
        foreach (var (device, ledger) in current.Concat(archived).OrderBy(d => d.Device, ByteArrayComparer.Instance))
        {
            if (ledger.Beacons == 0 && ledger.Witnesses == 0) continue; // took part, earned nothing: no units record
            units.Add(new DeviceUnits
            {
                DeviceKey = UnsafeByteOperations.UnsafeWrap(device), Epoch = epoch, BeaconUnits = ledger.BeaconUnits, WitnessUnits = ledger.WitnessUnits,
                Beacons = ledger.Beacons, Witnesses = ledger.Witnesses,
            });
        }
        return (units, bound);
    }

    private static IEnumerable<(byte[] Device, EpochLedger Ledger)> CurrentLedgers(IKVStore store, ulong epoch)
    {
        byte[] prefix = [CoverageKeys.ActivityPrefix];
        foreach (var (key, value) in store.Iterate(prefix, KeyRange.PrefixEnd(prefix)))
        {
            var ledger = DeviceActivity.Parser.ParseFrom(value).Ledger;
            if (ledger is not null && ledger.Epoch == epoch) yield return (key[1..], ledger);
        }
    }

    // ---- genesis: what InitGenesis writes and ExportGenesis reads, key fields filled in ----

    /// <summary>Stores a deny-list entry as it is; the activity records' flags follow from <see cref="RebuildDenyFlags"/>.</summary>
    internal void ImportDenyEntry(Context ctx, DenyEntry e)
        => Store(ctx).Set(e.PairedDeviceKey.IsEmpty ? CoverageKeys.DenyDeviceKey(e.DeviceKey.Span) : CoverageKeys.DenyPairKey(e.DeviceKey.Span, e.PairedDeviceKey.Span), e.ToByteArray());

    internal void ImportBlockHash(Context ctx, BlockHash h) => Store(ctx).Set(CoverageKeys.BlockHashKey(h.Height), h.Hash.ToByteArray());

    internal void ImportReport(Context ctx, StoredReport r)
        => Store(ctx).Set(CoverageKeys.ReportKey(r.Epoch, r.Height, r.BeaconerKey.Span), Compact(r).ToByteArray());

    internal void ImportArchivedLedger(Context ctx, EpochLedger l) => Store(ctx).Set(CoverageKeys.LedgerKey(l.Epoch, l.DeviceKey.Span), StoredLedger(l));

    internal void ImportCellScale(Context ctx, CellScale c)
    {
        var buffer = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(buffer, c.Scale);
        Store(ctx).Set(CoverageKeys.CellScaleKey(c.Cell), buffer);
    }

    /// <summary>The kept block hashes, by height.</summary>
    public IEnumerable<BlockHash> BlockHashes(Context ctx)
    {
        foreach (var (key, value) in Store(ctx).Iterate([CoverageKeys.BlockHashPrefix], KeyRange.PrefixEnd([CoverageKeys.BlockHashPrefix])))
            yield return new BlockHash { Height = KeyCodec.ReadInt64(key), Hash = ByteString.CopyFrom(value) };
    }

    /// <summary>Every activity record, with its device key filled in, by device key.</summary>
    public IEnumerable<DeviceActivity> Activities(Context ctx)
    {
        foreach (var (key, value) in Store(ctx).Iterate([CoverageKeys.ActivityPrefix], KeyRange.PrefixEnd([CoverageKeys.ActivityPrefix])))
        {
            var activity = DeviceActivity.Parser.ParseFrom(value);
            activity.DeviceKey = ByteString.CopyFrom(key.AsSpan(1));
            yield return activity;
        }
    }

    /// <summary>The density scale of every cell whose scale is not 1.0, by cell.</summary>
    public IEnumerable<CellScale> CellScales(Context ctx)
    {
        foreach (var (key, value) in Store(ctx).Iterate([CoverageKeys.CellScalePrefix], KeyRange.PrefixEnd([CoverageKeys.CellScalePrefix])))
            yield return new CellScale { Cell = KeyCodec.ReadUInt64(key), Scale = BinaryPrimitives.ReadInt64BigEndian(value) };
    }

    /// <summary>The scales kept as epoch <paramref name="epoch"/>'s for the cells whose scale changed after it, by cell.</summary>
    internal IEnumerable<(ulong Cell, long Scale)> ScaleHistory(Context ctx, ulong epoch)
    {
        var prefix = KeyCodec.UInt64(CoverageKeys.ScaleHistoryPrefix, epoch);
        foreach (var (key, value) in Store(ctx).Iterate(prefix, KeyRange.PrefixEnd(prefix)))
            yield return (KeyCodec.ReadUInt64(key, 9), BinaryPrimitives.ReadInt64BigEndian(value));
    }

    /// <summary>The HIP-17 transmit scale of a device: its cell's when located, else 1.0.</summary>
    public long DensityScale(Context ctx, DeviceInfo device) => device.Location is { } l ? CellScale(ctx, l.Cell.Index) : RewardUnits.Scale;

    /// <summary>
    /// Chain state as the evaluator reads it, bound to one context. A device's activity record (interval,
    /// reciprocity and deny flags) is read and parsed once per report and kept for the writes that follow.
    /// </summary>
    internal sealed class ChainView(CoverageKeeper keeper, Context ctx, IKVStore store) : IPocChainView
    {
        public IKVStore Store => store;

        private readonly Dictionary<byte[], DeviceActivity?> _activity = new(16, ByteArrayComparer.Instance); // a report's participants: sized once

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

        public long DensityScale(DeviceInfo device) => keeper.DensityScale(ctx, device);

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
