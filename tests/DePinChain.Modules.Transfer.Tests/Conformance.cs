using System.Text.Json;

namespace DePinChain.Modules.Transfer.Tests;

/// <summary>The recorded ibc-go v8.8.0 answers under Fixtures/ (see Fixtures/README.md).</summary>
internal static class Conformance
{
    public static JsonDocument Load(string file) => JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", file)));

    /// <summary>Every event of a recorded /tx answer, as (type, [(key, value)]) in order.</summary>
    public static List<(string Type, List<(string Key, string Value)> Attributes)> TxEvents(string file)
    {
        using var doc = Load(file);
        var events = new List<(string, List<(string, string)>)>();
        foreach (var e in doc.RootElement.GetProperty("result").GetProperty("tx_result").GetProperty("events").EnumerateArray())
        {
            var attributes = e.GetProperty("attributes").EnumerateArray()
                .Select(a => (a.GetProperty("key").GetString()!, a.GetProperty("value").GetString()!))
                .ToList();
            events.Add((e.GetProperty("type").GetString()!, attributes));
        }
        return events;
    }

    public static string Attribute(string file, string eventType, string key)
        => TxEvents(file).Where(e => e.Type == eventType).SelectMany(e => e.Attributes).First(a => a.Key == key).Value;

    /// <summary>The protobuf answer of a recorded gRPC-over-ABCI query.</summary>
    public static byte[] QueryValue(string file)
    {
        using var doc = Load(file);
        return Convert.FromBase64String(doc.RootElement.GetProperty("result").GetProperty("response").GetProperty("value").GetString()!);
    }
}
