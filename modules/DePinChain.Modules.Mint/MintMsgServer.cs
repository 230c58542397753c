using System.Globalization;
using DePinChain.Protos.Depin.Mint.V1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Mint;

/// <summary>The mint <c>service Msg</c>: for each rpc, its stateless checks (ValidateBasic) and its handler.</summary>
public sealed class MintMsgServer(MintKeeper keeper)
{
    public void Register(MsgRouter router) => router.Register(MsgUpdateParams.Parser, ValidateUpdateParams, UpdateParams);

    public static void ValidateUpdateParams(MsgUpdateParams msg)
    {
        Bech32Address.Parse(msg.Authority);
        ValidateParams(msg.Params ?? throw MintErrors.InvalidParams("params are missing"));
    }

    /// <summary>Replaces the re-emission params and the authority (a handover). Authority only.</summary>
    public MsgUpdateParamsResponse UpdateParams(Context ctx, MsgUpdateParams msg)
    {
        MintErrors.Authority.Require(keeper.GetAuthority(ctx), msg.Authority);
        // Params hold only the re-emission knobs and the authority: the schedule and the hard cap are not reachable from here.
        keeper.SetParams(ctx, msg.Params);
        ctx.Events.Emit(SdkEvent.Of("mint_params_updated",
            ("reemission_share_bps", msg.Params.ReemissionShareBps.ToString(CultureInfo.InvariantCulture)),
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
            if (Amounts.Parse(p.MaxReemissionPerEpoch, "max_reemission_per_epoch") > EmissionSchedule.MaxEpochPart)
                throw new FormatException($"max_reemission_per_epoch is above {EmissionSchedule.MaxEpochPart}");
        }
        catch (FormatException e) { throw MintErrors.InvalidParams(e.Message); }
    }
}
