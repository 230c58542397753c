using DePinChain.Crypto;

namespace DePinChain.Sdk;

/// <summary>
/// Account addresses in bech32 with the chain's prefix, with parse failures as SDK errors (code 7, invalid address)
/// so handlers can let them propagate to the tx result.
/// </summary>
/// <remarks>
/// A bank send converts the same few addresses about fifteen times (signers, message validation and handling,
/// account writes, and every event attribute), so the last few conversions are remembered per thread, and the common
/// case — lower-case text with our prefix — has its own allocation-light coder here. It accepts exactly what <see cref="CosmosAddress"/> accepts and gives the same bytes
/// and text; anything else goes to <see cref="CosmosAddress"/>, whose errors are the ones reported.
/// </remarks>
public static class Bech32Address
{
    public const string AccountPrefix = "depin";

    private const string Charset = Bech32.Charset;
    private const int ChecksumLength = Bech32.ChecksumLength;
    private const int MaxAddressLength = CosmosAddress.MaxAddressLength;

    // The checksum state after the prefix's expansion (high bits, 0, low bits): the same for every address.
    private static readonly uint PrefixState = Bech32.HrpState(AccountPrefix);

    public static string ToBech32(ReadOnlySpan<byte> address)
    {
        var recent = Recent.OfThisThread;
        if (recent.TryGetText(address, out var known)) return known;
        string text = Encode(address);
        recent.Add(address.ToArray(), text);
        return text;
    }

    private static string Encode(ReadOnlySpan<byte> address)
    {
        if (address.Length is 0 or > MaxAddressLength) return CosmosAddress.ToBech32(address, AccountPrefix); // throws its error
        int words = (address.Length * 8 + 4) / 5;
        int length = AccountPrefix.Length + 1 + words + ChecksumLength;
        Span<char> text = length <= 512 ? stackalloc char[length] : new char[length];
        AccountPrefix.AsSpan().CopyTo(text);
        text[AccountPrefix.Length] = '1';
        int position = AccountPrefix.Length + 1;
        uint state = PrefixState;
        int accumulator = 0, bits = 0;
        foreach (byte b in address)
        {
            accumulator = (accumulator << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                int word = (accumulator >> bits) & 31;
                state = Bech32.PolymodStep(state, (uint)word);
                text[position++] = Charset[word];
            }
            accumulator &= (1 << bits) - 1;
        }
        if (bits > 0)
        {
            int word = (accumulator << (5 - bits)) & 31;
            state = Bech32.PolymodStep(state, (uint)word);
            text[position++] = Charset[word];
        }
        for (int i = 0; i < ChecksumLength; i++) state = Bech32.PolymodStep(state, 0);
        state ^= 1;
        for (int i = 0; i < ChecksumLength; i++) text[position++] = Charset[(int)((state >> (5 * (5 - i))) & 31)];
        return new string(text);
    }

    /// <exception cref="SdkError">Not a bech32 string with our prefix (code 7).</exception>
    public static byte[] Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) throw SdkErrors.InvalidAddress("empty address string is not allowed");
        var recent = Recent.OfThisThread;
        // Callers own the returned array (some slice or keep it), so they get a copy of the remembered one.
        if (recent.TryGetBytes(text, out var known)) return (byte[])known.Clone();
        if (TryParseCanonical(text) is { } fast)
        {
            recent.Add((byte[])fast.Clone(), text);
            return fast;
        }
        try
        {
            return CosmosAddress.Parse(text, AccountPrefix);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw SdkErrors.InvalidAddress($"invalid address {text}: {e.Message}");
        }
    }

    /// <summary>
    /// Lower-case "depin1" + data + checksum, valid checksum and padding, 1..255 bytes: the address, else null (then
    /// <see cref="CosmosAddress.Parse"/> decides, and explains a failure).
    /// </summary>
    private static byte[]? TryParseCanonical(string text)
    {
        int dataStart = AccountPrefix.Length + 1;
        int wordCount = text.Length - dataStart - ChecksumLength;
        if (wordCount <= 0 || text.Length > CosmosAddress.MaxBech32Length || !text.StartsWith("depin1", StringComparison.Ordinal)) return null;
        int byteCount = wordCount * 5 / 8;
        if (byteCount is 0 or > MaxAddressLength || wordCount * 5 % 8 >= 5) return null;
        var bytes = new byte[byteCount];
        uint state = PrefixState;
        int accumulator = 0, bits = 0, written = 0;
        for (int i = dataStart; i < text.Length; i++)
        {
            char c = text[i];
            // Only the charset's lower-case characters ('1' is not among them, so the separator is the last '1').
            int word = Bech32.WordOf(c);
            if (word < 0) return null;
            state = Bech32.PolymodStep(state, (uint)word);
            if (i >= text.Length - ChecksumLength) continue;
            accumulator = (accumulator << 5) | word;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes[written++] = (byte)((accumulator >> bits) & 0xff);
            }
            accumulator &= (1 << bits) - 1;
        }
        if (state != 1 || accumulator != 0 || written != byteCount) return null;
        return bytes;
    }

    /// <summary>
    /// The last few conversions on this thread, both ways: a tx converts the same two or three addresses over and over
    /// (validation, handling, account writes, events). Pure functions, so remembering them changes no result.
    /// </summary>
    private sealed class Recent
    {
        private const int Size = 8;

        [ThreadStatic]
        private static Recent? _ofThisThread;

        private readonly byte[]?[] _bytes = new byte[]?[Size];
        private readonly string?[] _texts = new string?[Size];
        private int _next;

        public static Recent OfThisThread => _ofThisThread ??= new Recent();

        public bool TryGetBytes(string text, out byte[] bytes)
        {
            for (int i = 0; i < Size; i++)
            {
                if (_texts[i] is { } known && (ReferenceEquals(known, text) || string.Equals(known, text, StringComparison.Ordinal)))
                {
                    bytes = _bytes[i]!;
                    return true;
                }
            }
            bytes = [];
            return false;
        }

        public bool TryGetText(ReadOnlySpan<byte> address, out string text)
        {
            for (int i = 0; i < Size; i++)
            {
                if (_bytes[i] is { } known && known.AsSpan().SequenceEqual(address))
                {
                    text = _texts[i]!;
                    return true;
                }
            }
            text = "";
            return false;
        }

        /// <param name="bytes">Kept: the caller must not hand it out.</param>
        public void Add(byte[] bytes, string text)
        {
            _bytes[_next] = bytes;
            _texts[_next] = text;
            _next = (_next + 1) % Size;
        }
    }
}
