using System.Buffers.Binary;
using DePinChain.Protos.Depin.DataCredits.V1;
using DePinChain.Sdk;

namespace DePinChain.Modules.DataCredits;

/// <summary>The data-credits genesis: params, balances, delegations, routers, traffic records and the DC totals.</summary>
public sealed class DataCreditsGenesis(DataCreditsKeeper keeper) : ModuleGenesis<GenesisState>(Json)
{
    /// <summary>The datacredits <c>app_state</c> section as JSON.</summary>
    public static readonly GenesisCodec<GenesisState> Json = new(DataCreditsKeys.ModuleName);

    public override GenesisState Default() => new() { Params = DataCreditsKeeper.DefaultParams() };

    public override void Validate(GenesisState g)
    {
        DataCreditsMsgServer.ValidateParams(g.Params ?? throw DataCreditsErrors.InvalidGenesis("params are missing"));
        var owners = new HashSet<string>(StringComparer.Ordinal);
        foreach (var b in g.Balances)
        {
            Bech32Address.Parse(b.Owner);
            if (!owners.Add(b.Owner)) throw DataCreditsErrors.InvalidGenesis($"duplicate balance for {b.Owner}");
            if (b.Amount == 0) throw DataCreditsErrors.InvalidGenesis($"zero balance for {b.Owner}");
        }
        var pairs = new HashSet<(string, string)>();
        foreach (var d in g.Delegations)
        {
            Bech32Address.Parse(d.Owner);
            Bech32Address.Parse(d.Router);
            if (!pairs.Add((d.Owner, d.Router))) throw DataCreditsErrors.InvalidGenesis($"duplicate delegation {d.Owner} → {d.Router}");
            if (d.Amount == 0) throw DataCreditsErrors.InvalidGenesis($"zero delegation {d.Owner} → {d.Router}");
        }
        var routers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in g.Routers)
        {
            Bech32Address.Parse(r.Address);
            if (!routers.Add(r.Address)) throw DataCreditsErrors.InvalidGenesis($"duplicate router {r.Address}");
        }
        var traffic = new HashSet<(long, string)>();
        foreach (var t in g.Traffic)
        {
            if (t.Epoch < 0 || t.DeviceKey.Length is 0 or > DataCreditsMsgServer.MaxDeviceKeyLength) throw DataCreditsErrors.InvalidGenesis("traffic record with a negative epoch or a bad device key");
            if (!traffic.Add((t.Epoch, Convert.ToHexString(t.DeviceKey.Span)))) throw DataCreditsErrors.InvalidGenesis($"duplicate traffic record for epoch {t.Epoch}");
        }
    }

    public override void Init(Context ctx, GenesisState g)
    {
        keeper.SetParams(ctx, g.Params);
        foreach (var b in g.Balances) keeper.SetBalance(ctx, Bech32Address.Parse(b.Owner), b.Amount);
        foreach (var d in g.Delegations) keeper.SetDelegation(ctx, Bech32Address.Parse(d.Owner), Bech32Address.Parse(d.Router), d.Amount);
        foreach (var r in g.Routers) keeper.SetRouter(ctx, r);
        foreach (var t in g.Traffic) keeper.SetTraffic(ctx, t);
        keeper.SetTotals(ctx, g.DcIssuedTotal, g.DcBurnedTotal);
    }

    /// <summary>Every list in store order, so export(import(g)) == g for any g that export produced.</summary>
    public override GenesisState Export(Context ctx)
    {
        var (issued, burned) = keeper.GetTotals(ctx);
        var g = new GenesisState { Params = keeper.GetParams(ctx), DcIssuedTotal = issued, DcBurnedTotal = burned };
        foreach (var (key, value) in keeper.IteratePrefix(ctx, DataCreditsKeys.BalancePrefix))
            g.Balances.Add(new Balance { Owner = Bech32Address.ToBech32(key.AsSpan(2, key[1])), Amount = BinaryPrimitives.ReadUInt64BigEndian(value) });
        foreach (var (key, value) in keeper.IteratePrefix(ctx, DataCreditsKeys.DelegationPrefix)) g.Delegations.Add(DataCreditsKeeper.DecodeDelegation(key, value));
        foreach (var (_, value) in keeper.IteratePrefix(ctx, DataCreditsKeys.RouterPrefix)) g.Routers.Add(Router.Parser.ParseFrom(value));
        foreach (var (_, value) in keeper.IteratePrefix(ctx, DataCreditsKeys.TrafficPrefix)) g.Traffic.Add(TrafficRecord.Parser.ParseFrom(value));
        return g;
    }
}
