using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DePinChain.Abci;

/// <summary>
/// An ABCI listen/dial address as CometBFT's <c>proxy_app</c> holds it: <c>tcp://host:port</c>, <c>host:port</c>
/// (no scheme: TCP, as CometBFT's <c>ProtocolAndAddress</c> reads it) or <c>unix:///path</c>.
/// </summary>
/// <remarks>
/// Which text CometBFT v0.38 dials depends on its transport. The socket client splits <c>proto://address</c> and
/// dials it (no scheme means tcp), so every form above works. The gRPC client hands <c>proxy_app</c> to grpc-go's
/// <c>grpc.NewClient</c>, which parses it as a URI and picks a name resolver by its scheme: <c>unix</c> has one,
/// <c>tcp</c> has none, and an unknown scheme falls back to <c>dns:///</c> + the whole text, whose
/// <c>tcp://127.0.0.1:26658</c> host:port does not split ("too many colons"), so it never connects. A bare
/// <c>host:port</c> goes to the dns resolver, and an absolute <c>unix:///path</c> to the unix one, which hands
/// CometBFT's dialer <c>unix:///path</c> again. <see cref="ToGrpcTarget"/> gives those forms;
/// <see cref="GrpcTargetProblem"/> explains any other.
/// </remarks>
public sealed record AbciAddress
{
    private const string TcpScheme = "tcp://", UnixScheme = "unix://";

    private AbciAddress(EndPoint endPoint, string? unixPath, string? host, int port)
    {
        EndPoint = endPoint;
        UnixPath = unixPath;
        Host = host;
        Port = port;
    }

    public EndPoint EndPoint { get; }

    /// <summary>The socket file for a unix:// address, else null.</summary>
    public string? UnixPath { get; }

    /// <summary>The host of a TCP address as written (an IPv6 literal keeps its brackets), else null.</summary>
    public string? Host { get; }

    /// <summary>The port of a TCP address (0 = any free port when listening), else 0.</summary>
    public int Port { get; }

    public bool IsUnix => UnixPath is not null;

    /// <exception cref="FormatException">Not a tcp://, unix:// or host:port address, or an unusable host or port.</exception>
    public static AbciAddress Parse(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.StartsWith(UnixScheme, StringComparison.OrdinalIgnoreCase))
        {
            string path = address[UnixScheme.Length..];
            if (path.Length == 0)
            {
                throw new FormatException($"ABCI address '{address}' has no socket path.");
            }
            return new AbciAddress(new UnixDomainSocketEndPoint(path), path, null, 0);
        }
        string hostPort;
        if (address.StartsWith(TcpScheme, StringComparison.OrdinalIgnoreCase))
        {
            hostPort = address[TcpScheme.Length..];
        }
        else if (address.Contains("://", StringComparison.Ordinal) || address.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"ABCI address '{address}' must be tcp://host:port, host:port or unix:///path.");
        }
        else
        {
            hostPort = address;
        }
        int colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hostPort.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
        {
            throw new FormatException($"ABCI address '{address}' needs host:port with a port in 0..65535 (tcp://host:port, host:port or unix:///path).");
        }
        string written = hostPort[..colon];
        string host = written.Trim('[', ']');
        IPAddress ip;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            ip = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(host, out ip!))
        {
            IPAddress[] resolved;
            try
            {
                resolved = Dns.GetHostAddresses(host);
            }
            catch (SocketException e)
            {
                throw new FormatException($"ABCI address '{address}': host '{host}' does not resolve ({e.Message}).", e);
            }
            ip = resolved.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? resolved.FirstOrDefault()
                ?? throw new FormatException($"ABCI address '{address}': host '{host}' does not resolve.");
        }
        return new AbciAddress(new IPEndPoint(ip, port), null, written, port);
    }

    /// <summary>The <c>proxy_app</c> text for <c>abci = "socket"</c>: <c>tcp://host:port</c> or <c>unix://path</c>.</summary>
    public string ToSocketTarget() => UnixPath is { } path ? UnixScheme + path : $"{TcpScheme}{Host}:{Port}";

    /// <summary>
    /// The <c>proxy_app</c> text for <c>abci = "grpc"</c> that CometBFT v0.38's gRPC client dials: <c>host:port</c>
    /// (no scheme) or <c>unix:///absolute/path</c>.
    /// </summary>
    /// <exception cref="FormatException">A unix socket with a relative path (grpc-go takes its first segment as an authority).</exception>
    public string ToGrpcTarget()
    {
        if (UnixPath is not { } path)
        {
            return $"{Host}:{Port}";
        }
        if (!path.StartsWith('/'))
        {
            throw new FormatException($"ABCI address 'unix://{path}': over gRPC a unix socket needs an absolute path (unix:///path/to/socket).");
        }
        return UnixScheme + path;
    }

    /// <summary>
    /// Why CometBFT v0.38's gRPC client cannot dial <paramref name="proxyApp"/>, or null when it can (see the remarks
    /// on <see cref="AbciAddress"/>).
    /// </summary>
    public static string? GrpcTargetProblem(string proxyApp)
    {
        AbciAddress parsed;
        try
        {
            parsed = Parse(proxyApp);
            string target = parsed.ToGrpcTarget();
            if (target == proxyApp)
            {
                return null;
            }
            return proxyApp.StartsWith(TcpScheme, StringComparison.OrdinalIgnoreCase)
                ? $"proxy_app \"{proxyApp}\" is not an address CometBFT's gRPC client dials: grpc-go reads it as a URI and has no resolver for the tcp scheme, so it never connects; write \"{target}\""
                : $"proxy_app \"{proxyApp}\" is not an address CometBFT's gRPC client dials; write \"{target}\"";
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }

    public override string ToString() => UnixPath is { } path ? UnixScheme + path : TcpScheme + EndPoint;
}
