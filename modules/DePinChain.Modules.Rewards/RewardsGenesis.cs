using DePinChain.Protos.Depin.Rewards.V1;
using DePinChain.Sdk;
using Google.Protobuf;

namespace DePinChain.Modules.Rewards;

/// <summary>The rewards genesis: params, settled reward records, summaries, validator rewards, open payouts, the running epoch's signed power.</summary>
public sealed class RewardsGenesis(RewardsKeeper keeper) : ModuleGenesis<GenesisState>(Json)
{
    /// <summary>The rewards <c>app_state</c> section as JSON.</summary>
    public static readonly GenesisCodec<GenesisState> Json = new(RewardsKeys.ModuleName);

    public override GenesisState Default() => new() { Params = RewardsKeeper.DefaultParams() };

    public override void Validate(GenesisState g)
    {
        RewardsMsgServer.ValidateParams(g.Params ?? throw RewardsErrors.InvalidGenesis("params are missing"));
        var records = new HashSet<(long, string)>();
        foreach (var r in g.Records)
        {
            if (r.Epoch < 0 || r.DeviceKey.Length is 0 or > 255) throw RewardsErrors.InvalidGenesis("reward record with a negative epoch or a device key not of 1..255 bytes");
            if (!records.Add((r.Epoch, Convert.ToHexString(r.DeviceKey.Span)))) throw RewardsErrors.InvalidGenesis($"duplicate reward record in epoch {r.Epoch}");
            if (r.Owner.Length > 0) Bech32Address.Parse(r.Owner);
        }
        var summaries = new HashSet<long>();
        foreach (var s in g.Summaries)
            if (!summaries.Add(s.Epoch)) throw RewardsErrors.InvalidGenesis($"duplicate summary of epoch {s.Epoch}");
        foreach (var v in g.ValidatorRewards)
            if (v.ConsensusAddress.Length is 0 or > 255) throw RewardsErrors.InvalidGenesis("validator reward without a consensus address");
        var payouts = new HashSet<long>();
        foreach (var p in g.Payouts)
            if (!payouts.Add(p.Epoch) || !summaries.Contains(p.Epoch)) throw RewardsErrors.InvalidGenesis($"payout of epoch {p.Epoch} is duplicated or has no summary");
        var powers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in g.Powers)
            if (v.ConsensusAddress.Length is 0 or > 255 || !powers.Add(Convert.ToHexString(v.ConsensusAddress.Span)))
                throw RewardsErrors.InvalidGenesis("validator power with a bad or duplicate consensus address");
    }

    public override void Init(Context ctx, GenesisState g)
    {
        keeper.SetParams(ctx, g.Params);
        keeper.ImportRecords(ctx, g.Records);
        foreach (var s in g.Summaries) keeper.ImportSummary(ctx, s);
        foreach (var v in g.ValidatorRewards) keeper.ImportValidatorReward(ctx, v);
        foreach (var v in g.Powers) keeper.SetSignedPower(ctx, v.ConsensusAddress.Span, v.SignedPower);
        foreach (var p in g.Payouts) keeper.SetPayout(ctx, p);
    }

    public override GenesisState Export(Context ctx)
    {
        var g = new GenesisState { Params = keeper.GetParams(ctx) };
        foreach (var v in keeper.IterateValues(ctx, RewardsKeys.RecordPrefix)) g.Records.Add(RewardRecord.Parser.ParseFrom(v));
        foreach (var v in keeper.IterateValues(ctx, RewardsKeys.SummaryPrefix)) g.Summaries.Add(EpochSummary.Parser.ParseFrom(v));
        foreach (var v in keeper.IterateValues(ctx, RewardsKeys.ValidatorRewardPrefix)) g.ValidatorRewards.Add(ValidatorReward.Parser.ParseFrom(v));
        g.Payouts.AddRange(keeper.OpenPayouts(ctx));
        foreach (var (address, power) in keeper.SignedPower(ctx))
            g.Powers.Add(new ValidatorPower { ConsensusAddress = ByteString.CopyFrom(address), SignedPower = power });
        return g;
    }
}
