using System.Globalization;
using DePinChain.Api.Grpc;
using DePinChain.Api.Rest;
using DePinChain.App;
using DePinChain.Cli.Toml;
using DePinChain.Store;
using Microsoft.Extensions.Logging;

namespace DePinChain.Cli.Home;

/// <summary>
/// Our own <c>&lt;home&gt;/config/app.toml</c>: written by init and testnet, read by <c>depinchaind start</c>. Keys (all
/// optional, top level):
/// <list type="bullet">
/// <item><c>abci_address</c>: where the app listens for CometBFT: "tcp://127.0.0.1:26658", "127.0.0.1:26658" (no scheme:
/// TCP) or "unix:///path". init and testnet write proxy_app's text here, which for abci = "grpc" is the scheme-less form
/// (see <see cref="AbciPairing"/>).</item>
/// <item><c>abci_transport</c>: "socket" or "grpc" (must equal abci in config.toml).</item>
/// <item><c>minimum-gas-prices</c>: mempool floor, e.g. "0.025udpin" ("" = none).</item>
/// <item><c>pruning</c>: "default" (keep 362880 recent), "nothing" (archive), "everything" (keep 2) or "custom".</item>
/// <item><c>pruning-keep-recent</c>, <c>pruning-keep-every</c>: for pruning = "custom" (integers, quoted or not).</item>
/// <item><c>iavl-cache-size</c>: tree nodes cached in memory per module store (default 100000, at least 1000).</item>
/// <item><c>iavl-pinned-height</c>: tree nodes at least this high keep their loaded children in memory. The default,
/// 0, keeps every module's whole tree in memory once touched (about 600 bytes per key): a validator's blocks then
/// never wait for node reads, and the benchmark figures are measured this way. A machine too small for its state
/// sets 8 (the store library's default), which bounds memory by <c>iavl-cache-size</c> nodes per store and costs
/// throughput (the bank-send bench: a fifth to a third fewer txs per second).</item>
/// <item><c>iavl-format</c>: how the state is persisted: "nodes" (every tree node a database record; any past version in
/// the pruning window stays queryable; what a missing key means, as homes made before the key existed hold that format) or
/// "changesets" (what <c>init</c> and <c>testnet init-files</c> write: whole trees in memory, needs iavl-pinned-height = 0;
/// a commit writes one record of the block's writes per store and a snapshot of the state every
/// <c>iavl-snapshot-interval</c> blocks; ≈ 3× less commit CPU, what a validator of a million devices needs; only the last
/// 100 versions stay queryable, so archive nodes (pruning = "nothing") and deep historical queries keep "nodes").</item>
/// <item><c>iavl-snapshot-interval</c>: with iavl-format = "changesets", blocks between state snapshots (default 1000;
/// a restart replays at most this many blocks' writes).</item>
/// <item><c>leveldb-compression</c>: Snappy compression of the state database's tables (default false: tree
/// nodes are mostly SHA-256 hashes, which do not compress, so it costs CPU and saves little disk).</item>
/// <item><c>commit-write-behind</c>: Commit answers CometBFT once the block's state is sealed in memory (hashed,
/// queryable) and writes it to disk while the next block runs, at most one block behind (default true). After a
/// crash the node may restart one block lower; CometBFT's handshake replays that block from its block store.
/// false: Commit answers after the synced write.</item>
/// <item><c>min-retain-blocks</c>: blocks CometBFT must keep (Commit's retain_height); 0 keeps all.</item>
/// <item><c>index-events</c>: the event attributes CometBFT indexes, as "type.key" strings (the SDK's option); [] = all.
/// Indexing costs CometBFT CPU and disk per tx; what is not indexed cannot be found with tx_search.</item>
/// <item><c>log_level</c>: "trace", "debug", "info", "warn", "error" or "none".</item>
/// <item><c>framework_log_level</c>: the same levels for ASP.NET Core's own log lines under the gRPC transport (default
/// "warn"; at "info" it logs two lines per ABCI call).</item>
/// </list>
/// Table <c>[grpc]</c>, the node's gRPC server (the SDK's section of the same name):
/// <list type="bullet">
/// <item><c>enable</c>: serve it beside ABCI (default true).</item>
/// <item><c>address</c>: <c>host:port</c> it listens on (default 127.0.0.1:9090: loopback, where the SDK's default is
/// 0.0.0.0:9090; write 0.0.0.0:9090 to open it to other machines).</item>
/// </list>
/// Table <c>[api]</c>, the node's REST gateway (the SDK's section of the same name):
/// <list type="bullet">
/// <item><c>enable</c>: serve it beside ABCI (default true).</item>
/// <item><c>address</c>: <c>host:port</c> it listens on (default 127.0.0.1:1317, loopback; the SDK's default is
/// tcp://localhost:1317, written here without the scheme).</item>
/// <item><c>enabled-unsafe-cors</c>: answer web pages of any origin (<c>Access-Control-Allow-Origin: *</c> and CORS
/// preflight requests; default false).</item>
/// </list>
/// Table <c>[explorer]</c>, the block explorer's web page (it reads only the REST gateway, which lets its origin call it):
/// <list type="bullet">
/// <item><c>enable</c>: serve it beside ABCI (default false; testnet init-files turns it on). It reads this node's [api] or <c>api-url</c>.</item>
/// <item><c>address</c>: <c>host:port</c> it listens on (default 127.0.0.1:1318).</item>
/// <item><c>api-url</c>: the REST API the page reads (default "": this node's [api] address).</item>
/// </list>
/// Unknown keys and tables are errors.
/// </summary>
public sealed record AppConfig
{
    public const string DefaultAbciAddress = "tcp://127.0.0.1:26658";
    public const string GrpcTable = "grpc";
    public const string ApiTable = "api";
    public const string ExplorerTable = "explorer";

