using System.Globalization;
using System.Text.Json.Nodes;
using DePinChain.Cli.Commands;
using DePinChain.Fleet.Sim;

namespace DePinChain.Cli.Rpc;

/// <summary>The simulator's view of a node (<see cref="IFleetChain"/>) over CometBFT's RPC: status, block, abci_query, broadcast_tx_sync, tx.</summary>
public sealed class CometFleetChain(CometRpcClient client, TimeSpan pollInterval) : IFleetChain
{
    public async Task<ChainHead> HeadAsync(CancellationToken cancel)
    {
        JsonNode status = await client.StatusAsync(cancel);
        var sync = status["sync_info"];
        string chainId = (string?)status["node_info"]?["network"] ?? throw new CliException($"node {client.Node} did not report its chain ID");
        long height = CometRpcClient.ParseInt64((string?)sync?["latest_block_height"] ?? "", "latest_block_height");
        return new ChainHead(chainId, height, Hex((string?)sync?["latest_block_hash"], "latest_block_hash"),
            UnixMilliseconds((string?)sync?["latest_block_time"]), Hex((string?)sync?["latest_app_hash"], "latest_app_hash", allowEmpty: true));
    }

    public async Task<ChainHead> WaitForHeightAsync(long height, CancellationToken cancel)
    {
        while (true)
        {
            var head = await HeadAsync(cancel);
            if (head.Height >= height) return head;
            await Task.Delay(pollInterval, cancel);
        }
    }

    public async Task<byte[]> BlockHashAsync(long height, CancellationToken cancel)
    {
        JsonNode block = await client.BlockAsync(height, cancel);
        return Hex((string?)block["block_id"]?["hash"], "block_id.hash");
    }

    public async Task<QueryAnswer> QueryAsync(string path, byte[] data, CancellationToken cancel)
    {
        AbciQueryResult answer = await client.AbciQueryAsync(path, data, 0, cancel);
        return new QueryAnswer(answer.Code, answer.Codespace, answer.Log, answer.Value);
    }

    public async Task<CheckOutcome> BroadcastAsync(byte[] tx, CancellationToken cancel)
    {
        BroadcastResult result = await client.BroadcastTxSyncAsync(tx, cancel);
        return new CheckOutcome(result.Code, result.Codespace, result.Log, result.Hash.ToUpperInvariant());
    }

    public async Task<TxOutcome?> TxResultAsync(string hash, CancellationToken cancel)
    {
        TxResult? result = await client.TxAsync(hash, cancel);
        return result is null ? null : new TxOutcome(result.Height, result.Code, result.Codespace, result.Log);
    }

    private byte[] Hex(string? text, string what, bool allowEmpty = false)
    {
        if (allowEmpty && string.IsNullOrEmpty(text)) return [];
        return text is { Length: > 0 } && text.Length % 2 == 0 && text.All(char.IsAsciiHexDigit)
            ? Convert.FromHexString(text)
            : throw new CliException($"node {client.Node} answered a {what} that is not hex");
    }

    /// <summary>RFC 3339 with up to nanoseconds, as CometBFT writes block times (the BCL parses at most 7 fraction digits).</summary>
    internal static long UnixMilliseconds(string? text)
    {
        if (string.IsNullOrEmpty(text)) return 0;
        var trimmed = System.Text.RegularExpressions.Regex.Replace(text, @"\.(\d{1,7})\d*", ".$1");
        return DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUnixTimeMilliseconds()
            : throw new CliException($"node answered a block time that is not RFC 3339: '{text}'");
    }
}
