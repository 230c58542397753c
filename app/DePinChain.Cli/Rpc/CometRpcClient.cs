using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using DePinChain.Cli.Commands;

namespace DePinChain.Cli.Rpc;

/// <summary>The answer of CometBFT's abci_query: the app's ResponseQuery as RPC JSON (int64 as strings, bytes base64).</summary>
public sealed record AbciQueryResult(uint Code, string Log, string Codespace, byte[] Value, long Height);

/// <summary>broadcast_tx_sync's answer: the CheckTx result and the tx hash (upper-case hex).</summary>
public sealed record BroadcastResult(uint Code, string Log, string Codespace, string Hash);

/// <summary>An included tx as `tx?hash=` returns it.</summary>
public sealed record TxResult(string Hash, long Height, uint Code, string Log, string Codespace, long GasWanted, long GasUsed, JsonNode? Events, byte[] Tx);

/// <summary>
/// A client of CometBFT v0.38's JSON-RPC over HTTP (URI form: GET /method?arg=value; strings quoted, bytes as 0x-hex).
/// Every failure becomes a <see cref="CliException"/> naming the node and the problem.
/// </summary>
public sealed class CometRpcClient
{
    private readonly HttpClient _http;
    private readonly Uri _node;

    public CometRpcClient(string node, HttpClient http)
    {
        if (!Uri.TryCreate(node, UriKind.Absolute, out Uri? uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            // CometBFT writes tcp://host:port for its own listeners; accept that spelling too.
            if (node.StartsWith("tcp://", StringComparison.Ordinal) && Uri.TryCreate("http://" + node[6..], UriKind.Absolute, out uri))
            { }
            else
                throw new CliUsageException($"--node: '{node}' is not an http(s) URL like http://127.0.0.1:26657");
        }
        _node = uri;
        _http = http;
    }

    public string Node => _node.ToString().TrimEnd('/');

    public async Task<AbciQueryResult> AbciQueryAsync(string path, byte[] data, long height, CancellationToken cancellationToken = default)
    {
        var args = new List<(string, string)> { ("path", Quote(path)), ("data", "0x" + Convert.ToHexString(data)) };
        if (height > 0)
            args.Add(("height", height.ToString(CultureInfo.InvariantCulture)));
        args.Add(("prove", "false"));
        JsonNode result = await CallAsync("abci_query", args, cancellationToken).ConfigureAwait(false);
        JsonNode response = result["response"] ?? throw Malformed("abci_query", "result.response");
        return new AbciQueryResult(
            (uint?)response["code"] ?? 0,
            (string?)response["log"] ?? "",
            (string?)response["codespace"] ?? "",
            Base64((string?)response["value"]),
            ParseInt64((string?)response["height"] ?? "0", "abci_query height"));
    }

    public async Task<BroadcastResult> BroadcastTxSyncAsync(byte[] tx, CancellationToken cancellationToken = default)
    {
        JsonNode result = await CallAsync("broadcast_tx_sync", [("tx", "0x" + Convert.ToHexString(tx))], cancellationToken).ConfigureAwait(false);
        return new BroadcastResult((uint?)result["code"] ?? 0, (string?)result["log"] ?? "", (string?)result["codespace"] ?? "",
            (string?)result["hash"] ?? throw Malformed("broadcast_tx_sync", "result.hash"));
    }

    /// <summary>The included tx with this hash, or null while the node does not know it yet.</summary>
    public async Task<TxResult?> TxAsync(string hashHex, CancellationToken cancellationToken = default)
    {
        JsonNode result;
        try
        {
            result = await CallAsync("tx", [("hash", "0x" + hashHex)], cancellationToken).ConfigureAwait(false);
        }
        catch (RpcErrorException e) when (e.Message.Contains("not found", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        JsonNode txResult = result["tx_result"] ?? throw Malformed("tx", "result.tx_result");
        return new TxResult(
            (string?)result["hash"] ?? hashHex,
            ParseInt64((string?)result["height"] ?? "0", "tx height"),
            (uint?)txResult["code"] ?? 0,
            (string?)txResult["log"] ?? "",
            (string?)txResult["codespace"] ?? "",
            ParseInt64((string?)txResult["gas_wanted"] ?? "0", "gas_wanted"),
            ParseInt64((string?)txResult["gas_used"] ?? "0", "gas_used"),
            txResult["events"]?.DeepClone(),
            Base64((string?)result["tx"]));
    }

    public Task<JsonNode> StatusAsync(CancellationToken cancellationToken = default) => CallAsync("status", [], cancellationToken);

    public Task<JsonNode> BlockAsync(long? height, CancellationToken cancellationToken = default) =>
        CallAsync("block", height is { } h ? [("height", h.ToString(CultureInfo.InvariantCulture))] : [], cancellationToken);

    /// <summary>Calls <paramref name="method"/> and returns its "result"; an RPC "error" becomes <see cref="RpcErrorException"/>.</summary>
    public async Task<JsonNode> CallAsync(string method, IReadOnlyList<(string Name, string Value)> args, CancellationToken cancellationToken)
    {
        string query = string.Join('&', args.Select(a => a.Name + "=" + Uri.EscapeDataString(a.Value)));
        var uri = new Uri(_node, method + (query.Length > 0 ? "?" + query : ""));
        string body;
        try
        {
            using HttpResponseMessage response = await _http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode && !body.TrimStart().StartsWith('{'))
                throw new CliException($"node {Node} answered {method} with HTTP {(int)response.StatusCode}");
        }
        catch (HttpRequestException e)
        {
            string reason = e.InnerException is SocketException s ? s.Message : e.Message;
            throw new CliException($"cannot reach node {Node}: {reason}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"node {Node} did not answer {method} in time");
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            throw new CliException($"node {Node} answered {method} with something that is not JSON-RPC");
        }
        if (root?["error"] is JsonNode error)
        {
            string message = (string?)error["data"] is { Length: > 0 } data ? data : (string?)error["message"] ?? "unknown error";
            throw new RpcErrorException($"node {Node}: {method} failed: {message}");
        }
        return root?["result"] ?? throw Malformed(method, "result");
    }

    internal static long ParseInt64(string text, string what) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new CliException($"node answered a bad {what}: '{text}'");

    private static byte[] Base64(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return [];
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new CliException("node answered bytes that are not base64");
        }
    }

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private CliException Malformed(string method, string field) => new($"node {Node} answered {method} without {field}");
}

/// <summary>The node answered with a JSON-RPC error object.</summary>
public sealed class RpcErrorException(string message) : Exception(message);