    public string AbciAddress { get; init; } = DefaultAbciAddress;
    public AbciTransport AbciTransport { get; init; } = AbciTransport.Socket;
    public string MinimumGasPrices { get; init; } = "";
    public string Pruning { get; init; } = "default";
    public long PruningKeepRecent { get; init; }
    public long PruningKeepEvery { get; init; }
    public long MinRetainBlocks { get; init; }
    public EventIndexing IndexEvents { get; init; } = EventIndexing.All;
    public long IavlCacheSize { get; init; } = new MultiStoreOptions().NodeCacheSize;
    public long IavlPinnedHeight { get; init; }
    public StoreFormat IavlFormat { get; init; } = StoreFormat.Nodes;

    /// <summary>The format <c>init</c> writes into a new home's app.toml: changesets (a validator's blocks commit in a
    /// few LevelDB records; the PoC and store benchmarks at a million devices / 10M keys meet their targets only so).
    /// A missing key still means nodes, the format of homes made before.</summary>
    public const StoreFormat NewHomeIavlFormat = StoreFormat.Changesets;
    public long IavlSnapshotInterval { get; init; } = new MultiStoreOptions().SnapshotInterval;
    public bool LevelDbCompression { get; init; } = new DePinChain.Store.Backend.LevelDb.LevelDbOptions().Compression;
    public bool CommitWriteBehind { get; init; } = true;
    public LogLevel LogLevel { get; init; } = LogLevel.Information;
    public LogLevel FrameworkLogLevel { get; init; } = LogLevel.Warning;
    public bool GrpcEnable { get; init; } = true;
    public string GrpcAddress { get; init; } = GrpcApiOptions.DefaultAddress;
    public bool ApiEnable { get; init; } = true;
    public string ApiAddress { get; init; } = RestApiOptions.DefaultAddress;
    public bool ApiEnableUnsafeCors { get; init; }
    public bool ExplorerEnable { get; init; }
    public string ExplorerAddress { get; init; } = DePinChain.Api.Explorer.ExplorerOptions.DefaultAddress;
    public string ExplorerApiUrl { get; init; } = "";

    public static string PathIn(string home) => Path.Combine(home, "config", "app.toml");

