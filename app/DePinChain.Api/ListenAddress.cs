using System.Globalization;
using System.Net;

namespace DePinChain.Api;

/// <summary>The <c>host:port</c> listen addresses of app.toml's <c>[grpc]</c> and <c>[api]</c> sections.</summary>
public static class ListenAddress
{
    /// <summary>Parses <c>host:port</c> with an IP literal (IPv6 in brackets) or <c>localhost</c>; port 0 picks a free one.</summary>
    /// <param name="what">The server named in errors ("gRPC", "API").</param>
    /// <param name="example">Its default address, given as an example in errors.</param>
    /// <exception cref="FormatException">Anything else.</exception>
    public static IPEndPoint Parse(string address, string what, string example)
    {
        ArgumentNullException.ThrowIfNull(address);
        int colon = address.LastIndexOf(':');
        if (address.Contains("://", StringComparison.Ordinal) || colon <= 0
            || !int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
            throw new FormatException($"{what} address \"{address}\" must be host:port with a port in 0..65535, e.g. {example}");
        string host = address[..colon];
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return new IPEndPoint(IPAddress.Loopback, port);
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        else if (host.Contains(':', StringComparison.Ordinal))
            throw new FormatException($"{what} address \"{address}\": write an IPv6 host in brackets, e.g. [::1]:{example[(example.LastIndexOf(':') + 1)..]}");
        return IPAddress.TryParse(host, out var ip)
            ? new IPEndPoint(ip, port)
            : throw new FormatException($"{what} address \"{address}\": the host must be an IP address or localhost, not \"{host}\"");
    }
}
