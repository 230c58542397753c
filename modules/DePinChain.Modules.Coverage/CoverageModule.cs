using DePinChain.Store.Backend;
using System.Buffers.Binary;
using DePinChain.Modules.Coverage.Poc;
using DePinChain.Modules.Devices;
using DePinChain.Protos.Depin.Coverage.V1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace DePinChain.Modules.Coverage;

/// <summary>
/// Proof of coverage: MsgSubmitPoc, the deny list, and their queries. Beginning of each epoch's first block
/// (the chain's epochs): recompute the density scales, before any of the epoch's reports. End of every block:
/// keep this block's hash for the entropy window, and prune a bounded batch of reports and archived ledgers older
/// than the retention (<see cref="CoverageKeeper.PruneExpired"/>).
/// </summary>
/// The block hash is the header's (FinalizeBlock's <c>hash</c>); a block without one records no entropy.
public sealed class CoverageModule(CoverageKeeper keeper) : IModule, IBeginBlocker, IEndBlocker
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true).WithFormatDefaultValues(true));
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default);
    public const int MaxReasonLength = 512;
    /// <summary>Beyond any sane params value: refused before the handler even reads params.</summary>
    public const int AbsoluteMaxWitnesses = 1_000;

    public string Name => CoverageKeys.ModuleName;


    public ServiceDescriptor? MsgService => TxReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Msg");


    public ServiceDescriptor? QueryService => QueryReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Query");

    public CoverageKeeper Keeper { get; } = keeper;

    public void RegisterMessages(MsgRouter router)
    {
        router.Register(MsgSubmitPoc.Parser, ValidateSubmitPoc, (ctx, m) => Keeper.SubmitPoc(ctx, m), PocSignatureChecks.Of);
        router.Register(MsgDenyList.Parser, m => ValidateDeny(m.Authority, m.DeviceKey, m.PairedDeviceKey, m.Reason, m.EvidenceHash),
            (ctx, m) => { Keeper.DenyList(ctx, m); return new MsgDenyListResponse(); });
        router.Register(MsgLiftDenyList.Parser, m => ValidateDeny(m.Authority, m.DeviceKey, m.PairedDeviceKey, m.Reason, ByteString.Empty),
            (ctx, m) => { Keeper.LiftDenyList(ctx, m); return new MsgLiftDenyListResponse(); });
    }

    public static void ValidateSubmitPoc(MsgSubmitPoc m)
    {
        Bech32Address.Parse(m.Submitter);
        if (m.Beacon is null) throw CoverageErrors.Rejected(RuleResult.Fail(PocVerdict.MalformedReport, "report has no beacon"));
        if (m.Witnesses.Count > AbsoluteMaxWitnesses)
            throw CoverageErrors.Rejected(RuleResult.Fail(PocVerdict.TooManyWitnesses, $"{m.Witnesses.Count} witnesses; never more than {AbsoluteMaxWitnesses}"));
    }

    private static void ValidateDeny(string authority, ByteString device, ByteString paired, string reason, ByteString evidence)
    {
        Bech32Address.Parse(authority);
        if (DeviceSignatures.TypeOf(device.Span) == DeviceKeyType.Unspecified) throw CoverageErrors.InvalidDenyEntry($"device key of {device.Length} bytes");
        if (!paired.IsEmpty && DeviceSignatures.TypeOf(paired.Span) == DeviceKeyType.Unspecified) throw CoverageErrors.InvalidDenyEntry($"paired device key of {paired.Length} bytes");
        if (device.Span.SequenceEqual(paired.Span)) throw CoverageErrors.InvalidDenyEntry("a device cannot be paired with itself");
        if (reason.Length is 0 or > MaxReasonLength) throw CoverageErrors.InvalidDenyEntry($"a public reason of 1–{MaxReasonLength} characters is required");
        if (evidence.Length is not (0 or 32)) throw CoverageErrors.InvalidDenyEntry("evidence hash must be empty or 32 bytes (SHA-256)");
    }

    public void BeginBlock(Context ctx)
    {
        if (Keeper.StartsEpoch(ctx, ctx.Height)) Keeper.RecomputeDensity(ctx);
    }

    public void EndBlock(Context ctx)
    {
        var hash = ctx.Header.BlockHash;
        if (hash.Length > 0) Keeper.RecordBlockHash(ctx, ctx.Height, hash);
        Keeper.PruneExpired(ctx);
    }

    public void RegisterQueries(QueryRouter router)
    {
        var query = router.For(QueryService!);
        query.Register("Params", QueryParamsRequest.Parser, (ctx, _) => new QueryParamsResponse { Params = Keeper.GetParams(ctx) });
        query.Register("Reports", QueryReportsRequest.Parser, (ctx, req) =>
        {
            var response = new QueryReportsResponse();
            response.Reports.AddRange(Keeper.ReportsOf(ctx, req.DeviceKey.ToByteArray(), req.Epoch));
            return response;
        });
        query.Register("Units", QueryUnitsRequest.Parser, (ctx, req) =>
        {
            var response = new QueryUnitsResponse();
            response.Units.AddRange(Keeper.Units(ctx, req.Epoch));
            return response;
        });
        query.Register("DenyList", QueryDenyListRequest.Parser, (ctx, _) =>
        {
            var response = new QueryDenyListResponse();
            response.Entries.AddRange(Keeper.DenyList(ctx));
            return response;
        });
    }

    public string DefaultGenesis() => Formatter.Format(new GenesisState { Params = CoverageKeeper.DefaultParams() });

    public static GenesisState ParseGenesis(string json)
    {
        try { return Parser.Parse<GenesisState>(json); }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            throw SdkErrors.JsonUnmarshal($"coverage genesis: {e.Message}");
        }
    }

    public static string FormatGenesis(GenesisState genesis) => Formatter.Format(genesis);

    public void ValidateGenesis(string json) => Validate(ParseGenesis(json));

    public static void Validate(GenesisState g)
    {
        CoverageParams.Validate(g.Params ?? throw SdkErrors.InvalidRequest("coverage genesis has no params"));
        foreach (var e in g.DenyList)
        {
            try { ValidateDeny(g.Params.Authority.Length > 0 ? g.Params.Authority : Bech32Address.ToBech32(new byte[20]), e.DeviceKey, e.PairedDeviceKey, e.Reason, e.EvidenceHash); }
            catch (SdkError error) { throw error.Wrap("coverage genesis deny list"); }
        }
        foreach (var h in g.BlockHashes)
            if (h.Height < 1 || h.Hash.Length == 0) throw SdkErrors.InvalidRequest($"coverage genesis: block hash at height {h.Height} is invalid");
        // One ledger per device and epoch: the activity record's (its last active epoch) or an archived one.
        var activeLedgers = new HashSet<(string, ulong)>();
        var withActivity = new HashSet<string>();
        foreach (var a in g.Activity)
        {
            if (DeviceSignatures.TypeOf(a.DeviceKey.Span) == DeviceKeyType.Unspecified) throw SdkErrors.InvalidRequest("coverage genesis: activity for an invalid device key");
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
            if (DeviceSignatures.TypeOf(l.DeviceKey.Span) == DeviceKeyType.Unspecified) throw SdkErrors.InvalidRequest("coverage genesis: archived ledger for an invalid device key");
            if (!activeLedgers.Add((Convert.ToHexString(l.DeviceKey.Span), l.Epoch)))
                throw SdkErrors.InvalidRequest($"coverage genesis: device {Convert.ToHexString(l.DeviceKey.Span)} has two ledgers for epoch {l.Epoch}");
            ValidateRefs(l, l.DeviceKey);
        }
        foreach (var r in g.Reports)
        {
            if (r.Beacon is null) throw SdkErrors.InvalidRequest("coverage genesis: report without its beacon");
            if (DeviceSignatures.TypeOf(r.BeaconerKey.Span) == DeviceKeyType.Unspecified) throw SdkErrors.InvalidRequest("coverage genesis: report with an invalid beaconer key");
        }
    }

    private static void ValidateRefs(EpochLedger ledger, ByteString device)
    {
        if (ledger.ReportRefs.Length % CoverageKeeper.ReportRefLength != 0)
            throw SdkErrors.InvalidRequest($"coverage genesis: report refs of device {Convert.ToHexString(device.Span)} in epoch {ledger.Epoch} are {ledger.ReportRefs.Length} bytes, not a multiple of {CoverageKeeper.ReportRefLength}");
    }

    public void InitGenesis(Context ctx, string json)
    {
        var g = ParseGenesis(json);
        Validate(g);
        var store = ctx.KVStore(CoverageKeys.ModuleName);
        Keeper.SetParams(ctx, g.Params);
        foreach (var e in g.DenyList)
            store.Set(e.PairedDeviceKey.IsEmpty ? CoverageKeys.DenyDeviceKey(e.DeviceKey.Span) : CoverageKeys.DenyPairKey(e.DeviceKey.Span, e.PairedDeviceKey.Span), e.ToByteArray());
        foreach (var h in g.BlockHashes) store.Set(CoverageKeys.BlockHashKey(h.Height), h.Hash.ToByteArray());
        foreach (var a in g.Activity) Keeper.SetActivity(ctx, a);
        Keeper.RebuildDenyFlags(ctx); // the activity records' deny flags follow the deny list, whatever the document says
        foreach (var r in g.Reports)
            store.Set(CoverageKeys.ReportKey(r.Epoch, r.Height, r.BeaconerKey.Span), CoverageKeeper.Compact(r).ToByteArray());
        foreach (var l in g.ArchivedLedgers)
        {
            var stored = l.Clone();
            stored.DeviceKey = ByteString.Empty;
            stored.Epoch = 0;
            store.Set(CoverageKeys.LedgerKey(l.Epoch, l.DeviceKey.Span), stored.ToByteArray());
        }
        var buffer = new byte[8];
        foreach (var c in g.CellScales)
        {
            BinaryPrimitives.WriteInt64BigEndian(buffer, c.Scale);
            store.Set(CoverageKeys.CellScaleKey(c.Cell), buffer);
        }
    }

    public string ExportGenesis(Context ctx)
    {
        var store = ctx.KVStore(CoverageKeys.ModuleName);
        var g = new GenesisState { Params = Keeper.GetParams(ctx) };
        g.DenyList.AddRange(Keeper.DenyList(ctx));
        foreach (var (key, value) in store.Iterate([CoverageKeys.BlockHashPrefix], KeyRange.PrefixEnd([CoverageKeys.BlockHashPrefix])))
            g.BlockHashes.Add(new BlockHash { Height = BinaryPrimitives.ReadInt64BigEndian(key.AsSpan(1)), Hash = ByteString.CopyFrom(value) });
        foreach (var (key, value) in store.Iterate([CoverageKeys.ActivityPrefix], KeyRange.PrefixEnd([CoverageKeys.ActivityPrefix])))
        {
            var activity = DeviceActivity.Parser.ParseFrom(value);
            activity.DeviceKey = ByteString.CopyFrom(key.AsSpan(1));
            g.Activity.Add(activity);
        }
        g.Reports.AddRange(Keeper.AllReports(ctx));
        g.ArchivedLedgers.AddRange(Keeper.ArchivedLedgers(ctx));
        foreach (var (key, value) in store.Iterate([CoverageKeys.CellScalePrefix], KeyRange.PrefixEnd([CoverageKeys.CellScalePrefix])))
            g.CellScales.Add(new CellScale { Cell = BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan(1)), Scale = BinaryPrimitives.ReadInt64BigEndian(value) });
        return Formatter.Format(g);
    }
}
