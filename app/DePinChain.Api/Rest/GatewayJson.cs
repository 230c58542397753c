using System.Globalization;
using System.Text.Json.Nodes;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.Api.Rest;

/// <summary>
/// JSON as the SDK's gateway writes and reads it. The SDK's gateway marshals with gogoproto's jsonpb, <c>OrigName</c>
/// (proto field names) and <c>EmitDefaults</c> (every field written): 64-bit integers as strings, enums by name, bytes as
/// base64, Anys with <c>@type</c>, repeated fields as <c>[]</c> when empty, and an unset message or empty bytes field as
/// <c>null</c> (a nil pointer or slice in Go: clients test <c>pagination.next_key</c> against null). <see cref="CosmosJson"/>
/// writes the rest (Dec scalars as "0.100000000000000000"); this adds the nulls.
/// </summary>
public sealed class GatewayJson(TypeRegistry types)
{
    private readonly CosmosJson _json = new(types, formatDefaults: true);

    public TypeRegistry Types { get; } = types;

    /// <summary>A response as the gateway writes it.</summary>
    public string Format(IMessage message)
    {
        var node = JsonNode.Parse(_json.Format(message))!;
        AddNulls(node, message.Descriptor);
        return node.ToJsonString();
    }

    /// <exception cref="InvalidJsonException">Not JSON of this message.</exception>
    /// <exception cref="FormatException">A bad decimal or integer.</exception>
    public IMessage Parse(JsonNode json, MessageDescriptor descriptor) => _json.Parse(json.ToJsonString(), descriptor);

    private void AddNulls(JsonNode? node, MessageDescriptor descriptor)
    {
        if (node is not JsonObject obj) return;
        if (descriptor.FullName == Any.Descriptor.FullName)
        {
            if (obj["@type"] is JsonValue type && type.TryGetValue<string>(out var url)
                && Types.Find(url[(url.LastIndexOf('/') + 1)..]) is { } packed && packed.File.Package != "google.protobuf")
                AddNulls(obj, packed);
            return;
        }
        if (descriptor.File.Package == "google.protobuf") return;
        foreach (var field in descriptor.Fields.InDeclarationOrder())
        {
            if (field.IsMap || field.RealContainingOneof is not null) continue;
            string name = field.Name;
            if (field.FieldType == FieldType.Message)
            {
                if (field.IsRepeated)
                {
                    if (obj[name] is JsonArray items)
                        foreach (var item in items) AddNulls(item, field.MessageType);
                }
                else if (!obj.ContainsKey(name)) obj[name] = null;
                else AddNulls(obj[name], field.MessageType);
            }
            else if (field.FieldType == FieldType.Bytes && !field.IsRepeated && CosmosJson.ScalarOf(field) is null
                     && obj[name] is JsonValue v && v.TryGetValue<string>(out var text) && text.Length == 0)
            {
                obj[name] = null;
            }
        }
    }

    /// <summary>
    /// A query-string or path value as the JSON the request parser takes for <paramref name="field"/> (grpc-gateway's
    /// rules: numbers in decimal, bools as true/false/1/0, enums by name or number, bytes as standard or URL-safe base64,
    /// padded or not, and Timestamp/Duration/wrappers as their JSON strings).
    /// </summary>
    /// <exception cref="FormatException">The value cannot be that field's.</exception>
    public static JsonNode ValueFor(FieldDescriptor field, string text)
    {
        switch (field.FieldType)
        {
            case FieldType.Bool:
                return text.ToLowerInvariant() switch
                {
                    "true" or "t" or "1" => JsonValue.Create(true),
                    "false" or "f" or "0" => JsonValue.Create(false),
                    _ => throw new FormatException($"{field.Name}: \"{text}\" is not a bool"),
                };
            case FieldType.Enum:
                if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number)) return JsonValue.Create(number);
                return field.EnumType.FindValueByName(text) is not null
                    ? JsonValue.Create(text)
                    : throw new FormatException($"{field.Name}: \"{text}\" is not a value of {field.EnumType.FullName}");
            case FieldType.Bytes:
                return JsonValue.Create(CosmosJson.ScalarOf(field) is null ? NormalizeBase64(field, text) : text);
            case FieldType.Message:
                if (field.MessageType.File.Package == "google.protobuf" && field.MessageType.FullName != Any.Descriptor.FullName
                    && field.MessageType.FullName != Struct.Descriptor.FullName)
                    return JsonValue.Create(text);
                throw new FormatException($"{field.Name}: a message field cannot be set from the query string");
            default:
                // Strings as they are; numbers as strings (the proto3 JSON parser takes quoted numbers and checks their range).
                return JsonValue.Create(text);
        }
    }

    private static string NormalizeBase64(FieldDescriptor field, string text)
    {
        string standard = text.Replace('-', '+').Replace('_', '/');
        if (standard.Length % 4 == 1) throw new FormatException($"{field.Name}: \"{text}\" is not base64");
        if (standard.Length % 4 != 0) standard += new string('=', 4 - standard.Length % 4);
        try { Convert.FromBase64String(standard); }
        catch (FormatException) { throw new FormatException($"{field.Name}: \"{text}\" is not base64"); }
        return standard;
    }
}
