using DePinChain.Sdk;

namespace DePinChain.Modules.Ibc;

/// <summary>ibc-go v8's error codespaces, codes and texts (modules/core/*/types/errors.go, core/errors), for the ones this
/// module raises. A relayer reads the codespace and code of a failed tx.</summary>
public static class IbcErrors
{
    private static SdkError E(string codespace, uint code, string text, string? detail)
        => new(codespace, code, detail is null ? text : $"{detail}: {text}");

    /// <summary>core/errors ("ibc").</summary>
    public static class Core
    {
        public const string Codespace = "ibc";
        public static SdkError InvalidSequence(string? d = null) => E(Codespace, 1, "invalid sequence", d);
        public static SdkError Unauthorized(string? d = null) => E(Codespace, 2, "unauthorized", d);
        public static SdkError InvalidAddress(string? d = null) => E(Codespace, 5, "invalid address", d);
        public static SdkError InvalidRequest(string? d = null) => E(Codespace, 8, "invalid request", d);
        public static SdkError InvalidHeight(string? d = null) => E(Codespace, 9, "invalid height", d);
        public static SdkError InvalidVersion(string? d = null) => E(Codespace, 10, "invalid version", d);
        public static SdkError InvalidChainId(string? d = null) => E(Codespace, 11, "invalid chain-id", d);
        public static SdkError InvalidType(string? d = null) => E(Codespace, 12, "invalid type", d);
        public static SdkError UnpackAny(string? d = null) => E(Codespace, 14, "failed unpacking protobuf message from Any", d);
        public static SdkError NotFound(string? d = null) => E(Codespace, 16, "not found", d);
    }

    /// <summary>02-client ("client").</summary>
    public static class Client
    {
        public const string Codespace = "client";
        public static SdkError ClientExists(string? d = null) => E(Codespace, 2, "light client already exists", d);
        public static SdkError InvalidClient(string? d = null) => E(Codespace, 3, "light client is invalid", d);
        public static SdkError ClientNotFound(string? d = null) => E(Codespace, 4, "light client not found", d);
        public static SdkError ClientFrozen(string? d = null) => E(Codespace, 5, "light client is frozen due to misbehaviour", d);
        public static SdkError ConsensusStateNotFound(string? d = null) => E(Codespace, 7, "consensus state not found", d);
        public static SdkError InvalidConsensus(string? d = null) => E(Codespace, 8, "invalid consensus state", d);
        public static SdkError InvalidClientType(string? d = null) => E(Codespace, 10, "invalid client type", d);
        public static SdkError InvalidHeader(string? d = null) => E(Codespace, 12, "invalid client header", d);
        public static SdkError InvalidMisbehaviour(string? d = null) => E(Codespace, 13, "invalid light client misbehaviour", d);
        public static SdkError SelfConsensusStateNotFound(string? d = null) => E(Codespace, 22, "self consensus state not found", d);
        public static SdkError InvalidHeight(string? d = null) => E(Codespace, 26, "invalid height", d);
        public static SdkError ClientNotActive(string? d = null) => E(Codespace, 29, "client state is not active", d);
        public static SdkError FailedMembershipVerification(string? d = null) => E(Codespace, 30, "membership verification failed", d);
        public static SdkError FailedNonMembershipVerification(string? d = null) => E(Codespace, 31, "non-membership verification failed", d);
        public static SdkError RouteNotFound(string? d = null) => E(Codespace, 32, "light client module route not found", d);
        public static SdkError ClientTypeNotSupported(string? d = null) => E(Codespace, 33, "client type not supported", d);
    }

    /// <summary>03-connection ("connection").</summary>
    public static class Connection
    {
        public const string Codespace = "connection";
        public static SdkError ConnectionNotFound(string? d = null) => E(Codespace, 3, "connection not found", d);
        public static SdkError InvalidConnectionState(string? d = null) => E(Codespace, 6, "invalid connection state", d);
        public static SdkError InvalidCounterparty(string? d = null) => E(Codespace, 7, "invalid counterparty connection", d);
        public static SdkError InvalidConnection(string? d = null) => E(Codespace, 8, "invalid connection", d);
        public static SdkError InvalidVersion(string? d = null) => E(Codespace, 9, "invalid connection version", d);
        public static SdkError VersionNegotiationFailed(string? d = null) => E(Codespace, 10, "connection version negotiation failed", d);
    }

