using DePinChain.Abci;
using DePinChain.Cli.Toml;

namespace DePinChain.Cli.Home;

/// <summary>
/// Where CometBFT and the app meet: config.toml's <c>proxy_app</c> and <c>abci</c> on CometBFT's side, app.toml's
/// <c>abci_address</c> and <c>abci_transport</c> on ours. init and testnet write one text to both address keys, in the
/// form the transport's CometBFT client dials (<see cref="ProxyAppFor"/>); <c>depinchaind start</c> refuses a pair
/// that cannot connect (<see cref="Problems"/>).
/// </summary>
public static class AbciPairing
{
    /// <summary>CometBFT's own defaults for the keys when config.toml leaves them out.</summary>
    public const string CometDefaultProxyApp = "tcp://127.0.0.1:26658", CometDefaultTransport = "socket";

    /// <summary>
    /// The <c>proxy_app</c> (and <c>abci_address</c>) text for <paramref name="transport"/>: <c>tcp://host:port</c> or
    /// <c>unix://path</c> for the socket; <c>host:port</c> or <c>unix:///absolute/path</c> for gRPC, the only forms
    /// CometBFT v0.38's gRPC client (grpc-go) dials. <paramref name="address"/> may be written in any form
    /// <see cref="AbciAddress"/> reads.
    /// </summary>
    /// <exception cref="FormatException">Not an ABCI address, or a relative unix path for gRPC.</exception>
    public static string ProxyAppFor(AbciTransport transport, string address)
    {
        AbciAddress parsed = AbciAddress.Parse(address);
        return transport == AbciTransport.Grpc ? parsed.ToGrpcTarget() : parsed.ToSocketTarget();
    }

    /// <summary>config.toml's <c>proxy_app</c> and <c>abci</c>, with CometBFT's defaults for keys left out.</summary>
    /// <exception cref="TomlException">The file is outside the TOML subset we read.</exception>
    public static (string ProxyApp, string Transport) ReadCometSide(string configTomlText, string source)
    {
        TomlDocument toml = TomlReader.Parse(configTomlText, source);
        return (Top(toml, "proxy_app", CometDefaultProxyApp, source), Top(toml, "abci", CometDefaultTransport, source));
    }

    private static string Top(TomlDocument toml, string key, string fallback, string source) =>
        !toml.TryGet("", key, out object value) ? fallback
            : value as string ?? throw new TomlException($"{source}: {key} must be a quoted string");

    /// <summary>
    /// Why CometBFT with <paramref name="proxyApp"/> and <paramref name="cometTransport"/> (config.toml) cannot reach
    /// the app serving <paramref name="app"/>'s address and transport; empty when it can. A listen port of 0 (any free
    /// port) is not compared.
    /// </summary>
    public static IReadOnlyList<string> Problems(string proxyApp, string cometTransport, AppConfig app)
    {
        var problems = new List<string>();
        string served = AppConfig.FormatTransport(app.AbciTransport);
        if (cometTransport is not ("socket" or "grpc"))
        {
            problems.Add($"config.toml has abci = \"{cometTransport}\"; depinchaind serves socket or grpc");
            return problems;
        }
        if (cometTransport != served)
            problems.Add($"config.toml has abci = \"{cometTransport}\" but the app serves {served} (app.toml abci_transport, or --abci)");

        AbciAddress dialed;
        try
        {
            dialed = AbciAddress.Parse(proxyApp);
        }
        catch (FormatException e)
        {
            problems.Add($"config.toml proxy_app: {e.Message}");
            return problems;
        }
        if (cometTransport == "grpc" && AbciAddress.GrpcTargetProblem(proxyApp) is { } grpcProblem)
            problems.Add($"config.toml {grpcProblem}");

        AbciAddress listened = AbciAddress.Parse(app.AbciAddress);
        string where = $"config.toml proxy_app \"{proxyApp}\" and the app's address \"{app.AbciAddress}\" (app.toml abci_address, or --address)";
        if (dialed.IsUnix != listened.IsUnix)
            problems.Add($"{where}: one is a unix socket, the other TCP");
        else if (dialed.IsUnix && dialed.UnixPath != listened.UnixPath)
            problems.Add($"{where} name different socket files");
        else if (!dialed.IsUnix && listened.Port != 0 && dialed.Port != listened.Port)
            problems.Add($"{where} have different ports");
        return problems;
    }
}
