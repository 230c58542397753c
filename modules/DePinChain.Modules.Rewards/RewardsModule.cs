using DePinChain.Modules.Mint;
using DePinChain.Protos.Depin.Rewards.V1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace DePinChain.Modules.Rewards;

/// <summary>
/// Epoch-end reward emission. Messages: MsgUpdateParams and MsgSetValidatorPayout (authority). Queries under
/// /depin.rewards.v1.Query/. End block: accumulates validator votes every block and distributes at the last
/// block of an epoch; it must run after mint's (which fills the pool) and after every module that records the
/// epoch's coverage and traffic.
/// </summary>
public sealed class RewardsModule(RewardsKeeper keeper) : IModule, IEndBlocker
{
    public string Name => RewardsKeys.ModuleName;

    public ServiceDescriptor? MsgService => RewardsReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Msg");

    public ServiceDescriptor? QueryService => RewardsReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Query");

    public RewardsKeeper Keeper { get; } = keeper;

    public void RegisterMessages(MsgRouter router)
    {
        router.Register(MsgUpdateParams.Parser, m =>
        {
            Bech32Address.Parse(m.Authority);
            ValidateParams(m.Params ?? throw RewardsErrors.InvalidParams("params are missing"));
        }, (ctx, m) =>
        {
            RequireAuthority(ctx, m.Authority);
            Keeper.SetParams(ctx, m.Params);
            ctx.Events.Emit(SdkEvent.Of("rewards_params_updated", ("params", m.Params.ToString())));
            return new MsgUpdateParamsResponse();
        });
        router.Register(MsgSetValidatorPayout.Parser, m =>
        {
            Bech32Address.Parse(m.Authority);
            if (m.ConsensusAddress.Length is 0 or > 255) throw RewardsErrors.InvalidRequest("consensus_address must be 1..255 bytes");
            if (m.PayoutAddress.Length > 0) Bech32Address.Parse(m.PayoutAddress);
        }, (ctx, m) =>
        {
            RequireAuthority(ctx, m.Authority);
            Keeper.SetPayout(ctx, m.ConsensusAddress.Span, m.PayoutAddress.Length == 0 ? null : Bech32Address.Parse(m.PayoutAddress));
            ctx.Events.Emit(SdkEvent.Of("validator_payout_set",
                ("consensus_address", Convert.ToHexString(m.ConsensusAddress.Span)), ("payout_address", m.PayoutAddress)));
            return new MsgSetValidatorPayoutResponse();
        });
    }

    private void RequireAuthority(Context ctx, string signer)
    {
        var authority = Keeper.GetAuthority(ctx);
        if (!ModuleAuthority.Is(authority, signer)) throw RewardsErrors.InvalidAuthority(authority, signer);
    }

    public static void ValidateParams(Params p)
    {
        if (RewardsKeeper.SharesOf(p).Validate() is { } why) throw RewardsErrors.InvalidParams(why);
        if (p.RecordRetentionEpochs < 0) throw RewardsErrors.InvalidParams("record_retention_epochs must not be negative");
        if (ModuleAuthority.Problem(p.Authority) is { } authorityProblem) throw RewardsErrors.InvalidParams(authorityProblem);
    }

    public void RegisterQueries(QueryRouter router)
    {
        var query = router.For(QueryService!);
        query.Register("Params", QueryParamsRequest.Parser,
            (ctx, _) => new QueryParamsResponse { Params = Keeper.GetParams(ctx), Authority = Keeper.GetAuthority(ctx) });
        query.Register("DeviceReward", QueryDeviceRewardRequest.Parser, (ctx, req) =>
        {
            if (req.DeviceKey.IsEmpty) throw RewardsErrors.InvalidRequest("device_key is empty");
            var record = Keeper.GetRecord(ctx, req.Epoch, req.DeviceKey.Span)
                ?? throw RewardsErrors.NotFound($"reward record of device {Convert.ToHexString(req.DeviceKey.Span)} in epoch {req.Epoch}");
            return new QueryDeviceRewardResponse { Record = record };
        });
        query.Register("OwnerRewards", QueryOwnerRewardsRequest.Parser, (ctx, req) =>
        {
            var owner = Bech32Address.Parse(req.Owner);
            var response = new QueryOwnerRewardsResponse();
            var total = System.Numerics.BigInteger.Zero;
            foreach (var record in Keeper.OwnerRecords(ctx, owner, req.Epoch))
            {
                response.Records.Add(record);
                total += Amounts.Parse(record.Amount, "amount");
            }
            response.Total = Amounts.Format(total);
            return response;
        });
        query.Register("EpochSummary", QueryEpochSummaryRequest.Parser, (ctx, req) =>
        {
            var summary = Keeper.GetSummary(ctx, req.Epoch) ?? throw RewardsErrors.NotFound($"summary of epoch {req.Epoch}");
            var response = new QueryEpochSummaryResponse { Summary = summary };
            response.Validators.AddRange(Keeper.ValidatorRewards(ctx, req.Epoch));
            return response;
        });
    }

