using DePinChain.Abci;
using DePinChain.Protos.Abci;

namespace DePinChain.IntegrationTests;

/// <summary>
/// The blocks a chain ran and the app hash after each, like CometBFT's block store: what a restarted app is replayed
/// from and checked against.
/// </summary>
internal sealed class BlockLog(RequestInitChain genesis)
{
    /// <summary>The InitChain the chain started from (sent again when a restarted app reports height 0).</summary>
    public RequestInitChain Genesis { get; } = genesis;

    public List<RequestFinalizeBlock> Blocks { get; } = [];

    /// <summary>AppHashes[h - 1] is the app hash after height h.</summary>
    public List<byte[]> AppHashes { get; } = [];

    public int Height => Blocks.Count;

    public RequestFinalizeBlock At(long height) => Blocks[(int)height - 1];

    public byte[] AppHashAt(long height) => AppHashes[(int)height - 1];

    /// <summary>Runs a fresh chain on <paramref name="driver"/>: handshake, then <paramref name="heights"/> generated blocks.</summary>
    public static Task<BlockLog> RecordAsync(AbciDriver driver, int seed, int heights, int txsPerBlock)
    {
        var workload = new Workload(seed);
        return RecordAsync(driver, Workload.InitChain(), heights, async height =>
        {
            if (height > 1) await workload.SyncSequencesAsync(driver);
            return Workload.Block(height, workload.NextTxs(txsPerBlock));
        });
    }

    /// <summary>
    /// Runs a fresh chain on <paramref name="driver"/>: handshake with <paramref name="genesis"/>, then the blocks
    /// <paramref name="next"/> makes for heights 1 to <paramref name="heights"/>; <paramref name="check"/> sees each result.
    /// </summary>
    public static async Task<BlockLog> RecordAsync(AbciDriver driver, RequestInitChain genesis, int heights,
        Func<long, Task<RequestFinalizeBlock>> next, Action<RequestFinalizeBlock, ResponseFinalizeBlock>? check = null)
    {
        var log = new BlockLog(genesis);
        Assert.Equal(0, (await driver.InfoAsync(new RequestInfo())).LastBlockHeight);
        await driver.InitChainAsync(genesis);
        for (long height = 1; height <= heights; height++)
        {
            var block = await next(height);
            var (finalize, _) = await driver.FinalizeAndCommitAsync(block);
            Assert.Equal(block.Txs.Count, finalize.TxResults.Count);
            check?.Invoke(block, finalize);
            log.Blocks.Add(block);
            log.AppHashes.Add(finalize.AppHash.ToByteArray());
        }
        return log;
    }
}
