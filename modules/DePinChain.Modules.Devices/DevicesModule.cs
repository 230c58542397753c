using DePinChain.Modules.Devices.Geo;
using DePinChain.Protos.Depin.Devices.V1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace DePinChain.Modules.Devices;

/// <summary>The device registry: makers, onboarding, location, transfer, decommissioning, and their queries.</summary>
public sealed class DevicesModule(DevicesKeeper keeper) : IModule
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true).WithFormatDefaultValues(true));
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default);
    public const int MaxMakerNameLength = 64;
    public const int MaxQueryLimit = 1_000;

    public string Name => DevicesKeys.ModuleName;


    public ServiceDescriptor? MsgService => TxReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Msg");


    public ServiceDescriptor? QueryService => QueryReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Query");

    public DevicesKeeper Keeper { get; } = keeper;

    public void RegisterMessages(MsgRouter router)
    {
        router.Register(MsgAddMaker.Parser, ValidateAddMaker, (ctx, m) => { Keeper.AddMaker(ctx, m); return new MsgAddMakerResponse(); });
        router.Register(MsgRevokeMaker.Parser, m => { Bech32Address.Parse(m.Authority); ValidateMakerName(m.Name); },
            (ctx, m) => { Keeper.RevokeMaker(ctx, m); return new MsgRevokeMakerResponse(); });
        router.Register(MsgOnboardDevice.Parser, ValidateOnboard, (ctx, m) => { Keeper.Onboard(ctx, m); return new MsgOnboardDeviceResponse(); });
        router.Register(MsgAssertLocation.Parser, ValidateAssertLocation, (ctx, m) => Keeper.AssertLocation(ctx, m));
        router.Register(MsgTransferDevice.Parser, m => { Bech32Address.Parse(m.Owner); Bech32Address.Parse(m.NewOwner); ValidateKeyLength(m.DeviceKey.Span); },
            (ctx, m) => { Keeper.Transfer(ctx, m); return new MsgTransferDeviceResponse(); });
        router.Register(MsgDecommissionDevice.Parser, m => { Bech32Address.Parse(m.Owner); ValidateKeyLength(m.DeviceKey.Span); },
            (ctx, m) => { Keeper.Decommission(ctx, m); return new MsgDecommissionDeviceResponse(); });
    }

    public static void ValidateMakerName(string name)
    {
        if (name.Length is 0 or > MaxMakerNameLength || !name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.'))
            throw DevicesErrors.InvalidMaker($"name \"{name}\" must be 1–{MaxMakerNameLength} characters of a–z, 0–9, '-', '_', '.'");
    }

    private static void ValidateKey(KeyType type, ReadOnlySpan<byte> key, string what)
    {
        if (!DeviceSignatures.IsWellFormedKey((DeviceKeyType)type, key))
            throw DevicesErrors.InvalidDeviceKey($"{what} of {key.Length} bytes is not a {type} public key");
    }

    private static void ValidateKeyLength(ReadOnlySpan<byte> key)
    {
        if (DeviceSignatures.TypeOf(key) == DeviceKeyType.Unspecified)
            throw DevicesErrors.InvalidDeviceKey($"{key.Length} bytes; expected 33 (secp256k1) or 32 (ed25519)");
    }

    public static void ValidateAddMaker(MsgAddMaker m)
    {
        Bech32Address.Parse(m.Authority);
        ValidateMakerName(m.Name);
        ValidateKey(m.KeyType, m.Key.Span, "maker key");
        try { Bech32Address.Parse(m.FeePayer); }
        catch (SdkError e) { throw e.Wrap("maker fee payer"); }
    }

    public static void ValidateOnboard(MsgOnboardDevice m)
    {
        Bech32Address.Parse(m.Owner);
        ValidateKey(m.KeyType, m.DeviceKey.Span, "device key");
        if (m.Mode is not (Protos.Depin.Devices.V1.DeviceMode.Full or Protos.Depin.Devices.V1.DeviceMode.DataOnly))
            throw DevicesErrors.InvalidMode($"{m.Mode} is neither full nor data-only");
        ValidateMakerName(m.Maker);
        if (m.DeviceSignature.Length != DeviceSignatures.SignatureLength) throw DevicesErrors.BadDeviceSignature();
        if (m.MakerSignature.Length != DeviceSignatures.SignatureLength) throw DevicesErrors.BadMakerSignature();
    }

    public static void ValidateAssertLocation(MsgAssertLocation m)
    {
        Bech32Address.Parse(m.Owner);
        ValidateKeyLength(m.DeviceKey.Span);
        if (!new GeoPoint(m.LatitudeMicro, m.LongitudeMicro).IsValid)
            throw DevicesErrors.InvalidLocation($"({m.LatitudeMicro}, {m.LongitudeMicro}) micro-degrees is outside ±90° latitude / ±180° longitude");
        if (m.Nonce == 0) throw DevicesErrors.BadNonce(1, 0);
        if (!Enum.IsDefined(m.Region)) throw DevicesErrors.RegionMismatch($"unknown region value {(int)m.Region}");
    }

    public void RegisterQueries(QueryRouter router)
    {
        var query = router.For(QueryService!);
        query.Register("Device", QueryDeviceRequest.Parser, (ctx, req) =>
            new QueryDeviceResponse { Device = Keeper.GetDeviceRecord(ctx, req.Key.Span) ?? throw SdkErrors.NotFound($"device {Convert.ToHexString(req.Key.Span)}") });
        query.Register("DevicesByOwner", QueryDevicesByOwnerRequest.Parser, (ctx, req) =>
        {
            var response = new QueryDevicesResponse();
            response.Devices.AddRange(Keeper.DevicesByOwner(ctx, Bech32Address.Parse(req.Owner)));
            return response;
        });
        query.Register("DevicesInCell", QueryDevicesInCellRequest.Parser, (ctx, req) =>
        {
            var point = new GeoPoint(req.LatitudeMicro, req.LongitudeMicro);
            if (!point.IsValid) throw SdkErrors.InvalidRequest("coordinates out of range");
            if (req.Level > GeoCell.FinestLevel) throw SdkErrors.InvalidRequest($"level must be at most {GeoCell.FinestLevel}");
            var limit = req.Limit is 0 or > MaxQueryLimit ? MaxQueryLimit : (int)req.Limit;
            var response = new QueryDevicesResponse();
            response.Devices.AddRange(Keeper.DevicesInCell(ctx, GeoCell.Containing(point, (int)req.Level), limit));
            return response;
        });
        query.Register("Makers", QueryMakersRequest.Parser, (ctx, _) =>
        {
            var response = new QueryMakersResponse();
            response.Makers.AddRange(Keeper.Makers(ctx));
            return response;
        });
        query.Register("Params", QueryParamsRequest.Parser, (ctx, _) => new QueryParamsResponse { Params = Keeper.GetParams(ctx) });
    }

    public string DefaultGenesis() => Formatter.Format(new GenesisState { Params = DevicesKeeper.DefaultParams() });

    public static GenesisState ParseGenesis(string json)
    {
        try { return Parser.Parse<GenesisState>(json); }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            throw SdkErrors.JsonUnmarshal($"devices genesis: {e.Message}");
        }
    }

    public static string FormatGenesis(GenesisState genesis) => Formatter.Format(genesis);

    public void ValidateGenesis(string json) => Validate(ParseGenesis(json));

    public static void Validate(GenesisState g)
    {
        var p = g.Params ?? throw SdkErrors.InvalidRequest("devices genesis has no params");
        if (p.Authority.Length > 0) Bech32Address.Parse(p.Authority);
        if (p.MinAntennaGainTenthsDbi > p.MaxAntennaGainTenthsDbi || p.MinElevationMetres > p.MaxElevationMetres)
            throw SdkErrors.InvalidRequest("devices params: antenna gain and elevation bounds must satisfy min ≤ max");
        Coins.FromProto(p.OnboardingFeeFull);
        Coins.FromProto(p.OnboardingFeeDataOnly);
        Coins.FromProto(p.LocationFee);
        var makers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in g.Makers)
        {
            ValidateMakerName(m.Name);
            ValidateKey(m.KeyType, m.Key.Span, $"maker {m.Name} key");
            Bech32Address.Parse(m.FeePayer);
            if (!makers.Add(m.Name)) throw SdkErrors.InvalidRequest($"duplicate maker {m.Name}");
        }
        var devices = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in g.Devices)
        {
            ValidateKey(d.KeyType, d.Key.Span, "device key");
            if (!devices.Add(Convert.ToHexString(d.Key.Span))) throw SdkErrors.InvalidRequest($"duplicate device {Convert.ToHexString(d.Key.Span)}");
            Bech32Address.Parse(d.Owner);
            if (!makers.Contains(d.Maker)) throw SdkErrors.InvalidRequest($"device {Convert.ToHexString(d.Key.Span)} names unknown maker {d.Maker}");
            if (d.Mode is not (Protos.Depin.Devices.V1.DeviceMode.Full or Protos.Depin.Devices.V1.DeviceMode.DataOnly)
                || d.Status is not (Protos.Depin.Devices.V1.DeviceStatus.Active or Protos.Depin.Devices.V1.DeviceStatus.Decommissioned))
                throw SdkErrors.InvalidRequest($"device {Convert.ToHexString(d.Key.Span)} has an invalid mode or status");
            if (d.Location is { } l)
            {
                var point = new GeoPoint(l.LatitudeMicro, l.LongitudeMicro);
                if (!point.IsValid) throw SdkErrors.InvalidRequest($"device {Convert.ToHexString(d.Key.Span)} has an invalid location");
                if ((int)l.Region != (int)Regions.Of(point)) throw SdkErrors.InvalidRequest($"device {Convert.ToHexString(d.Key.Span)}: region does not match its location");
            }
        }
    }

    public void InitGenesis(Context ctx, string json)
    {
        var g = ParseGenesis(json);
        Validate(g);
        Keeper.SetParams(ctx, g.Params);
        foreach (var m in g.Makers) Keeper.SetMaker(ctx, m);
        foreach (var d in g.Devices) Keeper.SetDevice(ctx, d);
    }

    public string ExportGenesis(Context ctx)
    {
        var g = new GenesisState { Params = Keeper.GetParams(ctx) };
        g.Makers.AddRange(Keeper.Makers(ctx));
        g.Devices.AddRange(Keeper.Devices(ctx));
        return Formatter.Format(g);
    }
}
