using DePinChain.Protos.Depin.Mint.V1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Mint;

/// <summary>The mint genesis: params, the schedule (fixed from here on), the minter's totals and the last emission.</summary>
public sealed class MintGenesis(MintKeeper keeper) : ModuleGenesis<GenesisState>(Json)
{
    /// <summary>The mint <c>app_state</c> section as JSON.</summary>
    public static readonly GenesisCodec<GenesisState> Json = new(MintKeys.ModuleName);

    public override GenesisState Default() => new()
    {
        Params = MintKeeper.DefaultParams(), Schedule = MintKeeper.DefaultSchedule(), Minter = MintKeeper.InitialMinter(),
    };

    public override void Validate(GenesisState g)
    {
        MintMsgServer.ValidateParams(g.Params ?? throw MintErrors.InvalidGenesis("params are missing"));
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

    public static void ValidateSchedule(Schedule s)
    {
        if (!Coins.IsValidDenom(s.MintDenom)) throw MintErrors.InvalidGenesis($"invalid mint denom \"{s.MintDenom}\"");
        if (s.EpochBlocks < 1) throw MintErrors.InvalidGenesis($"epoch_blocks must be at least 1, got {s.EpochBlocks}");
        if (s.HalvingIntervalEpochs < 1) throw MintErrors.InvalidGenesis($"halving_interval_epochs must be at least 1, got {s.HalvingIntervalEpochs}");
        try
        {
            if (Amounts.Parse(s.InitialEpochEmission, "initial_epoch_emission") > EmissionSchedule.MaxEpochPart)
                throw new FormatException($"initial_epoch_emission is above {EmissionSchedule.MaxEpochPart}");
            if (Amounts.Parse(s.MaxSupply, "max_supply").IsZero) throw new FormatException("max_supply must be positive");
        }
        catch (FormatException e) { throw MintErrors.InvalidGenesis(e.Message); }
    }

    /// <summary>Runs after bank's genesis: the genesis supply must already respect the cap.</summary>
    public override void Init(Context ctx, GenesisState g)
    {
        keeper.SetSchedule(ctx, g.Schedule);
        keeper.SetParams(ctx, g.Params);
        keeper.SetMinter(ctx, g.Minter);
        if (g.LastEmission is not null) keeper.SetLastEmission(ctx, g.LastEmission);
        var supply = keeper.Supply(ctx);
        if (supply > Amounts.Parse(g.Schedule.MaxSupply, "max_supply")) throw MintErrors.SupplyAboveCap(Amounts.Format(supply), g.Schedule.MaxSupply);
    }

    public override GenesisState Export(Context ctx)
    {
        var g = new GenesisState { Params = keeper.GetParams(ctx), Schedule = keeper.GetSchedule(ctx), Minter = keeper.GetMinter(ctx) };
        var last = keeper.GetLastEmission(ctx);
        if (last is not null) g.LastEmission = last;
        return g;
    }
}
