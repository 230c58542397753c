namespace DePinChain.Fleet.Sim;

/// <summary>The latest committed block as the node reports it.</summary>
public sealed record ChainHead(string ChainId, long Height, byte[] BlockHash, long TimeMs, byte[] AppHash);

/// <summary>An ABCI query's answer (code 0 = found).</summary>
public sealed record QueryAnswer(uint Code, string Codespace, string Log, byte[] Value);

/// <summary>CheckTx's verdict on a broadcast tx, and the tx's hash (uppercase hex, as CometBFT prints it).</summary>
public sealed record CheckOutcome(uint Code, string Codespace, string Log, string Hash);

/// <summary>An included tx's result.</summary>
public sealed record TxOutcome(long Height, uint Code, string Codespace, string Log);

/// <summary>
/// What the simulator needs from a node, and nothing more: the head (chain id, height, hash, time), a block's hash,
/// ABCI queries, broadcast (CheckTx), and included results. The CLI implements it over CometBFT's RPC; tests over the
/// in-repo ABCI driver.
/// </summary>
public interface IFleetChain
{
    Task<ChainHead> HeadAsync(CancellationToken cancel);

    /// <summary>Waits until a block at or above <paramref name="height"/> is committed and returns the head.</summary>
    Task<ChainHead> WaitForHeightAsync(long height, CancellationToken cancel);

    Task<byte[]> BlockHashAsync(long height, CancellationToken cancel);

    Task<QueryAnswer> QueryAsync(string path, byte[] data, CancellationToken cancel);

    Task<CheckOutcome> BroadcastAsync(byte[] tx, CancellationToken cancel);

    /// <summary>The result of an included tx, or null while it is not in a block yet.</summary>
    Task<TxOutcome?> TxResultAsync(string hash, CancellationToken cancel);
}
