using DePinChain.Protos.Cosmos.Slashing.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf.Reflection;

namespace DePinChain.Modules.Slashing;

/// <summary>
/// Slashing (cosmos-sdk v0.50's x/slashing with x/evidence's equivocation handling). Messages
/// (<see cref="SlashingMsgServer"/>): MsgUnjail. Queries (<see cref="SlashingQueryServer"/>) under
/// /cosmos.slashing.v1beta1.Query/. Begin block: liveness from the last commit's votes, then double-sign misbehavior.
/// Staking calls <see cref="Hooks"/> (the app composes them into staking's hooks).
/// </summary>
public sealed class SlashingModule(SlashingKeeper keeper)
    : Module<GenesisState>(SlashingKeys.ModuleName, new SlashingGenesis(keeper)), IBeginBlocker
{
    public override ServiceDescriptor? MsgService => SlashingReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Msg");

    public override ServiceDescriptor? QueryService => SlashingReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Query");

    public SlashingKeeper Keeper { get; } = keeper;

    /// <summary>Slashing's staking hooks, for the app to compose into staking's.</summary>
    public SlashingStakingHooks Hooks { get; } = new(keeper);

    public override void RegisterMessages(MsgRouter router) => new SlashingMsgServer(Keeper).Register(router);

    public override void RegisterQueries(QueryRouter router) => new SlashingQueryServer(Keeper).Register(router.For(QueryService!));

    public void BeginBlock(Context ctx) => Keeper.BeginBlock(ctx);
}
