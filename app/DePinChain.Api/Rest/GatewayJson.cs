using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
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
        var output = new ArrayBufferWriter<byte>();
        Write(message, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>A response as the gateway writes it, as UTF-8 (what goes on the wire).</summary>
    public void Write(IMessage message, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, CosmosJson.WriterOptions);
        if (DirectPlanOf(message.Descriptor) is { } direct)
        {
            // Plain messages (the big answers: device pages, density cells) are written straight from their fields.
            WriteDirect(writer, message, direct);
            return;
        }
        // Otherwise one streaming pass over Google.Protobuf's text adds the nulls (no document tree); strings and names are
        // escaped only where JSON requires (CosmosJson.WriterOptions), numbers copied as written.
        byte[] json = Encoding.UTF8.GetBytes(_json.Format(message));
        var reader = new Utf8JsonReader(json);
        reader.Read();
        CopyValue(ref reader, writer, message.Descriptor);
    }

    /// <exception cref="InvalidJsonException">Not JSON of this message.</exception>
    /// <exception cref="FormatException">A bad decimal or integer.</exception>
    public IMessage Parse(JsonNode json, MessageDescriptor descriptor) => _json.Parse(json.ToJsonString(), descriptor);

    // Copies the value at the reader (its first token) to the writer; messageType is the message it holds, or null for
    // JSON copied as it is (maps, well-known types, unknown fields).
    private void CopyValue(ref Utf8JsonReader reader, Utf8JsonWriter writer, MessageDescriptor? messageType)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                CopyObject(ref reader, writer, messageType);
                return;
            case JsonTokenType.StartArray:
                writer.WriteStartArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) CopyValue(ref reader, writer, messageType);
                writer.WriteEndArray();
                return;
            case JsonTokenType.String:
                writer.WriteStringValue(reader.GetString());
                return;
            case JsonTokenType.Number:
                writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                return;
            case JsonTokenType.True:
            case JsonTokenType.False:
                writer.WriteBooleanValue(reader.TokenType == JsonTokenType.True);
                return;
            default:
                writer.WriteNullValue();
                return;
        }
    }

    private void CopyObject(ref Utf8JsonReader reader, Utf8JsonWriter writer, MessageDescriptor? messageType)
    {
        writer.WriteStartObject();
        bool isAny = messageType?.FullName == Any.Descriptor.FullName;
        // An Any's own fields (type_url, value) are never written: what it holds is known at its "@type".
        NullPlan? plan = messageType is null || isAny ? null : PlanOf(messageType);
        // Fields seen, by their index in the plan's null-if-missing list.
        ulong seenBits = 0;
        HashSet<string>? seenMore = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = reader.GetString()!;
            writer.WritePropertyName(name);
            reader.Read();
            if (isAny && name == "@type" && reader.TokenType == JsonTokenType.String)
            {
                // A message packed in an Any sits beside "@type" (written first): its fields get the nulls; a well-known
                // type sits under "value" and is written as it is.
                string url = reader.GetString()!;
                writer.WriteStringValue(url);
                plan = Types.Find(url[(url.LastIndexOf('/') + 1)..]) is { } packed && packed.File.Package != "google.protobuf" ? PlanOf(packed) : null;
                continue;
            }
            if (plan is null || !plan.Fields.TryGetValue(name, out var field))
            {
                CopyValue(ref reader, writer, null);
                continue;
            }
            int slot = plan.NullIfMissing.IndexOf(name);
            if (slot >= 0)
            {
                if (slot < 64) seenBits |= 1UL << slot;
                else (seenMore ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
            }
            if (field.NullWhenEmpty && reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length == 0)
                writer.WriteNullValue();
            else
                CopyValue(ref reader, writer, field.MessageType);
        }
        if (plan is not null)
        {
            for (int i = 0; i < plan.NullIfMissing.Count; i++)
            {
                bool seen = i < 64 ? (seenBits & (1UL << i)) != 0 : seenMore?.Contains(plan.NullIfMissing[i]) == true;
                if (!seen) writer.WriteNull(plan.NullIfMissing[i]);
            }
        }
        writer.WriteEndObject();
    }

    /// <summary>How one message's JSON is written: which fields are messages to descend into, which empty bytes fields become
    /// null, and which unset message fields are written as null (in declaration order, after the fields present).</summary>
    private sealed record NullPlan(Dictionary<string, FieldPlan> Fields, List<string> NullIfMissing);

    /// <param name="MessageType">The message a (repeated) message field holds; null for scalars, maps and well-known types.</param>
    private sealed record FieldPlan(MessageDescriptor? MessageType, bool NullWhenEmpty);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<MessageDescriptor, NullPlan?> _plans = new();

    // Null for a message whose JSON is copied as it is (the well-known types).
    private NullPlan? PlanOf(MessageDescriptor descriptor) => _plans.GetOrAdd(descriptor, static d =>
    {
        if (d.File.Package == "google.protobuf") return null;
        var fields = new Dictionary<string, FieldPlan>(StringComparer.Ordinal);
        var nullIfMissing = new List<string>();
        foreach (var field in d.Fields.InDeclarationOrder())
        {
            // Maps and oneof members are written as Google.Protobuf writes them.
            if (field.IsMap || field.RealContainingOneof is not null) continue;
            if (field.FieldType == FieldType.Message)
            {
                fields[field.Name] = new FieldPlan(field.MessageType, false);
                if (!field.IsRepeated) nullIfMissing.Add(field.Name);
            }
            else if (field.FieldType == FieldType.Bytes && !field.IsRepeated && CosmosJson.ScalarOf(field) is null)
            {
                fields[field.Name] = new FieldPlan(null, true);
            }
        }
        return new NullPlan(fields, nullIfMissing);
    });

    /// <summary>How a plain message is written without Google.Protobuf's text in between: its fields in field-number order
    /// (Google.Protobuf's order), then null for each unset message field in declaration order (the null pass's order).</summary>
    private sealed record DirectPlan(DirectField[] Fields, DirectField[] NullIfUnset);

    private sealed record DirectField(FieldDescriptor Field, JsonEncodedText Name, bool NullWhenEmpty);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<MessageDescriptor, DirectPlan?> _direct = new();

    // Null unless the message and every message it holds have only the fields this writer formats exactly as
    // Google.Protobuf's JsonFormatter (with default values) followed by the null pass does: integers, bools, strings,
    // plain bytes, enums, and messages of the same kind, singular or repeated. Floating point (Google.Protobuf's own
    // round-trip formatting), maps, oneofs, optional scalars, well-known types and Cosmos scalars go the general way.
    private DirectPlan? DirectPlanOf(MessageDescriptor descriptor) => _direct.GetOrAdd(descriptor, static d =>
    {
        if (!IsPlain(d, [])) return null;
        var fields = d.Fields.InFieldNumberOrder()
            .Select(f => new DirectField(f, JsonEncodedText.Encode(f.Name, CosmosJson.WriterOptions.Encoder), f.FieldType == FieldType.Bytes && !f.IsRepeated)).ToArray();
        var nullIfUnset = d.Fields.InDeclarationOrder().Where(f => f.FieldType == FieldType.Message && !f.IsRepeated)
            .Select(f => fields.First(x => x.Field == f)).ToArray();
        return new DirectPlan(fields, nullIfUnset);
    });

    private static bool IsPlain(MessageDescriptor descriptor, HashSet<string> seen)
    {
        if (!seen.Add(descriptor.FullName)) return true;
        if (descriptor.File.Package == "google.protobuf") return false;
        foreach (var field in descriptor.Fields.InDeclarationOrder())
        {
            if (field.IsMap || field.ContainingOneof is not null || field.HasPresence && field.FieldType != FieldType.Message
                || CosmosJson.ScalarOf(field) is not null)
                return false;
            switch (field.FieldType)
            {
                case FieldType.Message:
                    if (!IsPlain(field.MessageType, seen)) return false;
                    break;
                case FieldType.Double or FieldType.Float or FieldType.Group:
                    return false;
            }
        }
        return true;
    }

    private void WriteDirect(Utf8JsonWriter writer, IMessage message, DirectPlan plan)
    {
        writer.WriteStartObject();
        foreach (var f in plan.Fields)
        {
            object value = f.Field.Accessor.GetValue(message);
            if (f.Field.IsRepeated)
            {
                writer.WritePropertyName(f.Name);
                writer.WriteStartArray();
                foreach (object item in (System.Collections.IList)value) WriteDirectValue(writer, f.Field, item);
                writer.WriteEndArray();
            }
            else if (value is null) continue; // an unset message: null after the fields, as the null pass writes it
            else
            {
                writer.WritePropertyName(f.Name);
                if (f.NullWhenEmpty && ((ByteString)value).IsEmpty) writer.WriteNullValue();
                else WriteDirectValue(writer, f.Field, value);
            }
        }
        foreach (var f in plan.NullIfUnset)
            if (f.Field.Accessor.GetValue(message) is null) writer.WriteNull(f.Name);
        writer.WriteEndObject();
    }

    private void WriteDirectValue(Utf8JsonWriter writer, FieldDescriptor field, object value)
    {
        Span<byte> digits = stackalloc byte[24];
        int length;
        switch (field.FieldType)
        {
            case FieldType.Message:
                var message = (IMessage)value;
                WriteDirect(writer, message, DirectPlanOf(message.Descriptor)!);
                return;
            case FieldType.Bool:
                writer.WriteBooleanValue((bool)value);
                return;
            case FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32:
                writer.WriteNumberValue((int)value);
                return;
            case FieldType.UInt32 or FieldType.Fixed32:
                writer.WriteNumberValue((uint)value);
                return;
            // 64-bit integers as strings (proto3 JSON).
            case FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64:
                System.Buffers.Text.Utf8Formatter.TryFormat((long)value, digits, out length);
                writer.WriteStringValue(digits[..length]);
                return;
            case FieldType.UInt64 or FieldType.Fixed64:
                System.Buffers.Text.Utf8Formatter.TryFormat((ulong)value, digits, out length);
                writer.WriteStringValue(digits[..length]);
                return;
            case FieldType.String:
                writer.WriteStringValue((string)value);
                return;
            case FieldType.Bytes:
                writer.WriteBase64StringValue(((ByteString)value).Span);
                return;
            case FieldType.Enum:
                // By name; a number the enum does not name as the number (Google.Protobuf's rule).
                int number = (int)value;
                if (field.EnumType.FindValueByNumber(number) is { } named) writer.WriteStringValue(named.Name);
                else writer.WriteNumberValue(number);
                return;
            default:
                throw new InvalidOperationException($"{field.FullName}: {field.FieldType} is not written directly");
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
