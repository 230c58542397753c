using DePinChain.Store.Backend;
using System.Buffers.Binary;
using System.Numerics;
using DePinChain.Modules.Mint;
using DePinChain.Protos.Depin.DataCredits.V1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace DePinChain.Modules.DataCredits;

/// <summary>
/// Data credits: MsgBurnForCredits, MsgDelegateCredits, MsgUndelegateCredits, MsgReportTraffic, and the
/// authority's MsgSetCreditPrice, MsgRegisterRouter, MsgRemoveRouter, MsgUpdateParams. Queries under
/// /depin.datacredits.v1.Query/. End block prunes old traffic records.
/// </summary>
public sealed class DataCreditsModule(DataCreditsKeeper keeper) : IModule, IEndBlocker
{
    public const int MaxRouterNameLength = 64;
    public const int MaxDeviceKeyLength = 64;

    public string Name => DataCreditsKeys.ModuleName;


    public ServiceDescriptor? MsgService => DatacreditsReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Msg");


    public ServiceDescriptor? QueryService => DatacreditsReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Query");

    public DataCreditsKeeper Keeper { get; } = keeper;

    public void RegisterMessages(MsgRouter router)
    {
        router.Register(MsgBurnForCredits.Parser, ValidateBurn, (ctx, m) =>
        {
            var sender = Bech32Address.Parse(m.Sender);
            var recipient = m.Recipient.Length == 0 ? sender : Bech32Address.Parse(m.Recipient);
            var (burned, credits) = Keeper.BurnForCredits(ctx, sender, recipient, Amounts.Parse(m.Amount, "amount"));
            return new MsgBurnForCreditsResponse { Burned = Amounts.Format(burned), Credits = credits };
        });
        router.Register(MsgDelegateCredits.Parser, m => ValidateDelegation(m.Owner, m.Router, m.Amount), (ctx, m) =>
        {
            Keeper.Delegate(ctx, Bech32Address.Parse(m.Owner), Bech32Address.Parse(m.Router), m.Amount);
            return new MsgDelegateCreditsResponse();
        });
        router.Register(MsgUndelegateCredits.Parser, m => ValidateDelegation(m.Owner, m.Router, m.Amount), (ctx, m) =>
        {
            Keeper.Undelegate(ctx, Bech32Address.Parse(m.Owner), Bech32Address.Parse(m.Router), m.Amount);
            return new MsgUndelegateCreditsResponse();
        });
        router.Register(MsgReportTraffic.Parser, ValidateReport, (ctx, m) =>
        {
            var (credits, epoch) = Keeper.ReportTraffic(ctx, Bech32Address.Parse(m.Router), Bech32Address.Parse(m.Payer), m.DeviceKey.ToByteArray(), m.Bytes);
            return new MsgReportTrafficResponse { DcBurned = credits, Epoch = epoch };
        });
        router.Register(MsgSetCreditPrice.Parser, m =>
        {
            Bech32Address.Parse(m.Authority);
            if (m.DcPerDpin == 0) throw DataCreditsErrors.InvalidParams("dc_per_dpin must be positive");
        }, (ctx, m) =>
        {
            RequireAuthority(ctx, m.Authority);
            Keeper.SetPrice(ctx, m.DcPerDpin);
            return new MsgSetCreditPriceResponse();
        });
        router.Register(MsgRegisterRouter.Parser, m =>
        {
            Bech32Address.Parse(m.Authority);
            Bech32Address.Parse(m.Router);
            if (m.Name.Length is 0 or > MaxRouterNameLength) throw DataCreditsErrors.InvalidRequest($"router name must be 1..{MaxRouterNameLength} characters");
        }, (ctx, m) =>
        {
            RequireAuthority(ctx, m.Authority);
            Keeper.RegisterRouter(ctx, Bech32Address.Parse(m.Router), m.Name);
            return new MsgRegisterRouterResponse();
        });
        router.Register(MsgRemoveRouter.Parser, m =>
        {
            Bech32Address.Parse(m.Authority);
            Bech32Address.Parse(m.Router);
        }, (ctx, m) =>
        {
            RequireAuthority(ctx, m.Authority);
            Keeper.RemoveRouter(ctx, Bech32Address.Parse(m.Router));
            return new MsgRemoveRouterResponse();
        });
        router.Register(MsgUpdateParams.Parser, m =>
        {
            Bech32Address.Parse(m.Authority);
            ValidateParams(m.Params ?? throw DataCreditsErrors.InvalidParams("params are missing"));
        }, (ctx, m) =>
        {
            RequireAuthority(ctx, m.Authority);
            // A price change through params is still a price change: emit the same event.
            if (m.Params.DcPerDpin != Keeper.DcPerDpin(ctx)) Keeper.SetPrice(ctx, m.Params.DcPerDpin);
            Keeper.SetParams(ctx, m.Params);
            return new MsgUpdateParamsResponse();
        });
    }

