using System.Buffers;
using System.Text;

namespace DePinChain.Modules.Transfer;

/// <summary>
/// The two pieces of Go's encoding/json that ICS-20's wire format rests on: how json.Marshal writes a string (HTML-safe
/// escapes) and how json.Unmarshal reads a flat object of strings (per-byte U+FFFD for bad UTF-8, lone surrogate
/// escapes replaced, last duplicate key wins). Packet data is committed to by its bytes, so ours must be the same bytes
/// an ibc-go chain writes, and we must accept and refuse what it accepts and refuses.
/// </summary>
public static class GoJson
{
    private const string Hex = "0123456789abcdef";

    /// <summary>
    /// Appends <paramref name="value"/> as json.Marshal writes a string: <c>"</c> and <c>\</c> escaped, \b \f \n \r \t
    /// short (Go 1.22 and later), other controls and the HTML characters <c>&lt; &gt; &amp;</c> as <c>\u00XX</c>, U+2028
    /// and U+2029 as <c>\u2028</c>/<c>\u2029</c>, everything else as its UTF-8 bytes (a lone surrogate as U+FFFD, as Go
    /// writes the invalid UTF-8 it stands for after a round trip).
    /// </summary>
    public static void WriteString(IBufferWriter<byte> output, string value)
    {
        var buffer = new List<byte>(value.Length + 2) { (byte)'"' };
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c < 0x80)
            {
                switch (c)
                {
                    case '"' or '\\': buffer.Add((byte)'\\'); buffer.Add((byte)c); break;
                    case '\b': buffer.Add((byte)'\\'); buffer.Add((byte)'b'); break;
                    case '\f': buffer.Add((byte)'\\'); buffer.Add((byte)'f'); break;
                    case '\n': buffer.Add((byte)'\\'); buffer.Add((byte)'n'); break;
                    case '\r': buffer.Add((byte)'\\'); buffer.Add((byte)'r'); break;
                    case '\t': buffer.Add((byte)'\\'); buffer.Add((byte)'t'); break;
                    case < ' ' or '<' or '>' or '&':
                        buffer.AddRange("\\u00"u8);
                        buffer.Add((byte)Hex[c >> 4]);
                        buffer.Add((byte)Hex[c & 0xF]);
                        break;
                    default: buffer.Add((byte)c); break;
                }
                continue;
            }
            if (c is '\u2028' or '\u2029')
            {
                buffer.AddRange("\\u202"u8);
                buffer.Add((byte)Hex[c & 0xF]);
                continue;
            }
            Rune rune;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                rune = new Rune(c, value[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c)) rune = Rune.ReplacementChar;
            else rune = new Rune(c);
            int written = rune.EncodeToUtf8(utf8);
            for (int k = 0; k < written; k++) buffer.Add(utf8[k]);
        }
        buffer.Add((byte)'"');
        var span = output.GetSpan(buffer.Count);
        for (int k = 0; k < buffer.Count; k++) span[k] = buffer[k];
        output.Advance(buffer.Count);
    }

    /// <summary>
    /// Reads the first JSON value of <paramref name="json"/> as gogoproto's jsonpb reads a message whose fields are all
    /// strings: an object (or <c>null</c>, an empty message) whose values are strings or <c>null</c> (left unset), the
    /// last of duplicate keys winning, anything after the first value ignored (jsonpb reads one value from a stream).
    /// </summary>
    /// <returns>The members in order of last appearance, or null when Go would fail to decode.</returns>
    public static IReadOnlyDictionary<string, string?>? ReadStringObject(ReadOnlySpan<byte> json)
    {
        var reader = new Reader(json);
        reader.SkipWhitespace();
        if (reader.TryLiteral("null"u8))
            return reader.AtEndOrWhitespace ? new Dictionary<string, string?>() : null;
        if (!reader.TryConsume((byte)'{')) return null;
        var members = new Dictionary<string, string?>(StringComparer.Ordinal);
        reader.SkipWhitespace();
        if (reader.TryConsume((byte)'}')) return members;
        while (true)
        {
            reader.SkipWhitespace();
            if (reader.ReadString() is not { } key) return null;
            reader.SkipWhitespace();
            if (!reader.TryConsume((byte)':')) return null;
            reader.SkipWhitespace();
            string? value;
            if (reader.TryLiteral("null"u8)) value = null;
            else if (reader.ReadString() is { } text) value = text;
            else return null; // a number, bool, object or array where a string field is: json.Unmarshal into string fails
            members[key] = value;
            reader.SkipWhitespace();
            if (reader.TryConsume((byte)'}')) return members;
            if (!reader.TryConsume((byte)',')) return null;
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> json)
    {
        private readonly ReadOnlySpan<byte> _json = json;
        private int _at;

        public readonly bool AtEndOrWhitespace => _at >= _json.Length || IsWhitespace(_json[_at]);

        private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

        public void SkipWhitespace()
        {
            while (_at < _json.Length && IsWhitespace(_json[_at])) _at++;
        }

        public bool TryConsume(byte b)
        {
            if (_at < _json.Length && _json[_at] == b)
            {
                _at++;
                return true;
            }
            return false;
        }

        public bool TryLiteral(ReadOnlySpan<byte> literal)
        {
            if (!_json[_at..].StartsWith(literal)) return false;
            _at += literal.Length;
            return true;
        }

        /// <summary>A JSON string decoded as Go's unquote does; null on a syntax error or when no string is here.</summary>
        public string? ReadString()
        {
            if (!TryConsume((byte)'"')) return null;
            var text = new StringBuilder();
            while (_at < _json.Length)
            {
                byte b = _json[_at];
                if (b == '"')
                {
                    _at++;
                    return text.ToString();
                }
                if (b < 0x20) return null;
                if (b == '\\')
                {
                    if (!ReadEscape(text)) return null;
                    continue;
                }
                if (b < 0x80)
                {
                    text.Append((char)b);
                    _at++;
                    continue;
                }
                // Go's utf8.DecodeRune: a byte that does not start a valid sequence is one U+FFFD, and decoding goes
                // on at the next byte (not after the longest invalid prefix, as .NET's replacement decoder does).
                if (Rune.DecodeFromUtf8(_json[_at..], out var rune, out int consumed) == OperationStatus.Done)
                {
                    text.Append(rune.ToString());
                    _at += consumed;
                }
                else
                {
                    text.Append('\uFFFD');
                    _at++;
                }
            }
            return null;
        }

        private bool ReadEscape(StringBuilder text)
        {
            if (_at + 1 >= _json.Length) return false;
            byte kind = _json[_at + 1];
            _at += 2;
            switch (kind)
            {
                case (byte)'"': text.Append('"'); return true;
                case (byte)'\\': text.Append('\\'); return true;
                case (byte)'/': text.Append('/'); return true;
                case (byte)'b': text.Append('\b'); return true;
                case (byte)'f': text.Append('\f'); return true;
                case (byte)'n': text.Append('\n'); return true;
                case (byte)'r': text.Append('\r'); return true;
                case (byte)'t': text.Append('\t'); return true;
                case (byte)'u':
                    if (ReadHex4(_at) is not { } unit) return false;
                    _at += 4;
                    if (!char.IsSurrogate((char)unit))
                    {
                        text.Append((char)unit);
                        return true;
                    }
                    // A high surrogate pairs with an immediately following \u low surrogate; anything else is U+FFFD
                    // and the following escape is read on its own.
                    if (char.IsHighSurrogate((char)unit) && _at + 6 <= _json.Length && _json[_at] == '\\' && _json[_at + 1] == 'u'
                        && ReadHex4(_at + 2) is { } low && char.IsLowSurrogate((char)low))
                    {
                        text.Append((char)unit).Append((char)low);
                        _at += 6;
                        return true;
                    }
                    text.Append('\uFFFD');
                    return true;
                default:
                    return false;
            }
        }

        private readonly int? ReadHex4(int at)
        {
            if (at + 4 > _json.Length) return null;
            int value = 0;
            for (int i = 0; i < 4; i++)
            {
                int digit = _json[at + i] switch
                {
                    >= (byte)'0' and <= (byte)'9' and var d => d - '0',
                    >= (byte)'a' and <= (byte)'f' and var d => d - 'a' + 10,
                    >= (byte)'A' and <= (byte)'F' and var d => d - 'A' + 10,
                    _ => -1,
                };
                if (digit < 0) return null;
                value = value * 16 + digit;
            }
            return value;
        }
    }
}
