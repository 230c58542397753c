using DePinChain.Sdk;

namespace DePinChain.Modules.Slashing;

/// <summary>
/// Slashing's side of staking's hooks (the methods of staking's <c>IStakingHooks</c>, same names and signatures; the app
/// composes them with distribution's). Only <see cref="AfterValidatorBonded"/> does anything: slashing keys nothing by
/// operator address, and keeps a removed validator's signing info as the SDK does (a tombstone must outlive it).
/// </summary>
public sealed class SlashingStakingHooks(SlashingKeeper keeper)
{
    /// <summary>A validator entered the bonded set: its signing window starts now (new signing info, or the start height
    /// of an existing one moved to this block, as the SDK's hook does).</summary>
    public void AfterValidatorBonded(Context ctx, byte[] consensusAddress, byte[] operatorAddress)
    {
        var info = keeper.GetSigningInfo(ctx, consensusAddress);
        if (info is null) info = SlashingKeeper.NewSigningInfo(consensusAddress, ctx.Height);
        else info.StartHeight = ctx.Height;
        keeper.SetSigningInfo(ctx, consensusAddress, info);
    }

    /// <summary>Nothing: the SDK deletes its address → pubkey relation here, which this module does not keep.</summary>
    public void AfterValidatorRemoved(Context ctx, byte[] consensusAddress, byte[] operatorAddress) { }

    public void AfterValidatorCreated(Context ctx, byte[] operatorAddress) { }

    public void AfterValidatorBeginUnbonding(Context ctx, byte[] consensusAddress, byte[] operatorAddress) { }

    public void BeforeDelegationCreated(Context ctx, byte[] delegator, byte[] operatorAddress) { }

    public void BeforeDelegationSharesModified(Context ctx, byte[] delegator, byte[] operatorAddress) { }

    public void BeforeDelegationRemoved(Context ctx, byte[] delegator, byte[] operatorAddress) { }

    public void AfterDelegationModified(Context ctx, byte[] delegator, byte[] operatorAddress) { }

    public void BeforeValidatorSlashed(Context ctx, byte[] operatorAddress, LegacyDec fraction) { }
}
