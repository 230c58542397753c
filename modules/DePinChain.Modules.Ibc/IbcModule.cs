using DePinChain.Modules.Ibc.Channel;
using DePinChain.Modules.Ibc.Client;
using DePinChain.Modules.Ibc.Client.Tendermint;
using DePinChain.Modules.Ibc.Connection;
using DePinChain.Sdk;
using Google.Protobuf.Reflection;
using GenesisState = DePinChain.Protos.Ibc.Core.Types.V1.GenesisState;

namespace DePinChain.Modules.Ibc;

/// <summary>
/// IBC core (ibc-go v8): clients (<see cref="ClientKeeper"/>, 07-tendermint), connections (<see cref="ConnectionKeeper"/>)
/// and channels and packets (<see cref="ChannelKeeper"/>), in the store "ibc" at ibc-go's paths. Three Msg and three
/// Query services, as ibc-go: ibc.core.client.v1, ibc.core.connection.v1, ibc.core.channel.v1. Applications bind their
/// ports in <see cref="Ports"/> before the app starts.
/// </summary>
public sealed class IbcModule : Module<GenesisState>, IAnyTypeFiles
{
    public const string ModuleName = Host.IbcStore.StoreName;

    private IbcModule(ClientKeeper clients, ConnectionKeeper connections, ChannelKeeper channels)
        : base(ModuleName, new IbcGenesis(clients, connections, channels))
    {
        Clients = clients;
        Connections = connections;
        Channels = channels;
    }

    public IbcModule(IIbcStakingKeeper staking, PortRouter ports)
        : this(Build(staking, ports)) { }

    private IbcModule((ClientKeeper Clients, ConnectionKeeper Connections, ChannelKeeper Channels) keepers)
        : this(keepers.Clients, keepers.Connections, keepers.Channels) { }

    private static (ClientKeeper, ConnectionKeeper, ChannelKeeper) Build(IIbcStakingKeeper staking, PortRouter ports)
    {
        var clients = new ClientKeeper(new TendermintLightClient());
        var connections = new ConnectionKeeper(clients, staking);
        return (clients, connections, new ChannelKeeper(connections, ports));
    }

    public ClientKeeper Clients { get; }

    public ConnectionKeeper Connections { get; }

    public ChannelKeeper Channels { get; }

    public PortRouter Ports => Channels.Ports;

    public override ServiceDescriptor? MsgService => MsgServices[0];

    public override ServiceDescriptor? QueryService => QueryServices[0];

    public override IReadOnlyList<ServiceDescriptor> MsgServices =>
    [
        Service(Protos.Ibc.Core.Client.V1.TxReflection.Descriptor, "Msg"),
        Service(Protos.Ibc.Core.Connection.V1.TxReflection.Descriptor, "Msg"),
        Service(Protos.Ibc.Core.Channel.V1.TxReflection.Descriptor, "Msg"),
    ];

    public override IReadOnlyList<ServiceDescriptor> QueryServices =>
    [
        Service(Protos.Ibc.Core.Client.V1.QueryReflection.Descriptor, "Query"),
        Service(Protos.Ibc.Core.Connection.V1.QueryReflection.Descriptor, "Query"),
        Service(Protos.Ibc.Core.Channel.V1.QueryReflection.Descriptor, "Query"),
    ];

    /// <summary>07-tendermint's client state, consensus state, header and misbehaviour: what client Anys hold.</summary>
    public static IReadOnlyList<FileDescriptor> LightClientFiles => [Protos.Ibc.LightClients.Tendermint.V1.TendermintReflection.Descriptor];

    public IReadOnlyList<FileDescriptor> AnyTypeFiles => LightClientFiles;

    private static ServiceDescriptor Service(FileDescriptor file, string name) => file.FindTypeByName<ServiceDescriptor>(name);

    public override void RegisterMessages(MsgRouter router) => new IbcMsgServer(Clients, Connections, Channels).Register(router);

    public override void RegisterQueries(QueryRouter router)
    {
        var server = new IbcQueryServer(Clients, Connections, Channels);
        server.RegisterClient(router.For(QueryServices[0]));
        server.RegisterConnection(router.For(QueryServices[1]));
        server.RegisterChannel(router.For(QueryServices[2]));
    }
}
