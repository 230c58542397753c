using System.Globalization;
using System.Text;

namespace DePinChain.Node.Config;

/// <summary>
/// A strict reader for the TOML subset our config files use: top-level <c>key = value</c> lines with basic
/// strings ("..." with \" \\ \n \t escapes), literal strings ('...'), integers and booleans, blank lines and
/// # comments. Anything else (tables, arrays, dates, floats, duplicate keys) is an error naming the line, so a
/// typo never silently falls back to a default.
/// </summary>
public static class TomlReader
{
    public static IReadOnlyDictionary<string, TomlValue> Parse(string text, string source = "config")
    {
        var values = new Dictionary<string, TomlValue>(StringComparer.Ordinal);
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n].Trim();
            int lineNo = n + 1;
            if (line.Length == 0 || line[0] == '#') continue;
            if (line[0] == '[') throw new FormatException($"{source}:{lineNo}: tables are not supported here: {line}");
            int eq = line.IndexOf('=');
            if (eq <= 0) throw new FormatException($"{source}:{lineNo}: expected key = value, got: {line}");
            string key = line[..eq].Trim();
            if (!IsBareKey(key)) throw new FormatException($"{source}:{lineNo}: invalid key \"{key}\"");
            var value = ParseValue(line[(eq + 1)..].Trim(), source, lineNo);
            if (!values.TryAdd(key, value)) throw new FormatException($"{source}:{lineNo}: key \"{key}\" is set twice");
        }
        return values;
    }

    private static bool IsBareKey(string key)
        => key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    private static TomlValue ParseValue(string text, string source, int lineNo)
    {
        string Fail(string why) => throw new FormatException($"{source}:{lineNo}: {why}");
        if (text.Length == 0) Fail("missing value");
        string rest;
        TomlValue value;
        if (text[0] == '"')
        {
            var sb = new StringBuilder();
            int i = 1;
            for (; i < text.Length && text[i] != '"'; i++)
            {
                if (text[i] != '\\') { sb.Append(text[i]); continue; }
                if (++i >= text.Length) Fail("unterminated string");
                sb.Append(text[i] switch
                {
                    '"' => '"', '\\' => '\\', 'n' => '\n', 't' => '\t', 'r' => '\r',
                    _ => Fail($"unsupported escape \\{text[i]}")[0],
                });
            }
            if (i >= text.Length) Fail("unterminated string");
            value = TomlValue.Of(sb.ToString());
            rest = text[(i + 1)..];
        }
        else if (text[0] == '\'')
        {
            int end = text.IndexOf('\'', 1);
            if (end < 0) Fail("unterminated string");
            value = TomlValue.Of(text[1..end]);
            rest = text[(end + 1)..];
        }
        else
        {
            int hash = text.IndexOf('#');
            string token = (hash >= 0 ? text[..hash] : text).Trim();
            rest = hash >= 0 ? text[hash..] : "";
            if (token == "true") value = TomlValue.Of(true);
            else if (token == "false") value = TomlValue.Of(false);
            else if (long.TryParse(token.Replace("_", ""), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number)) value = TomlValue.Of(number);
            else return TomlValue.Of(Fail($"unsupported value \"{token}\" (use a quoted string, an integer or true/false)"));
        }
        rest = rest.Trim();
        if (rest.Length > 0 && rest[0] != '#') Fail($"unexpected text after the value: {rest}");
        return value;
    }
}

/// <summary>One TOML value: a string, an integer or a boolean.</summary>
public sealed class TomlValue
{
    private readonly object _value;

    private TomlValue(object value) => _value = value;

    public static TomlValue Of(string s) => new(s);

    public static TomlValue Of(long n) => new(n);

    public static TomlValue Of(bool b) => new(b);

    public string AsString(string key) => _value as string ?? throw new FormatException($"{key} must be a quoted string");

    /// <summary>An integer, also accepted as a quoted decimal string (the Cosmos app.toml quotes pruning numbers).</summary>
    public long AsInteger(string key) => _value switch
    {
        long n => n,
        string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) => n,
        _ => throw new FormatException($"{key} must be an integer"),
    };

    public bool AsBool(string key) => _value as bool? ?? throw new FormatException($"{key} must be true or false");
}
