using System.Text;
using System.Text.Json.Nodes;
using DePinChain.Protos.CosmosProto;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace DePinChain.Sdk;

/// <summary>
/// Proto JSON as the Cosmos SDK writes it: the proto3 JSON mapping, except for the fields its protos mark with
/// <c>(cosmos_proto.scalar)</c>. A <c>cosmos.Dec</c> (LegacyDec) is the scaled integer's digits on the wire but
/// "0.100000000000000000" in JSON; a <c>cosmos.Int</c> or <c>cosmos.Dec</c> held in a <c>bytes</c> field is its ASCII
/// digits on the wire but a plain string in JSON, not base64. Google.Protobuf's formatter knows neither, so this
/// rewrites its output (and the parser's input) along the message's descriptor, through Anys by their <c>@type</c>.
/// Likewise a <c>bytes</c> field gogoproto casts to CometBFT's <c>HexBytes</c> is upper-case hex in JSON, not base64
/// (<see cref="HexBytesFields"/>).
/// </summary>
public sealed class CosmosJson
{
    private const string DecScalar = "cosmos.Dec";
    private const string IntScalar = "cosmos.Int";

    /// <summary>
    /// How rewritten JSON is written: like Go's encoding/json, characters are escaped only where JSON requires it, so a
    /// base64 '+' stays '+' (System.Text.Json's default encoder writes \u002B, and non-ASCII text as \u escapes). This is
    /// an API's JSON, never embedded in HTML unescaped.
    /// </summary>
    public static readonly System.Text.Json.JsonSerializerOptions TextOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <inheritdoc cref="TextOptions"/>
    public static readonly System.Text.Json.JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly JsonFormatter _formatter;
    private readonly JsonParser _parser;
    private readonly TypeRegistry _types;

