using System.Net;
using DePinChain.Store;
using Microsoft.Extensions.Logging;

namespace DePinChain.Api.Grpc;

/// <summary>The node's gRPC server: where it listens (app.toml <c>[grpc] address</c>) and what <c>Config</c> reports.</summary>
public sealed record GrpcApiOptions
{
    /// <summary>Loopback by default (the SDK's default is 0.0.0.0:9090; a node is opened to others on purpose).</summary>
    public const string DefaultAddress = "127.0.0.1:9090";

    /// <summary><c>host:port</c> with an IP literal or <c>localhost</c>; port 0 picks a free one.</summary>
    public string Address { get; init; } = DefaultAddress;

    /// <summary>app.toml's <c>minimum-gas-prices</c> as written, answered by <c>cosmos.base.node.v1beta1.Service/Config</c>.</summary>
    public string MinimumGasPrices { get; init; } = "";

    /// <summary>The store's pruning, answered by Config (keep-recent; the interval is 1: the store prunes at every commit).</summary>
    public PruningOptions Pruning { get; init; } = PruningOptions.Default;

    /// <summary>CometBFT's RPC (http://host:port or config.toml's tcp://host:port), which the tx service's GetTx,
    /// BroadcastTx and GetTxsEvent and the tendermint service call; null: unknown, those methods answer Unavailable.</summary>
    public string? CometRpc { get; init; }

    /// <summary>ASP.NET Core's and the gRPC library's own log lines pass from this level up.</summary>
    public LogLevel FrameworkLogLevel { get; init; } = LogLevel.Warning;

    /// <summary>Parses a gRPC listen address.</summary>
    /// <exception cref="FormatException">Not host:port with an IP literal or localhost and a port in 0..65535.</exception>
    public static IPEndPoint ParseAddress(string address) => ListenAddress.Parse(address, "gRPC", DefaultAddress);
}
