using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace DePinChain.CometStandIn;

/// <summary>A JSON-RPC call's parameters, from a URI (GET: strings quoted, bytes 0x-hex, numbers bare) or from a POST
/// body (JSON: int64 as strings or numbers, HexBytes as hex, []byte as base64), read as CometBFT's RPC reads each.</summary>
internal sealed class RpcArgs
{
    private readonly Dictionary<string, string> _uri = new(StringComparer.Ordinal);
    private readonly JsonObject? _json;

    private RpcArgs(JsonObject? json) => _json = json;

    public static RpcArgs FromUri(System.Collections.Specialized.NameValueCollection query)
    {
        var args = new RpcArgs(null);
        foreach (string? key in query.AllKeys)
            if (key is not null && query[key] is { } value) args._uri[key] = value;
        return args;
    }

    public static RpcArgs FromJson(JsonNode? parameters) => new(parameters as JsonObject ?? new JsonObject());

    public bool Has(string name) => _json is null ? _uri.ContainsKey(name) : _json[name] is not null;

    public string? String(string name)
    {
        if (_json is not null) return (string?)_json[name];
        if (!_uri.TryGetValue(name, out var text)) return null;
        return text.Length >= 2 && text[0] == '"' && text[^1] == '"' ? text[1..^1]
            : throw new RpcException($"invalid {name}: a string parameter must be quoted, got {text}");
    }

    public long? Int(string name)
    {
        string? text = _json is not null ? _json[name] switch { null => null, JsonValue v when v.TryGetValue(out long n) => n.ToString(CultureInfo.InvariantCulture), var v => (string?)v } : _uri.GetValueOrDefault(name);
        if (string.IsNullOrEmpty(text)) return null;
        text = text.Trim('"');
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) ? value
            : throw new RpcException($"invalid {name}: {text} is not an integer");
    }

    public bool Bool(string name)
    {
        if (_json is not null) return _json[name] is JsonValue v && (v.TryGetValue(out bool b) ? b : (string?)v == "true");
        return _uri.TryGetValue(name, out var text) && text.Trim('"') == "true";
    }

    /// <summary>bytes.HexBytes: POST hex; URI 0x-hex or a quoted string's bytes.</summary>
    public byte[] HexBytes(string name) => _json is not null ? Hex((string?)_json[name] ?? "", name) : UriBytes(name);

    /// <summary>[]byte: POST base64; URI 0x-hex or a quoted string's bytes.</summary>
    public byte[] Bytes(string name)
    {
        if (_json is null) return UriBytes(name);
        string text = (string?)_json[name] ?? "";
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new RpcException($"invalid {name}: not base64");
        }
    }

    private byte[] UriBytes(string name)
    {
        if (!_uri.TryGetValue(name, out var text)) return [];
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) return Hex(text[2..], name);
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"') return Encoding.UTF8.GetBytes(text[1..^1]);
        throw new RpcException($"invalid {name}: bytes must be 0x-hex or a quoted string, got {text}");
    }

    private static byte[] Hex(string text, string name)
    {
        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            throw new RpcException($"invalid {name}: not hex");
        }
    }
}

/// <summary>An RPC call failed: CometBFT answers it as a JSON-RPC error (-32603 Internal error, the reason as data).</summary>
public sealed class RpcException(string message, int code = -32603) : Exception(message)
{
    public int Code { get; } = code;
}
