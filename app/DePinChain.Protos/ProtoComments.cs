using Google.Protobuf.Reflection;

namespace DePinChain.Protos;

/// <summary>
/// The leading comments of the proto files, by full name (<c>depin.devices.v1.Msg.OnboardDevice</c>,
/// <c>depin.devices.v1.MsgOnboardDevice.device_key</c>): generated C# descriptors carry no comments, so the build
/// embeds a descriptor set with protoc's source info and this reads it once. The CLI's help text comes from here.
/// </summary>
public static class ProtoComments
{
    // FileDescriptorProto field numbers, as SourceCodeInfo paths name them.
    private const int FileMessageType = 4;
    private const int FileService = 6;
    private const int MessageField = 2;
    private const int MessageNested = 3;
    private const int ServiceMethod = 2;

    private static readonly Lazy<IReadOnlyDictionary<string, string>> Comments = new(Load);

    /// <summary>The comment above the element with this full name, trimmed, or "" when it has none.</summary>
    public static string Of(string fullName) => Comments.Value.GetValueOrDefault(fullName, "");

    public static string Of(MethodDescriptor method) => Of(method.Service.FullName + "." + method.Name);

    public static string Of(FieldDescriptor field) => Of(field.ContainingType.FullName + "." + field.Name);

    public static string Of(ServiceDescriptor service) => Of(service.FullName);

    public static string Of(MessageDescriptor message) => Of(message.FullName);

    private static IReadOnlyDictionary<string, string> Load()
    {
        using var stream = typeof(ProtoComments).Assembly.GetManifestResourceStream("protos-with-comments.pb")
            ?? throw new InvalidOperationException("the embedded descriptor set protos-with-comments.pb is missing from DePinChain.Protos");
        var set = FileDescriptorSet.Parser.ParseFrom(stream);
        var comments = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in set.File)
        {
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            string prefix = file.Package.Length > 0 ? file.Package + "." : "";
            for (int i = 0; i < file.MessageType.Count; i++)
                NameMessage(file.MessageType[i], prefix + file.MessageType[i].Name, $"{FileMessageType}.{i}", names);
            for (int i = 0; i < file.Service.Count; i++)
            {
                var service = file.Service[i];
                names[$"{FileService}.{i}"] = prefix + service.Name;
                for (int m = 0; m < service.Method.Count; m++)
                    names[$"{FileService}.{i}.{ServiceMethod}.{m}"] = prefix + service.Name + "." + service.Method[m].Name;
            }
            if (file.SourceCodeInfo is null) continue;
            foreach (var location in file.SourceCodeInfo.Location)
            {
                if (!location.HasLeadingComments) continue;
                if (names.TryGetValue(string.Join('.', location.Path), out var name))
                    comments[name] = Clean(location.LeadingComments);
            }
        }
        return comments;
    }

    private static void NameMessage(DescriptorProto message, string fullName, string path, Dictionary<string, string> names)
    {
        names[path] = fullName;
        for (int f = 0; f < message.Field.Count; f++)
            names[$"{path}.{MessageField}.{f}"] = fullName + "." + message.Field[f].Name;
        for (int n = 0; n < message.NestedType.Count; n++)
            NameMessage(message.NestedType[n], fullName + "." + message.NestedType[n].Name, $"{path}.{MessageNested}.{n}", names);
    }

    private static string Clean(string comment) =>
        string.Join(' ', comment.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
