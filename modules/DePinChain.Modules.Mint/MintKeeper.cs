using System.Numerics;
using DePinChain.Protos.Depin.Mint.V1;
using DePinChain.Sdk;
using Google.Protobuf;

namespace DePinChain.Modules.Mint;

/// <summary>
/// Owns the mint store: the genesis-fixed schedule (epoch length, initial emission, halving, hard cap), the
/// authority's params (re-emission, and the authority itself) and the running totals. At every epoch end it mints the scheduled amount
/// plus a bounded re-emission of burned udpin into <see cref="PoolModule"/>, clipped so that the supply never
/// exceeds the hard cap. It owns the chain's epochs (<see cref="EpochMath"/>) and hears about every burn
/// (<see cref="RecordBurn"/>); other modules reach both through the app's bridges.
/// </summary>
/// <param name="bank">Mints into the "mint" module account (minter permission) and moves the coins to the pool.</param>
/// <param name="poolModule">The module account that receives every emission (the rewards pool).</param>
public sealed class MintKeeper(IBankKeeper bank, string poolModule)
{
    public const uint BasisPoints = 10_000;

    private IBankKeeper Bank { get; } = bank;

    public string PoolModule { get; } = poolModule;

    public static Params DefaultParams() => new() { ReemissionShareBps = 5_000, MaxReemissionPerEpoch = "1000000000", Authority = ModuleAuthority.Default };

    /// <summary>
    /// 1 h epochs at 5 s blocks; 1,000,000,000 DPIN hard cap; about half of it in the first two years (17,520
    /// epochs) and halving every two years after that.
    /// </summary>
    public static Schedule DefaultSchedule() => new()
    {
        MintDenom = MintKeys.DefaultDenom,
        EpochBlocks = 720,
        InitialEpochEmission = "28538000000",
        HalvingIntervalEpochs = 17_520,
        MaxSupply = "1000000000000000",
    };

    public static MinterState InitialMinter() => new()
    {
        LastMintedEpoch = -1,
        MintedTotal = "0",
        ScheduledMintedTotal = "0",
        ReemittedTotal = "0",
        BurnedTotal = "0",
        BurnedThisEpoch = "0",
        ReemissionPending = "0",
    };

    private static readonly ParamsStore<Params> ParamsStore = new(MintKeys.ModuleName, MintKeys.ParamsKey, Params.Parser, DefaultParams);

    public Params GetParams(Context ctx) => ParamsStore.Get(ctx);

    public void SetParams(Context ctx, Params p) => ParamsStore.Set(ctx, p);

    /// <summary>The only account that may send MsgUpdateParams (from params: genesis sets it).</summary>
    public string GetAuthority(Context ctx) => GetParams(ctx).Authority;

    public Schedule GetSchedule(Context ctx) => Read(ctx, MintKeys.ScheduleKey, Schedule.Parser) ?? throw Missing("schedule");

    internal void SetSchedule(Context ctx, Schedule s) => Write(ctx, MintKeys.ScheduleKey, s);

    public MinterState GetMinter(Context ctx) => Read(ctx, MintKeys.MinterKey, MinterState.Parser) ?? throw Missing("minter state");

    internal void SetMinter(Context ctx, MinterState m) => Write(ctx, MintKeys.MinterKey, m);

    public EpochEmission? GetLastEmission(Context ctx) => Read(ctx, MintKeys.LastEmissionKey, EpochEmission.Parser);

    internal void SetLastEmission(Context ctx, EpochEmission e) => Write(ctx, MintKeys.LastEmissionKey, e);

    public string MintDenom(Context ctx) => GetSchedule(ctx).MintDenom;

    public BigInteger MaxSupply(Context ctx) => Amounts.Parse(GetSchedule(ctx).MaxSupply, "max_supply");

    public BigInteger Supply(Context ctx) => Bank.GetSupply(ctx, MintDenom(ctx));

    // The chain's epochs: epoch_blocks is fixed at genesis, so every module sees the same epochs forever.
    public long EpochBlocks(Context ctx) => GetSchedule(ctx).EpochBlocks;

    public long EpochOf(Context ctx, long height) => EpochMath.EpochOf(height, EpochBlocks(ctx));

    public bool IsLastBlockOfEpoch(Context ctx, long height) => EpochMath.IsLastBlockOfEpoch(height, EpochBlocks(ctx));

    /// <summary>Records udpin burned anywhere (data credits, the registry's fees), for net emissions.</summary>
    public void RecordBurn(Context ctx, BigInteger amount)
    {
        if (amount.Sign < 0) throw new ArgumentOutOfRangeException(nameof(amount), "a burn cannot be negative");
        if (amount.IsZero) return;
        var minter = GetMinter(ctx);
        minter.BurnedTotal = Amounts.Format(Amounts.Parse(minter.BurnedTotal, "burned_total") + amount);
        minter.BurnedThisEpoch = Amounts.Format(Amounts.Parse(minter.BurnedThisEpoch, "burned_this_epoch") + amount);
        SetMinter(ctx, minter);
    }

    /// <summary>Mints at the last block of every epoch.</summary>
    public void EndBlock(Context ctx)
    {
        var schedule = GetSchedule(ctx);
        if (EpochMath.IsLastBlockOfEpoch(ctx.Height, schedule.EpochBlocks))
            MintEpoch(ctx, EpochMath.EpochOf(ctx.Height, schedule.EpochBlocks));
    }

