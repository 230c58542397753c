using System.Net;
using DePinChain.Api.Grpc;
using Microsoft.Extensions.Logging;

namespace DePinChain.Api.Rest;

/// <summary>The node's REST gateway (app.toml <c>[api]</c>): where it listens and whether it answers browsers of any origin.</summary>
public sealed record RestApiOptions
{
    /// <summary>Loopback by default (the SDK's default is tcp://localhost:1317).</summary>
    public const string DefaultAddress = "127.0.0.1:1317";

    /// <summary><c>host:port</c> with an IP literal or <c>localhost</c>; port 0 picks a free one.</summary>
    public string Address { get; init; } = DefaultAddress;

    /// <summary>The SDK's <c>enabled-unsafe-cors</c>: every response says <c>Access-Control-Allow-Origin: *</c> and CORS
    /// preflight requests (OPTIONS) are answered, so a web page of any origin can call the API.</summary>
    public bool EnableUnsafeCors { get; init; }

    /// <summary>Web origins answered with CORS headers naming them even without <see cref="EnableUnsafeCors"/>: the node's
    /// own explorer (<c>[explorer]</c>), whose page calls this API from another port.</summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];

    /// <summary>What the gRPC server's node Config reports: the REST route of Config answers the same.</summary>
    public GrpcApiOptions Node { get; init; } = new();

    /// <summary>ASP.NET Core's own log lines pass from this level up.</summary>
    public LogLevel FrameworkLogLevel { get; init; } = LogLevel.Warning;

    /// <exception cref="FormatException">Not host:port with an IP literal or localhost and a port in 0..65535.</exception>
    public static IPEndPoint ParseAddress(string address) => ListenAddress.Parse(address, "API", DefaultAddress);
}
