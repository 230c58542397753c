using DePinChain.Modules.Devices.Geo;
using DePinChain.Protos.Depin.Devices.V1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Devices;

/// <summary>The devices genesis: params, makers and devices (the owner and cell indexes and the full-device counts are rebuilt from the devices).</summary>
public sealed class DevicesGenesis(DevicesKeeper keeper) : ModuleGenesis<GenesisState>(Json)
{
    /// <summary>The devices <c>app_state</c> section as JSON.</summary>
    public static readonly GenesisCodec<GenesisState> Json = new(DevicesKeys.ModuleName);

    public override GenesisState Default() => new() { Params = DevicesKeeper.DefaultParams() };

    public override void Validate(GenesisState g)
    {
        var p = g.Params ?? throw SdkErrors.InvalidRequest("devices genesis has no params");
        // An empty authority is what genesis documents said before the one authority rule (default: the gov module):
        // kept as it is, it matches no signer, as the default does.
        if (p.Authority.Length > 0) Bech32Address.Parse(p.Authority);
        if (p.MinAntennaGainTenthsDbi > p.MaxAntennaGainTenthsDbi || p.MinElevationMetres > p.MaxElevationMetres)
            throw SdkErrors.InvalidRequest("devices params: antenna gain and elevation bounds must satisfy min ≤ max");
        Coins.FromProto(p.OnboardingFeeFull);
        Coins.FromProto(p.OnboardingFeeDataOnly);
        Coins.FromProto(p.LocationFee);
        var makers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in g.Makers)
        {
            DevicesMsgServer.ValidateMakerName(m.Name);
            DevicesMsgServer.ValidateKey(m.KeyType, m.Key.Span, $"maker {m.Name} key");
            Bech32Address.Parse(m.FeePayer);
            if (!makers.Add(m.Name)) throw SdkErrors.InvalidRequest($"duplicate maker {m.Name}");
        }
        var devices = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in g.Devices)
        {
            DevicesMsgServer.ValidateKey(d.KeyType, d.Key.Span, "device key");
            if (!devices.Add(Convert.ToHexString(d.Key.Span))) throw SdkErrors.InvalidRequest($"duplicate device {Convert.ToHexString(d.Key.Span)}");
            Bech32Address.Parse(d.Owner);
            if (!makers.Contains(d.Maker)) throw SdkErrors.InvalidRequest($"device {Convert.ToHexString(d.Key.Span)} names unknown maker {d.Maker}");
            if (d.Mode is not (DeviceMode.Full or DeviceMode.DataOnly) || d.Status is not (DeviceStatus.Active or DeviceStatus.Decommissioned))
                throw SdkErrors.InvalidRequest($"device {Convert.ToHexString(d.Key.Span)} has an invalid mode or status");
            if (d.Location is { } l)
            {
                var point = new GeoPoint(l.LatitudeMicro, l.LongitudeMicro);
                if (!point.IsValid) throw SdkErrors.InvalidRequest($"device {Convert.ToHexString(d.Key.Span)} has an invalid location");
                if ((int)l.Region != (int)Regions.Of(point)) throw SdkErrors.InvalidRequest($"device {Convert.ToHexString(d.Key.Span)}: region does not match its location");
            }
        }
        foreach (var r in g.LocationHistory)
        {
            string device = Convert.ToHexString(r.DeviceKey.Span);
            if (!devices.Contains(device)) throw SdkErrors.InvalidRequest($"location history names unknown device {device}");
            if (r.Location is not { } l || !new GeoPoint(l.LatitudeMicro, l.LongitudeMicro).IsValid || l.Nonce == 0)
                throw SdkErrors.InvalidRequest($"device {device}: a location history entry has no valid location and nonce");
        }
    }

    public override void Init(Context ctx, GenesisState g)
    {
        keeper.SetParams(ctx, g.Params);
        foreach (var m in g.Makers) keeper.SetMaker(ctx, m);
        keeper.ImportDevices(ctx, g.Devices);
        foreach (var r in g.LocationHistory) keeper.RecordLocation(ctx, r.DeviceKey.Span, r.Location);
        foreach (var d in g.Devices)
            if (d.Location is { } l && !keeper.HasLocationRecord(ctx, d.Key.Span, l.Nonce)) keeper.RecordLocation(ctx, d.Key.Span, l);
    }

    public override GenesisState Export(Context ctx)
    {
        var g = new GenesisState { Params = keeper.GetParams(ctx) };
        g.Makers.AddRange(keeper.Makers(ctx));
        g.Devices.AddRange(keeper.Devices(ctx));
        g.LocationHistory.AddRange(keeper.LocationRecords(ctx));
        return g;
    }
}
