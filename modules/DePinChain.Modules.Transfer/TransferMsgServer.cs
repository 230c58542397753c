using DePinChain.Protos.Ibc.Applications.Transfer.V1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Transfer;

/// <summary>The transfer <c>service Msg</c>: for each rpc, its stateless checks (ValidateBasic) and its handler.</summary>
/// <param name="authority">The only signer of MsgUpdateParams (ibc-go: the gov module account).</param>
public sealed class TransferMsgServer(TransferKeeper keeper, string authority)
{
    public void Register(MsgRouter router)
    {
        router.Register(MsgTransfer.Parser, ValidateTransfer, Transfer);
        router.Register(MsgUpdateParams.Parser, ValidateUpdateParams, UpdateParams);
    }

    public static void ValidateTransfer(MsgTransfer msg)
        => TransferRules.ValidateTransfer(msg.SourcePort, msg.SourceChannel, TokenOf(msg), msg.Sender, msg.Receiver, msg.Memo);

    /// <summary>The token; a missing one is the zero coin (gogoproto's non-nullable field), which the checks refuse.</summary>
    private static Coin TokenOf(MsgTransfer msg)
    {
        if (msg.Token is null) return new Coin("", 0);
        if (GoInt.ParseSdkInt(msg.Token.Amount) is not { } amount || msg.Token.Amount.Length == 0)
            throw IbcCoreErrors.InvalidCoins($"{msg.Token.Amount}{msg.Token.Denom}");
        return new Coin(msg.Token.Denom, amount);
    }

    public MsgTransferResponse Transfer(Context ctx, MsgTransfer msg)
    {
        var timeout = msg.TimeoutHeight is { } h ? new IbcHeight(h.RevisionNumber, h.RevisionHeight) : default;
        ulong sequence = keeper.Transfer(ctx, new TransferRequest(
            msg.SourcePort, msg.SourceChannel, TokenOf(msg), msg.Sender, msg.Receiver, timeout, msg.TimeoutTimestamp, msg.Memo));
        return new MsgTransferResponse { Sequence = sequence };
    }

    public static void ValidateUpdateParams(MsgUpdateParams msg)
    {
        try { Bech32Address.Parse(msg.Signer); }
        catch (SdkError e) { throw IbcCoreErrors.InvalidAddress($"string could not be parsed as address: {e.Message}"); }
    }

    public MsgUpdateParamsResponse UpdateParams(Context ctx, MsgUpdateParams msg)
    {
        if (msg.Signer != authority) throw IbcCoreErrors.Unauthorized($"expected {authority}, got {msg.Signer}");
        keeper.SetParams(ctx, TransferGenesis.FromProto(msg.Params));
        return new MsgUpdateParamsResponse();
    }
}
