using DePinChain.Abci;
using DePinChain.Protos.Abci;

namespace DePinChain.IntegrationTests;

public sealed class CrashRecoveryTests
{
    private const int Heights = 40;
    private const int Crashes = 34;
    private const int TxsPerBlock = 8;

    /// <summary>Commits a crash may lose beyond the one in progress: 1 with write-behind (the node's default).</summary>
    private const int WriteBehindLag = 1;

    /// <summary>Where a run is cut short. The first three are kill -9 from the driver; the rest are the
    /// DEPINCHAIN_CRASH_POINT hook inside the process (for windows random timing rarely hits).</summary>
    private enum CrashMode
    {
        KillBetweenFinalizeAndCommit,
        KillWhileCommitting,
        KillAfterCommit,
        AfterFinalizeHook,
        BeforeCommitWriteHook,
        AfterCommitWriteHook,
    }

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
        string home = dir.Sub("crashing");
        // What the app may report after the last crash: a kill racing Commit may or may not have persisted.
        long minHeight = 0, maxHeight = 0;
        var seen = new List<string>();

        foreach (var (plannedHeight, mode) in plan)
        {
            // A crash after the write leaves the app at the planned height: crash at the next one instead.
            long crashHeight = Math.Min(Heights, Math.Max(plannedHeight, maxHeight + 1));
            string? hook = mode switch
            {
                CrashMode.AfterFinalizeHook => $"after-finalize:{crashHeight}",
                CrashMode.BeforeCommitWriteHook => $"before-commit-write:{crashHeight}",
                CrashMode.AfterCommitWriteHook => $"after-commit-write:{crashHeight}",
                _ => null,
            };
            await using var daemon = Daemon.Start(home, hook);
            long height = await HandshakeAsync(daemon, log, minHeight, maxHeight);
            minHeight = maxHeight = height;
            if (height >= crashHeight) continue;

            var driver = await daemon.ConnectAsync();
            try
            {
                for (long h = height + 1; h < crashHeight; h++) await ReplayAsync(driver, log, h);
                await CrashAsync(daemon, driver, log.At(crashHeight), mode, random);
            }
            finally
            {
                // The peer is dead: closing may report how the connection broke, which is not the test's concern.
                try { await driver.DisposeAsync(); }
                catch (Exception e) when (e is AbciProtocolException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException) { }
            }
            // The node writes commits behind (app.toml commit-write-behind, on by default): Commit answers before
            // its synced write, so any crash may also lose the last answered commit, and never more than that one.
            (minHeight, maxHeight) = mode switch
            {
                CrashMode.KillAfterCommit or CrashMode.AfterCommitWriteHook => (crashHeight - WriteBehindLag, crashHeight),
                CrashMode.KillWhileCommitting => (crashHeight - 1 - WriteBehindLag, crashHeight),
                _ => (crashHeight - 1 - WriteBehindLag, crashHeight - 1),
            };
            minHeight = Math.Max(0, minHeight);
            seen.Add($"{mode}@{crashHeight}");
        }
        Assert.True(seen.Count >= 30, $"only {seen.Count} crashes: {string.Join(", ", seen)}");
        Assert.Equal(6, seen.Select(s => s[..s.IndexOf('@')]).Distinct().Count());

        // Final restart: replay whatever is missing; the result is the uninterrupted run's.
        await using (var daemon = Daemon.Start(home))
        {
            long height = await HandshakeAsync(daemon, log, minHeight, maxHeight);
            await using var driver = await daemon.ConnectAsync();
            for (long h = height + 1; h <= Heights; h++) await ReplayAsync(driver, log, h);
            var info = await driver.InfoAsync(new RequestInfo());
            Assert.Equal(Heights, info.LastBlockHeight);
            Assert.Equal(Convert.ToHexString(log.AppHashAt(Heights)), Convert.ToHexString(info.LastBlockAppHash.ToByteArray()));
        }
    }

    /// <summary>
    /// CometBFT's handshake: Info must report exactly a committed height of the reference run (never one lost, never
    /// one that was not sent) with its hash; at height 0 InitChain is sent again. Returns the app's height.
    /// </summary>
    private static async Task<long> HandshakeAsync(Daemon daemon, BlockLog log, long minHeight, long maxHeight)
    {
        await using var driver = await daemon.ConnectAsync();
        var info = await driver.InfoAsync(new RequestInfo());
        long height = info.LastBlockHeight;
        Assert.True(height >= minHeight && height <= maxHeight,
            $"restart reports height {height}, expected {(minHeight == maxHeight ? minHeight : $"{minHeight}..{maxHeight}")}\n{daemon.Output}");
        if (height == 0)
        {
            await driver.InitChainAsync(Workload.InitChain());
        }
        else
        {
            Assert.Equal(Convert.ToHexString(log.AppHashAt(height)), Convert.ToHexString(info.LastBlockAppHash.ToByteArray()));
        }
        return height;
    }

    private static async Task ReplayAsync(AbciDriver driver, BlockLog log, long height)
    {
        var (finalize, _) = await driver.FinalizeAndCommitAsync(log.At(height));
        Assert.Equal(Convert.ToHexString(log.AppHashAt(height)), Convert.ToHexString(finalize.AppHash.ToByteArray()));
    }

    private static async Task CrashAsync(Daemon daemon, AbciDriver driver, RequestFinalizeBlock block, CrashMode mode, Random random)
    {
        switch (mode)
        {
            case CrashMode.KillBetweenFinalizeAndCommit:
                await driver.FinalizeBlockAsync(block);
                daemon.Kill();
                break;
            case CrashMode.KillWhileCommitting:
                await driver.FinalizeBlockAsync(block);
                _ = driver.Consensus.Send(new Request { Commit = new RequestCommit() });
                await driver.Consensus.FlushAsync().WaitAsync(TimeSpan.FromMilliseconds(random.Next(0, 4))).ContinueWith(_ => { });
                daemon.Kill();
                break;
            case CrashMode.KillAfterCommit:
                await driver.FinalizeAndCommitAsync(block);
                daemon.Kill();
                break;
            default:
                // The hook kills the process at its point: the driver sees the connection drop.
                await Assert.ThrowsAnyAsync<Exception>(async () => await driver.FinalizeAndCommitAsync(block).WaitAsync(TimeSpan.FromSeconds(30)));
                int exitCode = await daemon.WaitForCrashAsync();
                Assert.True(exitCode != 0, $"a crash point must end the process abnormally, exit code {exitCode}");
                Assert.Contains("DEPINCHAIN_CRASH_POINT", daemon.Output);
                break;
        }
    }
}
