using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using DePinChain.Store.Backend;
using DePinChain.Store.Backend.LevelDb;
using DePinChain.Store.Iavl;
using static DePinChain.Bench.Stats;

namespace DePinChain.Bench;

/// <summary>
/// The versioned IAVL tree on a real backend with deterministic data: build N keys, then blocks of 10,000 random
/// updates + SaveVersion + one batch write, random reads of committed keys and proof generation on 2 threads.
/// Options: --iavl-keys=N (default 1,000,000), --iavl-cache=nodes (default 2,000,000), --iavl-blocks=B (default 10),
/// --iavl-memory (the in-memory twin instead of LevelDB in a temporary directory).
/// A diagnostic of the tree alone (one tree, its default pinned height and a node cache, SaveVersion and the write on
/// the calling thread): the store's targets are the store suite's rows, measured through the multistore as a node runs it.
/// </summary>
public static class IavlBench
{
    private const string Suite = "iavl";
    private const int KeySize = 32;
    private const int ValueSize = 64;
    private const int UpdatesPerBlock = 10_000;
    private static readonly byte[] Prefix = "s/k:bench/"u8.ToArray();

    public static IEnumerable<BenchResult> Run(IReadOnlyList<string> args)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"depin-iavl-bench-{Environment.ProcessId}");
        try
        {
            foreach (var row in Run(args, args.Contains("--iavl-memory") ? () => new MemoryKeyValueStore() : () => LevelDbStore.Open(dir, LevelDbOptions.CreateNew)))
                yield return row;
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    /// <param name="openBackend">Opens an empty store.</param>
    public static IEnumerable<BenchResult> Run(IReadOnlyList<string> args, Func<IKeyValueStore> openBackend)
    {
        var keys = Option(args, "--iavl-keys=", 1_000_000);
        var cache = Option(args, "--iavl-cache=", 2_000_000);
        var blocks = Option(args, "--iavl-blocks=", 10);
        using var db = openBackend();
        var backend = db.GetType().Name;
        var options = new IavlTreeOptions(cache);
        var tree = IavlTree.Open(db, Prefix, 0, options);

        // Build: 100,000 new keys per version.
        var sw = Stopwatch.StartNew();
        for (var first = 0; first < keys; first += 100_000)
        {
            for (var i = first; i < Math.Min(keys, first + 100_000); i++) tree.Set(Key(i), Value(i, 0));
            Commit(tree, db);
        }
        sw.Stop();
        yield return new BenchResult(Suite, $"build {keys:N0} keys", $"{keys / sw.Elapsed.TotalSeconds:N0} keys/s", "", $"{backend}, {sw.Elapsed.TotalSeconds:N1} s");

        // Reopen with a cold cache, as after a restart, then run blocks of random updates.
        tree = IavlTree.Open(db, Prefix, tree.Version, options);
        var random = new Random(42);
        var blockTimes = new List<double>();
        var saveTimes = new List<double>();
        var cpuTimes = new List<double>();
        var setCpu = new List<double>();
        var saveCpu = new List<double>();
        var writeCpu = new List<double>();
        for (var b = 0; b < blocks; b++)
        {
            var cpu = CpuMs();
            var block = Stopwatch.StartNew();
            var t0 = ThreadCpu.Milliseconds();
            for (var u = 0; u < UpdatesPerBlock; u++)
            {
                var i = random.Next(keys);
                tree.Set(Key(i), Value(i, b + 1));
            }
            var t1 = ThreadCpu.Milliseconds();
            var save = Stopwatch.StartNew();
            using (var batch = db.CreateBatch())
            {
                tree.SaveVersion(batch);
                var t2 = ThreadCpu.Milliseconds();
                db.Write(batch, sync: false);
                var t3 = ThreadCpu.Milliseconds();
                setCpu.Add(t1 - t0);
                saveCpu.Add(t2 - t1);
                writeCpu.Add(t3 - t2);
            }
            saveTimes.Add(save.Elapsed.TotalMilliseconds);
            blockTimes.Add(block.Elapsed.TotalMilliseconds);
            cpuTimes.Add(CpuMs() - cpu);
        }
        var warm = blockTimes.Skip(blockTimes.Count / 2).ToList();
        yield return new BenchResult(Suite, "10k random updates + save (cold cache, 1st block)", $"{blockTimes[0]:N0} ms", "", $"{keys:N0} keys");
        yield return new BenchResult(Suite, "10k random updates + save (warm, median)", $"{Median(warm):N0} ms", "",
            $"save+write {Median(saveTimes.Skip(saveTimes.Count / 2).ToList()):N0} ms; process CPU {Median(cpuTimes.Skip(cpuTimes.Count / 2).ToList()):N0} ms; "
            + $"this thread's CPU: sets {Median(setCpu):N0}, SaveVersion {Median(saveCpu):N0}, batch write {Median(writeCpu):N0} ms");

        var view = tree.GetImmutable(tree.Version);
        var (reads, readCpu) = Parallel(2, TimeSpan.FromSeconds(3), (r, n) =>
        {
            var i = r.Next(keys);
            if (view.Get(Key(i)) is null) throw new InvalidOperationException($"key {i} missing");
        });
        yield return new BenchResult(Suite, "random reads of committed keys (2 threads)", $"{reads:N0} /s", "", $"{readCpu:N1} µs CPU each");

        var (proofs, proofCpu) = Parallel(2, TimeSpan.FromSeconds(3), (r, n) => view.GetProof(Key(r.Next(keys))));
        yield return new BenchResult(Suite, "proof generation (2 threads)", $"{proofs:N0} /s", "", $"{proofCpu:N1} µs CPU each");

        // Pruning: delete all but the newest version, in one batch.
        var prune = Stopwatch.StartNew();
        var old = tree.AvailableVersions().Where(v => v < tree.Version).ToList();
        using (var batch = db.CreateBatch())
        {
            foreach (var v in old) tree.DeleteVersion(v, batch);
            db.Write(batch, sync: false);
        }
        yield return new BenchResult(Suite, $"delete {old.Count} versions", $"{prune.Elapsed.TotalMilliseconds:N0} ms");
    }

    private static void Commit(IavlTree tree, IKeyValueStore db)
    {
        using var batch = db.CreateBatch();
        tree.SaveVersion(batch);
        db.Write(batch, sync: false);
    }

    private static byte[] Key(int i)
    {
        Span<byte> seed = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(seed, i);
        return SHA256.HashData(seed)[..KeySize];
    }

    private static byte[] Value(int i, int version)
    {
        var value = new byte[ValueSize];
        BinaryPrimitives.WriteInt32BigEndian(value, i);
        BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(4), version);
        return value;
    }

    private static double CpuMs() => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;

    /// <summary>
    /// Runs <paramref name="op"/> on <paramref name="threads"/> threads for about <paramref name="duration"/>; returns
    /// operations per second and process CPU microseconds per operation (meaningful when the machine is shared).
    /// </summary>
    private static (double PerSecond, double CpuMicros) Parallel(int threads, TimeSpan duration, Action<Random, long> op)
    {
        long total = 0;
        var cpu = CpuMs();
        var sw = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var random = new Random(1000 + t);
            long n = 0;
            while (sw.Elapsed < duration)
            {
                for (var k = 0; k < 256; k++) op(random, n++);
            }
            Interlocked.Add(ref total, n);
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        return (total / sw.Elapsed.TotalSeconds, (CpuMs() - cpu) * 1000 / total);
    }

    private static int Option(IReadOnlyList<string> args, string name, int fallback)
        => args.FirstOrDefault(a => a.StartsWith(name, StringComparison.Ordinal)) is { } arg ? int.Parse(arg[name.Length..], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