    /// <param name="types">The messages Anys may hold.</param>
    /// <param name="formatDefaults">Write fields at their default values too (genesis does, so export reproduces import).</param>
    public CosmosJson(TypeRegistry? types = null, bool formatDefaults = true)
    {
        _types = types ?? TypeRegistry.Empty;
        _formatter = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true).WithFormatDefaultValues(formatDefaults).WithTypeRegistry(_types));
        _parser = new(JsonParser.Settings.Default.WithTypeRegistry(_types));
    }

    public string Format(IMessage message)
    {
        string json = _formatter.Format(message);
        if (!MayHaveScalars(message.Descriptor)) return json;
        var node = JsonNode.Parse(json)!;
        // Unchanged output stays Google.Protobuf's text, byte for byte.
        return Rewrite(node, message.Descriptor, toJson: true) ? node.ToJsonString(TextOptions) : json;
    }

    /// <exception cref="InvalidJsonException">Not JSON of this message (Google.Protobuf's errors).</exception>
    /// <exception cref="FormatException">Not JSON at all, or a bad decimal or integer.</exception>
    public T Parse<T>(string json) where T : IMessage, new() => (T)Parse(json, new T().Descriptor);

    /// <summary>JSON of the message type <paramref name="descriptor"/> describes (a type known only at run time).</summary>
    /// <exception cref="InvalidJsonException">Not JSON of this message (Google.Protobuf's errors).</exception>
    /// <exception cref="FormatException">Not JSON at all, or a bad decimal or integer.</exception>
    public IMessage Parse(string json, MessageDescriptor descriptor)
    {
        if (!MayHaveScalars(descriptor))
            return _parser.Parse(json, descriptor);
        JsonNode? node;
        try { node = JsonNode.Parse(json); }
        catch (System.Text.Json.JsonException e) { throw new FormatException(e.Message, e); }
        if (node is not null) Rewrite(node, descriptor, toJson: false);
        return _parser.Parse(node?.ToJsonString() ?? "null", descriptor);
    }

    /// <summary>The scalar a field is marked with (<c>cosmos.Dec</c>, <c>cosmos.Int</c>, ...), or null.</summary>
    public static string? ScalarOf(FieldDescriptor field)
        => field.GetOptions()?.GetExtension(CosmosExtensions.Scalar) is { Length: > 0 } scalar ? scalar : null;

    /// <summary>
    /// The <c>bytes</c> fields whose Go type is <c>(gogoproto.casttype) = "github.com/cometbft/cometbft/libs/bytes.HexBytes"</c>:
    /// jsonpb hands them to HexBytes' MarshalJSON, so the SDK's JSON (REST, CLI, <c>tx decode</c>, genesis) has them as
    /// upper-case hex and reads them only as hex. Our protos drop gogoproto's options, so they are listed by name.
    /// </summary>
    public static readonly IReadOnlySet<string> HexBytesFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "ibc.lightclients.tendermint.v1.ConsensusState.next_validators_hash",
    };

    private static bool IsHexBytes(FieldDescriptor field) => field.FieldType == FieldType.Bytes && HexBytesFields.Contains(field.FullName);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> ScalarsByType = new(StringComparer.Ordinal);

    private static bool MayHaveScalars(MessageDescriptor descriptor)
        => ScalarsByType.GetOrAdd(descriptor.FullName, _ => HasScalars(descriptor, []));

    private static bool HasScalars(MessageDescriptor descriptor, HashSet<string> seen)
    {
        if (!seen.Add(descriptor.FullName)) return false;
        if (descriptor.FullName == Google.Protobuf.WellKnownTypes.Any.Descriptor.FullName) return true; // an Any itself, at the top
        foreach (var field in descriptor.Fields.InFieldNumberOrder())
        {
            if (ScalarOf(field) is DecScalar || (ScalarOf(field) is IntScalar && field.FieldType == FieldType.Bytes) || IsHexBytes(field)) return true;
            if (field.FieldType == FieldType.Message)
            {
                // An Any may hold anything: look inside at run time.
                if (field.MessageType.FullName == Google.Protobuf.WellKnownTypes.Any.Descriptor.FullName) return true;
                if (HasScalars(field.MessageType, seen)) return true;
            }
        }
        return false;
    }

    // Rewrites the scalars of one message's JSON in place; true when anything changed.
    private bool Rewrite(JsonNode node, MessageDescriptor descriptor, bool toJson)
    {
        if (node is not JsonObject obj) return false;
        if (descriptor.FullName == Google.Protobuf.WellKnownTypes.Any.Descriptor.FullName)
        {
            // A well-known type packed in an Any sits under "value"; a message's fields sit beside "@type".
            return obj["@type"] is JsonValue type && type.TryGetValue<string>(out var typeUrl)
                && _types.Find(typeUrl[(typeUrl.LastIndexOf('/') + 1)..]) is { } packed && !IsWellKnown(packed)
                && Rewrite(obj, packed, toJson);
        }
        if (IsWellKnown(descriptor)) return false;
        bool changed = false;
        foreach (var (name, value) in obj.ToList())
        {
            if (value is null) continue;
            var field = descriptor.FindFieldByName(name) ?? descriptor.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == name);
            if (field is null) continue;
            if (field.IsMap) continue;
            if (field.IsRepeated && value is JsonArray array)
            {
                for (int i = 0; i < array.Count; i++)
                {
                    if (array[i] is null) continue;
                    if (RewriteValue(array[i]!, field, toJson, ref changed) is { } replaced) { array[i] = replaced; changed = true; }
                }
            }
            else if (RewriteValue(value, field, toJson, ref changed) is { } replaced) { obj[name] = replaced; changed = true; }
        }
        return changed;
    }

    // The new value of a scalar field, or null when it is unchanged (messages are rewritten in place).
    private JsonNode? RewriteValue(JsonNode value, FieldDescriptor field, bool toJson, ref bool changed)
    {
        if (field.FieldType == FieldType.Message)
        {
            changed |= Rewrite(value, field.MessageType, toJson);
            return null;
        }
        if (IsHexBytes(field) && value is JsonValue hex && hex.TryGetValue<string>(out var hexText))
        {
            if (toJson) return JsonValue.Create(Convert.ToHexString(Convert.FromBase64String(hexText)));
            try { return JsonValue.Create(Convert.ToBase64String(Convert.FromHexString(hexText))); }
            catch (FormatException) { throw new FormatException($"{field.Name}: \"{hexText}\" is not hex"); }
        }
        string? scalar = ScalarOf(field);
        if (scalar is null || value is not JsonValue v || !v.TryGetValue<string>(out var text)) return null;
        bool bytes = field.FieldType == FieldType.Bytes;
        if (scalar == DecScalar)
        {
            if (toJson)
            {
                string wire = bytes ? Encoding.ASCII.GetString(Convert.FromBase64String(text)) : text;
                // Unset stays unset (an empty customtype field), so parse(format(m)) is m.
                return JsonValue.Create(wire.Length == 0 ? "" : LegacyDec.FromWire(wire).ToString());
            }
            if (text.Length == 0) return null;
            if (!LegacyDec.TryParse(text, out var dec))
                throw new FormatException($"{field.Name}: \"{text}\" is not a decimal with at most {LegacyDec.Precision} decimals");
            string digits = dec.ToWire();
            return JsonValue.Create(bytes ? Convert.ToBase64String(Encoding.ASCII.GetBytes(digits)) : digits);
        }
        if (scalar == IntScalar && bytes)
        {
            if (toJson) return JsonValue.Create(Encoding.ASCII.GetString(Convert.FromBase64String(text)));
            foreach (char c in text)
                if (c is < '0' or > '9' and not '-') throw new FormatException($"{field.Name}: \"{text}\" is not an integer");
            return JsonValue.Create(Convert.ToBase64String(Encoding.ASCII.GetBytes(text)));
        }
        return null;
    }

    private static bool IsWellKnown(MessageDescriptor descriptor) => descriptor.File.Package == "google.protobuf";
}
