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
        PathSetsPlainStrings = body.Length == 0 && segments.All(s => s.Variable is null
            || s.Variable.Fields.Count == 1 && !s.Variable.Leaf.IsRepeated && s.Variable.Leaf.FieldType == FieldType.String
               && Sdk.CosmosJson.ScalarOf(s.Variable.Leaf) is null);
    }

    /// <summary>No body, and every path variable is a top-level plain string field (an address, a denom): a request with
    /// no query string is then the path's strings set on an empty message, what the JSON route would give.</summary>
    public bool PathSetsPlainStrings { get; }

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
            // {name=**}: the rest of the path, slashes included (ibc-go's denom_traces/{hash=**} takes "ibc/HASH").
            bool restOfPath = name.EndsWith("=**", StringComparison.Ordinal);
            if (restOfPath) name = name[..^3];
            else if (name.EndsWith("=*", StringComparison.Ordinal)) name = name[..^2];
            if (name.Contains('=', StringComparison.Ordinal))
                throw new InvalidOperationException($"{where}: only {{field}}, {{field=*}} and one {{field=**}} are served, not \"{part}\"");
            if (segments.Any(s => s.RestOfPath))
                throw new InvalidOperationException($"{where}: a template takes at most one {{field=**}} variable");
            segments.Add(new RestSegment(null, FieldPath.Resolve(method.InputType, name)
                ?? throw new InvalidOperationException($"{where}: {method.InputType.FullName} has no field \"{name}\""), restOfPath));
        }
        if (rule.Body.Length > 0 && rule.Body != "*" && method.InputType.FindFieldByName(rule.Body) is null)
            throw new InvalidOperationException($"{where}: body \"{rule.Body}\" is not a field of {method.InputType.FullName}");
        return new RestRoute(verb, template, segments, rule.Body, method);
    }

    /// <summary>The path variables' values when <paramref name="path"/> (decoded segments) matches, else null.</summary>
    internal List<(FieldPath Field, string Value)>? Match(IReadOnlyList<string> path)
    {
        // A {field=**} segment takes one or more path segments: those the segments after it leave over.
        int restAt = -1;
        for (int i = 0; i < Segments.Count; i++) if (Segments[i].RestOfPath) restAt = i;
        if (restAt < 0 ? path.Count != Segments.Count : path.Count < Segments.Count) return null;
        int extra = path.Count - Segments.Count;
        List<(FieldPath, string)>? values = null;
        for (int i = 0; i < Segments.Count; i++)
        {
            var segment = Segments[i];
            int at = restAt >= 0 && i > restAt ? i + extra : i;
            if (segment.RestOfPath)
            {
                var taken = path.Skip(i).Take(extra + 1).ToArray();
                if (taken.Any(p => p.Length == 0)) return null;
                (values ??= []).Add((segment.Variable!, string.Join('/', taken)));
            }
            else if (segment.Literal is not null)
            {
                if (!string.Equals(segment.Literal, path[at], StringComparison.Ordinal)) return null;
            }
            else
            {
                if (path[at].Length == 0) return null;
                (values ??= []).Add((segment.Variable!, path[at]));
            }
        }
        return values ?? [];
    }

    public override string ToString() => $"{Verb} {Template} -> /{Method.Service.FullName}/{Method.Name}";
}

/// <summary>A template segment: a literal, or a variable naming a request field (the last may take the rest of the path).</summary>
public sealed record RestSegment(string? Literal, FieldPath? Variable, bool RestOfPath = false);

/// <summary>A dotted request field name (<c>pagination.limit</c>), resolved along the message's descriptors.</summary>
public sealed class FieldPath
{
    private FieldPath(IReadOnlyList<FieldDescriptor> fields)
    {
        Fields = fields;
        Name = string.Join('.', fields.Select(f => f.Name));
    }

    /// <summary>The fields from the request message down: every one but the last is a singular message field.</summary>
    public IReadOnlyList<FieldDescriptor> Fields { get; }

    public FieldDescriptor Leaf => Fields[^1];

    /// <summary>The proto names joined by dots.</summary>
    public string Name { get; }

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
