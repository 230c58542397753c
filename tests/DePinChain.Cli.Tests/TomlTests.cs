using DePinChain.Cli.Toml;

namespace DePinChain.Cli.Tests;

public class TomlTests
{
    [Fact]
    public void What_the_writer_writes_the_reader_reads_back()
    {
        string text = new TomlWriter()
            .Comment("header")
            .Set("name", "a \"quoted\" \\ value\twith\nlines")
            .Set("count", -42)
            .Set("on", true)
            .Table("p2p")
            .Set("peers", ["x@1.2.3.4:1", "y"])
            .Set("on", false)
            .Table("a.b")
            .Set("empty", "")
            .ToString();

        TomlDocument doc = TomlReader.Parse(text);
        Assert.Equal("a \"quoted\" \\ value\twith\nlines", doc.GetString("", "name"));
        Assert.Equal(-42, doc.GetInteger("", "count"));
        Assert.True(doc.GetBoolean("", "on"));
        Assert.False(doc.GetBoolean("p2p", "on"));
        Assert.Equal(["x@1.2.3.4:1", "y"], (string[])doc.Tables["p2p"]["peers"]);
        Assert.Equal("", doc.GetString("a.b", "empty"));
    }

    [Fact]
    public void Strings_integers_booleans_and_comments_are_read()
    {
        var doc = TomlReader.Parse("""
            # comment
            a = "x\"y" # trailing comment
            b = 'lit\eral'
            c = 1_000
            d = -5
            e = true
            """);
        Assert.Equal("x\"y", doc.GetString("", "a"));
        Assert.Equal("lit\\eral", doc.GetString("", "b"));
        Assert.Equal(1000, doc.GetInteger("", "c"));
        Assert.Equal(-5, doc.GetInteger("", "d"));
        Assert.True(doc.GetBoolean("", "e"));
    }

    [Fact]
    public void Errors_name_the_source_when_given()
    {
        var error = Assert.Throws<TomlException>(() => TomlReader.Parse("a = 1\na = 2", "app.toml"));
        Assert.Equal("app.toml: line 2: key 'a' defined twice", error.Message);
    }

    [Fact]
    public void Literal_strings_comments_and_blank_lines_are_read()
    {
        var doc = TomlReader.Parse("# c\n\nkey = 'C:\\path' # trailing\n[t] # table comment\n  x = 0\n");
        Assert.Equal("C:\\path", doc.GetString("", "key"));
        Assert.Equal(0, doc.GetInteger("t", "x"));
    }

    [Theory]
    [InlineData("a = 1\na = 2", "line 2: key 'a' defined twice")]
    [InlineData("[t]\n[t]", "line 2: table [t] defined twice")]
    [InlineData("a = 1.5", "line 1: unsupported value '1.5'")]
    [InlineData("a = \"open", "line 1: unterminated string")]
    [InlineData("a.b = 1", "line 1: bad key 'a.b'")]
    [InlineData("a = 1 2", "line 1: unexpected text after the value of 'a'")]
    [InlineData("just text", "line 1: expected 'key = value'")]
    [InlineData("a = 007", "line 1: integer '007' has a leading zero")]
    [InlineData("a = 1__0", "line 1: misplaced '_'")]
    [InlineData("a = 10_", "line 1: misplaced '_'")]
    [InlineData("a = [1, 2]", "line 1: only arrays of strings")]
    [InlineData("a = \"\\q\"", "line 1: bad escape")]
    [InlineData("[[arr]]", "line 1: bad table header")]
    [InlineData("a = {x = 1}", "line 1: unsupported value")]
    public void Input_outside_the_subset_is_refused_with_its_line(string text, string expected)
    {
        var error = Assert.Throws<TomlException>(() => TomlReader.Parse(text));
        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public void A_missing_or_mistyped_key_is_named()
    {
        var doc = TomlReader.Parse("[rpc]\nladdr = 5\n");
        Assert.Equal("missing TOML key [p2p] laddr", Assert.Throws<TomlException>(() => doc.GetString("p2p", "laddr")).Message);
        Assert.Equal("TOML key [rpc] laddr is not a String", Assert.Throws<TomlException>(() => doc.GetString("rpc", "laddr")).Message);
    }
}
