using DePinChain.Sdk;
using Google.Protobuf;

namespace DePinChain.Modules.Mint;

/// <summary>Genesis JSON for the depin modules: proto field names, defaults written out, strict parsing.</summary>
public static class ModuleJson
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default
        .WithPreserveProtoFieldNames(true).WithFormatDefaultValues(true));

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default);

    public static string Format(IMessage message) => Formatter.Format(message);

    /// <exception cref="SdkError">Not valid JSON for <typeparamref name="T"/> (code 17).</exception>
    public static T Parse<T>(string json, string module) where T : IMessage<T>, new()
    {
        try
        {
            return Parser.Parse<T>(json);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            throw SdkErrors.JsonUnmarshal($"{module} genesis: {e.Message}");
        }
    }
}
