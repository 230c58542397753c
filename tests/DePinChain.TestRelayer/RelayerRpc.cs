using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace DePinChain.TestRelayer;

/// <summary>A relay step failed; the message says which chain, what and why (the chain's code and log when it refused).</summary>
public sealed class RelayerException(string message, uint code = 0, string codespace = "") : Exception(message)
{
    public uint Code { get; } = code;

    public string Codespace { get; } = codespace;
}

/// <summary>CometBFT's JSON-RPC client as Go's rpc/client/http uses it: POST {"jsonrpc","id","method","params"} with
/// int64 as strings, []byte as base64 and HexBytes as hex.</summary>
public sealed class RelayerRpc(string url, HttpClient? http = null)
{
    private readonly HttpClient _http = http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
    private int _id;

    public string Url { get; } = url.TrimEnd('/');

    /// <summary>The call's result; a JSON-RPC error becomes <see cref="RelayerException"/> with its data.</summary>
    public async Task<JsonNode> CallAsync(string method, JsonObject parameters, CancellationToken cancellationToken = default)
    {
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = Interlocked.Increment(ref _id), ["method"] = method, ["params"] = parameters };
        JsonNode? reply;
        try
        {
            using var response = await _http.PostAsync(Url, JsonContent.Create(request), cancellationToken).ConfigureAwait(false);
            reply = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (HttpRequestException e)
        {
            throw new RelayerException($"{Url}: {method} failed: {e.Message}");
        }
        if (reply?["error"] is JsonNode error)
            throw new RelayerException($"{Url}: {method}: {(string?)error["message"]} {(string?)error["data"]}".TrimEnd());
        return reply?["result"] ?? throw new RelayerException($"{Url}: {method} answered without a result");
    }
}
