using DePinChain.Sdk;

namespace DePinChain.Modules.Distribution;

/// <summary>
/// Distribution's side of staking's hooks (x/distribution/keeper/hooks.go), with the method names of staking's
/// IStakingHooks: the app composes this with slashing's and gives the result to staking's SetHooks.
/// </summary>
public sealed class DistributionStakingHooks(DistributionKeeper keeper)
{
    /// <summary>Initializes the validator's records (period 0, current period 1).</summary>
    public void AfterValidatorCreated(Context ctx, byte[] operatorAddress) => keeper.InitializeValidator(ctx, operatorAddress);

    /// <summary>Pays out the commission, sends the dust to the community pool, deletes the validator's records.</summary>
    public void AfterValidatorRemoved(Context ctx, byte[] consensusAddress, byte[] operatorAddress) => keeper.RemoveValidator(ctx, operatorAddress);

    public void AfterValidatorBonded(Context ctx, byte[] consensusAddress, byte[] operatorAddress) { }

    public void AfterValidatorBeginUnbonding(Context ctx, byte[] consensusAddress, byte[] operatorAddress) { }

    /// <summary>A new delegation starts a new period (the previous stake's rewards are closed off).</summary>
    public void BeforeDelegationCreated(Context ctx, byte[] delegator, byte[] operatorAddress)
    {
        var val = keeper.Staking.GetValidator(ctx, operatorAddress)
            ?? throw DistributionErrors.NoValidatorExists(ValidatorAddress.ToOperatorBech32(operatorAddress));
        keeper.IncrementValidatorPeriod(ctx, val);
    }

    /// <summary>Before the shares change, the delegation's rewards so far are withdrawn.</summary>
    public void BeforeDelegationSharesModified(Context ctx, byte[] delegator, byte[] operatorAddress)
    {
        var val = keeper.Staking.GetValidator(ctx, operatorAddress)
            ?? throw DistributionErrors.NoValidatorExists(ValidatorAddress.ToOperatorBech32(operatorAddress));
        var del = keeper.Staking.GetDelegation(ctx, delegator, operatorAddress)
            ?? throw DistributionErrors.NoDelegationExists(Bech32Address.ToBech32(delegator), val.OperatorAddress);
        keeper.WithdrawDelegationRewardsOf(ctx, val, del);
    }

    public void BeforeDelegationRemoved(Context ctx, byte[] delegator, byte[] operatorAddress) { }

    /// <summary>The delegation's accounting starts again with its new stake.</summary>
    public void AfterDelegationModified(Context ctx, byte[] delegator, byte[] operatorAddress) => keeper.InitializeDelegation(ctx, operatorAddress, delegator);

    /// <summary>Ends the period and records the slash fraction at this height.</summary>
    public void BeforeValidatorSlashed(Context ctx, byte[] operatorAddress, LegacyDec fraction) => keeper.UpdateValidatorSlashFraction(ctx, operatorAddress, fraction);
}
