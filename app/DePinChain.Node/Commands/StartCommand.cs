using System.CommandLine;
using System.Runtime.InteropServices;
using DePinChain.Cli.Home;
using Microsoft.Extensions.Logging;

namespace DePinChain.Node.Commands;

/// <summary><c>depinchaind start --home H [--abci socket|grpc] [--address tcp://127.0.0.1:26658]</c>.</summary>
public static class StartCommand
{
    /// <summary>Exit code when the app hit a fatal error (state it cannot trust); CometBFT stops too.</summary>
    public const int FatalExitCode = 70;

    public static Command Create(Option<string> home)
    {
        var transport = new Option<string>("--abci")
        {
            Description = "ABCI transport: socket or grpc (overrides abci_transport in app.toml)",
        };
        transport.AcceptOnlyFromAmong("socket", "grpc");
        var address = new Option<string>("--address")
        {
            Description = "Address to serve ABCI on, tcp://host:port or unix:///path (overrides abci_address)",
        };
        var command = new Command("start", "Run the application and serve CometBFT over ABCI until SIGINT/SIGTERM") { transport, address };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetRequiredValue(home), parse.GetValue(transport), parse.GetValue(address), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string home, string? transport, string? address, CancellationToken cancellationToken)
    {
        AppConfig config;
        try
        {
            config = AppConfig.Load(home);
            if (transport is not null) config = config with { AbciTransport = AppConfig.ParseTransport(transport) };
            if (address is not null)
            {
                DePinChain.Abci.AbciAddress.Parse(address);
                config = config with { AbciAddress = address };
            }
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IOException)
        {
            await Console.Error.WriteLineAsync($"Error: {e.Message}");
            return 2;
        }

        using var loggerFactory = LoggerFactory.Create(b => b
            .SetMinimumLevel(config.LogLevel)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            }));
        var logger = loggerFactory.CreateLogger("depinchaind");

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
}