    public string ToToml() => new TomlWriter()
        .Comment("DePinChain application configuration (read by `depinchaind start`).\n" +
                 "abci_address must equal proxy_app in config.toml; abci_transport must equal its abci (socket|grpc).\n" +
                 "For grpc, proxy_app is host:port (no tcp://) or unix:///absolute/path: CometBFT's gRPC client dials nothing else.\n" +
                 "pruning: default | nothing | everything | custom (custom uses pruning-keep-recent / pruning-keep-every).\n" +
                 "iavl-cache-size: tree nodes cached per module store; iavl-pinned-height: nodes this high or higher keep\n" +
                 "their children in memory (0 = whole trees in memory, about 600 bytes per key: fastest; 8 bounds memory).\n" +
                 "iavl-format: nodes (every tree node a record; past versions queryable within the pruning window; a missing key) |\n" +
                 "changesets (init's choice: whole trees in memory, needs iavl-pinned-height = 0: one record per store per block\n" +
                 "plus a snapshot every iavl-snapshot-interval blocks; only the last 100 versions queryable, so archive nodes\n" +
                 "and deep historical queries keep nodes). A database keeps the format it was made with.\n" +
                 "leveldb-compression: Snappy for the state database (tree nodes are hashes: little to gain).\n" +
                 "commit-write-behind: Commit answers once the state is sealed in memory and writes it during the next block\n" +
                 "(a crashed node restarts at most one block lower; CometBFT replays it). false: answer after the write.\n" +
                 "framework_log_level: ASP.NET Core's own lines under the gRPC transport (info = two lines per ABCI call).\n" +
                 "index-events: the event attributes CometBFT indexes, as \"type.key\" (e.g. [\"message.sender\", \"transfer.recipient\"]);\n" +
                 "[] indexes all. Fewer makes CometBFT cheaper per tx; what is not indexed cannot be found with tx_search.")
        .Set("abci_address", AbciAddress)
        .Set("abci_transport", FormatTransport(AbciTransport))
        .Set("minimum-gas-prices", MinimumGasPrices)
        .Set("pruning", Pruning)
        .Set("pruning-keep-recent", PruningKeepRecent)
        .Set("pruning-keep-every", PruningKeepEvery)
        .Set("min-retain-blocks", MinRetainBlocks)
        .Set("index-events", IndexEvents.Entries)
        .Set("iavl-cache-size", IavlCacheSize)
        .Set("iavl-pinned-height", IavlPinnedHeight)
        .Set("iavl-format", IavlFormat == StoreFormat.Changesets ? "changesets" : "nodes")
        .Set("iavl-snapshot-interval", IavlSnapshotInterval)
        .Set("leveldb-compression", LevelDbCompression)
        .Set("commit-write-behind", CommitWriteBehind)
        .Set("log_level", FormatLogLevel(LogLevel))
        .Set("framework_log_level", FormatLogLevel(FrameworkLogLevel))
        .Table(GrpcTable)
        .Comment("The node's gRPC server (every module's Query service, the tx, node and tendermint services, reflection for grpcurl;\n" +
                 "BroadcastTx, GetTx, GetTxsEvent and the tendermint service call CometBFT's RPC at config.toml [rpc] laddr).\n" +
                 "address: host:port; loopback by default, 0.0.0.0:9090 serves other machines too.")
        .Set("enable", GrpcEnable)
        .Set("address", GrpcAddress)
        .Table(ApiTable)
        .Comment("The node's REST gateway (the SDK's routes from the protos' google.api.http annotations, JSON as the SDK writes it).\n" +
                 "address: host:port; loopback by default. enabled-unsafe-cors: let web pages of any origin call it.")
        .Set("enable", ApiEnable)
        .Set("address", ApiAddress)
        .Set("enabled-unsafe-cors", ApiEnableUnsafeCors)
        .Table(ExplorerTable)
        .Comment("The block explorer (map of devices, device pages with rewards, deny list), a web page that reads only the REST API.\n" +
                 "address: host:port; api-url: the REST API it reads (\"\" = this node's [api] address, which then answers its origin).")
        .Set("enable", ExplorerEnable)
        .Set("address", ExplorerAddress)
        .Set("api-url", ExplorerApiUrl)
        .ToString();

    /// <summary>Reads app.toml; a missing file gives the defaults.</summary>
    /// <exception cref="FormatException">The file has an unknown key or a bad value (the message names the file and key).</exception>
    public static AppConfig Load(string home)
    {
        string path = PathIn(home);
        return File.Exists(path) ? Parse(File.ReadAllText(path), path) : new AppConfig();
    }

