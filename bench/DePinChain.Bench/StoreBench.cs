using System.Diagnostics;
using System.Globalization;
using DePinChain.Store;
using DePinChain.Store.Backend.LevelDb;
using static DePinChain.Bench.Stats;
using static DePinChain.Bench.BenchArgs;

namespace DePinChain.Bench;

/// <summary>
/// The multistore on LevelDB on disk, at several state sizes: building the state, a block of 10,000 random
/// updates + Commit (one block per second, as CometBFT paces them, then back to back; each run starts settled:
/// LevelDB's compactions idle, one full GC), random reads of committed keys, proof generation, disk bytes per key.
/// Options: --store-sizes=100000,1000000,10000000  --dir=PATH (default: a temp dir)  --build-budget-minutes=20
///          --store-build=import|blocks (default import: MultiStore.Import of the sorted keys, as genesis or state
///          sync would, then one commit; blocks: commits of 20,000 new keys each, the old way)
///          --store-blocks=20 (measured blocks per size)  --store-keep-recent=5 (pruning window: small, so the
///          measured commits include pruning as a long-running node's do)
///          --store-pinned-height=H (MultiStoreOptions.PinnedHeight; default 0: the whole tree in memory)
///          --store-node-cache=N (tree nodes cached; default 1,000,000, or 2 × keys + 2,000,000 when H > 0)
///          --store-block-cache-mb=M (LevelDB block cache; default 1024)  --store-compression=on|off (default off)
///          --store-write-buffer-mb=M (LevelDB memtable; default 64)  --store-max-file-mb=M (LevelDB table file size; default 2)
///          --store-write-behind=on|off (MultiStoreOptions.WriteBehind, as depinchaind's commit-write-behind; default on)
///          --store-block-interval-ms=1000 (the paced run's block interval; 0 skips it)
///          --store-format=nodes|changesets (MultiStoreOptions.Format, as depinchaind's iavl-format; default nodes; changesets
///          needs pinned height 0, writes its snapshots to a directory beside the database, and rows get "(changesets)")
///          --store-snapshot-interval=1000 (changesets: MultiStoreOptions.SnapshotInterval; the import's version is always snapshotted)
///          DEPIN_GC_TRACE=1 prints the last garbage collection after each measured block
/// Cache sizing: a tree of n keys has 2n − 1 nodes, and every update walks to the bottom, so a node cache smaller
/// than the tree turns updates and proofs into LevelDB reads. The bench machine has 24 GiB; a node in memory costs
/// roughly 300 B, so the default (an operator setting, like iavl's cache size) keeps the whole tree in memory
/// (pinned height 0: nodes hold their children, no cache lookups): about 6 GiB at 10M keys; the rows report
/// the process's peak memory. LevelDB keeps 1 GiB of blocks (the fast
/// index). Compression is off by default here: node records are mostly hashes, which do not compress.
/// </summary>
public static class StoreBench
{
    private const string Suite = "store";
    private const string StoreName = "state";
    private const int BlockSize = 10_000;
    private const int BuildBlockSize = 20_000;
    private const int ValueLength = 40;

