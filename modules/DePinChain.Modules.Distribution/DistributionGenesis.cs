using DePinChain.Protos.Cosmos.Distribution.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;

namespace DePinChain.Modules.Distribution;

/// <summary>The distribution genesis in the SDK's shape (x/distribution/keeper/genesis.go).</summary>
public sealed class DistributionGenesis(DistributionKeeper keeper) : ModuleGenesis<GenesisState>(Json)
{
    public static readonly GenesisCodec<GenesisState> Json = new(DistributionKeys.ModuleName);

    public override GenesisState Default() => new() { Params = DistributionKeeper.DefaultParams(), FeePool = new FeePool() };

    /// <summary>The SDK's Params.ValidateBasic: community tax in [0, 1], proposer rewards not negative.</summary>
    public static void ValidateParams(Params p)
    {
        static LegacyDec Read(string wire, string name)
        {
            if (string.IsNullOrEmpty(wire)) throw DistributionErrors.InvalidGenesis($"{name} must be not nil");
            try { return LegacyDec.FromWire(wire); }
            catch (FormatException e) { throw DistributionErrors.InvalidGenesis($"{name}: {e.Message}"); }
        }
        var tax = Read(p.CommunityTax, "community tax");
        if (tax.IsNegative) throw DistributionErrors.InvalidGenesis($"community tax must be positive: {tax}");
        if (tax > LegacyDec.One) throw DistributionErrors.InvalidGenesis($"community tax too large: {tax}");
        if (Read(p.BaseProposerReward, "base proposer reward").IsNegative) throw DistributionErrors.InvalidGenesis("base proposer reward must be positive");
        if (Read(p.BonusProposerReward, "bonus proposer reward").IsNegative) throw DistributionErrors.InvalidGenesis("bonus proposer reward must be positive");
    }

    public override void Validate(GenesisState g)
    {
        ValidateParams(g.Params ?? throw DistributionErrors.InvalidGenesis("params are missing"));
        DecCoins.FromProto(g.FeePool?.CommunityPool ?? []);
        foreach (var w in g.DelegatorWithdrawInfos)
        {
            Bech32Address.Parse(w.DelegatorAddress);
            Bech32Address.Parse(w.WithdrawAddress);
        }
        if (g.PreviousProposer.Length > 0) ValidatorAddress.ParseConsensus(g.PreviousProposer);
        foreach (var r in g.OutstandingRewards) { ValidatorAddress.ParseOperator(r.ValidatorAddress); DecCoins.FromProto(r.OutstandingRewards); }
        foreach (var r in g.ValidatorAccumulatedCommissions) { ValidatorAddress.ParseOperator(r.ValidatorAddress); DecCoins.FromProto(r.Accumulated?.Commission ?? []); }
        foreach (var r in g.ValidatorHistoricalRewards)
        {
            ValidatorAddress.ParseOperator(r.ValidatorAddress);
            DecCoins.FromProto(r.Rewards?.CumulativeRewardRatio ?? []);
        }
        foreach (var r in g.ValidatorCurrentRewards) { ValidatorAddress.ParseOperator(r.ValidatorAddress); DecCoins.FromProto(r.Rewards?.Rewards ?? []); }
        foreach (var r in g.DelegatorStartingInfos)
        {
            Bech32Address.Parse(r.DelegatorAddress);
            ValidatorAddress.ParseOperator(r.ValidatorAddress);
            if (r.StartingInfo is null) throw DistributionErrors.InvalidGenesis("delegator starting info is missing");
        }
        foreach (var r in g.ValidatorSlashEvents)
        {
            ValidatorAddress.ParseOperator(r.ValidatorAddress);
            if (r.ValidatorSlashEvent is null) throw DistributionErrors.InvalidGenesis("validator slash event is missing");
        }
    }

