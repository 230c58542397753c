using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using DePinChain.Protos.Abci;

namespace DePinChain.CometStandIn;

/// <summary>
/// CometBFT's event query language as tx_search and block_search read it: conditions <c>key op operand</c> joined by
/// AND; ops =, &lt;, &lt;=, &gt;, &gt;=, CONTAINS, EXISTS; operands 'quoted strings' or numbers. <c>tx.height</c> and
/// <c>tx.hash</c> are the indexer's own keys; any other key is <c>event_type.attribute_key</c>, matched against indexed
/// attributes, conditions on one event type met by one event (v0.38's kv indexer).
/// </summary>
public sealed partial class TxQuery
{
    private readonly List<Condition> _conditions;

    private TxQuery(List<Condition> conditions) => _conditions = conditions;

    private sealed record Condition(string Key, string Op, string? Operand, bool Numeric);

    [GeneratedRegex(@"^\s*([A-Za-z0-9_./\-]+)\s*(<=|>=|=|<|>|CONTAINS\b|EXISTS\b)\s*(?:'([^']*)'|(-?[0-9]+(?:\.[0-9]+)?))?\s*$")]
    private static partial Regex ConditionPattern();

    public static TxQuery Parse(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var conditions = new List<Condition>();
        foreach (string part in Regex.Split(query, @"\s+AND\s+"))
        {
            Match m = ConditionPattern().Match(part);
            if (!m.Success) throw new RpcException($"failed to parse query: {query}");
            string op = m.Groups[2].Value;
            bool hasOperand = m.Groups[3].Success || m.Groups[4].Success;
            if (op == "EXISTS" ? hasOperand : !hasOperand) throw new RpcException($"failed to parse query: {query}");
            conditions.Add(new Condition(m.Groups[1].Value, op, m.Groups[3].Success ? m.Groups[3].Value : m.Groups[4].Success ? m.Groups[4].Value : null, m.Groups[4].Success));
        }
        return new TxQuery(conditions);
    }

    /// <summary>Whether the tx at <paramref name="height"/> with <paramref name="hashHex"/> and these events matches.</summary>
    public bool Matches(long height, string hashHex, IReadOnlyList<Event> events)
    {
        foreach (var group in _conditions.GroupBy(c => EventType(c.Key)))
        {
            if (group.Key == "tx")
            {
                foreach (var c in group)
                {
                    string attr = c.Key["tx.".Length..];
                    bool ok = attr switch
                    {
                        "height" => Compare(height.ToString(CultureInfo.InvariantCulture), c),
                        "hash" => c.Op == "EXISTS" || string.Equals(hashHex, c.Operand, StringComparison.OrdinalIgnoreCase),
                        _ => events.Any(e => e.Type == "tx" && e.Attributes.Any(a => a.Index && a.Key == attr && Compare(a.Value, c))),
                    };
                    if (!ok) return false;
                }
                continue;
            }
            if (!OneEventMeetsAll(events, group.Key, group)) return false;
        }
        return true;
    }

    /// <summary>Block-level conditions: <c>block.height</c> and finalize_block events.</summary>
    public bool MatchesBlock(long height, IReadOnlyList<Event> events)
    {
        foreach (var group in _conditions.GroupBy(c => EventType(c.Key)))
        {
            if (group.Key == "block")
            {
                if (!group.All(c => c.Key == "block.height" && Compare(height.ToString(CultureInfo.InvariantCulture), c))) return false;
                continue;
            }
            if (!OneEventMeetsAll(events, group.Key, group)) return false;
        }
        return true;
    }

    private static bool OneEventMeetsAll(IReadOnlyList<Event> events, string type, IEnumerable<Condition> group)
    {
        var conditions = group.ToList();
        return events.Any(e => e.Type == type && conditions.All(c =>
            e.Attributes.Any(a => a.Index && a.Key == c.Key[(type.Length + 1)..] && Compare(a.Value, c))));
    }

    private static string EventType(string key)
    {
        int dot = key.LastIndexOf('.');
        return dot > 0 ? key[..dot] : key;
    }

    private static bool Compare(string value, Condition c)
    {
        switch (c.Op)
        {
            case "EXISTS": return true;
            case "CONTAINS": return value.Contains(c.Operand!, StringComparison.Ordinal);
        }
        if (c.Numeric && BigInteger.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            && BigInteger.TryParse(c.Operand, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var operand))
        {
            int cmp = number.CompareTo(operand);
            return c.Op switch { "=" => cmp == 0, "<" => cmp < 0, "<=" => cmp <= 0, ">" => cmp > 0, ">=" => cmp >= 0, _ => false };
        }
        return c.Op == "=" && value == c.Operand;
    }
}