    public static IEnumerable<BenchResult> Run(IReadOnlyList<string> args)
    {
        var sizes = Option(args, "store-sizes", "100000,1000000,10000000").Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var root = Option(args, "dir", Path.GetTempPath());
        var budget = TimeSpan.FromMinutes(double.Parse(Option(args, "build-budget-minutes", "20"), CultureInfo.InvariantCulture));
        var blocks = int.Parse(Option(args, "store-blocks", "20"), CultureInfo.InvariantCulture);
        var nodeCacheOption = Option(args, "store-node-cache", "");
        var blockCacheBytes = long.Parse(Option(args, "store-block-cache-mb", "1024"), CultureInfo.InvariantCulture) << 20;
        var import = Option(args, "store-build", "import") switch
        {
            "import" => true,
            "blocks" => false,
            var other => throw new ArgumentException($"--store-build must be import or blocks, not {other}"),
        };
        var keepRecent = long.Parse(Option(args, "store-keep-recent", "5"), CultureInfo.InvariantCulture);
        var pinnedHeight = int.Parse(Option(args, "store-pinned-height", "0"), CultureInfo.InvariantCulture);
        var writeBehind = Option(args, "store-write-behind", "on") switch
        {
            "on" => true,
            "off" => false,
            var other => throw new ArgumentException($"--store-write-behind must be on or off, not {other}"),
        };
        var interval = TimeSpan.FromMilliseconds(int.Parse(Option(args, "store-block-interval-ms", "1000"), CultureInfo.InvariantCulture));
        var format = Option(args, "store-format", "nodes") switch
        {
            "nodes" => StoreFormat.Nodes,
            "changesets" => StoreFormat.Changesets,
            var other => throw new ArgumentException($"--store-format must be nodes or changesets, not {other}"),
        };
        if (format == StoreFormat.Changesets && pinnedHeight != 0)
            throw new ArgumentException($"--store-format=changesets keeps whole trees in memory: it needs --store-pinned-height=0, not {pinnedHeight}");
        var snapshotInterval = long.Parse(Option(args, "store-snapshot-interval", "1000"), CultureInfo.InvariantCulture);
        var levelDb = LevelDbOptions.CreateNew with
        {
            BlockCacheBytes = blockCacheBytes,
            Compression = Option(args, "store-compression", "off") == "on",
            WriteBufferBytes = long.Parse(Option(args, "store-write-buffer-mb", "64"), CultureInfo.InvariantCulture) << 20,
            MaxFileBytes = long.Parse(Option(args, "store-max-file-mb", "2"), CultureInfo.InvariantCulture) << 20,
        };

        foreach (var size in sizes)
        {
            var dir = Path.Combine(root, $"depin-store-bench-{size}-{Environment.ProcessId}");
            try
            {
                var nodeCache = nodeCacheOption.Length > 0 ? int.Parse(nodeCacheOption, CultureInfo.InvariantCulture)
                    : pinnedHeight == 0 ? 1_000_000 : (int)Math.Min(size * 2 + 2_000_000, 1 << 30);
                var options = new MultiStoreOptions
                {
                    CreateIfEmpty = true,
                    Pruning = new PruningOptions(keepRecent, KeepEvery: 0),
                    NodeCacheSize = nodeCache,
                    PinnedHeight = pinnedHeight,
                    WriteBehind = writeBehind,
                    Format = format,
                    SnapshotInterval = snapshotInterval,
                    SnapshotDirectory = SnapshotDirectory(dir),
                };
                foreach (var row in RunSize(size, dir, budget, blocks, options, levelDb, import, interval)) yield return row;
            }
            finally
            {
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
                if (Directory.Exists(SnapshotDirectory(dir))) Directory.Delete(SnapshotDirectory(dir), recursive: true);
            }
        }
    }

    private static string SnapshotDirectory(string dir) => dir + "-snapshots";

    /// <summary>The database's bytes and, in the changeset format, its snapshots'.</summary>
    private static long StateBytes(string dir) => DirectoryBytes(dir) + (Directory.Exists(SnapshotDirectory(dir)) ? DirectoryBytes(SnapshotDirectory(dir)) : 0);

