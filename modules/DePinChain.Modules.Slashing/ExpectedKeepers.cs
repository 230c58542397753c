using System.Numerics;
using DePinChain.Protos.Cosmos.Staking.V1Beta1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Slashing;

// What slashing needs from other modules, and nothing more: the app bridges each to the module that has it
// (app/DePinChain.App/DepinWiring.cs).

/// <summary>Validators, self-delegations and the punishments themselves (staking).</summary>
public interface IStakingKeeper
{
    Validator? GetValidator(Context ctx, ReadOnlySpan<byte> operatorAddress);

    Validator? GetValidatorByConsAddr(Context ctx, ReadOnlySpan<byte> consensusAddress);

    Delegation? GetDelegation(Context ctx, ReadOnlySpan<byte> delegator, ReadOnlySpan<byte> operatorAddress);

    /// <summary>Slashes <paramref name="slashFactor"/> of the stake the validator had at <paramref name="infractionHeight"/>
    /// (<paramref name="power"/> then), unbonding and redelegations included; burns it (and reports the burn); returns the tokens burned.</summary>
    BigInteger Slash(Context ctx, ReadOnlySpan<byte> consensusAddress, long infractionHeight, long power, LegacyDec slashFactor);

    void Jail(Context ctx, ReadOnlySpan<byte> consensusAddress);

    void Unjail(Context ctx, ReadOnlySpan<byte> consensusAddress);
}

/// <summary>
/// The consensus params' evidence section (CometBFT's <c>evidence.max_age_num_blocks</c> and
/// <c>evidence.max_age_duration</c>): misbehavior older than both is ignored. The app bridges it from its chain settings
/// (CometBFT's defaults, 100000 blocks and 48 h, when genesis has none).
/// </summary>
public interface IEvidenceParams
{
    long MaxAgeNumBlocks(Context ctx);

    TimeSpan MaxAgeDuration(Context ctx);
}
