using DePinChain.Protos.Cosmos.Staking.V1Beta1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Distribution;

// What distribution needs from other modules, and nothing more: the app bridges each to the module that has it.

/// <summary>Validators and delegations (staking; the names of its public keeper API).</summary>
public interface IStakingKeeper
{
    Validator? GetValidator(Context ctx, ReadOnlySpan<byte> operatorAddress);

    Validator? GetValidatorByConsAddr(Context ctx, ReadOnlySpan<byte> consensusAddress);

    Delegation? GetDelegation(Context ctx, ReadOnlySpan<byte> delegator, ReadOnlySpan<byte> operatorAddress);

    IReadOnlyList<Delegation> GetDelegatorDelegations(Context ctx, ReadOnlySpan<byte> delegator);
}

/// <summary>Balances and module transfers (bank).</summary>
public interface IBankKeeper
{
    Coins GetAllBalances(Context ctx, ReadOnlySpan<byte> address);

    void SendCoinsFromModuleToModule(Context ctx, string fromModule, string toModule, Coins amount);

    void SendCoinsFromModuleToAccount(Context ctx, string fromModule, byte[] to, Coins amount);

    void SendCoinsFromAccountToModule(Context ctx, byte[] from, string toModule, Coins amount);
}

/// <summary>Which addresses are module accounts, which may not be withdraw addresses (auth; the SDK's BlockedAddr).</summary>
public interface IAccountKeeper
{
    bool IsModuleAddress(ReadOnlySpan<byte> address);
}
