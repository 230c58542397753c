using System.Globalization;
using System.Text.Json.Nodes;
using DePinChain.Api.Comet;
using DePinChain.Cli.Commands;

namespace DePinChain.Cli.Rpc;

/// <summary>The answer of CometBFT's abci_query: the app's ResponseQuery as RPC JSON (int64 as strings, bytes base64).</summary>
public sealed record AbciQueryResult(uint Code, string Log, string Codespace, byte[] Value, long Height);

/// <summary>broadcast_tx_sync's answer: the CheckTx result and the tx hash (upper-case hex).</summary>
public sealed record BroadcastResult(uint Code, string Log, string Codespace, string Hash);

/// <summary>An included tx as `tx?hash=` returns it.</summary>
public sealed record TxResult(string Hash, long Height, uint Code, string Log, string Codespace, long GasWanted, long GasUsed, JsonNode? Events, byte[] Tx);

/// <summary>
/// The CLI's client of CometBFT v0.38's JSON-RPC over HTTP (the transport is <see cref="CometRpc"/>, shared with the gRPC server).
/// Every failure becomes a <see cref="CliException"/> naming the node and the problem.
/// </summary>
public sealed class CometRpcClient
{
    private readonly CometRpc _rpc;

    public CometRpcClient(string node, HttpClient http)
    {
        // CometBFT writes tcp://host:port for its own listeners; CometRpc accepts that spelling too.
        if (CometRpc.ParseNode(node) is null)
            throw new CliUsageException($"--node: '{node}' is not an http(s) URL like http://127.0.0.1:26657");
        _rpc = new CometRpc(node, http);
    }

    public string Node => _rpc.Node;

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

    /// <summary>Calls <paramref name="method"/> and returns its "result"; an RPC "error" becomes <see cref="RpcErrorException"/>,
    /// any other failure (through the shared <see cref="CometRpc"/> transport) a <see cref="CliException"/>.</summary>
    public async Task<JsonNode> CallAsync(string method, IReadOnlyList<(string Name, string Value)> args, CancellationToken cancellationToken)
    {
        try
        {
            return await _rpc.CallAsync(method, args, cancellationToken).ConfigureAwait(false);
        }
        catch (CometRpcException e) when (e.Failure == CometRpcFailure.RpcError)
        {
            throw new RpcErrorException(e.Message);
        }
        catch (CometRpcException e)
        {
            throw new CliException(e.Message);
        }
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

    private static string Quote(string text) => CometRpc.Quote(text);

    private CliException Malformed(string method, string field) => new($"node {Node} answered {method} without {field}");
}

/// <summary>The node answered with a JSON-RPC error object.</summary>
public sealed class RpcErrorException(string message) : Exception(message);
