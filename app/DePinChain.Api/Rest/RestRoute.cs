using Google.Api;
using Google.Protobuf.Reflection;

namespace DePinChain.Api.Rest;

/// <summary>
/// One HTTP binding of an rpc, read from its <c>option (google.api.http)</c>: the verb, the path template's segments
/// (a literal, or a <c>{field}</c> / <c>{a.b}</c> variable naming a request field) and the body field ("*" = the whole
/// request, "" = none: the remaining fields come from the query string). The template grammar served is the part of
/// googleapis' the SDK's protos use: single-segment variables, optionally written <c>{field=*}</c>.
/// </summary>
public sealed class RestRoute
{
    private RestRoute(string verb, string template, IReadOnlyList<RestSegment> segments, string body, MethodDescriptor method)
    {
        Verb = verb;
        Template = template;
        Segments = segments;
        Body = body;
        Method = method;
    }

    /// <summary>"GET" or "POST" (also PUT, DELETE, PATCH or a custom verb if a proto declares one).</summary>
    public string Verb { get; }

    /// <summary>The path template as written in the proto, e.g. <c>/cosmos/bank/v1beta1/balances/{address}</c>.</summary>
    public string Template { get; }

    public IReadOnlyList<RestSegment> Segments { get; }

    public string Body { get; }

    public MethodDescriptor Method { get; }

    /// <summary>The rpc's HTTP rules: its <c>(google.api.http)</c> option and its additional bindings; empty when it has none.</summary>
    public static IReadOnlyList<HttpRule> RulesOf(MethodDescriptor method)
    {
        if (method.GetOptions()?.GetExtension(AnnotationsExtensions.Http) is not { } rule) return [];
        return [rule, .. rule.AdditionalBindings];
    }

    /// <summary>The routes of one rpc, from its annotation.</summary>
    /// <exception cref="InvalidOperationException">The rpc has no annotation, or one whose template does not parse or
    /// names a field the request lacks.</exception>
    public static IReadOnlyList<RestRoute> Of(MethodDescriptor method)
    {
        var rules = RulesOf(method);
        if (rules.Count == 0)
            throw new InvalidOperationException($"rpc {method.FullName} has no option (google.api.http): the REST gateway has no route for it");
        return [.. rules.Select(rule => Parse(method, rule))];
    }

    private static RestRoute Parse(MethodDescriptor method, HttpRule rule)
    {
        var (verb, template) = rule.PatternCase switch
        {
            HttpRule.PatternOneofCase.Get => ("GET", rule.Get),
            HttpRule.PatternOneofCase.Post => ("POST", rule.Post),
            HttpRule.PatternOneofCase.Put => ("PUT", rule.Put),
            HttpRule.PatternOneofCase.Delete => ("DELETE", rule.Delete),
            HttpRule.PatternOneofCase.Patch => ("PATCH", rule.Patch),
            HttpRule.PatternOneofCase.Custom => (rule.Custom.Kind.ToUpperInvariant(), rule.Custom.Path),
            _ => throw new InvalidOperationException($"rpc {method.FullName}: its (google.api.http) option names no verb"),
        };
        string where = $"rpc {method.FullName}: (google.api.http) {verb} \"{template}\"";
        if (!template.StartsWith('/') || template.Contains("//", StringComparison.Ordinal) || template.EndsWith('/') || template.Contains(':', StringComparison.Ordinal))
            throw new InvalidOperationException($"{where}: a template is /segment/segment/... (no verb suffix, no empty segment)");
        var segments = new List<RestSegment>();
        foreach (string part in template[1..].Split('/'))
        {
            if (!part.StartsWith('{'))
            {
                if (part.Contains('{', StringComparison.Ordinal) || part.Contains('}', StringComparison.Ordinal) || part.Contains('*', StringComparison.Ordinal))
                    throw new InvalidOperationException($"{where}: segment \"{part}\" is neither a literal nor a {{field}}");
                segments.Add(new RestSegment(part, null));
                continue;
            }
            if (!part.EndsWith('}'))
                throw new InvalidOperationException($"{where}: segment \"{part}\" is neither a literal nor a {{field}}");
            string name = part[1..^1];
            if (name.EndsWith("=*", StringComparison.Ordinal)) name = name[..^2];
            if (name.Contains('=', StringComparison.Ordinal))
                throw new InvalidOperationException($"{where}: only single-segment variables are served, not \"{part}\"");
            segments.Add(new RestSegment(null, FieldPath.Resolve(method.InputType, name)
                ?? throw new InvalidOperationException($"{where}: {method.InputType.FullName} has no field \"{name}\"")));
        }
        if (rule.Body.Length > 0 && rule.Body != "*" && method.InputType.FindFieldByName(rule.Body) is null)
            throw new InvalidOperationException($"{where}: body \"{rule.Body}\" is not a field of {method.InputType.FullName}");
        return new RestRoute(verb, template, segments, rule.Body, method);
    }

    /// <summary>The path variables' values when <paramref name="path"/> (decoded segments) matches, else null.</summary>
    internal List<(FieldPath Field, string Value)>? Match(IReadOnlyList<string> path)
    {
        if (path.Count != Segments.Count) return null;
        List<(FieldPath, string)>? values = null;
        for (int i = 0; i < path.Count; i++)
        {
            var segment = Segments[i];
            if (segment.Literal is not null)
            {
                if (!string.Equals(segment.Literal, path[i], StringComparison.Ordinal)) return null;
            }
            else
            {
                if (path[i].Length == 0) return null;
                (values ??= []).Add((segment.Variable!, path[i]));
            }
        }
        return values ?? [];
    }

    public override string ToString() => $"{Verb} {Template} -> /{Method.Service.FullName}/{Method.Name}";
}

/// <summary>A template segment: a literal, or a variable naming a request field.</summary>
public sealed record RestSegment(string? Literal, FieldPath? Variable);

/// <summary>A dotted request field name (<c>pagination.limit</c>), resolved along the message's descriptors.</summary>
public sealed class FieldPath
{
    private FieldPath(IReadOnlyList<FieldDescriptor> fields) => Fields = fields;

    /// <summary>The fields from the request message down: every one but the last is a singular message field.</summary>
    public IReadOnlyList<FieldDescriptor> Fields { get; }

    public FieldDescriptor Leaf => Fields[^1];

    /// <summary>The proto names joined by dots.</summary>
    public string Name => string.Join('.', Fields.Select(f => f.Name));

    /// <summary>Resolves by proto name (or JSON name, as grpc-gateway accepts either); null when a part is not a field or
    /// the path runs through a repeated or scalar field.</summary>
    public static FieldPath? Resolve(MessageDescriptor message, string dotted)
    {
        var fields = new List<FieldDescriptor>();
        MessageDescriptor? current = message;
        foreach (string part in dotted.Split('.'))
        {
            if (current is null) return null;
            var field = current.FindFieldByName(part) ?? current.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == part);
            if (field is null) return null;
            fields.Add(field);
            current = field.FieldType == FieldType.Message && !field.IsRepeated && !field.IsMap ? field.MessageType : null;
        }
        return new FieldPath(fields);
    }

    public override bool Equals(object? obj) => obj is FieldPath other && other.Name == Name;

    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);
}
