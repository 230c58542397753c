using DePinChain.Abci;
using DePinChain.Api.Explorer;
using DePinChain.Api.Grpc;
using DePinChain.Api.Rest;
using DePinChain.App;
using DePinChain.Cli.Home;
using DePinChain.Store;
using DePinChain.Store.Backend.LevelDb;
using Microsoft.Extensions.Logging;

namespace DePinChain.Node;

/// <summary>
/// Runs the application for one home directory: opens (or creates) <c>data/application.db</c>, serves ABCI on
/// the configured transport and (app.toml <c>[grpc] enable</c>) the gRPC API beside it until cancelled, stops both, then
/// closes the store. Fatal app errors (where ABCI has no error
/// path) call <see cref="OnFatal"/>, which the executable turns into a non-zero exit.
/// </summary>
public sealed class NodeHost(string home, AppConfig config, ILoggerFactory loggerFactory, Action<Exception> onFatal)
{
    public const string DatabaseDirectory = "application.db";

    public static string DatabasePath(string home) => Path.Combine(home, "data", DatabaseDirectory);

    /// <summary>Beside the database (iavl-format = "changesets"): the state snapshots, one directory per version.</summary>
    public static string SnapshotDirectory(string home) => Path.Combine(home, "data", "iavl-snapshots");

    public Action<Exception> OnFatal { get; } = onFatal;

    /// <summary>Set once the server listens: the address CometBFT dials (with the real port if 0 was configured).</summary>
    public string? ListenAddress { get; private set; }

    /// <summary>Set once the gRPC API server listens (host:port as bound); null while it is off.</summary>
    public string? GrpcAddress { get; private set; }

    /// <summary>Once started with <c>[api] enable</c>: the REST gateway's <c>host:port</c> as bound.</summary>
    public string? ApiAddress { get; private set; }

    /// <summary>Once started with <c>[explorer] enable</c>: the explorer's <c>host:port</c> as bound.</summary>
    public string? ExplorerAddress { get; private set; }

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger("depinchaind");
        string dbPath = DatabasePath(home);
        bool firstStart = !Directory.Exists(dbPath);
        Directory.CreateDirectory(Path.GetDirectoryName(dbPath)!);

        // One module graph: its store names mount the multistore, and the app runs on it.
        var modules = new AppModules();
        using var store = MultiStore.OpenOwning(
            LevelDbStore.Open(dbPath, new LevelDbOptions { CreateIfMissing = firstStart, Compression = config.LevelDbCompression }),
            modules.StoreNames,
            new MultiStoreOptions
            {
                Pruning = config.PruningOptions,
                NodeCacheSize = (int)config.IavlCacheSize,
                PinnedHeight = (int)config.IavlPinnedHeight,
                WriteBehind = config.CommitWriteBehind,
                Format = config.IavlFormat,
                SnapshotInterval = config.IavlSnapshotInterval,
                SnapshotDirectory = SnapshotDirectory(home),
                // Only a brand-new directory may start empty: an existing but empty database is a wrong --home.
                CreateIfEmpty = firstStart,
                Logger = loggerFactory.CreateLogger<MultiStore>(),
            });
        var app = new DePinApp(store, config.AppOptions, loggerFactory.CreateLogger<DePinApp>(), ThisAssembly.Version, modules);
        IAbciApplication served = CrashPointApplication.WrapFromEnvironment(app);
        logger.LogInformation("Opened {Path} at height {Height} app_hash={AppHash} chain_id={ChainId}",
            dbPath, store.LastCommitId.Version, Convert.ToHexString(store.LastCommitId.Hash), app.ChainId);
        if (StateMemoryCheck.Warning(store.KeyCount, config.IavlPinnedHeight, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes) is { } warning)
            logger.LogWarning("Memory: {Warning}", warning);

        // The API server reads committed state only (DePinApp.Queries), beside the ABCI connections. It starts first so
        // CometBFT finds the node whole, and stops after ABCI (the `await using` order), before the store closes.
        var (cometRpc, cometRpcProblem) = config.GrpcEnable ? CometRpcAddress.Read(home) : (null, null);
        if (cometRpcProblem is not null)
            logger.LogWarning("gRPC: the tx and tendermint services that call CometBFT will answer Unavailable: {Problem}", cometRpcProblem);
        await using var api = config.GrpcEnable
            ? new GrpcApiServer(app, config.GrpcOptions with { CometRpc = cometRpc }, loggerFactory)
            : null;
        if (api is not null)
        {
            await api.StartAsync(cancellationToken);
            GrpcAddress = api.ListenAddress;
        }
        // The explorer binds first so the REST gateway can answer its origin (its page calls the API from another port).
        await using var explorer = config.ExplorerEnable
            ? new ExplorerServer(config.ExplorerOptions(null), loggerFactory)
            : null;
        if (explorer is not null)
        {
            await explorer.StartAsync(cancellationToken);
            ExplorerAddress = explorer.ListenAddress;
        }
        await using var rest = config.ApiEnable
            ? new RestApiServer(app, config.ApiOptions with
            {
                AllowedOrigins = explorer is null ? [] : ["http://" + explorer.ListenAddress, "http://" + explorer.ListenAddress.Replace("127.0.0.1", "localhost", StringComparison.Ordinal)],
            }, loggerFactory)
            : null;
        if (rest is not null)
        {
            await rest.StartAsync(cancellationToken);
            ApiAddress = rest.ListenAddress;
            if (explorer is not null && config.ExplorerApiUrl.Length == 0) explorer.ApiUrl = config.ExplorerOptions(rest.ListenAddress).ApiUrl;
        }

        if (config.AbciTransport == AbciTransport.Grpc)
        {
            await using var server = new AbciGrpcServer(config.AbciAddress, served, loggerFactory, OnFatal,
                new AbciServerOptions { FrameworkLogLevel = config.FrameworkLogLevel });
            await server.StartAsync(cancellationToken);
            Listening(logger, server.ListenAddress, "grpc");
            await WaitForCancellation(cancellationToken);
            await server.StopAsync();
        }
        else
        {
            await using var server = new AbciSocketServer(config.AbciAddress, served, loggerFactory.CreateLogger<AbciSocketServer>(), OnFatal);
            server.Start();
            Listening(logger, server.ListenAddress, "socket");
            await WaitForCancellation(cancellationToken);
            await server.StopAsync();
        }
        if (rest is not null) await rest.StopAsync();
        if (explorer is not null) await explorer.StopAsync();
        if (api is not null) await api.StopAsync();
        logger.LogInformation("Stopped at height {Height}", store.LastCommitId.Version);
    }

    private void Listening(ILogger logger, string address, string transport)
    {
        ListenAddress = address;
        if (transport == "grpc" && !address.StartsWith("unix://", StringComparison.Ordinal))
            logger.LogInformation("Serving ABCI (grpc) on {Address}: CometBFT's proxy_app for it is \"{ProxyApp}\"", address,
                AbciAddress.Parse(address).ToGrpcTarget());
        else
            logger.LogInformation("Serving ABCI ({Transport}) on {Address}", transport, address);
        Started.TrySetResult();
    }

    private static async Task WaitForCancellation(CancellationToken cancellationToken)
    {
        try { await Task.Delay(Timeout.Infinite, cancellationToken); }
        catch (OperationCanceledException) { }
    }
}

internal static class ThisAssembly
{
    public static string Version { get; } =
        typeof(ThisAssembly).Assembly.GetName().Version?.ToString() ?? "dev";
}
