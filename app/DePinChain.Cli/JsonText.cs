using System.Text.Encodings.Web;
using System.Text.Json;

namespace DePinChain.Cli;

/// <summary>JSON as CometBFT and the SDK write it: '+' and '/' in base64 stay as they are (the BCL default would escape '+').</summary>
public static class JsonText
{
    public static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    public static readonly JsonSerializerOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };
}