    /// <summary>
    /// Mints epoch <paramref name="epoch"/>'s emission: scheduled(e) clipped to the room under the cap, then
    /// min(pending re-emission, max per epoch, room left). The cap check reads the bank's supply, so burns made
    /// anywhere make room only through this bounded path or the (finite) schedule.
    /// </summary>
    /// <exception cref="InvalidOperationException">The epoch was minted already (a wiring bug: the chain must stop).</exception>
    public EpochEmission MintEpoch(Context ctx, long epoch)
    {
        var schedule = GetSchedule(ctx);
        var p = GetParams(ctx);
        var minter = GetMinter(ctx);
        if (epoch <= minter.LastMintedEpoch)
            throw new InvalidOperationException($"epoch {epoch} is minted already (last minted {minter.LastMintedEpoch})");

        var maxSupply = Amounts.Parse(schedule.MaxSupply, "max_supply");
        var supply = Bank.GetSupply(ctx, schedule.MintDenom);
        var room = Amounts.Max(BigInteger.Zero, maxSupply - supply);

        var scheduled = EmissionSchedule.ScheduledFor(schedule, epoch);
        var scheduledMinted = Amounts.Min(scheduled, room);
        room -= scheduledMinted;

        var burnedThisEpoch = Amounts.Parse(minter.BurnedThisEpoch, "burned_this_epoch");
        var pending = Amounts.Parse(minter.ReemissionPending, "reemission_pending") + burnedThisEpoch * p.ReemissionShareBps / BasisPoints;
        var reemitted = Amounts.Min(Amounts.Min(pending, Amounts.Parse(p.MaxReemissionPerEpoch, "max_reemission_per_epoch")), room);
        pending -= reemitted;

        var total = scheduledMinted + reemitted;
        if (!total.IsZero)
        {
            var coins = Coins.Of(new Coin(schedule.MintDenom, total));
            Bank.MintCoins(ctx, MintKeys.ModuleName, coins);
            Bank.SendCoinsFromModuleToModule(ctx, MintKeys.ModuleName, PoolModule, coins);
        }
        var supplyAfter = Bank.GetSupply(ctx, schedule.MintDenom);
        // Belt and braces: the arithmetic above cannot overshoot; if it ever does, stop rather than commit it.
        if (supplyAfter > maxSupply && !total.IsZero)
            throw new InvalidOperationException($"minting {total} took the supply to {supplyAfter}, above the cap {maxSupply}");

        minter.LastMintedEpoch = epoch;
        minter.MintedTotal = Amounts.Format(Amounts.Parse(minter.MintedTotal, "minted_total") + total);
        minter.ScheduledMintedTotal = Amounts.Format(Amounts.Parse(minter.ScheduledMintedTotal, "scheduled_minted_total") + scheduledMinted);
        minter.ReemittedTotal = Amounts.Format(Amounts.Parse(minter.ReemittedTotal, "reemitted_total") + reemitted);
        minter.BurnedThisEpoch = "0";
        minter.ReemissionPending = Amounts.Format(pending);
        SetMinter(ctx, minter);

        var emission = new EpochEmission
        {
            Epoch = epoch,
            Height = ctx.Height,
            Scheduled = Amounts.Format(scheduled),
            ScheduledMinted = Amounts.Format(scheduledMinted),
            Reemitted = Amounts.Format(reemitted),
            Total = Amounts.Format(total),
            SupplyAfter = Amounts.Format(supplyAfter),
        };
        SetLastEmission(ctx, emission);
        ctx.Events.Emit(SdkEvent.Of("mint_epoch",
            ("epoch", epoch.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("scheduled", emission.Scheduled), ("scheduled_minted", emission.ScheduledMinted),
            ("reemitted", emission.Reemitted), ("total", emission.Total), ("supply", emission.SupplyAfter),
            ("max_supply", schedule.MaxSupply)));
        return emission;
    }

    /// <summary>
    /// The next <paramref name="count"/> epochs' emission from <paramref name="fromEpoch"/> as the schedule and
    /// the cap would mint it from today's supply, ignoring future burns and re-emission.
    /// </summary>
    public IReadOnlyList<ScheduledEpoch> ProjectSchedule(Context ctx, long fromEpoch, int count)
    {
        var schedule = GetSchedule(ctx);
        var initial = Amounts.Parse(schedule.InitialEpochEmission, "initial_epoch_emission");
        var maxSupply = Amounts.Parse(schedule.MaxSupply, "max_supply");
        var supply = Bank.GetSupply(ctx, schedule.MintDenom);
        var result = new List<ScheduledEpoch>(count);
        for (long e = fromEpoch; e < fromEpoch + count; e++)
        {
            var scheduled = EmissionSchedule.ScheduledFor(initial, schedule.HalvingIntervalEpochs, e);
            var minted = Amounts.Min(scheduled, Amounts.Max(BigInteger.Zero, maxSupply - supply));
            supply += minted;
            result.Add(new ScheduledEpoch
            {
                Epoch = e, Scheduled = Amounts.Format(scheduled), Minted = Amounts.Format(minted), SupplyAfter = Amounts.Format(supply),
            });
        }
        return result;
    }

    private static T? Read<T>(Context ctx, byte key, MessageParser<T> parser) where T : class, IMessage<T>
    {
        var bytes = ctx.KVStore(MintKeys.ModuleName).Get([key]);
        return bytes is null ? null : parser.ParseFrom(bytes);
    }

    private static void Write(Context ctx, byte key, IMessage value) => ctx.KVStore(MintKeys.ModuleName).Set([key], value.ToByteArray());

    private static InvalidOperationException Missing(string what) => new($"mint {what} is not in the store: InitGenesis did not run");
}
