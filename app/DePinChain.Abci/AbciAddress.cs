using System.Net;
using System.Net.Sockets;

namespace DePinChain.Abci;

/// <summary>
/// An ABCI listen/dial address as CometBFT writes it in <c>proxy_app</c>:
/// <c>tcp://host:port</c> or <c>unix:///absolute/path</c>.
/// </summary>
public sealed record AbciAddress
{
    private AbciAddress(EndPoint endPoint, string? unixPath)
    {
        EndPoint = endPoint;
        UnixPath = unixPath;
    }

    public EndPoint EndPoint { get; }

    /// <summary>The socket file for a unix:// address, else null.</summary>
    public string? UnixPath { get; }

    public bool IsUnix => UnixPath is not null;

    /// <exception cref="FormatException">Not a tcp:// or unix:// address, or an unusable host or port.</exception>
    public static AbciAddress Parse(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        const string tcp = "tcp://", unix = "unix://";
        if (address.StartsWith(unix, StringComparison.OrdinalIgnoreCase))
        {
            string path = address[unix.Length..];
            if (path.Length == 0)
            {
                throw new FormatException($"ABCI address '{address}' has no socket path.");
            }
            return new AbciAddress(new UnixDomainSocketEndPoint(path), path);
        }
        if (!address.StartsWith(tcp, StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"ABCI address '{address}' must start with tcp:// or unix://.");
        }
        string hostPort = address[tcp.Length..];
        int colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hostPort.AsSpan(colon + 1), out int port) || port is < 0 or > 65535)
        {
            throw new FormatException($"ABCI address '{address}' needs host:port with a port in 0..65535.");
        }
        string host = hostPort[..colon].Trim('[', ']');
        IPAddress ip;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            ip = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(host, out ip!))
        {
            IPAddress[] resolved = Dns.GetHostAddresses(host);
            ip = resolved.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? resolved.FirstOrDefault()
                ?? throw new FormatException($"ABCI address '{address}': host '{host}' does not resolve.");
        }
        return new AbciAddress(new IPEndPoint(ip, port), null);
    }

    public override string ToString() => UnixPath is { } path ? "unix://" + path : "tcp://" + EndPoint;
}
