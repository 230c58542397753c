namespace DePinChain.Api.Explorer;

/// <summary>The block explorer's web server (app.toml <c>[explorer]</c>): where it listens and where its page finds the APIs.</summary>
public sealed record ExplorerOptions
{
    /// <summary>Loopback, the port after the REST gateway's 1317.</summary>
    public const string DefaultAddress = "127.0.0.1:1318";

    /// <summary><c>host:port</c> with an IP literal or <c>localhost</c>; port 0 picks a free one.</summary>
    public string Address { get; init; } = DefaultAddress;

    /// <summary>The REST gateway's base URL the page calls (the <c>api</c> field of <c>/config.json</c>), e.g. http://127.0.0.1:1317.
    /// The page reads nothing else of the node, so it may be a remote node's (which then needs <c>enabled-unsafe-cors</c>).</summary>
    public string ApiUrl { get; init; } = "http://" + Rest.RestApiOptions.DefaultAddress;

    /// <summary>The directory of the static files; default: <c>explorer</c> beside the assembly (the build copies them there).</summary>
    public string? Root { get; init; }

    /// <exception cref="FormatException">Not host:port with an IP literal or localhost and a port in 0..65535.</exception>
    public static System.Net.IPEndPoint ParseAddress(string address) => ListenAddress.Parse(address, "explorer", DefaultAddress);
}