    private static IEnumerable<BenchResult> RunSize(long size, string dir, TimeSpan budget, int blocks, MultiStoreOptions options, LevelDbOptions levelDb, bool import, TimeSpan interval)
    {
        var (pinnedHeight, keepRecent, writeBehind) = (options.PinnedHeight, options.Pruning.KeepRecent, options.WriteBehind);
        var changesets = options.Format == StoreFormat.Changesets;
        var levelDbCacheMiB = levelDb.BlockCacheBytes >> 20;
        var label = (size >= 1_000_000 ? $"{size / 1_000_000}M" : $"{size / 1000}k") + (changesets ? " (changesets)" : "");
        var db = LevelDbStore.Open(dir, levelDb);
        using var store = MultiStore.OpenOwning(db, [StoreName], options);
        var settings = $"pinned height {pinnedHeight}, node cache {options.NodeCacheSize:N0}, LevelDB block cache {levelDb.BlockCacheBytes >> 20} MiB, write buffer {levelDb.WriteBufferBytes >> 20} MiB, compression {(levelDb.Compression ? "on" : "off")}, keep-recent {keepRecent}, {(writeBehind ? "write-behind" : "commits written in Commit")}"
            + (changesets ? $", changeset format (snapshot every {options.SnapshotInterval:N0} versions, {options.MemoryVersions} versions in memory)" : ", node-record format");

        // Build: either one import of the sorted keys (then one commit), or fresh keys in committed blocks until
        // the size or the time budget is reached.
        var build = Stopwatch.StartNew();
        var buildCpu = Cpu();
        long keys = 0;
        var value = new byte[ValueLength];
        if (import)
        {
            Import(store, size);
            keys = size;
        }
        while (keys < size && build.Elapsed < budget)
        {
            var kv = store.GetStore(StoreName);
            var n = Math.Min(BuildBlockSize, size - keys);
            for (var i = 0; i < n; i++, keys++)
            {
                FillValue(value, keys, 0);
                kv.Set(Key(keys), value);
            }
            store.Commit();
        }
        store.Flush(); // the build ends when its last commit is on disk (with the changeset format: the import's snapshot too)
        build.Stop();
        var reached = keys == size;
        yield return new BenchResult(Suite, $"build {label} keys", $"{build.Elapsed.TotalSeconds:F1} s",
            Note: reached ? $"{keys / Math.Max(build.Elapsed.TotalSeconds, 0.001):F0} keys/s, {(import ? "MultiStore.Import of the sorted keys + 1 commit" : $"blocks of {BuildBlockSize:N0}")}; process CPU {(Cpu() - buildCpu).TotalSeconds:F0} s; {settings}"
                          : $"STOPPED at {keys:N0} keys: build budget of {budget.TotalMinutes:F0} min exhausted");
        if (!reached) label = $"{label} (reached {keys:N0})";
        yield return new BenchResult(Suite, $"{label}: disk bytes per key after build", $"{StateBytes(dir) / (double)keys:F0} B",
            Note: $"{StateBytes(dir) / 1_048_576.0:F0} MiB{(changesets ? " with the snapshot" : "")}, {Math.Min(store.LastCommitId.Version, keepRecent)} versions kept");

        // Blocks of 10,000 updates through a block branch (as the app writes), half overwrites of random
        // existing keys, half new keys; then the branch is written and the multistore committed. First one block per
        // interval, as CometBFT delivers them (timeout_commit defaults to 1 s), for the latency a node sees; then back
        // to back (the sustained rate: each block also pays for the background work of the ones before).
        // Each run starts from a settled state (the build's or the previous run's LevelDB compactions done, the
        // tree in the oldest GC generation), as on a node that has been running for a while; the settling is reported.
        var rng = new Random(unchecked((int)size));
        var mode = writeBehind ? "write-behind" : "synced in Commit";
        var settled = Settle(store, db);
        if (interval > TimeSpan.Zero)
        {
            foreach (var row in MeasureBlocks(store, db, label, $"one per {interval.TotalMilliseconds:F0} ms", blocks, interval, rng, ref keys, mode, settled)) yield return row;
            settled = Settle(store, db);
        }
        foreach (var row in MeasureBlocks(store, db, label, "back to back", blocks, TimeSpan.Zero, rng, ref keys, mode, settled)) yield return row;
        if (NodeLifetimes(db, label, store.LastCommitId.Version, keepRecent) is { } lifetimes) yield return lifetimes;

        // Random reads of committed keys on a committed view.
        var version = store.LastCommitId.Version;
        var gcBefore = GcState.Now();
        var (single, singleCpu) = MeasureReads(store, version, keys, threads: 1);
        var (dual, dualCpu) = MeasureReads(store, version, keys, threads: 2);
        var best = Math.Max(single, dual);
        yield return new BenchResult(Suite, $"{label}: random reads of committed keys", $"{best:N0} /s", ">= 200,000 /s",
            $"best of 1 thread {single:N0}/s and 2 threads {dual:N0}/s ({(dual > single ? "2 threads" : "1 thread")}); per CPU-second {singleCpu:N0} and {dualCpu:N0}; {GcState.Now().Since(gcBefore)}");

        // Proofs: the full query path (read + ICS-23 proof chain, serialized).
        gcBefore = GcState.Now();
        var (proofs, proofsCpu) = MeasureProofs(store, keys);
        yield return new BenchResult(Suite, $"{label}: proof generation (Query prove=true)", $"{proofs:N0} /s", ">= 20,000 /s",
            $"1 thread, iavl + simple proof ops; per CPU-second {proofsCpu:N0}; {GcState.Now().Since(gcBefore)}");

        // Memory: the live managed heap after a full, compacting collection (the tree's objects and nothing the GC has
        // not collected yet), per key; the process's peak working set beside it includes garbage between collections,
        // the GC's own headroom and LevelDB's block cache and memtables (native).
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var live = GC.GetTotalMemory(forceFullCollection: false);
        yield return new BenchResult(Suite, $"{label}: RAM per key{(pinnedHeight == 0 ? ", whole tree in memory" : $" (pinned height {pinnedHeight})")}", $"{live / (double)keys:F0} B", pinnedHeight == 0 ? "<= 400 B" : "",
            $"live managed heap after a full compacting GC: {live / 1_073_741_824.0:F2} GiB for {keys:N0} keys; process peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1_073_741_824.0:F1} GiB "
            + $"({Process.GetCurrentProcess().PeakWorkingSet64 / (double)keys:F0} B per key, with GC headroom and LevelDB's {levelDbCacheMiB} MiB block cache)");

        var bytes = StateBytes(dir);
        yield return new BenchResult(Suite, $"{label}: disk bytes per key at the end", $"{bytes / (double)keys:F0} B",
            Note: $"{bytes / 1_048_576.0:F0} MiB for {keys:N0} keys, {ValueLength} B values, {Math.Min(store.LastCommitId.Version, keepRecent)} versions kept (keep-recent {keepRecent}); "
                + $"process peak memory {Process.GetCurrentProcess().PeakWorkingSet64 / 1_073_741_824.0:F1} GiB, managed heap {GC.GetTotalMemory(false) / 1_073_741_824.0:F1} GiB");

        if (!changesets) yield break;
        // Changeset format: a restart loads the newest snapshot and replays every later changeset (here the measured blocks').
        var expected = store.LastCommitId;
        var replayed = expected.Version - store.SnapshotVersion;
        store.Dispose();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var reopenCpu = Cpu();
        var reopen = Stopwatch.StartNew();
        using (var reopened = MultiStore.OpenOwning(LevelDbStore.Open(dir, levelDb with { CreateIfMissing = false }), [StoreName], options with { CreateIfEmpty = false }))
        {
            reopen.Stop();
            if (!reopened.LastCommitId.Hash.AsSpan().SequenceEqual(expected.Hash)) throw new InvalidOperationException("the reopened store has another app hash");
        }
        yield return new BenchResult(Suite, $"{label}: reopen (snapshot load + replay)", $"{reopen.Elapsed.TotalSeconds:F1} s",
            Note: $"the snapshot of {keys:N0} keys plus {replayed} changesets of up to {BlockSize:N0} updates, each root checked against its commit record; process CPU {(Cpu() - reopenCpu).TotalSeconds:F1} s");
    }

