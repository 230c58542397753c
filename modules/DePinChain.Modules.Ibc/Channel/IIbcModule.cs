using DePinChain.Protos.Ibc.Core.Channel.V1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Ibc.Channel;

/// <summary>An acknowledgement an application writes for a received packet: its bytes (what is committed and relayed)
/// and whether it reports success (a failed one discards the application's state changes of the receive).</summary>
public sealed record IbcAcknowledgement(byte[] Bytes, bool Success);

/// <summary>
/// An application bound to a port (ibc-go's IBCModule callbacks): it agrees to channel handshakes and handles its
/// packets. Throwing an SdkError from a callback fails the message.
/// </summary>
public interface IIbcModule
{
    /// <summary>Returns the version to use (the proposed one, or the application's default when empty).</summary>
    string OnChanOpenInit(Context ctx, Order order, IReadOnlyList<string> connectionHops, string portId, string channelId, Counterparty counterparty, string version);

    /// <summary>Returns the version this end agrees to, given the counterparty's.</summary>
    string OnChanOpenTry(Context ctx, Order order, IReadOnlyList<string> connectionHops, string portId, string channelId, Counterparty counterparty, string counterpartyVersion);

    void OnChanOpenAck(Context ctx, string portId, string channelId, string counterpartyChannelId, string counterpartyVersion);

    void OnChanOpenConfirm(Context ctx, string portId, string channelId);

    void OnChanCloseInit(Context ctx, string portId, string channelId);

    void OnChanCloseConfirm(Context ctx, string portId, string channelId);

    /// <summary>Handles a received packet; null: the application acknowledges later (asynchronously).</summary>
    IbcAcknowledgement? OnRecvPacket(Context ctx, Packet packet, string relayer);

    void OnAcknowledgementPacket(Context ctx, Packet packet, byte[] acknowledgement, string relayer);

    void OnTimeoutPacket(Context ctx, Packet packet, string relayer);
}

/// <summary>Port id → application (ibc-go's port keeper and router in one: ports are bound when the app is built).</summary>
public sealed class PortRouter
{
    private readonly Dictionary<string, IIbcModule> _routes = new(StringComparer.Ordinal);

    /// <exception cref="InvalidOperationException">The port is bound twice.</exception>
    public PortRouter Bind(string portId, IIbcModule module)
    {
        Host.Identifiers.ValidatePortId(portId);
        if (!_routes.TryAdd(portId, module)) throw new InvalidOperationException($"port {portId} is bound twice");
        return this;
    }

    public bool IsBound(string portId) => _routes.ContainsKey(portId);

    public IIbcModule Route(string portId)
        => _routes.TryGetValue(portId, out var module) ? module : throw IbcErrors.Port.InvalidRoute($"could not retrieve module from port-id {portId}: route not found to module");
}