    /// <summary>04-channel ("channel").</summary>
    public static class Channel
    {
        public const string Codespace = "channel";
        public static SdkError ChannelNotFound(string? d = null) => E(Codespace, 3, "channel not found", d);
        public static SdkError InvalidChannel(string? d = null) => E(Codespace, 4, "invalid channel", d);
        public static SdkError InvalidChannelState(string? d = null) => E(Codespace, 5, "invalid channel state", d);
        public static SdkError InvalidChannelOrdering(string? d = null) => E(Codespace, 6, "invalid channel ordering", d);
        public static SdkError InvalidCounterparty(string? d = null) => E(Codespace, 7, "invalid counterparty channel", d);
        public static SdkError SequenceSendNotFound(string? d = null) => E(Codespace, 10, "sequence send not found", d);
        public static SdkError SequenceReceiveNotFound(string? d = null) => E(Codespace, 11, "sequence receive not found", d);
        public static SdkError SequenceAckNotFound(string? d = null) => E(Codespace, 12, "sequence acknowledgement not found", d);
        public static SdkError InvalidPacket(string? d = null) => E(Codespace, 13, "invalid packet", d);
        public static SdkError PacketTimeout(string? d = null) => E(Codespace, 14, "packet timeout", d);
        public static SdkError TooManyConnectionHops(string? d = null) => E(Codespace, 15, "too many connection hops", d);
        public static SdkError InvalidAcknowledgement(string? d = null) => E(Codespace, 16, "invalid acknowledgement", d);
        public static SdkError AcknowledgementExists(string? d = null) => E(Codespace, 17, "acknowledgement for packet already exists", d);
        public static SdkError InvalidChannelIdentifier(string? d = null) => E(Codespace, 18, "invalid channel identifier", d);
        public static SdkError PacketReceived(string? d = null) => E(Codespace, 19, "packet already received", d);
        public static SdkError PacketCommitmentNotFound(string? d = null) => E(Codespace, 20, "packet commitment not found", d);
        public static SdkError PacketSequenceOutOfOrder(string? d = null) => E(Codespace, 21, "packet sequence is out of order", d);
        public static SdkError RedundantTx(string? d = null) => E(Codespace, 22, "packet messages are redundant", d);
        public static SdkError InvalidChannelVersion(string? d = null) => E(Codespace, 23, "invalid channel version", d);
        public static SdkError PacketNotSent(string? d = null) => E(Codespace, 24, "packet has not been sent", d);
        public static SdkError InvalidTimeout(string? d = null) => E(Codespace, 25, "invalid packet timeout", d);
        public static SdkError TimeoutElapsed(string? d = null) => E(Codespace, 38, "timeout elapsed", d);
        public static SdkError TimeoutNotReached(string? d = null) => E(Codespace, 39, "timeout not reached", d);
    }

    /// <summary>05-port ("port").</summary>
    public static class Port
    {
        public const string Codespace = "port";
        public static SdkError PortNotFound(string? d = null) => E(Codespace, 3, "port not found", d);
        public static SdkError InvalidPort(string? d = null) => E(Codespace, 4, "invalid port", d);
        public static SdkError InvalidRoute(string? d = null) => E(Codespace, 5, "route not found", d);
    }

    /// <summary>23-commitment ("commitment").</summary>
    public static class Commitment
    {
        public const string Codespace = "commitment";
        public static SdkError InvalidProof(string? d = null) => E(Codespace, 2, "invalid proof", d);
        public static SdkError InvalidPrefix(string? d = null) => E(Codespace, 3, "invalid prefix", d);
        public static SdkError InvalidMerkleProof(string? d = null) => E(Codespace, 4, "invalid merkle proof", d);
    }

    /// <summary>24-host ("host").</summary>
    public static class Host
    {
        public const string Codespace = "host";
        public static SdkError InvalidId(string? d = null) => E(Codespace, 2, "invalid identifier", d);
        public static SdkError InvalidPath(string? d = null) => E(Codespace, 3, "invalid path", d);
    }
}
