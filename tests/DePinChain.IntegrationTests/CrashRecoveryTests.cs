namespace DePinChain.IntegrationTests;

public sealed class CrashRecoveryTests
{
    private const int Heights = 40;
    private const int Crashes = 34;
    private const int TxsPerBlock = 8;

    [Fact]
    public async Task A_process_killed_at_random_points_restarts_at_its_last_commit_and_replays_to_the_same_hashes()
    {
        using var dir = new TempDir();

        // The uninterrupted reference run.
        BlockLog log;
        await using (var reference = Daemon.Start(dir.Sub("reference")))
        {
            await using var driver = await reference.ConnectAsync();
            log = await BlockLog.RecordAsync(driver, seed: 7, Heights, TxsPerBlock);
        }

        var random = new Random(1122);
        var plan = Enumerable.Range(0, Crashes)
            .Select(_ => (Height: (long)random.Next(1, Heights), Mode: (CrashMode)random.Next(6)))
            .OrderBy(c => c.Height).ToList();
        var node = new CrashingNode(dir.Sub("crashing"), log, random);
        foreach (var (height, mode) in plan) await node.CrashAsync(height, mode);
        Assert.True(node.Crashes.Count >= 30, $"only {node.Crashes.Count} crashes: {node.CrashList}");
        Assert.Equal(6, node.Crashes.Select(c => c.Mode).Distinct().Count());

        // Final restart: replay whatever is missing; the result is the uninterrupted run's.
        await node.FinishAsync();
    }
}