    /// <exception cref="FormatException">Not valid TOML, an unknown key or a bad value (the message starts with <paramref name="source"/>).</exception>
    public static AppConfig Parse(string toml, string source = "app.toml")
    {
        TomlDocument document = TomlReader.Parse(toml, source);
        foreach (string table in document.Tables.Keys)
            if (table.Length > 0 && table != GrpcTable && table != ApiTable && table != ExplorerTable)
                throw new TomlException($"{source}: unknown table [{table}] (app.toml has top-level keys, [{GrpcTable}], [{ApiTable}] and [{ExplorerTable}])");
        var config = new AppConfig();
        try
        {
            foreach (var (key, value) in document.Tables[""])
            {
                config = key switch
                {
                    "abci_address" => config with { AbciAddress = AsString(key, value) },
                    "abci_transport" => config with { AbciTransport = ParseTransport(AsString(key, value)) },
                    "minimum-gas-prices" => config with { MinimumGasPrices = AsString(key, value) },
                    "pruning" => config with { Pruning = AsString(key, value) },
                    "pruning-keep-recent" => config with { PruningKeepRecent = AsInteger(key, value) },
                    "pruning-keep-every" => config with { PruningKeepEvery = AsInteger(key, value) },
                    "min-retain-blocks" => config with { MinRetainBlocks = AsInteger(key, value) },
                    "index-events" => config with { IndexEvents = EventIndexing.Of(value as string[] ?? throw new FormatException($"{key} must be an array of \"type.key\" strings")) },
                    "iavl-cache-size" => config with { IavlCacheSize = AsInteger(key, value) },
                    "iavl-pinned-height" => config with { IavlPinnedHeight = AsInteger(key, value) },
                    "iavl-format" => config with
                    {
                        IavlFormat = AsString(key, value) switch
                        {
                            "nodes" => StoreFormat.Nodes,
                            "changesets" => StoreFormat.Changesets,
                            var other => throw new FormatException($"iavl-format must be \"nodes\" or \"changesets\", not \"{other}\""),
                        },
                    },
                    "iavl-snapshot-interval" => config with { IavlSnapshotInterval = AsInteger(key, value) },
                    "leveldb-compression" => config with { LevelDbCompression = value as bool? ?? throw new FormatException($"{key} must be true or false") },
                    "commit-write-behind" => config with { CommitWriteBehind = value as bool? ?? throw new FormatException($"{key} must be true or false") },
                    "log_level" => config with { LogLevel = ParseLogLevel(AsString(key, value)) },
                    "framework_log_level" => config with { FrameworkLogLevel = ParseLogLevel(AsString(key, value), key) },
                    _ => throw new FormatException($"unknown key \"{key}\""),
                };
            }
            foreach (var (key, value) in document.Tables.GetValueOrDefault(GrpcTable) ?? new Dictionary<string, object>())
            {
                config = key switch
                {
                    "enable" => config with { GrpcEnable = value as bool? ?? throw new FormatException($"[{GrpcTable}] enable must be true or false") },
                    "address" => config with { GrpcAddress = AsString($"[{GrpcTable}] address", value) },
                    _ => throw new FormatException($"unknown key \"{key}\" in [{GrpcTable}]"),
                };
            }
            foreach (var (key, value) in document.Tables.GetValueOrDefault(ApiTable) ?? new Dictionary<string, object>())
            {
                config = key switch
                {
                    "enable" => config with { ApiEnable = value as bool? ?? throw new FormatException($"[{ApiTable}] enable must be true or false") },
                    "address" => config with { ApiAddress = AsString($"[{ApiTable}] address", value) },
                    "enabled-unsafe-cors" => config with { ApiEnableUnsafeCors = value as bool? ?? throw new FormatException($"[{ApiTable}] enabled-unsafe-cors must be true or false") },
                    _ => throw new FormatException($"unknown key \"{key}\" in [{ApiTable}]"),
                };
            }
            foreach (var (key, value) in document.Tables.GetValueOrDefault(ExplorerTable) ?? new Dictionary<string, object>())
            {
                config = key switch
                {
                    "enable" => config with { ExplorerEnable = value as bool? ?? throw new FormatException($"[{ExplorerTable}] enable must be true or false") },
                    "address" => config with { ExplorerAddress = AsString($"[{ExplorerTable}] address", value) },
                    "api-url" => config with { ExplorerApiUrl = AsString($"[{ExplorerTable}] api-url", value) },
                    _ => throw new FormatException($"unknown key \"{key}\" in [{ExplorerTable}]"),
                };
            }
            config.Validate();
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new TomlException($"{source}: {e.Message}");
        }
        return config;
    }

