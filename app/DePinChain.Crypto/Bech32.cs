namespace DePinChain.Crypto;

/// <summary>
/// BIP-173 bech32 (not bech32m). <see cref="Encode"/> and <see cref="Decode(string)"/> work on 8-bit data,
/// regrouped into 5-bit words; the Words variants expose the raw 5-bit form.
/// </summary>
public static class Bech32
{
    /// <summary>BIP-173's limit. Cosmos addresses fit easily (a 32-byte address with a short prefix is ~60 chars).</summary>
    public const int MaxLength = 90;

    /// <summary>The 32 characters of the data part; a 5-bit word is its index.</summary>
    public const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

    public const int ChecksumLength = 6;
    private static readonly sbyte[] CharsetReverse = BuildReverse();

    public static string Encode(string hrp, ReadOnlySpan<byte> data) => EncodeWords(hrp, ConvertBits(data, 8, 5, pad: true));

    public static (string Hrp, byte[] Data) Decode(string text) => Decode(text, MaxLength);

    /// <summary>Like <see cref="Decode(string)"/> with a different length limit (the Cosmos SDK allows 1023).</summary>
    public static (string Hrp, byte[] Data) Decode(string text, int maxLength)
    {
        var (hrp, words) = DecodeWords(text, maxLength);
        try
        {
            return (hrp, ConvertBits(words, 5, 8, pad: false));
        }
        catch (FormatException e)
        {
            throw new FormatException($"invalid bech32 string '{text}': {e.Message}", e);
        }
    }

    public static string EncodeWords(string hrp, ReadOnlySpan<byte> words)
    {
        ArgumentNullException.ThrowIfNull(hrp);
        if (hrp.Length == 0)
            throw new ArgumentException("bech32 human-readable part must not be empty", nameof(hrp));
        foreach (var c in hrp)
        {
            if (c < 33 || c > 126)
                throw new ArgumentException($"bech32 human-readable part has a character outside 33..126: 0x{(int)c:x2}", nameof(hrp));
            if (c is >= 'A' and <= 'Z')
                throw new ArgumentException("bech32 human-readable part must be lower case", nameof(hrp));
        }
        foreach (var w in words)
        {
            if (w > 31)
                throw new ArgumentException($"bech32 word out of range: {w}", nameof(words));
        }

        var chars = new char[hrp.Length + 1 + words.Length + ChecksumLength];
        hrp.CopyTo(chars);
        chars[hrp.Length] = '1';
        var checksum = CreateChecksum(hrp, words);
        var position = hrp.Length + 1;
        foreach (var w in words)
            chars[position++] = Charset[w];
        for (var i = 0; i < ChecksumLength; i++)
            chars[position++] = Charset[(int)((checksum >> (5 * (5 - i))) & 31)];
        return new string(chars);
    }

    public static (string Hrp, byte[] Words) DecodeWords(string text, int maxLength = MaxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryDecodeWords(text, maxLength, out string hrp, out byte[] words) is { } reason ? throw Invalid(text, reason) : (hrp, words);
    }

    /// <summary>
    /// <see cref="Decode(string, int)"/> without an exception: false with the reason in a few words and without the text
    /// ("bad checksum" for a mistyped or swapped character, "invalid data character 'b' at position 9", ...).
    /// </summary>
    public static bool TryDecode(string text, int maxLength, out string hrp, out byte[] data, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(text);
        data = [];
        reason = TryDecodeWords(text, maxLength, out hrp, out byte[] words);
        if (reason is not null)
            return false;
        try
        {
            data = ConvertBits(words, 5, 8, pad: false);
            return true;
        }
        catch (FormatException e)
        {
            reason = e.Message;
            return false;
        }
    }

