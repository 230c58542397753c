using System.Globalization;
using System.Text;

namespace DePinChain.Cli.Toml;

/// <summary>Writes the TOML subset our config files use: top-level keys, then [tables] of strings, integers and booleans.</summary>
public sealed class TomlWriter
{
    private readonly StringBuilder _text = new();
    private readonly HashSet<string> _tables = new(StringComparer.Ordinal);
    private readonly HashSet<string> _keysInTable = new(StringComparer.Ordinal);

    public TomlWriter Comment(string comment)
    {
        foreach (string line in comment.Split('\n'))
            _text.Append("# ").Append(line).Append('\n');
        return this;
    }

    public TomlWriter Table(string name)
    {
        if (!TomlReader.IsTableName(name))
            throw new ArgumentException($"invalid TOML table name '{name}'", nameof(name));
        if (!_tables.Add(name))
            throw new ArgumentException($"TOML table [{name}] written twice", nameof(name));
        _keysInTable.Clear();
        if (_text.Length > 0)
            _text.Append('\n');
        _text.Append('[').Append(name).Append("]\n");
        return this;
    }

    public TomlWriter Set(string key, string value) => Put(key, Quote(value));

    public TomlWriter Set(string key, long value) => Put(key, value.ToString(CultureInfo.InvariantCulture));

    public TomlWriter Set(string key, bool value) => Put(key, value ? "true" : "false");

    public TomlWriter Set(string key, IEnumerable<string> values) => Put(key, "[" + string.Join(", ", values.Select(Quote)) + "]");

    public override string ToString() => _text.ToString();

    private TomlWriter Put(string key, string rendered)
    {
        if (!TomlReader.IsBareKey(key))
            throw new ArgumentException($"invalid TOML key '{key}'", nameof(key));
        if (!_keysInTable.Add(key))
            throw new ArgumentException($"TOML key '{key}' written twice in one table", nameof(key));
        _text.Append(key).Append(" = ").Append(rendered).Append('\n');
        return this;
    }

    internal static string Quote(string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': quoted.Append("\\\""); break;
                case '\\': quoted.Append("\\\\"); break;
                case '\n': quoted.Append("\\n"); break;
                case '\r': quoted.Append("\\r"); break;
                case '\t': quoted.Append("\\t"); break;
                default:
                    if (char.IsControl(c))
                        quoted.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    else
                        quoted.Append(c);
                    break;
            }
        }
        return quoted.Append('"').ToString();
    }
}
