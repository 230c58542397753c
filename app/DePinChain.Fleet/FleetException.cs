namespace DePinChain.Fleet;

/// <summary>A user mistake in a device key, a report file or simulator input: the message is one line that says what and where.</summary>
public sealed class FleetException(string message) : Exception(message);
