using DePinChain.App;
using DePinChain.Store;
using Microsoft.Extensions.Logging;

namespace DePinChain.Node.Config;

/// <summary>
/// The node's settings from <c>&lt;home&gt;/config/app.toml</c>. Keys (all optional, top level):
/// <list type="bullet">
/// <item><c>abci_address</c>: where the app listens for CometBFT, "tcp://127.0.0.1:26658" or "unix:///path".</item>
/// <item><c>abci_transport</c>: "socket" (CometBFT abci = "socket") or "grpc".</item>
/// <item><c>minimum-gas-prices</c>: mempool floor, e.g. "0.025udpin" ("" = none).</item>
/// <item><c>pruning</c>: "default" (keep 362880 recent), "nothing" (archive), "everything" (keep 2) or "custom".</item>
/// <item><c>pruning-keep-recent</c>, <c>pruning-keep-every</c>: for pruning = "custom" (integers, quoted or not).</item>
/// <item><c>min-retain-blocks</c>: blocks CometBFT must keep (Commit's retain_height); 0 keeps all.</item>
/// <item><c>log_level</c>: "trace", "debug", "info", "warn", "error" or "none".</item>
/// </list>
/// Unknown keys are errors.
/// </summary>
public sealed record AppConfig
{
    public const string DefaultAbciAddress = "tcp://127.0.0.1:26658";

    public string AbciAddress { get; init; } = DefaultAbciAddress;

    public AbciTransport AbciTransport { get; init; } = AbciTransport.Socket;

    public string MinimumGasPrices { get; init; } = "";

    public string Pruning { get; init; } = "default";

    public long PruningKeepRecent { get; init; }

    public long PruningKeepEvery { get; init; }

    public long MinRetainBlocks { get; init; }

    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    public static string PathIn(string home) => Path.Combine(home, "config", "app.toml");

    /// <summary>Reads app.toml; a missing file gives the defaults.</summary>
    /// <exception cref="FormatException">The file has an unknown key or a bad value (the message names it).</exception>
    public static AppConfig Load(string home)
    {
        string path = PathIn(home);
        return File.Exists(path) ? Parse(File.ReadAllText(path), path) : new AppConfig();
    }

    public static AppConfig Parse(string toml, string source = "app.toml")
    {
        var config = new AppConfig();
        foreach (var (key, value) in TomlReader.Parse(toml, source))
        {
            config = key switch
            {
                "abci_address" => config with { AbciAddress = value.AsString(key) },
                "abci_transport" => config with { AbciTransport = ParseTransport(value.AsString(key)) },
                "minimum-gas-prices" => config with { MinimumGasPrices = value.AsString(key) },
                "pruning" => config with { Pruning = value.AsString(key) },
                "pruning-keep-recent" => config with { PruningKeepRecent = value.AsInteger(key) },
                "pruning-keep-every" => config with { PruningKeepEvery = value.AsInteger(key) },
                "min-retain-blocks" => config with { MinRetainBlocks = value.AsInteger(key) },
                "log_level" => config with { LogLevel = ParseLogLevel(value.AsString(key)) },
                _ => throw new FormatException($"{source}: unknown key \"{key}\""),
            };
        }
        config.Validate(source);
        return config;
    }

    private void Validate(string source)
    {
        try
        {
            _ = PruningOptions;
            _ = AppOptions;
            DePinChain.Abci.AbciAddress.Parse(AbciAddress);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new FormatException($"{source}: {e.Message}", e);
        }
        if (MinRetainBlocks < 0) throw new FormatException($"{source}: min-retain-blocks must not be negative");
    }

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
    };

    public static AbciTransport ParseTransport(string text) => text switch
    {
        "socket" => AbciTransport.Socket,
        "grpc" => AbciTransport.Grpc,
        _ => throw new FormatException($"abci transport must be socket or grpc, not \"{text}\""),
    };

    public static LogLevel ParseLogLevel(string text) => text switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" => LogLevel.Information,
        "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "none" => LogLevel.None,
        _ => throw new FormatException($"log_level must be trace, debug, info, warn, error or none, not \"{text}\""),
    };
}

public enum AbciTransport
{
    Socket,
    Grpc,
}
