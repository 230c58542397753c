using System.Globalization;
using System.Text;

namespace DePinChain.Cli.Toml;

/// <summary>A TOML value or document outside the subset we read (a <see cref="FormatException"/>, like any bad config text).</summary>
public sealed class TomlException(string message) : FormatException(message);

/// <summary>A parsed TOML document: table name ("" for top-level keys) → key → string, long, bool or string[].</summary>
public sealed class TomlDocument(IReadOnlyDictionary<string, IReadOnlyDictionary<string, object>> tables)
{
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, object>> Tables { get; } = tables;

    public bool TryGet(string table, string key, out object value)
    {
        value = null!;
        return Tables.TryGetValue(table, out var keys) && keys.TryGetValue(key, out value!);
    }

    public string GetString(string table, string key) => Get<string>(table, key);

    public long GetInteger(string table, string key) => Get<long>(table, key);

    public bool GetBoolean(string table, string key) => Get<bool>(table, key);

    private T Get<T>(string table, string key)
    {
        string where = table.Length == 0 ? key : $"[{table}] {key}";
        if (!TryGet(table, key, out object value))
            throw new TomlException($"missing TOML key {where}");
        return value is T typed ? typed : throw new TomlException($"TOML key {where} is not a {typeof(T).Name}");
    }
}

/// <summary>
/// A strict reader for the TOML subset config files use: comments, [table] headers, bare keys,
/// basic and literal strings, integers (with _ separators), booleans and one-line string arrays. Anything else
/// (dotted keys, floats, dates, inline tables, multi-line values) is an error with its line number, so a typo
/// never silently falls back to a default.
/// </summary>
public static class TomlReader
{
    /// <param name="source">Named in front of every error ("app.toml: line 3: ..."); null for none.</param>
    public static TomlDocument Parse(string text, string? source = null)
    {
        try
        {
            return ParseDocument(text);
        }
        catch (TomlException e) when (source is not null)
        {
            throw new TomlException($"{source}: {e.Message}");
        }
    }

    private static TomlDocument ParseDocument(string text)
    {
        var tables = new Dictionary<string, Dictionary<string, object>>(StringComparer.Ordinal) { [""] = new(StringComparer.Ordinal) };
        var current = tables[""];
        string[] lines = text.Replace("\r\n", "\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            int lineNumber = i + 1;
            string line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
                continue;
            if (line[0] == '[')
            {
                int close = line.IndexOf(']');
                if (line.StartsWith("[[", StringComparison.Ordinal) || close < 0 || !IsBlankOrComment(line[(close + 1)..]))
                    throw new TomlException($"line {lineNumber}: bad table header '{line}'");
                string name = line[1..close].Trim();
                if (!IsTableName(name))
                    throw new TomlException($"line {lineNumber}: bad table name '{name}'");
                if (tables.ContainsKey(name))
                    throw new TomlException($"line {lineNumber}: table [{name}] defined twice");
                current = tables[name] = new Dictionary<string, object>(StringComparer.Ordinal);
                continue;
            }
            int equals = line.IndexOf('=');
            if (equals < 0)
                throw new TomlException($"line {lineNumber}: expected 'key = value', got '{line}'");
            string key = line[..equals].Trim();
            if (!IsBareKey(key))
                throw new TomlException($"line {lineNumber}: bad key '{key}'");
            if (current.ContainsKey(key))
                throw new TomlException($"line {lineNumber}: key '{key}' defined twice");
            int position = 0;
            string rest = line[(equals + 1)..].Trim();
            object value = ParseValue(rest, ref position, lineNumber);
            if (!IsBlankOrComment(rest[position..]))
                throw new TomlException($"line {lineNumber}: unexpected text after the value of '{key}'");
            current[key] = value;
        }
        return new TomlDocument(tables.ToDictionary(t => t.Key, t => (IReadOnlyDictionary<string, object>)t.Value, StringComparer.Ordinal));
    }

