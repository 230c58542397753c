namespace DePinChain.Sdk;

public readonly record struct EventAttribute(string Key, string Value);

/// <summary>An ABCI event as modules emit it; the app converts it to tendermint.abci.Event.</summary>
public sealed record SdkEvent(string Type, IReadOnlyList<EventAttribute> Attributes)
{
    public static SdkEvent Of(string type, params ReadOnlySpan<(string Key, string Value)> attributes)
    {
        var converted = new EventAttribute[attributes.Length];
        for (int i = 0; i < attributes.Length; i++) converted[i] = new EventAttribute(attributes[i].Key, attributes[i].Value);
        return new(type, converted);
    }
}

/// <summary>Events emitted while executing one tx (or one block hook), in order.</summary>
public sealed class EventManager
{
    private readonly List<SdkEvent> _events = [];

    public IReadOnlyList<SdkEvent> Events => _events;

    public void Emit(SdkEvent e)
    {
        // A tx emits six or so events in each phase: one array on the first event instead of growing 4 → 8.
        if (_events.Capacity == 0) _events.Capacity = 8;
        _events.Add(e);
    }

    public void EmitAll(IEnumerable<SdkEvent> events) => _events.AddRange(events);
}