    /// <summary>
    /// Waits until LevelDB's background compactions have stopped (their totals unchanged for a second, at most two
    /// minutes) and collects the garbage once, fully: the state a long-running node is in between bursts.
    /// </summary>
    internal static string Settle(MultiStore store, LevelDbStore db)
    {
        store.Flush();
        var sw = Stopwatch.StartNew();
        var last = CompactionMegabytes.Of(db);
        var quiet = 0;
        while (quiet < 2 && sw.Elapsed < TimeSpan.FromMinutes(2))
        {
            Thread.Sleep(500);
            var now = CompactionMegabytes.Of(db);
            quiet = now == last ? quiet + 1 : 0;
            last = now;
        }
        var compactions = sw.Elapsed;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return $"settled first: LevelDB compactions {compactions.TotalSeconds:F1} s{(quiet < 2 ? " (still running after 2 min)" : "")}, full GC {(sw.Elapsed - compactions).TotalSeconds:F1} s";
    }

    private static List<BenchResult> MeasureBlocks(MultiStore store, LevelDbStore db, string label, string pacing, int blocks, TimeSpan interval, Random rng, ref long keys, string mode, string settled)
    {
        var value = new byte[ValueLength];
        var times = new List<double>();
        var commitTimes = new List<double>();
        var waitTimes = new List<double>();
        var sealTimes = new List<double>();
        var stageTimes = new List<double>();
        var dbWriteTimes = new List<double>();
        var writeTimes = new List<double>();
        var threadCpu = new List<double>();
        var records = new List<double>();
        store.Flush();
        var gcBefore = GcState.Now();
        var cpuBefore = Cpu();
        var threadsBefore = ThreadGroupsCpu.Now();
        var compactionBefore = CompactionMegabytes.Of(db);
        var round = (int)(store.LastCommitId.Version % 1_000_000);
        var wall = Stopwatch.StartNew();
        for (var b = 0; b < blocks; b++)
        {
            if (interval > TimeSpan.Zero)
            {
                var due = interval * b;
                if (wall.Elapsed < due) Thread.Sleep(due - wall.Elapsed);
            }
            var threadStart = ThreadCpu.Milliseconds();
            var sw = Stopwatch.StartNew();
            var branch = store.Branch();
            var kv = branch.GetStore(StoreName);
            for (var i = 0; i < BlockSize; i++)
            {
                var index = i % 2 == 0 ? rng.NextInt64(keys) : keys++;
                FillValue(value, index, round + b + 1);
                kv.Set(Key(index), value);
            }
            var writeStart = sw.Elapsed.TotalMilliseconds;
            branch.Write();
            var commitStart = sw.Elapsed.TotalMilliseconds;
            store.Commit();
            times.Add(sw.Elapsed.TotalMilliseconds);
            threadCpu.Add(ThreadCpu.Milliseconds() - threadStart);
            writeTimes.Add(commitStart - writeStart);
            commitTimes.Add(sw.Elapsed.TotalMilliseconds - commitStart);
            if (Environment.GetEnvironmentVariable("DEPIN_GC_TRACE") == "1")
            {
                var gc = GC.GetGCMemoryInfo(GCKind.Any);
                Console.Error.WriteLine($"  [gc] block {b}: {sw.Elapsed.TotalMilliseconds:F0} ms; last GC #{gc.Index} gen{gc.Generation} {(gc.Concurrent ? "concurrent" : "blocking")} {(gc.Compacted ? "compacting" : "sweeping")}, pause {string.Join("+", gc.PauseDurations.ToArray().Select(p => p.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)))} ms, promoted {gc.PromotedBytes >> 20} MiB, heap {gc.HeapSizeBytes >> 20} MiB, pinned {gc.PinnedObjectsCount}");
            }
            var phases = store.LastCommitTimings;
            waitTimes.Add(phases.Waited.TotalMilliseconds);
            sealTimes.Add(phases.Seal.TotalMilliseconds);
            // With write-behind these are the previous block's (none before the first).
            if (!phases.WriteBehind || b > 0)
            {
                stageTimes.Add(phases.Stage.TotalMilliseconds);
                dbWriteTimes.Add(phases.Write.TotalMilliseconds);
                records.Add(phases.Records);
            }
        }
        store.Flush();
        var cpuPerBlock = (Cpu() - cpuBefore).TotalMilliseconds / blocks;
        var byThread = ThreadGroupsCpu.Now().Since(threadsBefore, blocks);
        var compaction = CompactionMegabytes.Of(db) - compactionBefore;
        var gcs = GcState.Now().Since(gcBefore);
        return
        [
            new BenchResult(Suite, $"{label}: block of 10k updates + commit, {pacing} (median of {blocks})", $"{Median(times):F1} ms", "<= 150 ms",
                $"min {times.Min():F1}, max {times.Max():F1} ms, p90 {Percentile(times, 0.9):F1} ms; medians: branch write into the tree {Median(writeTimes):F1} ms, Commit {Median(commitTimes):F1} ms "
                + $"(waiting for the previous write {Median(waitTimes):F1}, hashing and numbering {Median(sealTimes):F1}); {mode}: staging nodes and pruning {Median(stageTimes):F1} ms, LevelDB synced write {Median(dbWriteTimes):F1} ms of {Median(records):N0} records (puts and deletes); "
                + $"CPU per block: this thread {Median(threadCpu):F0} ms (median), process {cpuPerBlock:F0} ms (mean, with GC and LevelDB compaction; by thread, ms: {byThread}); {gcs}; {settled}"),
            new BenchResult(Suite, $"{label}: LevelDB compaction per block, {pacing}", $"{compaction.Written / blocks:F0} MB written",
                Note: $"{compaction.Read / blocks:F0} MB read, {compaction.Seconds * 1000 / blocks:F0} ms in compactions (leveldb.stats, mean over the {blocks} blocks: background work for the bytes each block hands over); {db.GetProperty("leveldb.num-files-at-level0")} files at level 0 after them"),
        ];
    }