    public override void Init(Context ctx, GenesisState g)
    {
        keeper.SetParams(ctx, g.Params);
        keeper.SetCommunityPool(ctx, DecCoins.FromProto(g.FeePool?.CommunityPool ?? []));
        foreach (var w in g.DelegatorWithdrawInfos)
            keeper.SetDelegatorWithdrawAddrRaw(ctx, Bech32Address.Parse(w.DelegatorAddress), Bech32Address.Parse(w.WithdrawAddress));
        if (g.PreviousProposer.Length > 0) keeper.SetPreviousProposer(ctx, ValidatorAddress.ParseConsensus(g.PreviousProposer));
        foreach (var r in g.OutstandingRewards)
            keeper.SetOutstanding(ctx, ValidatorAddress.ParseOperator(r.ValidatorAddress), DecCoins.FromProto(r.OutstandingRewards));
        foreach (var r in g.ValidatorAccumulatedCommissions)
            keeper.SetAccumulatedCommission(ctx, ValidatorAddress.ParseOperator(r.ValidatorAddress), DecCoins.FromProto(r.Accumulated?.Commission ?? []));
        foreach (var r in g.ValidatorHistoricalRewards)
            keeper.SetRaw(ctx, DistributionKeys.Historical(ValidatorAddress.ParseOperator(r.ValidatorAddress), r.Period), (r.Rewards ?? new()).ToByteArray());
        foreach (var r in g.ValidatorCurrentRewards)
            keeper.SetRaw(ctx, DistributionKeys.Current(ValidatorAddress.ParseOperator(r.ValidatorAddress)), (r.Rewards ?? new()).ToByteArray());
        foreach (var r in g.DelegatorStartingInfos)
            keeper.SetStartingInfo(ctx, ValidatorAddress.ParseOperator(r.ValidatorAddress), Bech32Address.Parse(r.DelegatorAddress), r.StartingInfo);
        foreach (var r in g.ValidatorSlashEvents)
            keeper.SetRaw(ctx, DistributionKeys.SlashEvent(ValidatorAddress.ParseOperator(r.ValidatorAddress), r.Height, r.Period), r.ValidatorSlashEvent.ToByteArray());
    }

    public override GenesisState Export(Context ctx)
    {
        var g = new GenesisState { Params = keeper.GetParams(ctx), FeePool = new FeePool() };
        g.FeePool.CommunityPool.AddRange(keeper.GetCommunityPool(ctx).ToProto());
        foreach (var (key, value) in keeper.Entries(ctx, DistributionKeys.WithdrawAddrPrefix))
            g.DelegatorWithdrawInfos.Add(new DelegatorWithdrawInfo
            {
                DelegatorAddress = Bech32Address.ToBech32(DistributionKeys.FirstAddress(key)), WithdrawAddress = Bech32Address.ToBech32(value),
            });
        if (keeper.GetPreviousProposer(ctx) is { } proposer) g.PreviousProposer = ValidatorAddress.ToConsensusBech32(proposer);
        foreach (var (key, value) in keeper.Entries(ctx, DistributionKeys.OutstandingPrefix))
        {
            var record = new ValidatorOutstandingRewardsRecord { ValidatorAddress = Val(key) };
            record.OutstandingRewards.AddRange(ValidatorOutstandingRewards.Parser.ParseFrom(value).Rewards);
            g.OutstandingRewards.Add(record);
        }
        foreach (var (key, value) in keeper.Entries(ctx, DistributionKeys.CommissionPrefix))
            g.ValidatorAccumulatedCommissions.Add(new ValidatorAccumulatedCommissionRecord { ValidatorAddress = Val(key), Accumulated = ValidatorAccumulatedCommission.Parser.ParseFrom(value) });
        foreach (var (key, value) in keeper.Entries(ctx, DistributionKeys.HistoricalPrefix))
            g.ValidatorHistoricalRewards.Add(new ValidatorHistoricalRewardsRecord
            {
                ValidatorAddress = Val(key), Period = DistributionKeys.UInt64AfterAddress(key, 0), Rewards = ValidatorHistoricalRewards.Parser.ParseFrom(value),
            });
        foreach (var (key, value) in keeper.Entries(ctx, DistributionKeys.CurrentPrefix))
            g.ValidatorCurrentRewards.Add(new ValidatorCurrentRewardsRecord { ValidatorAddress = Val(key), Rewards = ValidatorCurrentRewards.Parser.ParseFrom(value) });
        foreach (var (key, value) in keeper.Entries(ctx, DistributionKeys.StartingInfoPrefix))
            g.DelegatorStartingInfos.Add(new DelegatorStartingInfoRecord
            {
                ValidatorAddress = Val(key), DelegatorAddress = Bech32Address.ToBech32(DistributionKeys.SecondAddress(key)),
                StartingInfo = DelegatorStartingInfo.Parser.ParseFrom(value),
            });
        foreach (var (key, value) in keeper.Entries(ctx, DistributionKeys.SlashEventPrefix))
            g.ValidatorSlashEvents.Add(new ValidatorSlashEventRecord
            {
                ValidatorAddress = Val(key), Height = DistributionKeys.UInt64AfterAddress(key, 0), Period = DistributionKeys.UInt64AfterAddress(key, 1),
                ValidatorSlashEvent = ValidatorSlashEvent.Parser.ParseFrom(value),
            });
        return g;
    }

    private static string Val(byte[] key) => ValidatorAddress.ToOperatorBech32(DistributionKeys.FirstAddress(key));
}
