using DePinChain.Cli.Home;
using DePinChain.Cli.Toml;
using DePinChain.Store;
using Microsoft.Extensions.Logging;

namespace DePinChain.Cli.Tests.Home;

public class AppConfigTests
{
    [Theory]
    [InlineData("[section]", "unknown table [section]")]
    [InlineData("a = 1.5", "unsupported value")]
    [InlineData("a = \"open", "unterminated")]
    [InlineData("a = 1\na = 2", "defined twice")]
    [InlineData("just words", "key = value")]
    [InlineData("a = \"x\" y", "unexpected text")]
    public void Anything_outside_the_subset_is_an_error_naming_the_file(string toml, string expected)
    {
        var error = Assert.ThrowsAny<FormatException>(() => AppConfig.Parse(toml, "app.toml"));
        Assert.Contains(expected, error.Message);
        Assert.StartsWith("app.toml:", error.Message);
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
            iavl-cache-size = 250000
            iavl-pinned-height = 8
            leveldb-compression = true
            log_level = "debug"
            index-events = ["message.sender", "transfer.recipient"]
            """);
        Assert.Equal(["message.sender", "transfer.recipient"], config.IndexEvents.Entries);
        Assert.True(config.AppOptions.IndexEvents.IsIndexed("message", "sender"));
        Assert.False(config.AppOptions.IndexEvents.IsIndexed("message", "action"));
        Assert.True(new AppConfig().AppOptions.IndexEvents.IndexesAll);
        Assert.Equal(config.IndexEvents, AppConfig.Parse(config.ToToml()).IndexEvents);
        Assert.Contains("index-events", Assert.ThrowsAny<FormatException>(() => AppConfig.Parse("index-events = [\"sender\"]")).Message);
        Assert.Equal(250_000, config.IavlCacheSize);
        Assert.True(config.LevelDbCompression);
        Assert.Equal(8, config.IavlPinnedHeight);
        Assert.Equal("unix:///tmp/depin.sock", config.AbciAddress);
        Assert.Equal(AbciTransport.Grpc, config.AbciTransport);
        Assert.Equal(new PruningOptions(100, 10), config.PruningOptions);
        Assert.Equal(500, config.AppOptions.MinRetainBlocks);
        Assert.Equal(25_000_000_000_000_000, (long)config.AppOptions.MinGasPrices.Single().Atto);
        Assert.Equal(LogLevel.Debug, config.LogLevel);
    }

    [Fact]
    public void The_framework_logs_at_warn_unless_app_toml_raises_it_and_a_grpc_address_needs_no_scheme()
    {
        Assert.Equal(LogLevel.Warning, AppConfig.Parse("").FrameworkLogLevel);
        var raised = AppConfig.Parse("framework_log_level = \"info\"\nabci_address = \"127.0.0.1:36658\"\nabci_transport = \"grpc\"");
        Assert.Equal(LogLevel.Information, raised.FrameworkLogLevel);
        Assert.Equal("127.0.0.1:36658", raised.AbciAddress);
        Assert.Contains("framework_log_level must be", Assert.ThrowsAny<FormatException>(() => AppConfig.Parse("framework_log_level = \"chatty\"")).Message);
    }

    [Fact]
    public void Defaults_serve_a_socket_on_26658_and_keep_the_sdk_pruning_window()
    {
        var config = AppConfig.Parse("");
        Assert.Equal("tcp://127.0.0.1:26658", config.AbciAddress);
        Assert.Equal(AbciTransport.Socket, config.AbciTransport);
        Assert.Equal(PruningOptions.Default, config.PruningOptions);
        Assert.Empty(config.AppOptions.MinGasPrices);
        Assert.Equal(new MultiStoreOptions().NodeCacheSize, config.IavlCacheSize);
        Assert.Equal(0, config.IavlPinnedHeight); // whole trees in memory: what the figures are measured with
        Assert.False(config.LevelDbCompression);
        Assert.True(config.GrpcEnable);
        Assert.Equal("127.0.0.1:9090", config.GrpcAddress); // loopback, where the SDK's default is 0.0.0.0:9090
        Assert.True(config.ApiEnable);
        Assert.Equal("127.0.0.1:1317", config.ApiAddress);
        Assert.False(config.ApiEnableUnsafeCors);
    }

    [Fact]
    public void The_grpc_table_sets_the_grpc_server_and_config_reports_the_node_options()
    {
        var config = AppConfig.Parse("""
            minimum-gas-prices = "0.025udpin"
            pruning = "everything"

            [grpc]
            enable = false
            address = "0.0.0.0:19090"
            """);
        Assert.False(config.GrpcEnable);
        Assert.Equal("0.0.0.0:19090", config.GrpcAddress);
        var options = config.GrpcOptions;
        Assert.Equal(("0.0.0.0:19090", "0.025udpin", PruningOptions.Everything), (options.Address, options.MinimumGasPrices, options.Pruning));
        Assert.True(AppConfig.Parse("[grpc]\naddress = \"[::1]:9090\"").GrpcEnable);
    }

    [Fact]
    public void The_api_table_sets_the_rest_gateway()
    {
        var config = AppConfig.Parse("""
            minimum-gas-prices = "0.025udpin"

            [api]
            enable = false
            address = "0.0.0.0:11317"
            enabled-unsafe-cors = true
            """);
        Assert.Equal((false, "0.0.0.0:11317", true), (config.ApiEnable, config.ApiAddress, config.ApiEnableUnsafeCors));
        var options = config.ApiOptions;
        Assert.Equal(("0.0.0.0:11317", true, "0.025udpin"), (options.Address, options.EnableUnsafeCors, options.Node.MinimumGasPrices));
        Assert.Contains("[api] enable", Assert.Throws<TomlException>(() => AppConfig.Parse("[api]\nenable = \"yes\"")).Message);
        Assert.Contains("API address", Assert.Throws<TomlException>(() => AppConfig.Parse("[api]\naddress = \"tcp://localhost:1317\"")).Message);
        Assert.Contains("unknown key \"swagger\" in [api]", Assert.Throws<TomlException>(() => AppConfig.Parse("[api]\nswagger = true")).Message);
    }

    [Fact]
    public void The_explorer_table_sets_the_explorer_and_the_api_it_reads()
    {
        var config = AppConfig.Parse("""
            [api]
            address = "0.0.0.0:11317"

            [explorer]
            enable = true
            address = "127.0.0.1:11318"
            """);
        Assert.Equal((true, "127.0.0.1:11318"), (config.ExplorerEnable, config.ExplorerAddress));
        Assert.Equal(("127.0.0.1:11318", "http://127.0.0.1:11317"), (config.ExplorerOptions(null).Address, config.ExplorerOptions(null).ApiUrl));
        Assert.Equal("http://127.0.0.1:40000", config.ExplorerOptions("127.0.0.1:40000").ApiUrl);
        var remote = AppConfig.Parse("[explorer]\napi-url = \"https://rest.example.org\"");
        Assert.Equal("https://rest.example.org", remote.ExplorerOptions("127.0.0.1:40000").ApiUrl);
        Assert.False(new AppConfig().ExplorerEnable);
        Assert.Contains("explorer address", Assert.Throws<TomlException>(() => AppConfig.Parse("[explorer]\naddress = \"1318\"")).Message);
        Assert.Contains("api-url", Assert.Throws<TomlException>(() => AppConfig.Parse("[explorer]\napi-url = \"rest\"")).Message);
        Assert.Contains("unknown key \"theme\" in [explorer]", Assert.Throws<TomlException>(() => AppConfig.Parse("[explorer]\ntheme = 1")).Message);
    }

    [Fact]
    public void What_init_writes_start_reads_back()
    {
        var written = new AppConfig
        {
            AbciAddress = "tcp://127.0.0.1:36658", AbciTransport = AbciTransport.Grpc, MinimumGasPrices = "0.5udpin",
            Pruning = "custom", PruningKeepRecent = 7, PruningKeepEvery = 3, MinRetainBlocks = 9, LogLevel = LogLevel.Warning,
            IavlCacheSize = 5_000, IavlPinnedHeight = 8, LevelDbCompression = true, FrameworkLogLevel = LogLevel.Information,
            IavlSnapshotInterval = 250,
            GrpcEnable = false, GrpcAddress = "127.0.0.1:19093",
            ApiEnable = false, ApiAddress = "0.0.0.0:11317", ApiEnableUnsafeCors = true,
            ExplorerEnable = true, ExplorerAddress = "127.0.0.1:11318", ExplorerApiUrl = "http://10.0.0.1:1317",
        };
        Assert.Equal(written, AppConfig.Parse(written.ToToml()));
        Assert.Contains("[grpc]\n", written.ToToml());
        Assert.Contains("[api]\n", written.ToToml());
        Assert.Equal(new AppConfig(), AppConfig.Parse(new AppConfig().ToToml()));
        var changesets = new AppConfig { IavlFormat = DePinChain.Store.StoreFormat.Changesets, IavlSnapshotInterval = 50 };
        Assert.Equal(changesets, AppConfig.Parse(changesets.ToToml()));
        Assert.Contains("iavl-format = \"changesets\"", changesets.ToToml());
        // An app.toml from before the key existed belongs to a database in the node format.
        Assert.Equal(DePinChain.Store.StoreFormat.Nodes, AppConfig.Parse("pruning = \"default\"").IavlFormat);
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
    [InlineData("iavl-cache-size = 10", "iavl-cache-size must be between")]
    [InlineData("iavl-pinned-height = -1", "iavl-pinned-height must be between")]
    [InlineData("leveldb-compression = \"yes\"", "leveldb-compression must be true or false")]
    [InlineData("iavl-format = \"pages\"", "iavl-format must be \"nodes\" or \"changesets\"")]
    [InlineData("iavl-format = \"changesets\"\niavl-pinned-height = 8", "needs iavl-pinned-height = 0")]
    [InlineData("iavl-snapshot-interval = 0", "iavl-snapshot-interval must be between")]
    [InlineData("iavl-format = \"changesets\"\npruning = \"nothing\"", "an archive node) needs iavl-format = \"nodes\"")]
    [InlineData("[grpc]\nenable = \"yes\"", "[grpc] enable must be true or false")]
    [InlineData("[grpc]\naddress = \"tcp://127.0.0.1:9090\"", "gRPC address \"tcp://127.0.0.1:9090\" must be host:port")]
    [InlineData("[grpc]\naddress = \"grpc.example.org:9090\"", "must be an IP address or localhost")]
    [InlineData("[grpc]\naddress = 9090", "[grpc] address must be a quoted string")]
    [InlineData("[grpc]\nport = 9090", "unknown key \"port\" in [grpc]")]
    public void Bad_settings_are_rejected_with_a_message_naming_them(string toml, string expected)
    {
        var error = Assert.ThrowsAny<FormatException>(() => AppConfig.Parse(toml));
        Assert.Contains(expected, error.Message);
    }
}
