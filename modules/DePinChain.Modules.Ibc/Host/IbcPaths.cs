using System.Buffers.Binary;
using System.Text;
using DePinChain.Protos.Ibc.Core.Client.V1;

namespace DePinChain.Modules.Ibc.Host;

/// <summary>
/// ibc-go's ICS-24 paths (modules/core/24-host): the keys of the <c>ibc</c> store, which are also the paths a
/// counterparty proves against ("ibc" prefix + path). Every key is the UTF-8 of its path, so relayers can ask for
/// <c>store/ibc/key</c> with the same text.
/// </summary>
public static class IbcPaths
{
    public const string NextClientSequence = "nextClientSequence";
    public const string NextConnectionSequence = "nextConnectionSequence";
    public const string NextChannelSequence = "nextChannelSequence";
    public const string ClientParams = "clientParams";
    public const string ConnectionParams = "connectionParams";

    /// <summary>Every key of one client's own store starts with this (ibc-go's client store prefix).</summary>
    public static string ClientPrefix(string clientId) => $"clients/{clientId}/";

    public static string ClientState(string clientId) => $"clients/{clientId}/clientState";

    public static string ConsensusState(string clientId, Height height) => $"clients/{clientId}/consensusStates/{Heights.Format(height)}";

    /// <summary>The block time (Unix ns, BE64) at which a consensus state was stored (07-tendermint's metadata).</summary>
    public static string ProcessedTime(string clientId, Height height) => ConsensusState(clientId, height) + "/processedTime";

    /// <summary>The height ("N-H" text) at which a consensus state was stored (07-tendermint's metadata).</summary>
    public static string ProcessedHeight(string clientId, Height height) => ConsensusState(clientId, height) + "/processedHeight";

    /// <summary>07-tendermint's index of consensus states in height order: <c>clients/{id}/iterateConsensusStates</c>
    /// ‖ BE64(revision) ‖ BE64(height), value = the consensus state's key within the client store.</summary>
    public static byte[] IterationKey(string clientId, Height height)
    {
        var prefix = IterationPrefix(clientId);
        var key = new byte[prefix.Length + 16];
        prefix.CopyTo(key, 0);
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(prefix.Length), height.RevisionNumber);
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(prefix.Length + 8), height.RevisionHeight);
        return key;
    }

    public static byte[] IterationPrefix(string clientId) => Encoding.UTF8.GetBytes(ClientPrefix(clientId) + "iterateConsensusStates");

    /// <summary>The connections of a client (ClientPaths).</summary>
    public static string ClientConnections(string clientId) => $"clients/{clientId}/connections";

    public static string Connection(string connectionId) => $"connections/{connectionId}";

    public static string ChannelPath(string portId, string channelId) => $"ports/{portId}/channels/{channelId}";

    public static string ChannelEnd(string portId, string channelId) => "channelEnds/" + ChannelPath(portId, channelId);

    public static string NextSequenceSend(string portId, string channelId) => "nextSequenceSend/" + ChannelPath(portId, channelId);

    public static string NextSequenceRecv(string portId, string channelId) => "nextSequenceRecv/" + ChannelPath(portId, channelId);

    public static string NextSequenceAck(string portId, string channelId) => "nextSequenceAck/" + ChannelPath(portId, channelId);

    public static string PacketCommitmentPrefix(string portId, string channelId) => $"commitments/{ChannelPath(portId, channelId)}/sequences/";

    public static string PacketCommitment(string portId, string channelId, ulong sequence) => PacketCommitmentPrefix(portId, channelId) + sequence;

    public static string PacketAcknowledgementPrefix(string portId, string channelId) => $"acks/{ChannelPath(portId, channelId)}/sequences/";

    public static string PacketAcknowledgement(string portId, string channelId, ulong sequence) => PacketAcknowledgementPrefix(portId, channelId) + sequence;

    public static string PacketReceipt(string portId, string channelId, ulong sequence) => $"receipts/{ChannelPath(portId, channelId)}/sequences/{sequence}";

    public static byte[] Key(string path) => Encoding.UTF8.GetBytes(path);
}
