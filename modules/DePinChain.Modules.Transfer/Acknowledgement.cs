using System.Buffers;
using System.Globalization;
using System.Text;

namespace DePinChain.Modules.Transfer;

/// <summary>
/// ibc.core.channel.v1.Acknowledgement as ICS-20 writes and reads it: <c>{"result":"AQ=="}</c> (the byte 0x01) on
/// success, <c>{"error":"ABCI code: N: error handling packet: see events for details"}</c> on failure. Only the code
/// goes into the ack (ibc-go v8 NewErrorAcknowledgement): the log text differs between nodes' software, the code is
/// deterministic, and the ack's hash is committed on the receiving chain.
/// </summary>
public sealed record Acknowledgement
{
    private Acknowledgement(byte[]? result, string? errorText)
    {
        Result = result;
        ErrorText = errorText;
    }

    /// <summary>The success payload (<c>result</c>), or null for an error ack or an empty one.</summary>
    public byte[]? Result { get; }

    /// <summary>The error text (<c>error</c>), or null for a success ack or an empty one.</summary>
    public string? ErrorText { get; }

    public static Acknowledgement Success { get; } = new([0x01], null);

    private const string ErrorTextSuffix = "error handling packet: see events for details";

    /// <summary>
    /// The error ack for a failure with ABCI code <paramref name="abciCode"/>: the code of the error the app raised
    /// (ibc-go's errorsmod.ABCIInfo: a registered error's code, 1 for any other).
    /// </summary>
    public static Acknowledgement ForError(uint abciCode)
        => new(null, $"ABCI code: {abciCode.ToString(CultureInfo.InvariantCulture)}: {ErrorTextSuffix}");

    /// <summary>ibc-go's <c>ack.Success()</c>: a result is set (an error or empty ack is not a success).</summary>
    public bool IsSuccess => Result is not null;

    public bool IsError => ErrorText is not null;

    /// <summary>The ack bytes the receiving chain writes and commits to (sorted proto JSON, base64 result).</summary>
    public byte[] GetBytes()
    {
        var output = new ArrayBufferWriter<byte>(64);
        if (Result is not null)
        {
            output.Write("{\"result\":"u8);
            GoJson.WriteString(output, Convert.ToBase64String(Result));
        }
        else if (ErrorText is not null)
        {
            output.Write("{\"error\":"u8);
            GoJson.WriteString(output, ErrorText);
        }
        else output.Write("{"u8);
        output.Write("}"u8);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads the ack a counterparty wrote, as ibc-go's OnAcknowledgementPacket does (ModuleCdc.UnmarshalJSON): an
    /// object with <c>result</c> (base64, padded) or <c>error</c>; an object with neither is an ack that is neither
    /// (no refund, as ibc-go treats it). Null when it does not decode; both fields at once are refused too, since jsonpb
    /// would keep whichever its map iteration met last.
    /// </summary>
    public static Acknowledgement? TryDecode(ReadOnlySpan<byte> bytes)
    {
        if (GoJson.ReadStringObject(bytes) is not { } members) return null;
        byte[]? result = null;
        string? error = null;
        bool hasResult = false, hasError = false;
        foreach (var (name, value) in members)
        {
            switch (name)
            {
                case "result":
                    if (value is null) break;
                    if (DecodeStdBase64(value) is not { } decoded) return null;
                    result = decoded;
                    hasResult = true;
                    break;
                case "error":
                    if (value is null) break;
                    error = value;
                    hasError = true;
                    break;
                default:
                    return null;
            }
        }
        if (hasResult && hasError) return null;
        return new Acknowledgement(result, error);
    }

    // Go's encoding/json reads []byte with base64.StdEncoding, which skips '\r' and '\n' and requires padding.
    private static byte[]? DecodeStdBase64(string text)
    {
        var cleaned = text.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);
        if (cleaned.Length % 4 != 0) return null;
        foreach (char c in cleaned)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=')) return null;
        try { return Convert.FromBase64String(cleaned); }
        catch (FormatException) { return null; }
    }

    /// <summary>
    /// The ack as gogoproto's CompactTextString prints it, which ibc-go puts in the <c>acknowledgement</c> attribute
    /// of fungible_token_packet: <c>result:"\001" </c> (bytes escaped byte by byte: printable ASCII as itself, \n \r
    /// \t " \ escaped, anything else as three-digit octal).
    /// </summary>
    public string ToCompactText()
    {
        if (Result is not null) return "result:" + QuoteText(Result) + " ";
        if (ErrorText is not null) return "error:" + QuoteText(Encoding.UTF8.GetBytes(ErrorText)) + " ";
        return "";
    }

    private static string QuoteText(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length + 2).Append('"');
        foreach (byte b in bytes)
        {
            switch (b)
            {
                case (byte)'\n': text.Append("\\n"); break;
                case (byte)'\r': text.Append("\\r"); break;
                case (byte)'\t': text.Append("\\t"); break;
                case (byte)'"': text.Append("\\\""); break;
                case (byte)'\\': text.Append("\\\\"); break;
                case >= 0x20 and < 0x7F: text.Append((char)b); break;
                default: text.Append('\\').Append(Convert.ToString(b, 8).PadLeft(3, '0')); break;
            }
        }
        return text.Append('"').ToString();
    }
}
