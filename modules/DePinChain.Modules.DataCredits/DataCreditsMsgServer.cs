using System.Numerics;
using DePinChain.Protos.Depin.DataCredits.V1;
using DePinChain.Sdk;

namespace DePinChain.Modules.DataCredits;

/// <summary>The data-credits <c>service Msg</c>: for each rpc, its stateless checks (ValidateBasic) and its handler.</summary>
public sealed class DataCreditsMsgServer(DataCreditsKeeper keeper)
{
    public const int MaxRouterNameLength = 64;
    public const int MaxDeviceKeyLength = 64;

    public void Register(MsgRouter router)
    {
        router.Register(MsgBurnForCredits.Parser, ValidateBurn, BurnForCredits);
        router.Register(MsgDelegateCredits.Parser, m => ValidateDelegation(m.Owner, m.Router, m.Amount), DelegateCredits);
        router.Register(MsgUndelegateCredits.Parser, m => ValidateDelegation(m.Owner, m.Router, m.Amount), UndelegateCredits);
        router.Register(MsgReportTraffic.Parser, ValidateReport, ReportTraffic);
        router.Register(MsgSetCreditPrice.Parser, ValidateSetCreditPrice, SetCreditPrice);
        router.Register(MsgRegisterRouter.Parser, ValidateRegisterRouter, RegisterRouter);
        router.Register(MsgRemoveRouter.Parser, ValidateRemoveRouter, RemoveRouter);
        router.Register(MsgUpdateParams.Parser, ValidateUpdateParams, UpdateParams);
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

    public MsgBurnForCreditsResponse BurnForCredits(Context ctx, MsgBurnForCredits m)
    {
        var sender = Bech32Address.Parse(m.Sender);
        var recipient = m.Recipient.Length == 0 ? sender : Bech32Address.Parse(m.Recipient);
        var (burned, credits) = keeper.BurnForCredits(ctx, sender, recipient, Amounts.Parse(m.Amount, "amount"));
        return new MsgBurnForCreditsResponse { Burned = Amounts.Format(burned), Credits = credits };
    }

    private static void ValidateDelegation(string owner, string router, ulong amount)
    {
        Bech32Address.Parse(owner);
        Bech32Address.Parse(router);
        if (amount == 0) throw DataCreditsErrors.InvalidRequest("amount must be positive");
        if (owner == router) throw DataCreditsErrors.InvalidRequest("a router pays from its own balance; it cannot delegate to itself");
    }

    public MsgDelegateCreditsResponse DelegateCredits(Context ctx, MsgDelegateCredits m)
    {
        keeper.Delegate(ctx, Bech32Address.Parse(m.Owner), Bech32Address.Parse(m.Router), m.Amount);
        return new MsgDelegateCreditsResponse();
    }

    public MsgUndelegateCreditsResponse UndelegateCredits(Context ctx, MsgUndelegateCredits m)
    {
        keeper.Undelegate(ctx, Bech32Address.Parse(m.Owner), Bech32Address.Parse(m.Router), m.Amount);
        return new MsgUndelegateCreditsResponse();
    }

    public static void ValidateReport(MsgReportTraffic m)
    {
        Bech32Address.Parse(m.Router);
        Bech32Address.Parse(m.Payer);
        if (m.DeviceKey.Length is 0 or > MaxDeviceKeyLength) throw DataCreditsErrors.InvalidRequest($"device key must be 1..{MaxDeviceKeyLength} bytes");
        if (m.Bytes == 0) throw DataCreditsErrors.InvalidRequest("bytes must be positive");
    }

    public MsgReportTrafficResponse ReportTraffic(Context ctx, MsgReportTraffic m)
    {
        var (credits, epoch) = keeper.ReportTraffic(ctx, Bech32Address.Parse(m.Router), Bech32Address.Parse(m.Payer), m.DeviceKey.ToByteArray(), m.Bytes);
        return new MsgReportTrafficResponse { DcBurned = credits, Epoch = epoch };
    }

    public static void ValidateSetCreditPrice(MsgSetCreditPrice m)
    {
        Bech32Address.Parse(m.Authority);
        if (m.DcPerDpin == 0) throw DataCreditsErrors.InvalidParams("dc_per_dpin must be positive");
    }

    /// <summary>Authority only.</summary>
    public MsgSetCreditPriceResponse SetCreditPrice(Context ctx, MsgSetCreditPrice m)
    {
        DataCreditsErrors.Authority.Require(keeper.GetAuthority(ctx), m.Authority);
        keeper.SetPrice(ctx, m.DcPerDpin);
        return new MsgSetCreditPriceResponse();
    }

    public static void ValidateRegisterRouter(MsgRegisterRouter m)
    {
        Bech32Address.Parse(m.Authority);
        Bech32Address.Parse(m.Router);
        if (m.Name.Length is 0 or > MaxRouterNameLength) throw DataCreditsErrors.InvalidRequest($"router name must be 1..{MaxRouterNameLength} characters");
    }

    /// <summary>Authority only.</summary>
    public MsgRegisterRouterResponse RegisterRouter(Context ctx, MsgRegisterRouter m)
    {
        DataCreditsErrors.Authority.Require(keeper.GetAuthority(ctx), m.Authority);
        keeper.RegisterRouter(ctx, Bech32Address.Parse(m.Router), m.Name);
        return new MsgRegisterRouterResponse();
    }

    public static void ValidateRemoveRouter(MsgRemoveRouter m)
    {
        Bech32Address.Parse(m.Authority);
        Bech32Address.Parse(m.Router);
    }

    /// <summary>Authority only.</summary>
    public MsgRemoveRouterResponse RemoveRouter(Context ctx, MsgRemoveRouter m)
    {
        DataCreditsErrors.Authority.Require(keeper.GetAuthority(ctx), m.Authority);
        keeper.RemoveRouter(ctx, Bech32Address.Parse(m.Router));
        return new MsgRemoveRouterResponse();
    }

    public static void ValidateUpdateParams(MsgUpdateParams m)
    {
        Bech32Address.Parse(m.Authority);
        ValidateParams(m.Params ?? throw DataCreditsErrors.InvalidParams("params are missing"));
    }

    /// <summary>Replaces every param, the authority included (a handover). Authority only.</summary>
    public MsgUpdateParamsResponse UpdateParams(Context ctx, MsgUpdateParams m)
    {
        DataCreditsErrors.Authority.Require(keeper.GetAuthority(ctx), m.Authority);
        // A price change through params is still a price change: emit the same event.
        if (m.Params.DcPerDpin != keeper.DcPerDpin(ctx)) keeper.SetPrice(ctx, m.Params.DcPerDpin);
        keeper.SetParams(ctx, m.Params);
        return new MsgUpdateParamsResponse();
    }

    public static void ValidateParams(Params p)
    {
        if (p.DcPerDpin == 0) throw DataCreditsErrors.InvalidParams("dc_per_dpin must be positive");
        if (p.BytesPerDc == 0) throw DataCreditsErrors.InvalidParams("bytes_per_dc must be positive");
        if (p.TrafficRetentionEpochs < 1) throw DataCreditsErrors.InvalidParams("traffic_retention_epochs must be at least 1 (rewards read the epoch that just ended)");
        if (ModuleAuthority.Problem(p.Authority) is { } why) throw DataCreditsErrors.InvalidParams(why);
    }
}
