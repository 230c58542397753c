using System.Numerics;
using DePinChain.Sdk;

namespace DePinChain.Modules.Staking;

// What staking needs from other modules, and nothing more: the app bridges each to the module that has it
// (app/DePinChain.App/DepinWiring.cs).

/// <summary>Moves bonded tokens between accounts and the two pools, and burns slashed tokens (bank).</summary>
public interface IBankKeeper
{
    void SendCoinsFromAccountToModule(Context ctx, byte[] from, string toModule, Coins amount);

    void SendCoinsFromModuleToAccount(Context ctx, string fromModule, byte[] to, Coins amount);

    void SendCoinsFromModuleToModule(Context ctx, string fromModule, string toModule, Coins amount);

    void BurnCoins(Context ctx, string moduleName, Coins amount);

    BigInteger GetBalance(Context ctx, ReadOnlySpan<byte> address, string denom);

    Coins GetAllBalances(Context ctx, ReadOnlySpan<byte> address);
}

/// <summary>Hears about every udpin burned by a slash, so the supply rule holds (mint).</summary>
public interface IBurnRecorder
{
    void RecordBurn(Context ctx, BigInteger amount);
}

/// <summary>
/// What staking tells the modules that keep per-validator or per-delegation state (distribution, slashing). The app
/// composes their implementations; <see cref="NoStakingHooks"/> when nobody listens.
/// </summary>
public interface IStakingHooks
{
    void AfterValidatorCreated(Context ctx, byte[] operatorAddress);
    void AfterValidatorRemoved(Context ctx, byte[] consensusAddress, byte[] operatorAddress);
    void AfterValidatorBonded(Context ctx, byte[] consensusAddress, byte[] operatorAddress);
    void AfterValidatorBeginUnbonding(Context ctx, byte[] consensusAddress, byte[] operatorAddress);
    void BeforeDelegationCreated(Context ctx, byte[] delegator, byte[] operatorAddress);
    void BeforeDelegationSharesModified(Context ctx, byte[] delegator, byte[] operatorAddress);
    void BeforeDelegationRemoved(Context ctx, byte[] delegator, byte[] operatorAddress);
    void AfterDelegationModified(Context ctx, byte[] delegator, byte[] operatorAddress);
    void BeforeValidatorSlashed(Context ctx, byte[] operatorAddress, LegacyDec fraction);
}

/// <summary>Hooks that do nothing: the chain without distribution and slashing.</summary>
public sealed class NoStakingHooks : IStakingHooks
{
    public static readonly NoStakingHooks Instance = new();

    public void AfterValidatorCreated(Context ctx, byte[] operatorAddress) { }
    public void AfterValidatorRemoved(Context ctx, byte[] consensusAddress, byte[] operatorAddress) { }
    public void AfterValidatorBonded(Context ctx, byte[] consensusAddress, byte[] operatorAddress) { }
    public void AfterValidatorBeginUnbonding(Context ctx, byte[] consensusAddress, byte[] operatorAddress) { }
    public void BeforeDelegationCreated(Context ctx, byte[] delegator, byte[] operatorAddress) { }
    public void BeforeDelegationSharesModified(Context ctx, byte[] delegator, byte[] operatorAddress) { }
    public void BeforeDelegationRemoved(Context ctx, byte[] delegator, byte[] operatorAddress) { }
    public void AfterDelegationModified(Context ctx, byte[] delegator, byte[] operatorAddress) { }
    public void BeforeValidatorSlashed(Context ctx, byte[] operatorAddress, LegacyDec fraction) { }
}

/// <summary>Several modules' hooks called in order (the SDK's MultiStakingHooks).</summary>
public sealed class MultiStakingHooks(params IStakingHooks[] hooks) : IStakingHooks
{
    public void AfterValidatorCreated(Context ctx, byte[] op) { foreach (var h in hooks) h.AfterValidatorCreated(ctx, op); }
    public void AfterValidatorRemoved(Context ctx, byte[] cons, byte[] op) { foreach (var h in hooks) h.AfterValidatorRemoved(ctx, cons, op); }
    public void AfterValidatorBonded(Context ctx, byte[] cons, byte[] op) { foreach (var h in hooks) h.AfterValidatorBonded(ctx, cons, op); }
    public void AfterValidatorBeginUnbonding(Context ctx, byte[] cons, byte[] op) { foreach (var h in hooks) h.AfterValidatorBeginUnbonding(ctx, cons, op); }
    public void BeforeDelegationCreated(Context ctx, byte[] del, byte[] op) { foreach (var h in hooks) h.BeforeDelegationCreated(ctx, del, op); }
    public void BeforeDelegationSharesModified(Context ctx, byte[] del, byte[] op) { foreach (var h in hooks) h.BeforeDelegationSharesModified(ctx, del, op); }
    public void BeforeDelegationRemoved(Context ctx, byte[] del, byte[] op) { foreach (var h in hooks) h.BeforeDelegationRemoved(ctx, del, op); }
    public void AfterDelegationModified(Context ctx, byte[] del, byte[] op) { foreach (var h in hooks) h.AfterDelegationModified(ctx, del, op); }
    public void BeforeValidatorSlashed(Context ctx, byte[] op, LegacyDec fraction) { foreach (var h in hooks) h.BeforeValidatorSlashed(ctx, op, fraction); }
}
