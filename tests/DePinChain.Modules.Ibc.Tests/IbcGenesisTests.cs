using DePinChain.Modules.Ibc.Host;
using DePinChain.Protos.Ibc.Core.Client.V1;
using DePinChain.Sdk;
using Google.Protobuf;
using ClientGenesis = DePinChain.Protos.Ibc.Core.Client.V1.GenesisState;
using GenesisState = DePinChain.Protos.Ibc.Core.Types.V1.GenesisState;

namespace DePinChain.Modules.Ibc.Tests;

/// <summary>ibc-go's GenesisState.Validate rules on the client section (the import itself is checked end to end in
/// DePinChain.Ibc.IntegrationTests: export, import into a fresh app, same stored state and query answers).</summary>
public sealed class IbcGenesisTests
{
    private static readonly IbcGenesis Genesis = new(null!, null!, null!);

    private static GenesisState WithClient()
    {
        var recorded = ConformanceTests.Message<MsgCreateClient>("a-MsgCreateClient.json");
        var g = Genesis.Default();
        g.ClientGenesis.Clients.Add(new IdentifiedClientState { ClientId = "07-tendermint-0", ClientState = recorded.ClientState });
        g.ClientGenesis.ClientsConsensus.Add(new ClientConsensusStates
        {
            ClientId = "07-tendermint-0",
            ConsensusStates = { new ConsensusStateWithHeight { Height = Heights.Of(1, 31), ConsensusState = recorded.ConsensusState } },
        });
        g.ClientGenesis.ClientsMetadata.Add(new IdentifiedGenesisMetadata
        {
            ClientId = "07-tendermint-0",
            ClientMetadata = { new GenesisMetadata { Key = ByteString.CopyFromUtf8("consensusStates/1-31/processedHeight"), Value = ByteString.CopyFromUtf8("1-5") } },
        });
        g.ClientGenesis.NextClientSequence = 1;
        return g;
    }

    [Fact]
    public void A_genesis_with_a_client_its_consensus_state_and_metadata_is_valid_and_round_trips_through_its_json()
    {
        var g = WithClient();
        Genesis.Validate(g);
        var json = IbcGenesis.Json.Format(g);
        Assert.Contains("\"@type\": \"/ibc.lightclients.tendermint.v1.ClientState\"", json.Replace("\":\"", "\": \"", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(g, IbcGenesis.Json.Parse(json));
    }

    [Fact]
    public void Inconsistent_client_sections_are_refused_with_the_reason()
    {
        void Refused(Action<GenesisState> change, string reason)
        {
            var g = WithClient();
            change(g);
            var e = Assert.Throws<SdkError>(() => Genesis.Validate(g));
            Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        }

        Refused(g => g.ClientGenesis.NextClientSequence = 0, "must be greater than maximum client identifier 0");
        Refused(g => g.ClientGenesis.ClientsConsensus[0].ClientId = "07-tendermint-7", "which the genesis does not list");
        Refused(g => g.ClientGenesis.ClientsMetadata[0].ClientMetadata[0].Key = ByteString.CopyFromUtf8("clientState"), "is not 07-tendermint consensus metadata");
        Refused(g => g.ClientGenesis.Clients.Add(g.ClientGenesis.Clients[0].Clone()), "duplicate client id");
        Refused(g => g.ClientGenesis.Params.AllowedClients.Clear(), "not registered on the allowlist");
        Refused(g => g.ConnectionGenesis.ClientConnectionPaths.Add(new Protos.Ibc.Core.Connection.V1.ConnectionPaths { ClientId = "07-tendermint-0", Paths = { "connection-0" } }),
            "lists connection connection-0, which the genesis does not list");
        Refused(g => g.ChannelGenesis.Commitments.Add(new Protos.Ibc.Core.Channel.V1.PacketState { PortId = "transfer", ChannelId = "channel-0", Sequence = 1 }),
            "data bytes cannot be nil");
    }
}
