using DePinChain.Modules.Devices;
using DePinChain.Protos.Depin.Coverage.V1;
using KeyType = DePinChain.Protos.Depin.Devices.V1.KeyType;
using DePinChain.Sdk;
using Google.Protobuf;

namespace DePinChain.Modules.Coverage;

/// <summary>
/// The coverage genesis: params, the deny list, kept block hashes, activity records (with the ledger of each device's
/// last active epoch), stored reports, archived ledgers and cell scales. Everything goes through the keeper.
/// </summary>
public sealed class CoverageGenesis(CoverageKeeper keeper) : ModuleGenesis<GenesisState>(Json)
{
    /// <summary>The coverage <c>app_state</c> section as JSON.</summary>
    public static readonly GenesisCodec<GenesisState> Json = new(CoverageKeys.ModuleName);

    public override GenesisState Default() => new() { Params = CoverageKeeper.DefaultParams() };

    public override void Validate(GenesisState g)
    {
        CoverageParams.Validate(g.Params ?? throw SdkErrors.InvalidRequest("coverage genesis has no params"));
        foreach (var e in g.DenyList)
        {
            try { CoverageMsgServer.ValidateDenyEntry(e.DeviceKey, e.PairedDeviceKey, e.Reason, e.EvidenceHash); }
            catch (SdkError error) { throw error.Wrap("coverage genesis deny list"); }
        }
        foreach (var h in g.BlockHashes)
            if (h.Height < 1 || h.Hash.Length == 0) throw SdkErrors.InvalidRequest($"coverage genesis: block hash at height {h.Height} is invalid");
        // One ledger per device and epoch: the activity record's (its last active epoch) or an archived one.
        var activeLedgers = new HashSet<(string, ulong)>();
        var withActivity = new HashSet<string>();
        foreach (var a in g.Activity)
        {
            if (DeviceSignatures.TypeOf(a.DeviceKey.Span) == KeyType.Unspecified) throw SdkErrors.InvalidRequest("coverage genesis: activity for an invalid device key");
            if (!withActivity.Add(Convert.ToHexString(a.DeviceKey.Span)))
                throw SdkErrors.InvalidRequest($"coverage genesis: two activity records for device {Convert.ToHexString(a.DeviceKey.Span)}");
            if (a.Ledger is { } l)
            {
                activeLedgers.Add((Convert.ToHexString(a.DeviceKey.Span), l.Epoch));
                ValidateRefs(l, a.DeviceKey);
            }
        }
        foreach (var l in g.ArchivedLedgers)
        {
            if (DeviceSignatures.TypeOf(l.DeviceKey.Span) == KeyType.Unspecified) throw SdkErrors.InvalidRequest("coverage genesis: archived ledger for an invalid device key");
            if (!activeLedgers.Add((Convert.ToHexString(l.DeviceKey.Span), l.Epoch)))
                throw SdkErrors.InvalidRequest($"coverage genesis: device {Convert.ToHexString(l.DeviceKey.Span)} has two ledgers for epoch {l.Epoch}");
            ValidateRefs(l, l.DeviceKey);
        }
        foreach (var r in g.Reports)
        {
            if (r.Beacon is null) throw SdkErrors.InvalidRequest("coverage genesis: report without its beacon");
            if (DeviceSignatures.TypeOf(r.BeaconerKey.Span) == KeyType.Unspecified) throw SdkErrors.InvalidRequest("coverage genesis: report with an invalid beaconer key");
        }
    }

    private static void ValidateRefs(EpochLedger ledger, ByteString device)
    {
        if (ledger.ReportRefs.Length % CoverageKeeper.ReportRefLength != 0)
            throw SdkErrors.InvalidRequest($"coverage genesis: report refs of device {Convert.ToHexString(device.Span)} in epoch {ledger.Epoch} are {ledger.ReportRefs.Length} bytes, not a multiple of {CoverageKeeper.ReportRefLength}");
    }

    public override void Init(Context ctx, GenesisState g)
    {
        keeper.SetParams(ctx, g.Params);
        foreach (var e in g.DenyList) keeper.ImportDenyEntry(ctx, e);
        foreach (var h in g.BlockHashes) keeper.ImportBlockHash(ctx, h);
        foreach (var a in g.Activity) keeper.SetActivity(ctx, a);
        keeper.RebuildDenyFlags(ctx); // the activity records' deny flags follow the deny list, whatever the document says
        foreach (var r in g.Reports) keeper.ImportReport(ctx, r);
        foreach (var l in g.ArchivedLedgers) keeper.ImportArchivedLedger(ctx, l);
        foreach (var c in g.CellScales) keeper.ImportCellScale(ctx, c);
        keeper.ReconcileDensity(ctx); // after the devices' genesis (module order): their counts are in the registry
        keeper.RebuildEpochTotals(ctx);
    }

    public override GenesisState Export(Context ctx)
    {
        var g = new GenesisState { Params = keeper.GetParams(ctx) };
        g.DenyList.AddRange(keeper.DenyList(ctx));
        g.BlockHashes.AddRange(keeper.BlockHashes(ctx));
        g.Activity.AddRange(keeper.Activities(ctx));
        g.Reports.AddRange(keeper.AllReports(ctx));
        g.ArchivedLedgers.AddRange(keeper.ArchivedLedgers(ctx));
        g.CellScales.AddRange(keeper.CellScales(ctx));
        return g;
    }
}
