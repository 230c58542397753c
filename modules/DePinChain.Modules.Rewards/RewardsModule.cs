using DePinChain.Protos.Depin.Rewards.V1;
using DePinChain.Sdk;
using Google.Protobuf.Reflection;

namespace DePinChain.Modules.Rewards;

/// <summary>
/// Epoch-end reward emission. Messages (<see cref="RewardsMsgServer"/>): MsgUpdateParams (authority). Queries
/// (<see cref="RewardsQueryServer"/>) under /depin.rewards.v1.Query/. End block: accumulates validator votes every
/// block and distributes at the last block of an epoch; it must run after mint's (which fills the pool) and after
/// every module that records the epoch's coverage and traffic.
/// </summary>
public sealed class RewardsModule(RewardsKeeper keeper)
    : Module<GenesisState>(RewardsKeys.ModuleName, new RewardsGenesis(keeper)), IEndBlocker
{
    public override ServiceDescriptor? MsgService => RewardsReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Msg");

    public override ServiceDescriptor? QueryService => RewardsReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Query");

    public RewardsKeeper Keeper { get; } = keeper;

    public override void RegisterMessages(MsgRouter router) => new RewardsMsgServer(Keeper).Register(router);

    public override void RegisterQueries(QueryRouter router) => new RewardsQueryServer(Keeper).Register(router.For(QueryService!));

    public void EndBlock(Context ctx) => Keeper.EndBlock(ctx);
}
