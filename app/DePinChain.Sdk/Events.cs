namespace DePinChain.Sdk;

public readonly record struct EventAttribute(string Key, string Value);

/// <summary>An ABCI event as modules emit it; the app converts it to tendermint.abci.Event.</summary>
public sealed record SdkEvent(string Type, IReadOnlyList<EventAttribute> Attributes)
{
    public static SdkEvent Of(string type, params (string Key, string Value)[] attributes)
        => new(type, attributes.Select(a => new EventAttribute(a.Key, a.Value)).ToArray());
}

/// <summary>Events emitted while executing one tx (or one block hook), in order.</summary>
public sealed class EventManager
{
    private readonly List<SdkEvent> _events = [];

    public IReadOnlyList<SdkEvent> Events => _events;

    public void Emit(SdkEvent e) => _events.Add(e);

    public void EmitAll(IEnumerable<SdkEvent> events) => _events.AddRange(events);
}
