using DePinChain.Abci;
using DePinChain.Protos.Abci;

namespace DePinChain.IntegrationTests;

/// <summary>Where a run is cut short. The first three are kill -9 from the driver; the rest are the
/// DEPINCHAIN_CRASH_POINT hook inside the process (for windows random timing rarely hits).</summary>
internal enum CrashMode
{
    KillBetweenFinalizeAndCommit,
    KillWhileCommitting,
    KillAfterCommit,
    AfterFinalizeHook,
    BeforeCommitWriteHook,
    AfterCommitWriteHook,
}

/// <summary>
/// One node home that runs a recorded chain (<see cref="BlockLog"/>) and is killed again and again: each crash starts
/// <c>depinchaind</c>, checks CometBFT's handshake (the height it reports is one the crashes may have left, with the
/// reference hash), replays the missing blocks as CometBFT would (each app hash checked against the log) and cuts the
/// run short at the planned height in the planned way. <see cref="FinishAsync"/> restarts it once more and replays to the
/// end.
/// </summary>
internal sealed class CrashingNode(string home, BlockLog log, Random random)
{
    /// <summary>Commits a crash may lose beyond the one in progress: 1 with write-behind (the node's default).</summary>
    private const int WriteBehindLag = 1;

    // What the app may report after the last crash: a kill racing Commit may or may not have persisted.
    private long _minHeight, _maxHeight;

    /// <summary>The crashes made, in order.</summary>
    public List<(long Height, CrashMode Mode)> Crashes { get; } = [];

    public string CrashList => string.Join(", ", Crashes.Select(c => $"{c.Mode}@{c.Height}"));

    /// <summary>
    /// Restarts the node, replays up to the crash height and crashes there: <paramref name="plannedHeight"/>, or the
    /// first height the node cannot have committed yet (a crash after the write leaves the app at its height). Nothing
    /// happens when the node is already past the end of the log.
    /// </summary>
    public async Task CrashAsync(long plannedHeight, CrashMode mode)
    {
        long crashHeight = Math.Min(log.Height, Math.Max(plannedHeight, _maxHeight + 1));
        string? hook = mode switch
        {
            CrashMode.AfterFinalizeHook => $"after-finalize:{crashHeight}",
            CrashMode.BeforeCommitWriteHook => $"before-commit-write:{crashHeight}",
            CrashMode.AfterCommitWriteHook => $"after-commit-write:{crashHeight}",
            _ => null,
        };
        await using var daemon = Daemon.Start(home, hook);
        long height = await HandshakeAsync(daemon);
        _minHeight = _maxHeight = height;
        if (height >= crashHeight) return;

        var driver = await daemon.ConnectAsync();
        try
        {
            for (long h = height + 1; h < crashHeight; h++) await ReplayAsync(driver, h);
            await CutShortAsync(daemon, driver, log.At(crashHeight), mode);
        }
        finally
        {
            // The peer is dead: closing may report how the connection broke, which is not the test's concern.
            try { await driver.DisposeAsync(); }
            catch (Exception e) when (e is AbciProtocolException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException) { }
        }
        // The node writes commits behind (app.toml commit-write-behind, on by default): Commit answers before
        // its synced write, so any crash may also lose the last answered commit, and never more than that one.
        (_minHeight, _maxHeight) = mode switch
        {
            CrashMode.KillAfterCommit or CrashMode.AfterCommitWriteHook => (crashHeight - WriteBehindLag, crashHeight),
            CrashMode.KillWhileCommitting => (crashHeight - 1 - WriteBehindLag, crashHeight),
            _ => (crashHeight - 1 - WriteBehindLag, crashHeight - 1),
        };
        _minHeight = Math.Max(0, _minHeight);
        Crashes.Add((crashHeight, mode));
    }

    /// <summary>
    /// The final restart: replays whatever is missing, checks that the node ends at the log's last height with its hash,
    /// then hands the running node's connection to <paramref name="inspect"/> (ABCI queries of the final state).
    /// </summary>
    public async Task FinishAsync(Func<AbciDriver, Task>? inspect = null)
    {
        await using var daemon = Daemon.Start(home);
        long height = await HandshakeAsync(daemon);
        await using var driver = await daemon.ConnectAsync();
        for (long h = height + 1; h <= log.Height; h++) await ReplayAsync(driver, h);
        var info = await driver.InfoAsync(new RequestInfo());
        Assert.Equal(log.Height, info.LastBlockHeight);
        Assert.Equal(Convert.ToHexString(log.AppHashAt(log.Height)), Convert.ToHexString(info.LastBlockAppHash.ToByteArray()));
        if (inspect is not null) await inspect(driver);
    }

    /// <summary>
    /// CometBFT's handshake: Info must report exactly a committed height of the reference run (never one lost, never
    /// one that was not sent) with its hash; at height 0 InitChain is sent again. Returns the app's height.
    /// </summary>
    private async Task<long> HandshakeAsync(Daemon daemon)
    {
        await using var driver = await daemon.ConnectAsync();
        var info = await driver.InfoAsync(new RequestInfo());
        long height = info.LastBlockHeight;
        Assert.True(height >= _minHeight && height <= _maxHeight,
            $"restart reports height {height}, expected {(_minHeight == _maxHeight ? _minHeight : $"{_minHeight}..{_maxHeight}")}\n{daemon.Output}");
        if (height == 0)
        {
            await driver.InitChainAsync(log.Genesis);
        }
        else
        {
            Assert.Equal(Convert.ToHexString(log.AppHashAt(height)), Convert.ToHexString(info.LastBlockAppHash.ToByteArray()));
        }
        return height;
    }

    private async Task ReplayAsync(AbciDriver driver, long height)
    {
        var (finalize, _) = await driver.FinalizeAndCommitAsync(log.At(height));
        Assert.True(log.AppHashAt(height).AsSpan().SequenceEqual(finalize.AppHash.Span),
            $"replayed height {height}: app hash {Convert.ToHexString(finalize.AppHash.Span)}, the reference run had {Convert.ToHexString(log.AppHashAt(height))}");
    }

    private async Task CutShortAsync(Daemon daemon, AbciDriver driver, RequestFinalizeBlock block, CrashMode mode)
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