    private void RequireAuthority(Context ctx, string signer)
    {
        var authority = Keeper.GetAuthority(ctx);
        if (!ModuleAuthority.Is(authority, signer)) throw DataCreditsErrors.InvalidAuthority(authority, signer);
    }

    public static void ValidateBurn(MsgBurnForCredits m)
    {
        Bech32Address.Parse(m.Sender);
        if (m.Recipient.Length > 0) Bech32Address.Parse(m.Recipient);
        BigInteger amount;
        try { amount = Amounts.Parse(m.Amount, "amount"); }
        catch (FormatException e) { throw SdkErrors.InvalidCoins(e.Message); }
        if (amount.IsZero) throw SdkErrors.InvalidCoins("amount must be positive");
    }

    private static void ValidateDelegation(string owner, string router, ulong amount)
    {
        Bech32Address.Parse(owner);
        Bech32Address.Parse(router);
        if (amount == 0) throw DataCreditsErrors.InvalidRequest("amount must be positive");
        if (owner == router) throw DataCreditsErrors.InvalidRequest("a router pays from its own balance; it cannot delegate to itself");
    }

    public static void ValidateReport(MsgReportTraffic m)
    {
        Bech32Address.Parse(m.Router);
        Bech32Address.Parse(m.Payer);
        if (m.DeviceKey.Length is 0 or > MaxDeviceKeyLength) throw DataCreditsErrors.InvalidRequest($"device key must be 1..{MaxDeviceKeyLength} bytes");
        if (m.Bytes == 0) throw DataCreditsErrors.InvalidRequest("bytes must be positive");
    }

    public static void ValidateParams(Params p)
    {
        if (p.DcPerDpin == 0) throw DataCreditsErrors.InvalidParams("dc_per_dpin must be positive");
        if (p.BytesPerDc == 0) throw DataCreditsErrors.InvalidParams("bytes_per_dc must be positive");
        if (p.TrafficRetentionEpochs < 1) throw DataCreditsErrors.InvalidParams("traffic_retention_epochs must be at least 1 (rewards read the epoch that just ended)");
        if (ModuleAuthority.Problem(p.Authority) is { } why) throw DataCreditsErrors.InvalidParams(why);
    }

    public void RegisterQueries(QueryRouter router)
    {
        var query = router.For(QueryService!);
        query.Register("Params", QueryParamsRequest.Parser,
            (ctx, _) => new QueryParamsResponse { Params = Keeper.GetParams(ctx), Authority = Keeper.GetAuthority(ctx) });
        query.Register("Balance", QueryBalanceRequest.Parser, (ctx, req) =>
        {
            var owner = Bech32Address.Parse(req.Owner);
            var response = new QueryBalanceResponse { Amount = Keeper.GetBalance(ctx, owner) };
            var prefix = DataCreditsKeys.DelegationsOf(owner);
            foreach (var (key, value) in ctx.KVStore(DataCreditsKeys.ModuleName).Iterate(prefix, KeyRange.PrefixEnd(prefix)))
                response.Delegations.Add(DecodeDelegation(key, value));
            return response;
        });
        query.Register("Routers", QueryRoutersRequest.Parser, (ctx, _) =>
        {
            var response = new QueryRoutersResponse();
            foreach (var (_, value) in Keeper.IteratePrefix(ctx, DataCreditsKeys.RouterPrefix)) response.Routers.Add(Router.Parser.ParseFrom(value));
            return response;
        });
        query.Register("Traffic", QueryTrafficRequest.Parser, (ctx, req) =>
        {
            var response = new QueryTrafficResponse();
            if (req.DeviceKey.IsEmpty) response.Records.AddRange(Keeper.EpochTraffic(ctx, req.Epoch));
            else
            {
                var bytes = ctx.KVStore(DataCreditsKeys.ModuleName).Get(DataCreditsKeys.TrafficKey(req.Epoch, req.DeviceKey.Span));
                if (bytes is not null) response.Records.Add(TrafficRecord.Parser.ParseFrom(bytes));
            }
            return response;
        });
    }

