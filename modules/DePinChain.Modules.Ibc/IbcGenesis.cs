using DePinChain.Modules.Ibc.Channel;
using DePinChain.Modules.Ibc.Client;
using DePinChain.Modules.Ibc.Connection;
using DePinChain.Sdk;
using ChannelGenesis = DePinChain.Protos.Ibc.Core.Channel.V1.GenesisState;
using ClientGenesis = DePinChain.Protos.Ibc.Core.Client.V1.GenesisState;
using ConnectionGenesis = DePinChain.Protos.Ibc.Core.Connection.V1.GenesisState;
using GenesisState = DePinChain.Protos.Ibc.Core.Types.V1.GenesisState;

namespace DePinChain.Modules.Ibc;

/// <summary>
/// The ibc genesis in ibc-go's shape (client, connection and channel sections): params and the identifier sequences. A
/// chain starts without IBC objects: a genesis that lists clients, connections, channels or packet state is refused
/// (importing them is not supported), and export writes the params and sequences.
/// </summary>
public sealed class IbcGenesis(ClientKeeper clients, ConnectionKeeper connections, ChannelKeeper channels) : ModuleGenesis<GenesisState>(Json)
{
    public static readonly GenesisCodec<GenesisState> Json = new(IbcModule.ModuleName);

    public override GenesisState Default() => new()
    {
        ClientGenesis = new ClientGenesis { Params = ClientKeeper.DefaultParams() },
        ConnectionGenesis = new ConnectionGenesis { Params = ConnectionKeeper.DefaultParams() },
        ChannelGenesis = new ChannelGenesis { Params = new Protos.Ibc.Core.Channel.V1.Params() },
    };

    private static SdkError Invalid(string reason) => SdkErrors.InvalidRequest("invalid ibc genesis: " + reason);

    public override void Validate(GenesisState g)
    {
        var client = g.ClientGenesis ?? throw Invalid("client_genesis is missing");
        var connection = g.ConnectionGenesis ?? throw Invalid("connection_genesis is missing");
        var channel = g.ChannelGenesis ?? throw Invalid("channel_genesis is missing");
        if (client.Params is null) throw Invalid("client params are missing");
        foreach (var allowed in client.Params.AllowedClients)
        {
            if (string.IsNullOrWhiteSpace(allowed)) throw Invalid("client type 0 cannot be blank");
        }
        if (connection.Params is null) throw Invalid("connection params are missing");
        if (client.Clients.Count + client.ClientsConsensus.Count + client.ClientsMetadata.Count + connection.Connections.Count
            + connection.ClientConnectionPaths.Count + channel.Channels.Count + channel.Commitments.Count + channel.Acknowledgements.Count
            + channel.Receipts.Count + channel.SendSequences.Count + channel.RecvSequences.Count + channel.AckSequences.Count > 0)
            throw Invalid("importing IBC clients, connections, channels or packet state at genesis is not supported");
    }

    public override void Init(Context ctx, GenesisState g)
    {
        clients.SetParams(ctx, g.ClientGenesis.Params);
        clients.SetNextClientSequence(ctx, g.ClientGenesis.NextClientSequence);
        connections.SetParams(ctx, g.ConnectionGenesis.Params);
        connections.SetNextConnectionSequence(ctx, g.ConnectionGenesis.NextConnectionSequence);
        channels.SetNextChannelSequence(ctx, g.ChannelGenesis.NextChannelSequence);
    }

    public override GenesisState Export(Context ctx) => new()
    {
        ClientGenesis = new ClientGenesis { Params = clients.GetParams(ctx), NextClientSequence = clients.GetNextClientSequence(ctx) },
        ConnectionGenesis = new ConnectionGenesis { Params = connections.GetParams(ctx), NextConnectionSequence = connections.GetNextConnectionSequence(ctx) },
        ChannelGenesis = new ChannelGenesis { Params = new Protos.Ibc.Core.Channel.V1.Params(), NextChannelSequence = channels.GetNextChannelSequence(ctx) },
    };
}
