namespace DePinChain.Modules.Ibc.Host;

/// <summary>ibc-go's identifier validation (24-host validate.go): length bounds and the allowed characters
/// <c>a-zA-Z0-9 . _ + - # [ ] &lt; &gt;</c>, no '/'.</summary>
public static class Identifiers
{
    public static void ValidateClientId(string id) => Validate(id, 9, 64, "client");

    public static void ValidateConnectionId(string id) => Validate(id, 10, 64, "connection");

    public static void ValidateChannelId(string id) => Validate(id, 8, 64, "channel");

    public static void ValidatePortId(string id) => Validate(id, 2, 128, "port");

    private static void Validate(string id, int min, int max, string what)
    {
        if (string.IsNullOrWhiteSpace(id)) throw IbcErrors.Host.InvalidId($"{what} identifier cannot be blank");
        if (id.Contains('/')) throw IbcErrors.Host.InvalidId($"{what} identifier {id} cannot contain separator '/'");
        if (id.Length < min || id.Length > max)
            throw IbcErrors.Host.InvalidId($"{what} identifier {id} has invalid length: {id.Length}, must be between {min}-{max} characters");
        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '+' or '-' or '#' or '[' or ']' or '<' or '>'))
                throw IbcErrors.Host.InvalidId($"{what} identifier {id} must contain only alphanumeric or the following characters: '.', '_', '+', '-', '#', '[', ']', '<', '>'");
        }
    }

    /// <summary>The sequence of a generated identifier ("07-tendermint-3", "connection-3", "channel-3" → 3).</summary>
    public static bool TryParseSequence(string id, string prefix, out ulong sequence)
    {
        sequence = 0;
        if (!id.StartsWith(prefix + "-", StringComparison.Ordinal)) return false;
        var tail = id[(prefix.Length + 1)..];
        return tail.Length > 0 && (tail == "0" || tail[0] != '0')
            && ulong.TryParse(tail, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out sequence);
    }
}