    public void EndBlock(Context ctx) => Keeper.EndBlock(ctx);

    private static Delegation DecodeDelegation(byte[] key, byte[] value)
    {
        int ownerLength = key[1];
        int routerLength = key[2 + ownerLength];
        return new Delegation
        {
            Owner = Bech32Address.ToBech32(key.AsSpan(2, ownerLength)),
            Router = Bech32Address.ToBech32(key.AsSpan(3 + ownerLength, routerLength)),
            Amount = BinaryPrimitives.ReadUInt64BigEndian(value),
        };
    }

    public string DefaultGenesis() => ModuleJson.Format(new GenesisState { Params = DataCreditsKeeper.DefaultParams() });

    public static GenesisState ParseGenesis(string json) => ModuleJson.Parse<GenesisState>(json, DataCreditsKeys.ModuleName);

    public void ValidateGenesis(string json) => Validate(ParseGenesis(json));

    public static void Validate(GenesisState g)
    {
        ValidateParams(g.Params ?? throw DataCreditsErrors.InvalidGenesis("params are missing"));
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
            if (t.Epoch < 0 || t.DeviceKey.Length is 0 or > MaxDeviceKeyLength) throw DataCreditsErrors.InvalidGenesis("traffic record with a negative epoch or a bad device key");
            if (!traffic.Add((t.Epoch, Convert.ToHexString(t.DeviceKey.Span)))) throw DataCreditsErrors.InvalidGenesis($"duplicate traffic record for epoch {t.Epoch}");
        }
    }

    public void InitGenesis(Context ctx, string json)
    {
        var g = ParseGenesis(json);
        Validate(g);
        Keeper.SetParams(ctx, g.Params);
        foreach (var b in g.Balances) Keeper.SetBalance(ctx, Bech32Address.Parse(b.Owner), b.Amount);
        foreach (var d in g.Delegations) Keeper.SetDelegation(ctx, Bech32Address.Parse(d.Owner), Bech32Address.Parse(d.Router), d.Amount);
        foreach (var r in g.Routers) Keeper.SetRouter(ctx, r);
        foreach (var t in g.Traffic) Keeper.SetTraffic(ctx, t);
        Keeper.SetTotals(ctx, g.DcIssuedTotal, g.DcBurnedTotal);
    }

    /// <summary>Every list in store order, so export(import(g)) == g for any g that export produced.</summary>
    public string ExportGenesis(Context ctx)
    {
        var (issued, burned) = Keeper.GetTotals(ctx);
        var g = new GenesisState { Params = Keeper.GetParams(ctx), DcIssuedTotal = issued, DcBurnedTotal = burned };
        foreach (var (key, value) in Keeper.IteratePrefix(ctx, DataCreditsKeys.BalancePrefix))
            g.Balances.Add(new Balance { Owner = Bech32Address.ToBech32(key.AsSpan(2, key[1])), Amount = BinaryPrimitives.ReadUInt64BigEndian(value) });
        foreach (var (key, value) in Keeper.IteratePrefix(ctx, DataCreditsKeys.DelegationPrefix)) g.Delegations.Add(DecodeDelegation(key, value));
        foreach (var (_, value) in Keeper.IteratePrefix(ctx, DataCreditsKeys.RouterPrefix)) g.Routers.Add(Router.Parser.ParseFrom(value));
        foreach (var (_, value) in Keeper.IteratePrefix(ctx, DataCreditsKeys.TrafficPrefix)) g.Traffic.Add(TrafficRecord.Parser.ParseFrom(value));
        return ModuleJson.Format(g);
    }
}
