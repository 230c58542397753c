using DePinChain.Abci;
using DePinChain.Protos.Abci;

namespace DePinChain.IntegrationTests;

/// <summary>
/// The blocks a chain ran and the app hash after each, like CometBFT's block store: what a restarted app is replayed
/// from and checked against.
/// </summary>
internal sealed class BlockLog
{
    public List<RequestFinalizeBlock> Blocks { get; } = [];

    /// <summary>AppHashes[h - 1] is the app hash after height h.</summary>
    public List<byte[]> AppHashes { get; } = [];

    public int Height => Blocks.Count;

    public RequestFinalizeBlock At(long height) => Blocks[(int)height - 1];

    public byte[] AppHashAt(long height) => AppHashes[(int)height - 1];

    /// <summary>Runs a fresh chain on <paramref name="driver"/>: handshake, then <paramref name="heights"/> generated blocks.</summary>
    public static async Task<BlockLog> RecordAsync(AbciDriver driver, int seed, int heights, int txsPerBlock)
    {
        var log = new BlockLog();
        var workload = new Workload(seed);
        Assert.Equal(0, (await driver.InfoAsync(new RequestInfo())).LastBlockHeight);
        await driver.InitChainAsync(Workload.InitChain());
        for (long height = 1; height <= heights; height++)
        {
            var block = Workload.Block(height, workload.NextTxs(txsPerBlock));
            var (finalize, _) = await driver.FinalizeAndCommitAsync(block);
            Assert.Equal(block.Txs.Count, finalize.TxResults.Count);
            log.Blocks.Add(block);
            log.AppHashes.Add(finalize.AppHash.ToByteArray());
            await workload.SyncSequencesAsync(driver);
        }
        return log;
    }
}