    /// <summary>The reason <paramref name="text"/> is not bech32, or null with its human-readable part and data words.</summary>
    private static string? TryDecodeWords(string text, int maxLength, out string hrp, out byte[] words)
    {
        hrp = "";
        words = [];
        if (text.Length > maxLength)
            return $"too long ({text.Length} characters, limit {maxLength})";

        bool hasLower = false, hasUpper = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 33 || c > 126)
                return $"character out of range 0x{(int)c:x2} at position {i}";
            hasLower |= c is >= 'a' and <= 'z';
            hasUpper |= c is >= 'A' and <= 'Z';
        }
        if (hasLower && hasUpper)
            return "mixed upper and lower case";

        var lower = text.ToLowerInvariant();
        var separator = lower.LastIndexOf('1');
        if (separator < 0)
            return "no separator '1'";
        if (separator == 0)
            return "empty human-readable part";
        if (lower.Length - separator - 1 < ChecksumLength)
            return "checksum too short";

        var prefix = lower[..separator];
        var all = new byte[lower.Length - separator - 1];
        for (var i = 0; i < all.Length; i++)
        {
            var c = lower[separator + 1 + i];
            var value = c < CharsetReverse.Length ? CharsetReverse[c] : (sbyte)-1;
            if (value < 0)
                return $"invalid data character '{c}' at position {separator + 1 + i}";
            all[i] = (byte)value;
        }
        if (Polymod(prefix, all) != 1)
            return "bad checksum";
        hrp = prefix;
        words = all[..^ChecksumLength];
        return null;
    }

    /// <summary>Regroups bits; used 8→5 (always padded) and 5→8 (padding must be under 5 zero bits).</summary>
    internal static byte[] ConvertBits(ReadOnlySpan<byte> input, int fromBits, int toBits, bool pad)
    {
        var output = new List<byte>(input.Length * fromBits / toBits + 1);
        int accumulator = 0, bits = 0;
        var maxValue = (1 << toBits) - 1;
        foreach (var value in input)
        {
            if (value >> fromBits != 0)
                throw new FormatException($"value {value} does not fit in {fromBits} bits");
            accumulator = (accumulator << fromBits) | value;
            bits += fromBits;
            while (bits >= toBits)
            {
                bits -= toBits;
                output.Add((byte)((accumulator >> bits) & maxValue));
            }
            accumulator &= (1 << bits) - 1;
        }
        if (pad)
        {
            if (bits > 0)
                output.Add((byte)((accumulator << (toBits - bits)) & maxValue));
        }
        else if (bits >= fromBits)
        {
            throw new FormatException("more than 4 bits of padding");
        }
        else if (accumulator != 0)
        {
            throw new FormatException("non-zero padding bits");
        }
        return output.ToArray();
    }

    private static uint CreateChecksum(string hrp, ReadOnlySpan<byte> words)
    {
        Span<byte> extended = words.Length + ChecksumLength <= 256 ? stackalloc byte[words.Length + ChecksumLength] : new byte[words.Length + ChecksumLength];
        words.CopyTo(extended);
        extended[words.Length..].Clear();
        return Polymod(hrp, extended) ^ 1;
    }

    private static uint Polymod(string hrp, ReadOnlySpan<byte> words)
    {
        uint checksum = HrpState(hrp);
        foreach (var w in words)
            checksum = PolymodStep(checksum, w);
        return checksum;
    }

    /// <summary>
    /// The checksum state after the human-readable part's expansion (high bits, 0, low bits): the same for every
    /// string with that prefix, so a codec for one fixed prefix can compute it once and continue with
    /// <see cref="PolymodStep"/> over the data words and six zero words.
    /// </summary>
    public static uint HrpState(string hrp)
    {
        uint checksum = 1;
        foreach (var c in hrp)
            checksum = PolymodStep(checksum, (uint)(c >> 5));
        checksum = PolymodStep(checksum, 0);
        foreach (var c in hrp)
            checksum = PolymodStep(checksum, (uint)(c & 31));
        return checksum;
    }

    /// <summary>The word a data character stands for, or -1 if it is not in <see cref="Charset"/> (lowercase only).</summary>
    public static int WordOf(char c) => c < CharsetReverse.Length ? CharsetReverse[c] : -1;

    /// <summary>One step of BIP-173's checksum polynomial over a 5-bit word.</summary>
    public static uint PolymodStep(uint checksum, uint value)
    {
        var top = checksum >> 25;
        checksum = ((checksum & 0x1ffffff) << 5) ^ value;
        if ((top & 1) != 0) checksum ^= 0x3b6a57b2;
        if ((top & 2) != 0) checksum ^= 0x26508e6d;
        if ((top & 4) != 0) checksum ^= 0x1ea119fa;
        if ((top & 8) != 0) checksum ^= 0x3d4233dd;
        if ((top & 16) != 0) checksum ^= 0x2a1462b3;
        return checksum;
    }

    private static sbyte[] BuildReverse()
    {
        var reverse = new sbyte[128];
        Array.Fill(reverse, (sbyte)-1);
        for (var i = 0; i < Charset.Length; i++)
            reverse[Charset[i]] = (sbyte)i;
        return reverse;
    }

    private static FormatException Invalid(string text, string reason) => new($"invalid bech32 string '{Printable(text)}': {reason}");

    private static string Printable(string text)
    {
        var shown = text.Length > 120 ? text[..120] + "..." : text;
        return string.Concat(shown.Select(c => c is < (char)32 or > (char)126 ? $"\\x{(int)c:x2}" : c.ToString()));
    }
}