    /// <summary>
    /// How long the nodes one block creates stay in the tree, read from the database after the measured blocks: the
    /// node records of the oldest kept version b, and the orphan records naming b that end at b … latest − 1 (a node
    /// in record (to, b) was replaced by version to + 1). A store that wrote only every k-th version (the versions
    /// between kept in memory and replayed from the block store after a crash, as memiavl and iavl v2 do) would never
    /// write (nor later delete) a node created k − j versions before such a checkpoint that is replaced within j
    /// versions: on average a fraction (1/k) · Σ_{j&lt;k} P(replaced within j) of the node records.
    /// </summary>
    private static BenchResult? NodeLifetimes(LevelDbStore db, string label, long latest, long keepRecent)
    {
        var cohort = latest - keepRecent + 1;
        if (keepRecent < 2 || cohort < 2) return null;
        var prefix = MultiStore.TreePrefix(StoreName);
        byte[] Key(byte tag, long first, long? second = null)
        {
            var key = new byte[prefix.Length + 1 + 8 + (second is null ? 0 : 8)];
            prefix.CopyTo(key, 0);
            key[prefix.Length] = tag;
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(prefix.Length + 1), first);
            if (second is { } s) System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(prefix.Length + 9), s);
            return key;
        }
        long created = db.Iterate(Key((byte)'n', cohort), Key((byte)'n', cohort + 1)).LongCount();
        if (created == 0) return null;
        var replacedWithin = new double[keepRecent];
        long replaced = 0;
        for (long age = 1; age < keepRecent; age++)
        {
            replaced += (db.Get(Key((byte)'o', cohort + age - 1, cohort))?.Length ?? 0) / 4;
            replacedWithin[age] = replaced / (double)created;
        }
        var within = string.Join(", ", Enumerable.Range(1, (int)keepRecent - 1).Select(a => $"{a}: {replacedWithin[a]:P0}"));
        var skipped = string.Join(", ", Enumerable.Range(2, (int)keepRecent - 1).Select(k => $"every {k}th: {Enumerable.Range(0, k).Sum(j => replacedWithin[j]) / k:P0}"));
        return new BenchResult(Suite, $"{label}: nodes a block creates, replaced within 1, 2, … blocks", $"{replacedWithin[1]:P0} within 1",
            Note: $"version {cohort}: {created:N0} new nodes; replaced within {within} blocks; records never written (nor deleted) if only every k-th version were written: {skipped}");
    }

    /// <summary>Keys 0..size−1 sorted (their bytes are a hash of the index), imported with their round-0 values, then committed.</summary>
    private static void Import(MultiStore store, long size)
    {
        var sorted = new byte[size][];
        var indexes = new long[size];
        for (long i = 0; i < size; i++)
        {
            sorted[i] = Key(i);
            indexes[i] = i;
        }
        Array.Sort(sorted, indexes, DePinChain.Store.Backend.ByteArrayComparer.Instance);
        store.Import(StoreName, sorted.Select((k, i) =>
        {
            var v = new byte[ValueLength];
            FillValue(v, indexes[i], 0);
            return new KeyValuePair<byte[], byte[]>(k, v);
        }), size);
        store.Commit();
    }

    /// <summary>Totals of leveldb.stats' per-level compaction columns: seconds, MB read and MB written.</summary>
    private readonly record struct CompactionMegabytes(double Seconds, double Read, double Written)
    {
        public static CompactionMegabytes Of(LevelDbStore db)
        {
            double seconds = 0, read = 0, written = 0;
            foreach (var line in (db.GetProperty("leveldb.stats") ?? "").Split('\n'))
            {
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (columns.Length != 6 || !int.TryParse(columns[0], CultureInfo.InvariantCulture, out _)) continue;
                seconds += double.Parse(columns[3], CultureInfo.InvariantCulture);
                read += double.Parse(columns[4], CultureInfo.InvariantCulture);
                written += double.Parse(columns[5], CultureInfo.InvariantCulture);
            }
            return new CompactionMegabytes(seconds, read, written);
        }

        public static CompactionMegabytes operator -(CompactionMegabytes a, CompactionMegabytes b) => new(a.Seconds - b.Seconds, a.Read - b.Read, a.Written - b.Written);
    }

    /// <summary>GC activity over a phase: a background gen-2 collection of a large heap takes a core meanwhile.</summary>
    private readonly record struct GcState(int Gen0, int Gen1, int Gen2, TimeSpan Paused)
    {
        public static GcState Now() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());

        public string Since(GcState before)
            => $"GCs meanwhile: gen0 {Gen0 - before.Gen0}, gen1 {Gen1 - before.Gen1}, gen2 {Gen2 - before.Gen2}, paused {(Paused - before.Paused).TotalMilliseconds:F0} ms";
    }

    /// <summary>Bytes of the database's files; LevelDB may delete a log or table between listing and measuring it.</summary>
    private static long DirectoryBytes(string dir) => new DirectoryInfo(dir).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f =>
    {
        try
        {
            f.Refresh();
            return f.Exists ? f.Length : 0;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    });

    // Process CPU time beside wall time: on a shared machine the wall-clock rate understates the code.
    private static TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;

    private static (double PerSecond, double PerCpuSecond) MeasureReads(MultiStore store, long version, long keys, int threads)
    {
        var duration = TimeSpan.FromSeconds(2);
        var counts = new long[threads];
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var view = store.ViewAt(version).GetStore(StoreName);
            var rng = new Random(1000 + t);
            var sw = Stopwatch.StartNew();
            long n = 0;
            while (sw.Elapsed < duration)
            {
                for (var i = 0; i < 1000; i++)
                {
                    if (view.Get(Key(rng.NextInt64(keys))) is null) throw new InvalidOperationException("a committed key is missing");
                }
                n += 1000;
            }
            counts[t] = n;
        })).ToList();
        var cpu = Cpu();
        var total = Stopwatch.StartNew();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        return (counts.Sum() / total.Elapsed.TotalSeconds, counts.Sum() / (Cpu() - cpu).TotalSeconds);
    }

    private static (double PerSecond, double PerCpuSecond) MeasureProofs(MultiStore store, long keys)
    {
        var rng = new Random(77);
        var cpu = Cpu();
        var sw = Stopwatch.StartNew();
        long n = 0;
        while (sw.Elapsed < TimeSpan.FromSeconds(2))
        {
            for (var i = 0; i < 200; i++)
            {
                var result = store.Query(StoreName, Key(rng.NextInt64(keys)), 0, prove: true);
                if (result.ProofOps.Count != 2) throw new InvalidOperationException("proof chain missing");
            }
            n += 200;
        }
        return (n / sw.Elapsed.TotalSeconds, n / (Cpu() - cpu).TotalSeconds);
    }

    /// <summary>21-byte keys (a module prefix and a 20-byte address-like id) spread evenly by a bijective mix of the index.</summary>
    private static byte[] Key(long index)
    {
        var key = new byte[21];
        key[0] = 0x01;
        var x = Mix((ulong)index);
        for (var i = 0; i < 20; i++)
        {
            key[1 + i] = (byte)x;
            x = i % 8 == 7 ? Mix(x) : x >> 8;
        }
        return key;
    }

    private static void FillValue(byte[] value, long index, int round)
    {
        var x = Mix((ulong)index ^ ((ulong)round << 48));
        for (var i = 0; i < value.Length; i++)
        {
            value[i] = (byte)x;
            x = i % 8 == 7 ? Mix(x) : x >> 8;
        }
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
