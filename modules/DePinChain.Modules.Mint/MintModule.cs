using System.Numerics;
using DePinChain.Protos.Depin.Mint.V1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace DePinChain.Modules.Mint;

/// <summary>
/// Epoch emissions under a hard cap. Message: MsgUpdateParams (authority; re-emission and the authority only). Queries under
/// /depin.mint.v1.Query/. End block: mints at the last block of each epoch; it must run before rewards.
/// </summary>
public sealed class MintModule(MintKeeper keeper) : IModule, IEndBlocker
{
    public const int MaxScheduleQueryEpochs = 1_000;

    /// <summary>
    /// Bound on each part of an epoch's emission (scheduled, re-emitted) so that their sum fits 64 bits: reward
    /// arithmetic then runs in ulong/UInt128. 2^63 udpin is 9.2 trillion DPIN.
    /// </summary>
    public static readonly BigInteger MaxEpochPart = long.MaxValue;

    public string Name => MintKeys.ModuleName;


    public ServiceDescriptor? MsgService => MintReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Msg");


    public ServiceDescriptor? QueryService => MintReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Query");

    public MintKeeper Keeper { get; } = keeper;

    public void RegisterMessages(MsgRouter router)
        => router.Register(MsgUpdateParams.Parser, ValidateUpdateParams, HandleUpdateParams);

    public static void ValidateUpdateParams(MsgUpdateParams msg)
    {
        Bech32Address.Parse(msg.Authority);
        ValidateParams(msg.Params ?? throw MintErrors.InvalidParams("params are missing"));
    }

