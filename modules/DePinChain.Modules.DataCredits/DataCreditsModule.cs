using DePinChain.Protos.Depin.DataCredits.V1;
using DePinChain.Sdk;
using Google.Protobuf.Reflection;

namespace DePinChain.Modules.DataCredits;

/// <summary>
/// Data credits. Messages (<see cref="DataCreditsMsgServer"/>): MsgBurnForCredits, MsgDelegateCredits,
/// MsgUndelegateCredits, MsgReportTraffic, and the authority's MsgSetCreditPrice, MsgRegisterRouter, MsgRemoveRouter,
/// MsgUpdateParams. Queries (<see cref="DataCreditsQueryServer"/>) under /depin.datacredits.v1.Query/. End block prunes
/// old traffic records.
/// </summary>
public sealed class DataCreditsModule(DataCreditsKeeper keeper)
    : Module<GenesisState>(DataCreditsKeys.ModuleName, new DataCreditsGenesis(keeper)), IEndBlocker
{
    public override ServiceDescriptor? MsgService => DatacreditsReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Msg");

    public override ServiceDescriptor? QueryService => DatacreditsReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Query");

    public DataCreditsKeeper Keeper { get; } = keeper;

    public override void RegisterMessages(MsgRouter router) => new DataCreditsMsgServer(Keeper).Register(router);

    public override void RegisterQueries(QueryRouter router) => new DataCreditsQueryServer(Keeper).Register(router.For(QueryService!));

    public void EndBlock(Context ctx) => Keeper.EndBlock(ctx);
}
