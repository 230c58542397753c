using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf.Reflection;

namespace DePinChain.Modules.Bank;

/// <summary>
/// Balances and supply. Messages (<see cref="BankMsgServer"/>): MsgSend and MsgMultiSend. Queries
/// (<see cref="BankQueryServer"/>): the cosmos.bank.v1beta1 ones. No block hooks.
/// </summary>
public sealed class BankModule(BankKeeper keeper) : Module<GenesisState>(BankKeys.ModuleName, new BankGenesis(keeper))
{
    public override ServiceDescriptor? MsgService => TxReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Msg");

    public override ServiceDescriptor? QueryService => QueryReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Query");

    public BankKeeper Keeper { get; } = keeper;

    public override void RegisterMessages(MsgRouter router) => new BankMsgServer(Keeper).Register(router);

    public override void RegisterQueries(QueryRouter router) => new BankQueryServer(Keeper).Register(router.For(QueryService!));

    /// <summary>The bank section as JSON (the app's TxBuilder writes genesis files with it): <see cref="BankGenesis.Json"/>.</summary>
    public static string FormatGenesis(GenesisState genesis) => BankGenesis.Json.Format(genesis);
}