    private IMessage HandleUpdateParams(Context ctx, MsgUpdateParams msg)
    {
        var authority = Keeper.GetAuthority(ctx);
        if (!ModuleAuthority.Is(authority, msg.Authority)) throw MintErrors.InvalidAuthority(authority, msg.Authority);
        // Params hold only the re-emission knobs and the authority: the schedule and the hard cap are not reachable from here.
        Keeper.SetParams(ctx, msg.Params);
        ctx.Events.Emit(SdkEvent.Of("mint_params_updated",
            ("reemission_share_bps", msg.Params.ReemissionShareBps.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("max_reemission_per_epoch", msg.Params.MaxReemissionPerEpoch), ("authority", msg.Params.Authority)));
        return new MsgUpdateParamsResponse();
    }

    public static void ValidateParams(Params p)
    {
        if (p.ReemissionShareBps > MintKeeper.BasisPoints)
            throw MintErrors.InvalidParams($"reemission_share_bps {p.ReemissionShareBps} is above {MintKeeper.BasisPoints}");
        if (ModuleAuthority.Problem(p.Authority) is { } why) throw MintErrors.InvalidParams(why);
        try
        {
            if (Amounts.Parse(p.MaxReemissionPerEpoch, "max_reemission_per_epoch") > MaxEpochPart)
                throw new FormatException($"max_reemission_per_epoch is above {MaxEpochPart}");
        }
        catch (FormatException e) { throw MintErrors.InvalidParams(e.Message); }
    }

    public static void ValidateSchedule(Schedule s)
    {
        if (!Coins.IsValidDenom(s.MintDenom)) throw MintErrors.InvalidGenesis($"invalid mint denom \"{s.MintDenom}\"");
        if (s.EpochBlocks < 1) throw MintErrors.InvalidGenesis($"epoch_blocks must be at least 1, got {s.EpochBlocks}");
        if (s.HalvingIntervalEpochs < 1) throw MintErrors.InvalidGenesis($"halving_interval_epochs must be at least 1, got {s.HalvingIntervalEpochs}");
        try
        {
            if (Amounts.Parse(s.InitialEpochEmission, "initial_epoch_emission") > MaxEpochPart)
                throw new FormatException($"initial_epoch_emission is above {MaxEpochPart}");
            if (Amounts.Parse(s.MaxSupply, "max_supply").IsZero) throw new FormatException("max_supply must be positive");
        }
        catch (FormatException e) { throw MintErrors.InvalidGenesis(e.Message); }
    }

    public void RegisterQueries(QueryRouter router)
    {
        var query = router.For(QueryService!);
        query.Register("Params", QueryParamsRequest.Parser, (ctx, _) => new QueryParamsResponse
        {
            Params = Keeper.GetParams(ctx), Schedule = Keeper.GetSchedule(ctx), Authority = Keeper.GetAuthority(ctx),
        });
        query.Register("CurrentEpoch", QueryCurrentEpochRequest.Parser, (ctx, _) =>
        {
            long blocks = Keeper.EpochBlocks(ctx);
            long epoch = EpochMath.EpochOf(ctx.Height, blocks);
            return new QueryCurrentEpochResponse
            {
                Height = ctx.Height, Epoch = epoch,
                EpochStartHeight = EpochMath.FirstHeight(epoch, blocks), EpochEndHeight = EpochMath.LastHeight(epoch, blocks),
            };
        });
        query.Register("EpochEmission", QueryEpochEmissionRequest.Parser, (ctx, _) =>
        {
            long epoch = Keeper.EpochOf(ctx, ctx.Height);
            var projected = Keeper.ProjectSchedule(ctx, epoch, 1)[0];
            var response = new QueryEpochEmissionResponse { Epoch = epoch, Scheduled = projected.Scheduled, ScheduledAfterCap = projected.Minted };
            var last = Keeper.GetLastEmission(ctx);
            if (last is not null) response.LastEmission = last;
            return response;
        });
        query.Register("Minted", QueryMintedRequest.Parser, (ctx, _) =>
        {
            var supply = Keeper.Supply(ctx);
            var max = Keeper.MaxSupply(ctx);
            return new QueryMintedResponse
            {
                Minter = Keeper.GetMinter(ctx), Supply = Amounts.Format(supply), MaxSupply = Amounts.Format(max),
                RemainingToCap = Amounts.Format(Amounts.Max(BigInteger.Zero, max - supply)),
            };
        });
        query.Register("Schedule", QueryScheduleRequest.Parser, (ctx, req) =>
        {
            if (req.Count is 0 or > MaxScheduleQueryEpochs)
                throw MintErrors.InvalidRequest($"count must be within 1..{MaxScheduleQueryEpochs}, got {req.Count}");
            if (req.FromEpoch < 0) throw MintErrors.InvalidRequest($"from_epoch must not be negative, got {req.FromEpoch}");
            long from = req.FromEpoch == 0 ? Keeper.EpochOf(ctx, ctx.Height) : req.FromEpoch;
            var response = new QueryScheduleResponse();
            response.Epochs.AddRange(Keeper.ProjectSchedule(ctx, from, (int)req.Count));
            return response;
        });
    }

    public void EndBlock(Context ctx) => Keeper.EndBlock(ctx);

    public string DefaultGenesis() => ModuleJson.Format(new GenesisState
    {
        Params = MintKeeper.DefaultParams(), Schedule = MintKeeper.DefaultSchedule(), Minter = MintKeeper.InitialMinter(),
    });

    public static GenesisState ParseGenesis(string json) => ModuleJson.Parse<GenesisState>(json, MintKeys.ModuleName);

    public void ValidateGenesis(string json) => Validate(ParseGenesis(json));

    public static void Validate(GenesisState g)
    {
        ValidateParams(g.Params ?? throw MintErrors.InvalidGenesis("params are missing"));
        ValidateSchedule(g.Schedule ?? throw MintErrors.InvalidGenesis("schedule is missing"));
        var m = g.Minter ?? throw MintErrors.InvalidGenesis("minter state is missing");
        try
        {
            var minted = Amounts.Parse(m.MintedTotal, "minted_total");
            var scheduled = Amounts.Parse(m.ScheduledMintedTotal, "scheduled_minted_total");
            var reemitted = Amounts.Parse(m.ReemittedTotal, "reemitted_total");
            Amounts.Parse(m.BurnedTotal, "burned_total");
            Amounts.Parse(m.BurnedThisEpoch, "burned_this_epoch");
            Amounts.Parse(m.ReemissionPending, "reemission_pending");
            if (minted != scheduled + reemitted)
                throw new FormatException($"minted_total {minted} is not scheduled_minted_total + reemitted_total ({scheduled} + {reemitted})");
            // minted_total is cumulative: with burns and re-emission it may exceed max_supply; the cap binds the supply.
        }
        catch (FormatException e) { throw MintErrors.InvalidGenesis(e.Message); }
        if (m.LastMintedEpoch < -1) throw MintErrors.InvalidGenesis($"last_minted_epoch {m.LastMintedEpoch} is below -1");
        if (m.LastMintedEpoch == -1 && g.LastEmission is not null) throw MintErrors.InvalidGenesis("last_emission is set but no epoch was minted");
        if (m.LastMintedEpoch >= 0 && g.LastEmission?.Epoch != m.LastMintedEpoch)
            throw MintErrors.InvalidGenesis($"last_emission must be the emission of epoch {m.LastMintedEpoch}");
    }

    /// <summary>Runs after bank's genesis: the genesis supply must already respect the cap.</summary>
    public void InitGenesis(Context ctx, string json)
    {
        var g = ParseGenesis(json);
        Validate(g);
        Keeper.SetSchedule(ctx, g.Schedule);
        Keeper.SetParams(ctx, g.Params);
        Keeper.SetMinter(ctx, g.Minter);
        if (g.LastEmission is not null) Keeper.SetLastEmission(ctx, g.LastEmission);
        var supply = Keeper.Supply(ctx);
        if (supply > Amounts.Parse(g.Schedule.MaxSupply, "max_supply")) throw MintErrors.SupplyAboveCap(Amounts.Format(supply), g.Schedule.MaxSupply);
    }

    public string ExportGenesis(Context ctx)
    {
        var g = new GenesisState { Params = Keeper.GetParams(ctx), Schedule = Keeper.GetSchedule(ctx), Minter = Keeper.GetMinter(ctx) };
        var last = Keeper.GetLastEmission(ctx);
        if (last is not null) g.LastEmission = last;
        return ModuleJson.Format(g);
    }
}
