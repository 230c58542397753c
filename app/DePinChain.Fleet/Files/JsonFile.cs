using System.Text.Json;
using System.Text.Json.Nodes;

namespace DePinChain.Fleet.Files;

/// <summary>
/// Strict reading of the fleet's JSON files: every field required unless said otherwise, no unknown fields, each
/// problem one line naming the file and the field.
/// </summary>
internal sealed class JsonFile
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly JsonObject _o;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private JsonFile(JsonObject o, string source)
    {
        _o = o;
        Source = source;
    }

    public string Source { get; }

    public static JsonFile Load(string path, string expectedType)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            throw new FleetException($"{path}: no such file");
        }
        catch (DirectoryNotFoundException)
        {
            throw new FleetException($"{path}: no such file");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FleetException($"{path}: cannot read ({e.Message.ReplaceLineEndings(" ")})");
        }
        return Parse(text, path, expectedType);
    }

    public static JsonFile Parse(string text, string source, string expectedType)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            throw new FleetException($"{source}: not JSON");
        }
        if (node is not JsonObject o)
            throw new FleetException($"{source}: not a JSON object");
        var file = new JsonFile(o, source);
        var type = file.String("type");
        if (type != expectedType)
            throw new FleetException($"{source}: is a '{type}' file, expected '{expectedType}'");
        return file;
    }

    public JsonFile Object(string field)
    {
        _read.Add(field);
        return _o[field] is JsonObject inner ? new JsonFile(inner, $"{Source}: {field}") : throw Missing(field, "an object");
    }

    public string String(string field)
    {
        _read.Add(field);
        return _o[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Missing(field, "a string");
    }

    public long Int64(string field)
    {
        _read.Add(field);
        return _o[field] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) ? n : throw Missing(field, "an integer");
    }

    public int Int32(string field)
    {
        var n = Int64(field);
        return n is >= int.MinValue and <= int.MaxValue ? (int)n : throw new FleetException($"{Source}: {field} {n} is out of range");
    }

    /// <summary>Hex bytes (upper or lower case); <paramref name="length"/> &gt; 0 demands exactly that many bytes.</summary>
    public byte[] Hex(string field, int length = 0)
    {
        var text = String(field);
        if (text.Length % 2 != 0 || !text.All(char.IsAsciiHexDigit))
            throw new FleetException($"{Source}: {field} is not hex");
        var bytes = Convert.FromHexString(text);
        if (length > 0 && bytes.Length != length)
            throw new FleetException($"{Source}: {field} is {bytes.Length} bytes, expected {length}");
        return bytes;
    }

    /// <summary>Fails on a field nobody read: a misspelt field must not be silently ignored.</summary>
    public void RejectUnknownFields()
    {
        foreach (var (name, _) in _o)
            if (!_read.Contains(name))
                throw new FleetException($"{Source}: unknown field '{name}'");
    }

    private FleetException Missing(string field, string what) =>
        _o.ContainsKey(field) ? new FleetException($"{Source}: {field} must be {what}") : new FleetException($"{Source}: missing {field}");

    /// <summary>Fields in the given order, indented, with a final newline: what the fleet writes, byte for byte.</summary>
    public static string Write(JsonObject o) => o.ToJsonString(Indented) + "\n";
}
