using DePinChain.Protos.Depin.Devices.V1;
using DePinChain.Sdk;
using Google.Protobuf.Reflection;

namespace DePinChain.Modules.Devices;

/// <summary>
/// The device registry. Messages (<see cref="DevicesMsgServer"/>): makers (authority), onboarding, location, transfer,
/// decommissioning. Queries (<see cref="DevicesQueryServer"/>) under /depin.devices.v1.Query/. No block hooks.
/// </summary>
public sealed class DevicesModule(DevicesKeeper keeper) : Module<GenesisState>(DevicesKeys.ModuleName, new DevicesGenesis(keeper))
{
    public override ServiceDescriptor? MsgService => TxReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Msg");

    public override ServiceDescriptor? QueryService => QueryReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Query");

    public DevicesKeeper Keeper { get; } = keeper;

    public override void RegisterMessages(MsgRouter router) => new DevicesMsgServer(Keeper).Register(router);

    public override void RegisterQueries(QueryRouter router) => new DevicesQueryServer(Keeper).Register(router.For(QueryService!));
}
