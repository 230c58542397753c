using DePinChain.Protos.Depin.Mint.V1;
using DePinChain.Sdk;
using Google.Protobuf.Reflection;

namespace DePinChain.Modules.Mint;

/// <summary>
/// Epoch emissions under a hard cap. Message (<see cref="MintMsgServer"/>): MsgUpdateParams (authority; re-emission and
/// the authority only). Queries (<see cref="MintQueryServer"/>) under /depin.mint.v1.Query/. End block: mints at the
/// last block of each epoch; it must run before rewards.
/// </summary>
public sealed class MintModule(MintKeeper keeper) : Module<GenesisState>(MintKeys.ModuleName, new MintGenesis(keeper)), IEndBlocker
{
    public override ServiceDescriptor? MsgService => MintReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Msg");

    public override ServiceDescriptor? QueryService => MintReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Query");

    public MintKeeper Keeper { get; } = keeper;

    public override void RegisterMessages(MsgRouter router) => new MintMsgServer(Keeper).Register(router);

    public override void RegisterQueries(QueryRouter router) => new MintQueryServer(Keeper).Register(router.For(QueryService!));

    public void EndBlock(Context ctx) => Keeper.EndBlock(ctx);
}
