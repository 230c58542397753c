using DePinChain.Protos.Cosmos.Distribution.V1Beta1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Distribution;

/// <summary>The distribution <c>service Msg</c> (x/distribution/keeper/msg_server.go): stateless checks and handlers.</summary>
public sealed class DistributionMsgServer(DistributionKeeper keeper)
{
    public void Register(MsgRouter router)
    {
        router.Register(MsgSetWithdrawAddress.Parser, ValidateSetWithdrawAddress, SetWithdrawAddress);
        router.Register(MsgWithdrawDelegatorReward.Parser, ValidateWithdrawDelegatorReward, WithdrawDelegatorReward);
        router.Register(MsgWithdrawValidatorCommission.Parser, ValidateWithdrawValidatorCommission, WithdrawValidatorCommission);
        router.Register(MsgFundCommunityPool.Parser, ValidateFundCommunityPool, FundCommunityPool);
    }

    public static void ValidateSetWithdrawAddress(MsgSetWithdrawAddress m)
    {
        if (string.IsNullOrEmpty(m.DelegatorAddress)) throw DistributionErrors.EmptyDelegatorAddr();
        if (string.IsNullOrEmpty(m.WithdrawAddress)) throw DistributionErrors.EmptyWithdrawAddr();
        Bech32Address.Parse(m.DelegatorAddress);
        Bech32Address.Parse(m.WithdrawAddress);
    }

    public MsgSetWithdrawAddressResponse SetWithdrawAddress(Context ctx, MsgSetWithdrawAddress m)
    {
        keeper.SetWithdrawAddr(ctx, Bech32Address.Parse(m.DelegatorAddress), Bech32Address.Parse(m.WithdrawAddress));
        return new MsgSetWithdrawAddressResponse();
    }

    public static void ValidateWithdrawDelegatorReward(MsgWithdrawDelegatorReward m)
    {
        if (string.IsNullOrEmpty(m.DelegatorAddress)) throw DistributionErrors.EmptyDelegatorAddr();
        if (string.IsNullOrEmpty(m.ValidatorAddress)) throw DistributionErrors.EmptyValidatorAddr();
        Bech32Address.Parse(m.DelegatorAddress);
        ValidatorAddress.ParseOperator(m.ValidatorAddress);
    }

    public MsgWithdrawDelegatorRewardResponse WithdrawDelegatorReward(Context ctx, MsgWithdrawDelegatorReward m)
    {
        var amount = keeper.WithdrawDelegationRewards(ctx, Bech32Address.Parse(m.DelegatorAddress), ValidatorAddress.ParseOperator(m.ValidatorAddress));
        var response = new MsgWithdrawDelegatorRewardResponse();
        response.Amount.AddRange(amount.ToProto());
        return response;
    }

    public static void ValidateWithdrawValidatorCommission(MsgWithdrawValidatorCommission m)
    {
        if (string.IsNullOrEmpty(m.ValidatorAddress)) throw DistributionErrors.EmptyValidatorAddr();
        ValidatorAddress.ParseOperator(m.ValidatorAddress);
    }

    public MsgWithdrawValidatorCommissionResponse WithdrawValidatorCommission(Context ctx, MsgWithdrawValidatorCommission m)
    {
        var amount = keeper.WithdrawValidatorCommission(ctx, ValidatorAddress.ParseOperator(m.ValidatorAddress));
        var response = new MsgWithdrawValidatorCommissionResponse();
        response.Amount.AddRange(amount.ToProto());
        return response;
    }

    public static void ValidateFundCommunityPool(MsgFundCommunityPool m)
    {
        Bech32Address.Parse(m.Depositor);
        if (Coins.FromProto(m.Amount).IsEmpty) throw SdkErrors.InvalidCoins("amount cannot be empty");
    }

    public MsgFundCommunityPoolResponse FundCommunityPool(Context ctx, MsgFundCommunityPool m)
    {
        keeper.FundCommunityPool(ctx, Coins.FromProto(m.Amount), Bech32Address.Parse(m.Depositor));
        return new MsgFundCommunityPoolResponse();
    }
}
