using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using DePinChain.Sdk;
using ProtoCoin = DePinChain.Protos.Cosmos.Base.V1Beta1.Coin;

namespace DePinChain.Modules.Bank;

/// <summary>The bank <c>service Msg</c> (cosmos.bank.v1beta1): for each rpc, its stateless checks (ValidateBasic) and its handler.</summary>
public sealed class BankMsgServer(BankKeeper keeper)
{
    public void Register(MsgRouter router)
    {
        router.Register(MsgSend.Parser, ValidateSend, Send);
        router.Register(MsgMultiSend.Parser, ValidateMultiSend, MultiSend);
    }

    public static void ValidateSend(MsgSend msg)
    {
        Bech32Address.Parse(msg.FromAddress);
        try { Bech32Address.Parse(msg.ToAddress); }
        catch (SdkError e) { throw e.Wrap("invalid to address"); }
        RequirePositive(msg.Amount);
    }

    private static Coins RequirePositive(IEnumerable<ProtoCoin> amount)
    {
        var coins = Coins.FromProto(amount);
        if (coins.IsEmpty) throw SdkErrors.InvalidCoins("empty amount");
        return coins;
    }

    public MsgSendResponse Send(Context ctx, MsgSend msg)
    {
        var amount = Coins.FromProto(msg.Amount);
        var from = Bech32Address.Parse(msg.FromAddress);
        var to = Bech32Address.Parse(msg.ToAddress);
        keeper.RequireKnownDenoms(ctx, amount);
        if (keeper.Accounts.IsModuleAddress(to))
            throw SdkErrors.Unauthorized($"{msg.ToAddress} is not allowed to receive funds");
        keeper.SendCoins(ctx, from, to, amount);
        return new MsgSendResponse();
    }

    public static void ValidateMultiSend(MsgMultiSend msg)
    {
        // As in SDK v0.50: exactly one input, at least one output, and the sums must match per denom.
        if (msg.Inputs.Count == 0) throw BankErrors.NoInputs();
        if (msg.Inputs.Count != 1) throw BankErrors.MultipleSenders();
        if (msg.Outputs.Count == 0) throw BankErrors.NoOutputs();
        Bech32Address.Parse(msg.Inputs[0].Address);
        var inputs = RequirePositive(msg.Inputs[0].Coins);
        var outputs = Coins.Empty;
        foreach (var output in msg.Outputs)
        {
            Bech32Address.Parse(output.Address);
            outputs = outputs.Add(RequirePositive(output.Coins));
        }
        if (!inputs.Equals(outputs)) throw BankErrors.InputOutputMismatch($"inputs {inputs} outputs {outputs}");
    }

    public MsgMultiSendResponse MultiSend(Context ctx, MsgMultiSend msg)
    {
        keeper.RequireKnownDenoms(ctx, Coins.FromProto(msg.Inputs[0].Coins));
        var outputs = new List<(byte[], Coins)>(msg.Outputs.Count);
        foreach (var output in msg.Outputs)
        {
            var to = Bech32Address.Parse(output.Address);
            if (keeper.Accounts.IsModuleAddress(to))
                throw SdkErrors.Unauthorized($"{output.Address} is not allowed to receive funds");
            outputs.Add((to, Coins.FromProto(output.Coins)));
        }
        keeper.InputOutputCoins(ctx, msg.Inputs[0], outputs);
        return new MsgMultiSendResponse();
    }
}
