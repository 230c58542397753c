using DePinChain.Protos.Cosmos.Staking.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf.Reflection;

namespace DePinChain.Modules.Staking;

/// <summary>
/// Staking (the SDK's x/staking). Messages (<see cref="StakingMsgServer"/>): MsgCreateValidator, MsgEditValidator,
/// MsgDelegate, MsgBeginRedelegate, MsgUndelegate, MsgCancelUnbondingDelegation. Queries
/// (<see cref="StakingQueryServer"/>) under /cosmos.staking.v1beta1.Query/. Begin block keeps historical info; the
/// validator set (<see cref="IValidatorSetModule"/>) is asked after genesis and at the end of every block, where the
/// mature unbondings and redelegations also complete.
/// </summary>
public sealed class StakingModule(StakingKeeper keeper)
    : Module<GenesisState>(StakingKeys.ModuleName, new StakingGenesis(keeper)), IBeginBlocker, IValidatorSetModule
{
    public override ServiceDescriptor? MsgService => TxReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Msg");

    public override ServiceDescriptor? QueryService => QueryReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Query");

    public StakingKeeper Keeper { get; } = keeper;

    public override void RegisterMessages(MsgRouter router) => new StakingMsgServer(Keeper).Register(router);

    public override void RegisterQueries(QueryRouter router) => new StakingQueryServer(Keeper).Register(router.For(QueryService!));

    public void BeginBlock(Context ctx) => Keeper.TrackHistoricalInfo(ctx);

    public IReadOnlyList<ValidatorPowerUpdate> InitialValidatorSet(Context ctx) => Keeper.InitialValidatorSet(ctx);

    public IReadOnlyList<ValidatorPowerUpdate> EndBlockValidatorUpdates(Context ctx) => Keeper.BlockValidatorUpdates(ctx);
}
