using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DePinChain.Api.Comet;

/// <summary>Why a CometBFT RPC call failed.</summary>
public enum CometRpcFailure
{
    /// <summary>No connection (refused, unreachable, reset) or no answer in time: the node is down or elsewhere.</summary>
    Unreachable,
    /// <summary>The node answered something that is not CometBFT's JSON-RPC (not JSON, no result, a bad field).</summary>
    Malformed,
    /// <summary>The node answered with a JSON-RPC error object (its data, e.g. "tx (…) not found", is the message).</summary>
    RpcError,
}

/// <summary>A failed CometBFT RPC call; the message names the node and the problem.</summary>
public sealed class CometRpcException(CometRpcFailure failure, string message) : Exception(message)
{
    public CometRpcFailure Failure { get; } = failure;
}

/// <summary>
/// The transport of CometBFT v0.38's JSON-RPC over HTTP (URI form: GET /method?arg=value; strings quoted, bytes as 0x-hex),
/// shared by the CLI's client and the gRPC server's CometBFT-backed services. Every failure is a
/// <see cref="CometRpcException"/> naming the node and the problem.
/// </summary>
public sealed class CometRpc
{
    private readonly HttpClient _http;
    private readonly Uri _node;

    /// <exception cref="FormatException">Not an http(s):// or tcp:// URL.</exception>
    public CometRpc(string node, HttpClient http)
    {
        _node = ParseNode(node) ?? throw new FormatException($"'{node}' is not an http(s) URL like http://127.0.0.1:26657");
        _http = http;
    }

    /// <summary>http(s)://host:port, or CometBFT's own spelling of its listeners, tcp://host:port (a listen address of
    /// 0.0.0.0 or [::] is dialled on loopback); null when it is neither.</summary>
    public static Uri? ParseNode(string node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.StartsWith("tcp://", StringComparison.Ordinal)) node = "http://" + node[6..];
        if (!Uri.TryCreate(node, UriKind.Absolute, out Uri? uri) || (uri.Scheme != "http" && uri.Scheme != "https") || uri.Host.Length == 0)
            return null;
        if (uri.Host is "0.0.0.0" or "[::]")
            uri = new UriBuilder(uri) { Host = uri.Host == "0.0.0.0" ? "127.0.0.1" : "[::1]" }.Uri;
        return uri;
    }

    public string Node => _node.ToString().TrimEnd('/');

    /// <summary>Calls <paramref name="method"/> and returns its "result".</summary>
    /// <exception cref="CometRpcException">Unreachable, malformed, or an RPC error object.</exception>
    public async Task<JsonNode> CallAsync(string method, IReadOnlyList<(string Name, string Value)> args, CancellationToken cancellationToken = default)
    {
        string query = string.Join('&', args.Select(a => a.Name + "=" + Uri.EscapeDataString(a.Value)));
        var uri = new Uri(_node, method + (query.Length > 0 ? "?" + query : ""));
        string body;
        try
        {
            using HttpResponseMessage response = await _http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode && !body.TrimStart().StartsWith('{'))
                throw new CometRpcException(CometRpcFailure.Malformed, $"node {Node} answered {method} with HTTP {(int)response.StatusCode}");
        }
        catch (HttpRequestException e)
        {
            string reason = e.InnerException is SocketException s ? s.Message : e.Message;
            throw new CometRpcException(CometRpcFailure.Unreachable, $"cannot reach node {Node}: {reason}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CometRpcException(CometRpcFailure.Unreachable, $"node {Node} did not answer {method} in time");
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            throw new CometRpcException(CometRpcFailure.Malformed, $"node {Node} answered {method} with something that is not JSON-RPC");
        }
        if (root?["error"] is JsonNode error)
        {
            string message = (string?)error["data"] is { Length: > 0 } data ? data : (string?)error["message"] ?? "unknown error";
            throw new CometRpcException(CometRpcFailure.RpcError, $"node {Node}: {method} failed: {message}");
        }
        return root?["result"] ?? throw Malformed(method, "result");
    }

    public CometRpcException Malformed(string method, string field) => new(CometRpcFailure.Malformed, $"node {Node} answered {method} without {field}");

    /// <summary>A JSON-RPC string argument: quoted, with backslashes and quotes escaped.</summary>
    public static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <exception cref="CometRpcException">Not a decimal int64 (Malformed).</exception>
    public static long ParseInt64(string text, string what) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new CometRpcException(CometRpcFailure.Malformed, $"node answered a bad {what}: '{text}'");

    /// <exception cref="CometRpcException">Not base64 (Malformed).</exception>
    public static byte[] Base64(string? text)
    {
        if (string.IsNullOrEmpty(text)) return [];
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new CometRpcException(CometRpcFailure.Malformed, "node answered bytes that are not base64");
        }
    }
}
