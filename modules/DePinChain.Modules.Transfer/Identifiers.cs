using System.Globalization;
using System.Text;

namespace DePinChain.Modules.Transfer;

/// <summary>
/// The port and channel identifier rules ICS-20 applies to denom traces and to MsgTransfer, as ibc-go v8 writes them
/// (24-host validate.go, 04-channel keys.go).
/// </summary>
public static class Identifiers
{
    private const string ChannelPrefix = "channel-";

    /// <summary>
    /// ibc-go's <c>IsValidChannelID</c>: <c>channel-{N}</c> with 1 to 20 decimal digits that fit a uint64 (leading
    /// zeros allowed). Deciding where a denom's trace ends and its base begins rests on this test alone.
    /// </summary>
    public static bool IsValidChannelId(string id)
    {
        if (!id.StartsWith(ChannelPrefix, StringComparison.Ordinal)) return false;
        var digits = id.AsSpan(ChannelPrefix.Length);
        if (digits.Length is 0 or > 20) return false;
        foreach (char c in digits)
            if (c is < '0' or > '9') return false;
        return ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }

    /// <summary>The channel number of <c>channel-{N}</c>, or null when <paramref name="id"/> is not one.</summary>
    public static ulong? ChannelSequence(string id)
        => IsValidChannelId(id) ? ulong.Parse(id.AsSpan(ChannelPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture) : null;

    /// <exception cref="DePinChain.Sdk.SdkError">host code 2.</exception>
    public static void ValidatePortId(string id) => Validate(id, 2, 128);

    /// <exception cref="DePinChain.Sdk.SdkError">host code 2.</exception>
    public static void ValidateChannelId(string id) => Validate(id, 8, 64);

    private static void Validate(string id, int min, int max)
    {
        if (string.IsNullOrWhiteSpace(id)) throw IbcCoreErrors.InvalidIdentifier("identifier cannot be blank");
        if (id.Contains('/')) throw IbcCoreErrors.InvalidIdentifier($"identifier {id} cannot contain separator '/'");
        int length = Encoding.UTF8.GetByteCount(id);
        if (length < min || length > max)
            throw IbcCoreErrors.InvalidIdentifier($"identifier {id} has invalid length: {length}, must be between {min}-{max} characters");
        foreach (char c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '+' or '-' or '#' or '[' or ']' or '<' or '>'))
                throw IbcCoreErrors.InvalidIdentifier(
                    $"identifier {id} must contain only alphanumeric or the following characters: '.', '_', '+', '-', '#', '[', ']', '<', '>'");
        }
    }
}