    public void EndBlock(Context ctx) => Keeper.EndBlock(ctx);

    public string DefaultGenesis() => ModuleJson.Format(new GenesisState { Params = RewardsKeeper.DefaultParams() });

    public static GenesisState ParseGenesis(string json) => ModuleJson.Parse<GenesisState>(json, RewardsKeys.ModuleName);

    public void ValidateGenesis(string json) => Validate(ParseGenesis(json));

    public static void Validate(GenesisState g)
    {
        ValidateParams(g.Params ?? throw RewardsErrors.InvalidGenesis("params are missing"));
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
        var powers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in g.Powers)
            if (v.ConsensusAddress.Length is 0 or > 255 || !powers.Add(Convert.ToHexString(v.ConsensusAddress.Span)))
                throw RewardsErrors.InvalidGenesis("validator power with a bad or duplicate consensus address");
        var payouts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in g.ValidatorPayouts)
        {
            if (v.ConsensusAddress.Length is 0 or > 255 || !payouts.Add(Convert.ToHexString(v.ConsensusAddress.Span)))
                throw RewardsErrors.InvalidGenesis("validator payout with a bad or duplicate consensus address");
            Bech32Address.Parse(v.PayoutAddress);
        }
    }

    public void InitGenesis(Context ctx, string json)
    {
        var g = ParseGenesis(json);
        Validate(g);
        Keeper.SetParams(ctx, g.Params);
        Keeper.ImportRecords(ctx, g.Records);
        foreach (var s in g.Summaries) Keeper.ImportSummary(ctx, s);
        foreach (var v in g.ValidatorRewards) Keeper.ImportValidatorReward(ctx, v);
        foreach (var v in g.Powers) Keeper.SetSignedPower(ctx, v.ConsensusAddress.Span, v.SignedPower);
        foreach (var v in g.ValidatorPayouts) Keeper.SetPayout(ctx, v.ConsensusAddress.Span, Bech32Address.Parse(v.PayoutAddress));
    }

    public string ExportGenesis(Context ctx)
    {
        var g = new GenesisState { Params = Keeper.GetParams(ctx) };
        foreach (var v in Keeper.IterateValues(ctx, RewardsKeys.RecordPrefix)) g.Records.Add(RewardRecord.Parser.ParseFrom(v));
        foreach (var v in Keeper.IterateValues(ctx, RewardsKeys.SummaryPrefix)) g.Summaries.Add(EpochSummary.Parser.ParseFrom(v));
        foreach (var v in Keeper.IterateValues(ctx, RewardsKeys.ValidatorRewardPrefix)) g.ValidatorRewards.Add(ValidatorReward.Parser.ParseFrom(v));
        foreach (var (address, power) in Keeper.SignedPower(ctx))
            g.Powers.Add(new ValidatorPower { ConsensusAddress = ByteString.CopyFrom(address), SignedPower = power });
        foreach (var (key, value) in Keeper.IterateEntries(ctx, RewardsKeys.PayoutPrefix))
            g.ValidatorPayouts.Add(new ValidatorPayout { ConsensusAddress = ByteString.CopyFrom(key.AsSpan(2, key[1])), PayoutAddress = Bech32Address.ToBech32(value) });
        return ModuleJson.Format(g);
    }
}
