namespace DePinChain.App;

/// <summary>
/// Which event attributes CometBFT is asked to index (ABCI's <c>EventAttribute.index</c>), from app.toml's
/// <c>index-events</c> as in the SDK: "type.key" entries (<c>message.sender</c>, <c>transfer.recipient</c>); none = every
/// attribute. Node-local: the flag is not part of any hash, so nodes may differ; what is not indexed cannot be found
/// with <c>tx_search</c> / <c>block_search</c>, and CometBFT spends less per tx on its index.
/// </summary>
public sealed class EventIndexing : IEquatable<EventIndexing>
{
    private readonly HashSet<string>? _indexed;

    private EventIndexing(HashSet<string>? indexed) => _indexed = indexed;

    public static EventIndexing All { get; } = new(null);

    public bool IndexesAll => _indexed is null;

    /// <exception cref="FormatException">An entry that is not "type.key".</exception>
    public static EventIndexing Of(IEnumerable<string> entries)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (string entry in entries)
        {
            int dot = entry.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0 || dot == entry.Length - 1 || entry.Trim() != entry)
                throw new FormatException($"index-events entry \"{entry}\" is not of the form type.key (like message.sender)");
            set.Add(entry);
        }
        return set.Count == 0 ? All : new EventIndexing(set);
    }

    public bool IsIndexed(string type, string key) => _indexed is null || _indexed.Contains(type + "." + key);

    /// <summary>The "type.key" entries, sorted (empty = all).</summary>
    public IReadOnlyList<string> Entries => _indexed is null ? [] : [.. _indexed.Order(StringComparer.Ordinal)];

    public bool Equals(EventIndexing? other) => other is not null && Entries.SequenceEqual(other.Entries);

    public override bool Equals(object? obj) => Equals(obj as EventIndexing);

    public override int GetHashCode() => string.Join(",", Entries).GetHashCode(StringComparison.Ordinal);
}
