using DePinChain.Protos.Ibc.Applications.Transfer.V1;
using DePinChain.Sdk;
using Google.Protobuf.Reflection;

namespace DePinChain.Modules.Transfer;

/// <summary>
/// ICS-20 fungible token transfer on port <c>transfer</c>, version <c>ics20-1</c>, byte-compatible with ibc-go v8.
/// Messages (<see cref="TransferMsgServer"/>): MsgTransfer, MsgUpdateParams (authority). Queries
/// (<see cref="TransferQueryServer"/>) under /ibc.applications.transfer.v1.Query/. IBC core reaches the module through
/// <see cref="Ibc"/> (channel handshake and packet callbacks); the module reaches core through the keeper's
/// <see cref="IChannelKeeper"/> and <see cref="IIcs4Wrapper"/>. The transfer module account needs the minter and burner
/// permissions (vouchers).
/// </summary>
public sealed class TransferModule(TransferKeeper keeper, IChannelKeeper channels, string authority)
    : Module<GenesisState>(TransferKeys.ModuleName, new TransferGenesis(keeper))
{
    public override ServiceDescriptor? MsgService => TxReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Msg");

    public override ServiceDescriptor? QueryService => QueryReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Query");

    public TransferKeeper Keeper { get; } = keeper;

    /// <summary>The callbacks IBC core's port router calls for the module's port.</summary>
    public TransferIbcModule Ibc { get; } = new(keeper);

    public override void RegisterMessages(MsgRouter router) => new TransferMsgServer(Keeper, authority).Register(router);

    public override void RegisterQueries(QueryRouter router) => new TransferQueryServer(Keeper, channels).Register(router.For(QueryService!));
}
