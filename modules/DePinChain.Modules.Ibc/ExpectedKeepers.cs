using DePinChain.Protos.Cosmos.Staking.V1Beta1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Ibc;

/// <summary>What IBC needs of staking: this chain's own past headers (its consensus states, which counterparties
/// hold of it) and its unbonding period (a counterparty's client of this chain must use it).</summary>
public interface IIbcStakingKeeper
{
    /// <summary>The header and validator set kept at a height (null when pruned or never kept).</summary>
    HistoricalInfo? GetHistoricalInfo(Context ctx, long height);

    TimeSpan UnbondingTime(Context ctx);
}
