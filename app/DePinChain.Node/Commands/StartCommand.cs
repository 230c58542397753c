using System.CommandLine;
using System.Runtime.InteropServices;
using DePinChain.Cli.Commands;
using DePinChain.Cli.Home;
using DePinChain.Cli.Toml;
using Microsoft.Extensions.Logging;

namespace DePinChain.Node.Commands;

/// <summary><c>depinchaind start --home H [--abci socket|grpc] [--address tcp://127.0.0.1:26658]</c>.</summary>
/// <remarks>
/// Before it opens the database, start reads the home's config/config.toml (when there is one: CometBFT's side of the
/// pair) and refuses, in one line and exit 1, a proxy_app/abci that cannot reach the address and transport it is about
/// to serve (<see cref="AbciPairing.Problems"/>), e.g. abci = "grpc" with a tcp:// proxy_app, which CometBFT's gRPC
/// client never connects to.
/// </remarks>
public static class StartCommand
{
    /// <summary>Exit code when the app hit a fatal error (state it cannot trust); CometBFT stops too.</summary>
    public const int FatalExitCode = 70;

    public static Command Create(Option<string> home, CliContext context)
    {
        var transport = new Option<string>("--abci")
        {
            Description = "ABCI transport: socket or grpc (overrides abci_transport in app.toml)",
        };
        transport.AcceptOnlyFromAmong("socket", "grpc");
        var address = new Option<string>("--address")
        {
            Description = "Address to serve ABCI on, tcp://host:port, host:port or unix:///path (overrides abci_address)",
        };
        var command = new Command("start", "Run the application and serve CometBFT over ABCI until SIGINT/SIGTERM") { transport, address };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetRequiredValue(home), parse.GetValue(transport), parse.GetValue(address), context.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string home, string? transport, string? address, TextWriter error, CancellationToken cancellationToken)
    {
        if (address is not null)
        {
            try
            {
                DePinChain.Abci.AbciAddress.Parse(address);
            }
            catch (FormatException e)
            {
                await error.WriteLineAsync($"Error: --address: {e.Message}");
                return OperatorCommands.UsageError;
            }
        }
        AppConfig config;
        try
        {
            config = AppConfig.Load(home);
            if (transport is not null) config = config with { AbciTransport = AppConfig.ParseTransport(transport) };
            if (address is not null) config = config with { AbciAddress = address };
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IOException)
        {
            await error.WriteLineAsync($"Error: {e.Message}");
            return OperatorCommands.Failure;
        }
        var (problem, notChecked) = CheckPairing(home, config);
        if (problem is not null)
        {
            await error.WriteLineAsync($"Error: CometBFT could not reach this app: {problem}");
            return OperatorCommands.Failure;
        }

        // app.toml's log_level for our lines; the gRPC server holds ASP.NET Core's own to framework_log_level.
        using var loggerFactory = LoggerFactory.Create(b => b
            .SetMinimumLevel(config.LogLevel)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            }));
        var logger = loggerFactory.CreateLogger("depinchaind");
        if (notChecked is not null)
            logger.LogWarning("Did not check config.toml's proxy_app and abci against the app: {Reason}", notChecked);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
        {
            ctx.Cancel = true;
            stop.Cancel();
        });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx =>
        {
            ctx.Cancel = true;
            stop.Cancel();
        });

        var host = new NodeHost(home, config, loggerFactory, e =>
        {
            // The app cannot answer correctly; a wrong answer would be worse than stopping.
            logger.LogCritical(e, "Fatal application error; exiting");
            loggerFactory.Dispose();
            Environment.Exit(FatalExitCode);
        });
        try
        {
            await host.RunAsync(stop.Token);
            return 0;
        }
        catch (Exception e)
        {
            logger.LogCritical(e, "depinchaind failed: {Message}", e.Message);
            return 1;
        }
    }

    /// <summary>
    /// What keeps CometBFT, as the home's config.toml sets it up, from reaching the app (Problem), or why that could not
    /// be checked (Unchecked: a config.toml outside the TOML subset we read); both null when it can connect or when
    /// the home has no config.toml (CometBFT runs from another home).
    /// </summary>
    private static (string? Problem, string? Unchecked) CheckPairing(string home, AppConfig config)
    {
        string path = new NodeHome(home).ConfigToml;
        if (!File.Exists(path))
            return (null, null);
        (string ProxyApp, string Transport) comet;
        try
        {
            comet = AbciPairing.ReadCometSide(File.ReadAllText(path), path);
        }
        catch (TomlException e)
        {
            return (null, e.Message);
        }
        IReadOnlyList<string> problems = AbciPairing.Problems(comet.ProxyApp, comet.Transport, config);
        return (problems.Count == 0 ? null : $"{path}: " + string.Join("; ", problems), null);
    }
}
