namespace DePinChain.Abci;

/// <summary>
/// The peer broke the ABCI wire protocol: a malformed or oversized length prefix, a frame cut
/// short by the end of the stream, bytes that are not a protobuf message, or a message of no
/// known kind. The connection it came from cannot be trusted any further and is closed.
/// </summary>
public sealed class AbciProtocolException : Exception
{
    public AbciProtocolException(string message) : base(message) { }
    public AbciProtocolException(string message, Exception inner) : base(message, inner) { }
}
