using DePinChain.Node.Config;
using DePinChain.Store;
using Microsoft.Extensions.Logging;

namespace DePinChain.Node.Tests;

public class ConfigTests
{
    [Fact]
    public void The_toml_subset_reads_strings_integers_booleans_and_comments()
    {
        var values = TomlReader.Parse("""
            # comment
            a = "x\"y" # trailing comment
            b = 'lit\eral'
            c = 1_000
            d = -5
            e = true
            """);
        Assert.Equal("x\"y", values["a"].AsString("a"));
        Assert.Equal("lit\\eral", values["b"].AsString("b"));
        Assert.Equal(1000, values["c"].AsInteger("c"));
        Assert.Equal(-5, values["d"].AsInteger("d"));
        Assert.True(values["e"].AsBool("e"));
    }

    [Theory]
    [InlineData("[section]", "tables")]
    [InlineData("a = 1.5", "unsupported value")]
    [InlineData("a = \"open", "unterminated")]
    [InlineData("a = 1\na = 2", "set twice")]
    [InlineData("just words", "key = value")]
    [InlineData("a = \"x\" y", "unexpected text")]
    public void Anything_outside_the_subset_is_an_error_with_the_line(string toml, string expected)
    {
        var error = Assert.Throws<FormatException>(() => TomlReader.Parse(toml, "app.toml"));
        Assert.Contains(expected, error.Message);
        Assert.Contains("app.toml:", error.Message);
    }

    [Fact]
    public void App_toml_keys_map_to_settings()
    {
        var config = AppConfig.Parse("""
            abci_address = "unix:///tmp/depin.sock"
            abci_transport = "grpc"
            minimum-gas-prices = "0.025udpin"
            pruning = "custom"
            pruning-keep-recent = "100"
            pruning-keep-every = 10
            min-retain-blocks = 500
            log_level = "debug"
            """);
        Assert.Equal("unix:///tmp/depin.sock", config.AbciAddress);
        Assert.Equal(AbciTransport.Grpc, config.AbciTransport);
        Assert.Equal(new PruningOptions(100, 10), config.PruningOptions);
        Assert.Equal(500, config.AppOptions.MinRetainBlocks);
        Assert.Equal(25_000_000_000_000_000, (long)config.AppOptions.MinGasPrices.Single().Atto);
        Assert.Equal(LogLevel.Debug, config.LogLevel);
    }

    [Fact]
    public void Defaults_serve_a_socket_on_26658_and_keep_the_sdk_pruning_window()
    {
        var config = AppConfig.Parse("");
        Assert.Equal("tcp://127.0.0.1:26658", config.AbciAddress);
        Assert.Equal(AbciTransport.Socket, config.AbciTransport);
        Assert.Equal(PruningOptions.Default, config.PruningOptions);
        Assert.Empty(config.AppOptions.MinGasPrices);
    }

    [Theory]
    [InlineData("unknown = 1", "unknown key")]
    [InlineData("abci_transport = \"carrier-pigeon\"", "socket or grpc")]
    [InlineData("pruning = \"sometimes\"", "pruning must be")]
    [InlineData("pruning = \"custom\"", "pruning-keep-recent")]
    [InlineData("minimum-gas-prices = \"cheap\"", "gas price")]
    [InlineData("log_level = \"loud\"", "log_level")]
    [InlineData("min-retain-blocks = \"many\"", "integer")]
    [InlineData("abci_address = \"http://x\"", "app.toml")]
    public void Bad_settings_are_rejected_with_a_message_naming_them(string toml, string expected)
    {
        var error = Assert.Throws<FormatException>(() => AppConfig.Parse(toml));
        Assert.Contains(expected, error.Message);
    }
}
