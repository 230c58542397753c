using System.Diagnostics;
using System.Globalization;
using DePinChain.Store.Backend;
using DePinChain.Store.Backend.LevelDb;
using DePinChain.Store.CrashWriter;
using Xunit.Abstractions;

namespace DePinChain.Store.Tests.Multi;

/// <summary>
/// Starts the crash writer (a separate process committing deterministic blocks into LevelDB), kills it with
/// SIGKILL at seeded random moments, and after every kill reopens the database and checks it holds exactly
/// a commit the writer reported (or the one it was writing), with the app hash and keys a replay gives. With
/// write-behind the database may also be one commit behind the last reported (never behind a flushed one).
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "depin-crash-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void A_writer_killed_at_random_moments_always_reopens_at_a_reported_commit_or_the_next()
        => KillRepeatedly(writeBehind: false, runs: 55, seed: 424242);

    [Fact]
    public void A_writer_with_write_behind_killed_at_random_moments_reopens_at_most_one_commit_behind_and_never_behind_a_flush()
        => KillRepeatedly(writeBehind: true, runs: 55, seed: 171717);

    [Fact]
    public void A_changeset_writer_killed_at_random_moments_always_reopens_at_a_reported_commit_or_the_next()
        => KillRepeatedly(writeBehind: false, runs: 55, seed: 535353, StoreFormat.Changesets);

    [Fact]
    public void A_changeset_writer_with_write_behind_killed_at_random_moments_reopens_at_most_one_commit_behind_and_never_behind_a_flush()
        => KillRepeatedly(writeBehind: true, runs: 55, seed: 626262, StoreFormat.Changesets);

    private void KillRepeatedly(bool writeBehind, int runs, int seed, StoreFormat format = StoreFormat.Nodes)
    {
        var writerDll = Path.Combine(AppContext.BaseDirectory, "DePinChain.Store.CrashWriter.dll");
        Assert.True(File.Exists(writerDll), $"crash writer not built next to the tests: {writerDll}");
        var rng = new Random(seed);
        using var replay = new Replay();
        var inFlightLanded = 0;
        var behind = 0;
        var duringSnapshot = 0;
        long known = 0; // the version the database was found at after the previous kill
        for (var run = 0; run < runs; run++)
        {
            // Every ninth kill lands while the runtime is still starting or the database is being opened; the
            // others land at a random moment after the writer reported it opened the store, amid its commits.
            var early = run % 9 == 0;
            var lifetime = early ? rng.Next(5, 150) : rng.Next(0, 350);
            var (printed, durable) = RunAndKill(writerDll, lifetime, afterOpen: !early, writeBehind, format);
            // A temporary snapshot directory left behind: the kill landed while a snapshot was being written.
            var snapshots = CrashStores.SnapshotDirectory(_dir);
            if (Directory.Exists(snapshots) && Directory.GetDirectories(snapshots, "tmp-*").Length > 0) duringSnapshot++;

            foreach (var (version, hash) in printed)
                Assert.Equal(replay.HashAt(version), hash); // the writer is deterministic: its hashes are the replay's

            var lastPrinted = printed.Count > 0 ? printed[^1].Version : known;
            using var store = OpenForCheck(known, format);
            var found = store.LastCommitId.Version;
            // Never behind what was known to be on disk: the previous reopen, or a flush the writer reported.
            var lowest = Math.Max(known, writeBehind ? Math.Max(durable, lastPrinted - 1) : lastPrinted);
            Assert.True(found >= lowest && found <= lastPrinted + 1,
                $"run {run} (killed {lifetime} ms after {(early ? "start" : "open")}): the database is at version {found}, the writer last reported {lastPrinted} (durable {durable}), expected {lowest}..{lastPrinted + 1}");
            Assert.Equal(replay.HashAt(found), store.LastCommitId.Hash);
            if (found > 0) Assert.Equal(store.LastCommitId.Hash, store.WorkingHash());
            replay.AssertSameContents(store, found);
            if (found == lastPrinted + 1) inFlightLanded++;
            if (found < lastPrinted) behind++;
            known = found;
        }
        output.WriteLine($"{runs} kills{(writeBehind ? " (write-behind)" : "")} ({format}), {known} versions committed, {inFlightLanded} kills after a commit landed but before it was reported, {behind} with the last reported commit not yet written, {duringSnapshot} while a snapshot was being written");
        Assert.True(known > runs, $"the writer committed only {known} versions over {runs} runs; the kills were too early to test much");
        if (format == StoreFormat.Changesets)
            Assert.True(duringSnapshot > 0, "no kill landed while a snapshot was being written (a snapshot every 4 versions)");
    }

    private (List<(long Version, byte[] Hash)> Committed, long Durable) RunAndKill(string writerDll, int lifetimeMs, bool afterOpen, bool writeBehind, StoreFormat format)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(writerDll);
        start.ArgumentList.Add(_dir);
        if (writeBehind) start.ArgumentList.Add("--write-behind");
        if (format == StoreFormat.Changesets) start.ArgumentList.Add("--changesets");
        var lines = new List<string>();
        using var process = new Process { StartInfo = start };
        using var opened = new ManualResetEventSlim();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (lines) lines.Add(e.Data);
            if (e.Data.StartsWith("opened ", StringComparison.Ordinal)) opened.Set();
        };
        process.ErrorDataReceived += (_, _) => { };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (afterOpen && !opened.Wait(TimeSpan.FromSeconds(30)))
            Assert.Fail("the crash writer did not open its store within 30 s");
        if (process.WaitForExit(lifetimeMs))
            Assert.Fail($"the crash writer exited by itself with code {process.ExitCode}");
        process.Kill(); // SIGKILL on Unix: no finalizers, no flushing
        process.WaitForExit();

        var committed = new List<(long, byte[])>();
        long durable = 0;
        lock (lines)
        {
            foreach (var line in lines)
            {
                var parts = line.Split(' ');
                if (parts is ["committed", var v, var h] && h.Length == 64)
                    committed.Add((long.Parse(v, CultureInfo.InvariantCulture), Convert.FromHexString(h)));
                else if (parts is ["durable", var d])
                    durable = long.Parse(d, CultureInfo.InvariantCulture);
            }
        }
        return (committed, durable);
    }

    private MultiStore OpenForCheck(long known, StoreFormat format)
    {
        // Until a commit is known the writer may have died before creating anything; afterwards the database
        // must be there and must not be recreated.
        var created = known == 0;
        var db = LevelDbStore.Open(_dir, created ? LevelDbOptions.CreateNew : LevelDbOptions.Default);
        return MultiStore.OpenOwning(db, CrashWorkload.StoreNames, CrashStores.Options(_dir, format) with { CreateIfEmpty = created });
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
        if (Directory.Exists(CrashStores.SnapshotDirectory(_dir))) Directory.Delete(CrashStores.SnapshotDirectory(_dir), recursive: true);
    }

    /// <summary>The same blocks applied to an in-memory multistore: the expected hash and state of every version.</summary>
    private sealed class Replay : IDisposable
    {
        private readonly MultiStore _store = MultiStore.Open(new MemoryKeyValueStore(), CrashWorkload.StoreNames,
            new MultiStoreOptions { CreateIfEmpty = true, Pruning = PruningOptions.Everything });
        private readonly Dictionary<long, byte[]> _hashes = new() { [0] = MultiStore.EmptyAppHash };

        public byte[] HashAt(long version)
        {
            while (_store.LastCommitId.Version < version)
            {
                var height = _store.LastCommitId.Version + 1;
                CrashWorkload.ApplyBlock(_store, height);
                _hashes[height] = _store.Commit().Hash;
            }
            return _hashes[version];
        }

        public void AssertSameContents(MultiStore reopened, long version)
        {
            HashAt(version);
            if (version == 0) return;
            var expected = _store.ViewAt(version);
            foreach (var name in CrashWorkload.StoreNames)
            {
                var want = expected.GetStore(name).Iterate(null, null).ToList();
                var got = reopened.GetStore(name);
                Assert.Equal(Bytes.Dump(want), Bytes.Dump(got.Iterate(null, null)));
                foreach (var (key, value) in want) Assert.Equal(value, got.Get(key));
            }
        }

        public void Dispose() => _store.Dispose();
    }
}
