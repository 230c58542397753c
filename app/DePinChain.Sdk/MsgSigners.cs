using DePinChain.Protos.Cosmos.Msg.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace DePinChain.Sdk;

/// <summary>
/// Who must sign a message, read from its <c>cosmos.msg.v1.signer</c> option as the Cosmos SDK does: each named field is
/// a string holding an address, or a message (or repeated message) whose own signer option names its signer fields.
/// The rule is resolved once per message type into accessors, so the tx path does no descriptor lookups.
/// </summary>
public static class MsgSigners
{
    /// <summary>The signers of messages of this type, in field order then element order.</summary>
    /// <exception cref="InvalidOperationException">The message declares no signer, or names a field that cannot hold one.</exception>
    public static Func<IMessage, IReadOnlyList<string>> For(MessageDescriptor message)
    {
        var collect = Collector(message);
        return msg =>
        {
            var signers = new List<string>(1);
            collect(msg, signers);
            return signers;
        };
    }

    /// <summary>The names of the signer fields of a message type (its <c>cosmos.msg.v1.signer</c> option).</summary>
    public static IReadOnlyList<string> FieldNames(MessageDescriptor message) =>
        message.GetOptions()?.GetExtension(MsgExtensions.Signer) is { Count: > 0 } names ? [.. names] : [];

    private static Action<IMessage, List<string>> Collector(MessageDescriptor message)
    {
        var names = FieldNames(message);
        if (names.Count == 0) throw new InvalidOperationException($"{message.FullName} has no cosmos.msg.v1.signer option");
        var parts = new List<Action<IMessage, List<string>>>(names.Count);
        foreach (var name in names)
        {
            var field = message.FindFieldByName(name)
                ?? throw new InvalidOperationException($"{message.FullName}'s signer option names {name}, which it has no field of");
            var accessor = field.Accessor;
            if (field.FieldType == FieldType.String && !field.IsRepeated)
                parts.Add((msg, signers) => signers.Add((string)accessor.GetValue(msg)));
            else if (field.FieldType == FieldType.Message)
            {
                var nested = Collector(field.MessageType);
                if (field.IsRepeated)
                    parts.Add((msg, signers) =>
                    {
                        foreach (var element in (System.Collections.IList)accessor.GetValue(msg)) nested((IMessage)element, signers);
                    });
                else
                    parts.Add((msg, signers) =>
                    {
                        if (accessor.GetValue(msg) is IMessage value) nested(value, signers);
                    });
            }
            else throw new InvalidOperationException($"{message.FullName}.{name} is neither a string nor a message: it cannot name a signer");
        }
        return parts.Count == 1 ? parts[0] : (msg, signers) => { foreach (var part in parts) part(msg, signers); };
    }
}
