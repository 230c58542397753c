using DePinChain.Protos.Depin.Rewards.V1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Rewards;

/// <summary>The rewards <c>service Msg</c>: for each rpc, its stateless checks (ValidateBasic) and its handler.</summary>
public sealed class RewardsMsgServer(RewardsKeeper keeper)
{
    public void Register(MsgRouter router)
    {
        router.Register(MsgUpdateParams.Parser, ValidateUpdateParams, UpdateParams);
    }

    public static void ValidateUpdateParams(MsgUpdateParams m)
    {
        Bech32Address.Parse(m.Authority);
        ValidateParams(m.Params ?? throw RewardsErrors.InvalidParams("params are missing"));
    }

    /// <summary>Replaces every param, the authority included (a handover). Authority only.</summary>
    public MsgUpdateParamsResponse UpdateParams(Context ctx, MsgUpdateParams m)
    {
        RewardsErrors.Authority.Require(keeper.GetAuthority(ctx), m.Authority);
        keeper.SetParams(ctx, m.Params);
        ctx.Events.Emit(SdkEvent.Of("rewards_params_updated", ("params", m.Params.ToString())));
        return new MsgUpdateParamsResponse();
    }

    /// <summary>The shares sum to 10,000 bps, the retention is not negative, the authority is an address.</summary>
    public static void ValidateParams(Params p)
    {
        if (RewardsKeeper.SharesOf(p).Validate() is { } why) throw RewardsErrors.InvalidParams(why);
        if (p.RecordRetentionEpochs < 0) throw RewardsErrors.InvalidParams("record_retention_epochs must not be negative");
        if (ModuleAuthority.Problem(p.Authority) is { } authorityProblem) throw RewardsErrors.InvalidParams(authorityProblem);
    }
}
