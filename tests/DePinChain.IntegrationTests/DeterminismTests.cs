using DePinChain.Abci;
using DePinChain.Protos.Abci;

namespace DePinChain.IntegrationTests;

public sealed class DeterminismTests
{
    private const int Heights = 200;
    private const int TxsPerBlock = 16;

    [Fact]
    public async Task Three_processes_fed_the_same_200_blocks_agree_on_every_app_hash_and_tx_result()
    {
        using var dir = new TempDir();
        var daemons = new List<Daemon>();
        var drivers = new List<AbciDriver>();
        try
        {
            for (int i = 0; i < 3; i++) daemons.Add(Daemon.Start(dir.Sub("node" + i)));
            foreach (var daemon in daemons) drivers.Add(await daemon.ConnectAsync());

            var infos = await Task.WhenAll(drivers.Select(d => d.InfoAsync(new RequestInfo())));
            Assert.All(infos, info => Assert.Equal(0, info.LastBlockHeight));
            var inits = await Task.WhenAll(drivers.Select(d => d.InitChainAsync(Workload.InitChain())));
            AssertSame(inits.Select(r => Convert.ToHexString(r.AppHash.ToByteArray())), "InitChain app hash");

            var workload = new Workload(seed: 20261122);
            var codes = new SortedSet<uint>();
            for (long height = 1; height <= Heights; height++)
            {
                var block = Workload.Block(height, workload.NextTxs(TxsPerBlock));
                var results = await Task.WhenAll(drivers.Select(d => d.FinalizeAndCommitAsync(block)));
                var finalized = results.Select(r => r.Finalize).ToArray();

                Assert.All(finalized, f => Assert.Equal(block.Txs.Count, f.TxResults.Count));
                AssertSame(finalized.Select(f => Convert.ToHexString(f.AppHash.ToByteArray())), $"app hash at height {height}");
                for (int t = 0; t < block.Txs.Count; t++)
                {
                    AssertSame(finalized.Select(f => Deterministic(f.TxResults[t])), $"result of tx {t} at height {height}");
                    codes.Add(finalized[0].TxResults[t].Code);
                }
                var committed = await Task.WhenAll(drivers.Select(d => d.InfoAsync(new RequestInfo())));
                Assert.All(committed, info => Assert.Equal(height, info.LastBlockHeight));
                AssertSame(committed.Select(i => Convert.ToHexString(i.LastBlockAppHash.ToByteArray())), $"committed app hash at height {height}");
                Assert.Equal(finalized[0].AppHash, committed[0].LastBlockAppHash);

                await workload.SyncSequencesAsync(drivers[0]);
            }

            // The run must have exercised success and the main rejection paths, or agreement would prove little.
            foreach (uint code in new uint[] { 0, 2, 4, 5, 32 }) Assert.Contains(code, codes);
            Assert.All(daemons, d => Assert.False(d.HasExited, d.Output));
        }
        finally
        {
            foreach (var driver in drivers) await driver.DisposeAsync();
            foreach (var daemon in daemons) await daemon.DisposeAsync();
        }
    }

    /// <summary>The fields CometBFT hashes into the next header (LastResultsHash).</summary>
    private static string Deterministic(ExecTxResult result)
        => $"code={result.Code} data={Convert.ToHexString(result.Data.ToByteArray())} gas_wanted={result.GasWanted} gas_used={result.GasUsed}";

    private static void AssertSame(IEnumerable<string> values, string what)
    {
        var distinct = values.ToList();
        Assert.True(distinct.Distinct().Count() == 1, $"{what} differs between processes: {string.Join(" | ", distinct)}");
    }
}