    public static bool IsBareKey(string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    public static bool IsTableName(string name) =>
        name.Length > 0 && name.Split('.').All(IsBareKey);

    private static bool IsBlankOrComment(string text)
    {
        string trimmed = text.Trim();
        return trimmed.Length == 0 || trimmed[0] == '#';
    }

    private static object ParseValue(string text, ref int position, int lineNumber)
    {
        if (position >= text.Length)
            throw new TomlException($"line {lineNumber}: missing value");
        char first = text[position];
        if (first == '"')
            return ParseBasicString(text, ref position, lineNumber);
        if (first == '\'')
        {
            int end = text.IndexOf('\'', position + 1);
            if (end < 0)
                throw new TomlException($"line {lineNumber}: unterminated literal string");
            string literal = text[(position + 1)..end];
            position = end + 1;
            return literal;
        }
        if (first == '[')
            return ParseStringArray(text, ref position, lineNumber);

        int start = position;
        while (position < text.Length && !char.IsWhiteSpace(text[position]) && text[position] is not (',' or ']' or '#'))
            position++;
        string token = text[start..position];
        if (token.Contains('_'))
        {
            // TOML allows _ between digits only: 1_000, not _1, 1_, 1__0.
            string unsigned = token.TrimStart('+', '-');
            if (unsigned.StartsWith('_') || unsigned.EndsWith('_') || unsigned.Contains("__", StringComparison.Ordinal))
                throw new TomlException($"line {lineNumber}: misplaced '_' in '{token}'");
            token = token.Replace("_", "", StringComparison.Ordinal);
        }
        if (token == "true")
            return true;
        if (token == "false")
            return false;
        bool looksInteger = token.Length > 0 && (char.IsAsciiDigit(token[0]) || (token[0] is '+' or '-' && token.Length > 1))
            && token.Skip(token[0] is '+' or '-' ? 1 : 0).All(char.IsAsciiDigit);
        if (looksInteger && long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number))
        {
            string digits = token.TrimStart('+', '-');
            if (digits.Length > 1 && digits[0] == '0')
                throw new TomlException($"line {lineNumber}: integer '{token}' has a leading zero");
            return number;
        }
        throw new TomlException($"line {lineNumber}: unsupported value '{token}' (strings, integers, booleans and string arrays only)");
    }

    private static string ParseBasicString(string text, ref int position, int lineNumber)
    {
        var value = new StringBuilder();
        position++;
        while (position < text.Length)
        {
            char c = text[position++];
            if (c == '"')
                return value.ToString();
            if (c != '\\')
            {
                if (char.IsControl(c) && c != '\t')
                    throw new TomlException($"line {lineNumber}: control character in string");
                value.Append(c);
                continue;
            }
            if (position >= text.Length)
                break;
            char escape = text[position++];
            switch (escape)
            {
                case '"': value.Append('"'); break;
                case '\\': value.Append('\\'); break;
                case 'n': value.Append('\n'); break;
                case 't': value.Append('\t'); break;
                case 'r': value.Append('\r'); break;
                case 'b': value.Append('\b'); break;
                case 'f': value.Append('\f'); break;
                case 'u' when position + 4 <= text.Length &&
                    int.TryParse(text.AsSpan(position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code):
                    value.Append((char)code);
                    position += 4;
                    break;
                default:
                    throw new TomlException($"line {lineNumber}: bad escape '\\{escape}' in string");
            }
        }
        throw new TomlException($"line {lineNumber}: unterminated string");
    }

    private static string[] ParseStringArray(string text, ref int position, int lineNumber)
    {
        var items = new List<string>();
        position++;
        while (true)
        {
            SkipSpaces(text, ref position);
            if (position >= text.Length)
                throw new TomlException($"line {lineNumber}: unterminated array (arrays must fit on one line)");
            if (text[position] == ']')
            {
                position++;
                return [.. items];
            }
            if (ParseValue(text, ref position, lineNumber) is not string item)
                throw new TomlException($"line {lineNumber}: only arrays of strings are supported");
            items.Add(item);
            SkipSpaces(text, ref position);
            if (position < text.Length && text[position] == ',')
                position++;
            else if (position < text.Length && text[position] != ']')
                throw new TomlException($"line {lineNumber}: expected ',' or ']' in array");
        }
    }

    private static void SkipSpaces(string text, ref int position)
    {
        while (position < text.Length && text[position] is ' ' or '\t')
            position++;
    }
}
