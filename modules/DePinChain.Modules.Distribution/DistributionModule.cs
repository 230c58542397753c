using DePinChain.Protos.Cosmos.Distribution.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf.Reflection;

namespace DePinChain.Modules.Distribution;

/// <summary>
/// The SDK's x/distribution (F1 lazy rewards). Messages (<see cref="DistributionMsgServer"/>) and queries
/// (<see cref="DistributionQueryServer"/>) at /cosmos.distribution.v1beta1.*. Begin block: allocates the previous
/// block's fees over its votes. Staking reaches it through <see cref="DistributionStakingHooks"/>; rewards through
/// <see cref="DistributionKeeper.AllocateFromModule"/>.
/// </summary>
public sealed class DistributionModule(DistributionKeeper keeper)
    : Module<GenesisState>(DistributionKeys.ModuleName, new DistributionGenesis(keeper)), IBeginBlocker
{
    public override ServiceDescriptor? MsgService => DistributionReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Msg");

    public override ServiceDescriptor? QueryService => DistributionReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Query");

    public DistributionKeeper Keeper { get; } = keeper;

    public DistributionStakingHooks Hooks { get; } = new(keeper);

    public override void RegisterMessages(MsgRouter router) => new DistributionMsgServer(Keeper).Register(router);

    public override void RegisterQueries(QueryRouter router) => new DistributionQueryServer(Keeper).Register(router.For(QueryService!));

    public void BeginBlock(Context ctx) => Keeper.BeginBlock(ctx);
}