    private void Validate()
    {
        _ = PruningOptions;
        _ = AppOptions;
        DePinChain.Abci.AbciAddress.Parse(AbciAddress);
        GrpcApiOptions.ParseAddress(GrpcAddress);
        RestApiOptions.ParseAddress(ApiAddress);
        DePinChain.Api.Explorer.ExplorerOptions.ParseAddress(ExplorerAddress);
        if (ExplorerApiUrl.Length > 0 && !(Uri.TryCreate(ExplorerApiUrl, UriKind.Absolute, out Uri? url) && url.Scheme is "http" or "https"))
            throw new FormatException($"[{ExplorerTable}] api-url must be an absolute http(s) URL or \"\", not \"{ExplorerApiUrl}\"");
        if (MinRetainBlocks < 0) throw new FormatException("min-retain-blocks must not be negative");
        if (IavlCacheSize is < 1_000 or > 100_000_000) throw new FormatException($"iavl-cache-size must be between 1000 and 100000000, not {IavlCacheSize}");
        if (IavlPinnedHeight is < 0 or > 64) throw new FormatException($"iavl-pinned-height must be between 0 and 64, not {IavlPinnedHeight}");
        if (IavlSnapshotInterval is < 1 or > 1_000_000_000) throw new FormatException($"iavl-snapshot-interval must be between 1 and 1000000000, not {IavlSnapshotInterval}");
        if (IavlFormat == StoreFormat.Changesets && IavlPinnedHeight != 0)
            throw new FormatException($"iavl-format = \"changesets\" keeps whole trees in memory: it needs iavl-pinned-height = 0, not {IavlPinnedHeight}");
        if (IavlFormat == StoreFormat.Changesets && PruningOptions.KeepsAll)
            throw new FormatException("pruning = \"nothing\" (an archive node) needs iavl-format = \"nodes\": the changesets format keeps only the last 100 versions queryable");
    }

    private static string AsString(string key, object value) => value as string ?? throw new FormatException($"{key} must be a quoted string");

    /// <summary>An integer, also accepted as a quoted decimal string (the Cosmos app.toml quotes pruning numbers).</summary>
    private static long AsInteger(string key, object value) => value switch
    {
        long n => n,
        string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) => n,
        _ => throw new FormatException($"{key} must be an integer"),
    };

    public PruningOptions PruningOptions => Pruning switch
    {
        "default" => PruningOptions.Default,
        "nothing" => PruningOptions.Nothing,
        "everything" => PruningOptions.Everything,
        "custom" when PruningKeepRecent >= 2 && PruningKeepEvery >= 0 => new PruningOptions(PruningKeepRecent, PruningKeepEvery),
        "custom" => throw new FormatException("pruning = \"custom\" needs pruning-keep-recent >= 2 and pruning-keep-every >= 0"),
        _ => throw new FormatException($"pruning must be default, nothing, everything or custom, not \"{Pruning}\""),
    };

    public AppOptions AppOptions => new()
    {
        MinGasPrices = AppOptions.ParseGasPrices(MinimumGasPrices),
        MinRetainBlocks = MinRetainBlocks,
        IndexEvents = IndexEvents,
    };

    /// <summary>The gRPC server's options: its address, and what its node Config service reports from this file.</summary>
    public GrpcApiOptions GrpcOptions => new()
    {
        Address = GrpcAddress,
        MinimumGasPrices = MinimumGasPrices,
        Pruning = PruningOptions,
        FrameworkLogLevel = FrameworkLogLevel,
    };

    /// <summary>The REST gateway's options: its address, CORS, and the node settings its Config route reports.</summary>
    public RestApiOptions ApiOptions => new()
    {
        Address = ApiAddress,
        EnableUnsafeCors = ApiEnableUnsafeCors,
        Node = GrpcOptions,
        FrameworkLogLevel = FrameworkLogLevel,
    };

    /// <summary>The explorer's options; its page reads <c>api-url</c>, or this node's REST gateway at <paramref name="apiAddress"/> (as bound).</summary>
    public DePinChain.Api.Explorer.ExplorerOptions ExplorerOptions(string? apiAddress) => new()
    {
        Address = ExplorerAddress,
        ApiUrl = ExplorerApiUrl.Length > 0 ? ExplorerApiUrl : "http://" + (apiAddress ?? ApiAddress).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal),
    };

    public static AbciTransport ParseTransport(string text) => text switch
    {
        "socket" => AbciTransport.Socket,
        "grpc" => AbciTransport.Grpc,
        _ => throw new FormatException($"abci transport must be socket or grpc, not \"{text}\""),
    };

    public static string FormatTransport(AbciTransport transport) => transport == AbciTransport.Grpc ? "grpc" : "socket";

    public static LogLevel ParseLogLevel(string text, string key = "log_level") => text switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" => LogLevel.Information,
        "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "none" => LogLevel.None,
        _ => throw new FormatException($"{key} must be trace, debug, info, warn, error or none, not \"{text}\""),
    };

    public static string FormatLogLevel(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Warning => "warn",
        LogLevel.Error or LogLevel.Critical => "error",
        LogLevel.None => "none",
        _ => "info",
    };
}

/// <summary>How CometBFT talks to the app: its config.toml <c>abci</c> setting.</summary>
public enum AbciTransport
{
    Socket,
    Grpc,
}
