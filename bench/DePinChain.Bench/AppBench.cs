using System.Diagnostics;
using System.Globalization;
using DePinChain.App;
using DePinChain.Crypto;
using DePinChain.Protos.Abci;
using DePinChain.Store;
using DePinChain.Store.Backend.LevelDb;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using static DePinChain.Bench.Stats;
using static DePinChain.Bench.BenchArgs;

namespace DePinChain.Bench;

/// <summary>
/// DePinApp in-process on LevelDB on disk: bank sends from distinct senders over a genesis of funded accounts.
/// FinalizeBlock + Commit throughput per block (median), with the process's and the executing thread's CPU time per tx
/// (the executing thread's is the sequential share; the machine may be shared, so CPU time is the steadier figure),
/// CheckTx throughput, and secp256k1 verifies/s on one core and on all cores, so the tx figures can be read as a
/// fraction of the signature limit. DEPIN_ALLOC_PROFILE=1 prints sampled allocations by type for the measured blocks.
/// Options: --app-accounts=100000  --app-block-size=5000  --app-blocks=12 (measured, after one warm-up block)
///          --dir=PATH (default: a temp dir)
///          --app-pinned-height=0 --app-node-cache=100000 (the store's app.toml settings iavl-pinned-height and
///          iavl-cache-size; 0 keeps whole trees in memory, as a validator sized for its state runs)
///          --app-pipeline=false (verify each signature during execution, on one thread: the sequential cost alone)
/// </summary>
public static class AppBench
{
    private const string Suite = "app";
    private const string ChainId = "depin-bench-1";
    private const string Denom = "udpin";

    public static IEnumerable<BenchResult> Run(IReadOnlyList<string> args)
    {
        int accounts = int.Parse(Option(args, "app-accounts", "100000"), CultureInfo.InvariantCulture);
        int blockSize = int.Parse(Option(args, "app-block-size", "5000"), CultureInfo.InvariantCulture);
        int blocks = int.Parse(Option(args, "app-blocks", "12"), CultureInfo.InvariantCulture);
        bool pipeline = bool.Parse(Option(args, "app-pipeline", "true"));
        var storeOptions = new MultiStoreOptions
        {
            CreateIfEmpty = true, Pruning = PruningOptions.Default,
            NodeCacheSize = int.Parse(Option(args, "app-node-cache", "100000"), CultureInfo.InvariantCulture),
            PinnedHeight = int.Parse(Option(args, "app-pinned-height", "0"), CultureInfo.InvariantCulture),
        };
        string dir = Path.Combine(Option(args, "dir", Path.GetTempPath()), $"depin-app-bench-{Environment.ProcessId}");
        int senders = (blocks + 3) * blockSize; // warm-up block, measured blocks, CheckTx batch, profile block: nobody sends twice
        if (senders > accounts) throw new ArgumentException($"--app-accounts={accounts} is less than the {senders} distinct senders needed");

        var rows = new List<BenchResult>();
        try
        {
            rows.AddRange(RunApp(accounts, blockSize, blocks, dir, pipeline, storeOptions));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        rows.AddRange(RunSignatures());
        return rows;
    }

    private static IEnumerable<BenchResult> RunApp(int accounts, int blockSize, int blocks, string dir, bool pipeline, MultiStoreOptions storeOptions)
    {
        var setup = Stopwatch.StartNew();
        int senderCount = (blocks + 3) * blockSize;
        var random = new Random(42);
        var signers = new TxSigner[senderCount];
        for (int i = 0; i < senderCount; i++) signers[i] = new TxSigner(Hashes.Sha256(BitConverter.GetBytes((long)i)));
        var addresses = new byte[accounts][];
        for (int i = 0; i < accounts; i++)
        {
            if (i < senderCount) { addresses[i] = signers[i].Address; continue; }
            addresses[i] = new byte[20];
            random.NextBytes(addresses[i]);
        }
        string genesis = TxBuilder.GenesisAppState(addresses.Select(a => (a, (System.Numerics.BigInteger)1_000_000_000)).ToArray(), Denom);

        using var store = MultiStore.OpenOwning(LevelDbStore.Open(dir, LevelDbOptions.CreateNew), AppModules.AllStoreNames,
            storeOptions);
        var timings = new TimingLogger();
        var app = new DePinApp(store, new AppOptions { ParallelSignatureVerification = pipeline }, timings, "bench");
        var start = DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture);
        app.InitChain(new RequestInitChain
        {
            ChainId = ChainId,
            InitialHeight = 1,
            Time = Timestamp.FromDateTimeOffset(start),
            AppStateBytes = ByteString.CopyFromUtf8(genesis),
        });
        var genesisCommit = Stopwatch.StartNew();
        app.FinalizeBlock(Block(1, start, []));
        app.Commit(new RequestCommit());
        yield return new BenchResult(Suite, $"genesis {accounts / 1000}k accounts: InitChain + first Commit (setup {setup.Elapsed.TotalSeconds:F0} s)",
            $"{genesisCommit.Elapsed.TotalSeconds:F1} s");

        ByteString SendTx(int sender) => SendTxWithSequence(sender, 0);
        ByteString SendTxWithSequence(int sender, ulong sequence)
        {
            int to = random.Next(accounts);
            var tx = new TxBuilder().AddMessage(TxBuilder.Send(signers[sender].Bech32, Bech32(addresses[to]), Denom, 1 + random.Next(1000)))
                .WithFee(Denom, 500, 200_000)
                .Sign(signers[sender], ChainId, (ulong)sender, sequence);
            return tx.ToByteString();
        }

        using var allocations = Environment.GetEnvironmentVariable("DEPIN_ALLOC_PROFILE") == "1" ? new AllocationSampler() : null;
        var throughputs = new List<double>();
        var finalizeMs = new List<double>();
        var executeMs = new List<double>();
        var mainCpuUsPerTx = new List<double>();
        var commitMs = new List<double>();
        var cpuUsPerTx = new List<double>();
        var allocatedPerTx = new List<double>();
        int failed = 0;
        for (int b = 0; b <= blocks; b++)
        {
            var txs = Enumerable.Range(b * blockSize, blockSize).Select(SendTx).ToList();
            long height = b + 2;
            var request = Block(height, start, txs);
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var mainCpuBefore = ThreadCpu.Current();
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
            var sw = Stopwatch.StartNew();
            var response = app.FinalizeBlock(request);
            var finalized = sw.Elapsed;
            app.Commit(new RequestCommit());
            var total = sw.Elapsed;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var mainCpu = ThreadCpu.Current() - mainCpuBefore;
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            failed += response.TxResults.Count(r => r.Code != 0);
            if (b == 0) continue; // warm-up: JIT, caches
            throughputs.Add(blockSize / total.TotalSeconds);
            finalizeMs.Add(finalized.TotalMilliseconds);
            commitMs.Add((total - finalized).TotalMilliseconds);
            executeMs.Add(timings.LastExecuteMs);
            mainCpuUsPerTx.Add(mainCpu.TotalMicroseconds / blockSize);
            cpuUsPerTx.Add(cpu.TotalMicroseconds / blockSize);
            allocatedPerTx.Add((double)allocated / blockSize);
            var phases = store.LastCommitTimings;
            Console.Error.WriteLine($"  [app] block {height}: finalize {finalized.TotalMilliseconds:F0} ms (txs {timings.LastExecuteMs:F0} ms), commit {(total - finalized).TotalMilliseconds:F0} ms (stage {phases.Stage.TotalMilliseconds:F0}, LevelDB write {phases.Write.TotalMilliseconds:F0}); CPU {cpu.TotalMicroseconds / blockSize:F0} µs/tx, executing thread {mainCpu.TotalMicroseconds / blockSize:F0} µs/tx; GCs gen0/1/2 {GC.CollectionCount(0) - gcBefore.Item1}/{GC.CollectionCount(1) - gcBefore.Item2}/{GC.CollectionCount(2) - gcBefore.Item3}, paused {(GC.GetTotalPauseDuration() - gcBefore.Item4).TotalMilliseconds:F0} ms");
        }
        allocations?.Report(blocks * blockSize);
        string failures = failed == 0 ? "" : $"; {failed} txs FAILED (figures invalid)";
        yield return new BenchResult(Suite, $"FinalizeBlock + Commit, {blockSize}-tx blocks of bank sends (median of {blocks})",
            $"{Median(throughputs):F0} tx/s", "≥ 10,000 tx/s",
            $"finalize {Median(finalizeMs):F0} ms (txs {Median(executeMs):F0} ms) + commit {Median(commitMs):F0} ms; process CPU {Median(cpuUsPerTx):F0} µs/tx, of it the executing thread {Median(mainCpuUsPerTx):F0} µs/tx; allocated {Median(allocatedPerTx) / 1024:F1} KiB/tx; store: iavl-pinned-height {storeOptions.PinnedHeight} (0 = whole trees in memory), iavl-cache-size {storeOptions.NodeCacheSize:N0}{failures}");

        // CheckTx: one mempool connection sends them one after another; fresh senders, so every one is valid.
        var checkTxs = Enumerable.Range((blocks + 1) * blockSize, blockSize).Select(SendTx).ToList();
        int rejected = 0;
        var checkCpu = Process.GetCurrentProcess().TotalProcessorTime;
        long checkAllocated = GC.GetTotalAllocatedBytes(precise: true);
        var checkThreadCpu = ThreadCpu.Current();
        var checkPauses = GC.GetTotalPauseDuration();
        var checkGen0 = GC.CollectionCount(0);
        var check = Stopwatch.StartNew();
        foreach (var tx in checkTxs)
        {
            if (app.CheckTx(new RequestCheckTx { Tx = tx, Type = CheckTxType.New }).Code != 0) rejected++;
        }
        check.Stop();
        checkCpu = Process.GetCurrentProcess().TotalProcessorTime - checkCpu;
        checkAllocated = GC.GetTotalAllocatedBytes(precise: true) - checkAllocated;
        checkThreadCpu = ThreadCpu.Current() - checkThreadCpu;
        checkPauses = GC.GetTotalPauseDuration() - checkPauses;
        checkGen0 = GC.CollectionCount(0) - checkGen0;
        yield return new BenchResult(Suite, $"CheckTx, {blockSize} bank sends in a row", $"{blockSize / check.Elapsed.TotalSeconds:F0} tx/s", "≥ 8,000 tx/s",
            $"process CPU {checkCpu.TotalMicroseconds / blockSize:F0} µs/tx, of it the calling thread {checkThreadCpu.TotalMicroseconds / blockSize:F0} µs/tx; "
            + $"allocated {(double)checkAllocated / blockSize / 1024:F1} KiB/tx; {checkGen0} collections paused {checkPauses.TotalMilliseconds:F0} ms" + (rejected == 0 ? "" : $"; {rejected} rejected (figure invalid)"));

        // Profile: a block whose txs all stop at the ante chain's sequence check (after decode, fee deduction and the
        // parallel signature check, before signature use, messages and writes), then the same kind of work outside the app.
        var wrongSequence = Enumerable.Range((blocks + 2) * blockSize, blockSize).Select(i => SendTxWithSequence(i, 1)).ToList();
        var profileCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var profileWall = Stopwatch.StartNew();
        var profiled = app.FinalizeBlock(Block(blocks + 3, start, wrongSequence));
        profileWall.Stop();
        profileCpu = Process.GetCurrentProcess().TotalProcessorTime - profileCpu;
        app.Commit(new RequestCommit());
        yield return new BenchResult(Suite, $"profile: FinalizeBlock of {blockSize} txs failing at the sequence check", $"{profileWall.Elapsed.TotalMilliseconds:F0} ms", "",
            $"process CPU {profileCpu.TotalMicroseconds / blockSize:F0} µs/tx (incl. signature check); codes {string.Join(",", profiled.TxResults.Select(r => r.Code).Distinct())}");
        foreach (var row in ProfileDecode(checkTxs)) yield return row;
        foreach (var row in ProfileStore(store, addresses, blockSize, random)) yield return row;
    }

    /// <summary>Decoding alone: TxRaw, body, auth info, the MsgSend and public key, the sign doc and its hash.</summary>
    private static IEnumerable<BenchResult> ProfileDecode(List<ByteString> txs)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        long sink = 0;
        foreach (var bytes in txs)
        {
            var raw = DePinChain.Protos.Cosmos.Tx.V1Beta1.TxRaw.Parser.ParseFrom(bytes);
            var body = DePinChain.Protos.Cosmos.Tx.V1Beta1.TxBody.Parser.ParseFrom(raw.BodyBytes);
            var auth = DePinChain.Protos.Cosmos.Tx.V1Beta1.AuthInfo.Parser.ParseFrom(raw.AuthInfoBytes);
            var send = body.Messages[0].Unpack<DePinChain.Protos.Cosmos.Bank.V1Beta1.MsgSend>();
            var key = auth.SignerInfos[0].PublicKey.Unpack<DePinChain.Protos.Cosmos.Crypto.Secp256k1.PubKey>();
            byte[] from = CosmosAddress.Parse(send.FromAddress, "depin");
            byte[] to = CosmosAddress.Parse(send.ToAddress, "depin");
            sink += SignModeDirect.SignBytesHash(raw.BodyBytes, raw.AuthInfoBytes, ChainId, 1)[0] + from[0] + to[0] + key.Key.Length + System.Numerics.BigInteger.Parse(send.Amount[0].Amount).GetByteCount();
        }
        sw.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        GC.KeepAlive(sink);
        yield return new BenchResult(Suite, "profile: decode + addresses + sign bytes, per tx", $"{sw.Elapsed.TotalMicroseconds / txs.Count:F1} µs", "",
            $"outside the app; process CPU {cpu.TotalMicroseconds / txs.Count:F1} µs");
    }

    /// <summary>
    /// The store work of a bank send, done directly on the multistore: per tx a branch; read and write the sender's
    /// account, the sender's, recipient's and fee collector's balances; then the block write, app hash and Commit.
    /// </summary>
    private static IEnumerable<BenchResult> ProfileStore(ICommitMultiStore store, byte[][] addresses, int blockSize, Random random)
    {
        var feeCollector = Hashes.Sha256(System.Text.Encoding.UTF8.GetBytes("fee_collector"))[..20];
        byte[] Balance(byte[] address) => [0x02, (byte)address.Length, .. address, .. "udpin"u8];
        byte[] Account(byte[] address) => [0x01, .. address];
        var value = new byte[80];
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var block = store.Branch();
        for (int i = 0; i < blockSize; i++)
        {
            var tx = block.Branch();
            byte[] from = addresses[random.Next(addresses.Length)], to = addresses[random.Next(addresses.Length)];
            var auth = tx.GetStore("auth");
            var bank = tx.GetStore("bank");
            auth.Get(Account(from));
            auth.Set(Account(from), value);
            foreach (var who in new[] { from, feeCollector, from, to })
            {
                bank.Get(Balance(who));
                bank.Set(Balance(who), value.AsSpan(0, 20));
            }
            tx.Write();
        }
        var executed = sw.Elapsed;
        block.Write();
        store.WorkingHash();
        var hashed = sw.Elapsed;
        store.Commit();
        var committed = sw.Elapsed;
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        yield return new BenchResult(Suite, $"profile: store work of {blockSize} sends (branch, 1+4 reads/writes per tx)",
            $"{committed.TotalMilliseconds:F0} ms", "",
            $"per-tx ops {executed.TotalMilliseconds:F0} ms, block write + app hash {(hashed - executed).TotalMilliseconds:F0} ms, commit {(committed - hashed).TotalMilliseconds:F0} ms; process CPU {cpu.TotalMicroseconds / blockSize:F0} µs/tx");
    }

    private static IEnumerable<BenchResult> RunSignatures()
    {
        const int count = 20_000;
        var keys = Enumerable.Range(0, 64).Select(i => Hashes.Sha256(BitConverter.GetBytes(i + 1_000_000))).ToArray();
        var publicKeys = keys.Select(k => Secp256k1.GetPublicKey(k)).ToArray();
        var hashes = Enumerable.Range(0, count).Select(i => Hashes.Sha256(BitConverter.GetBytes(i))).ToArray();
        var signatures = hashes.Select((h, i) => Secp256k1.Sign(keys[i % keys.Length], h)).ToArray();

        bool Verify(int i) => Secp256k1.Verify(publicKeys[i % keys.Length], hashes[i], signatures[i]);
        for (int i = 0; i < 1000; i++) Verify(i);

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var single = Stopwatch.StartNew();
        int ok = 0;
        for (int i = 0; i < count; i++) if (Verify(i)) ok++;
        single.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        double perCore = count / single.Elapsed.TotalSeconds;
        yield return new BenchResult(Suite, "secp256k1 verify, one core", $"{perCore:F0} /s", "",
            $"{single.Elapsed.TotalMicroseconds / count:F1} µs each; process CPU {cpu.TotalMicroseconds / count:F1} µs each{(ok == count ? "" : $"; {count - ok} failed")}");

        var parallel = Stopwatch.StartNew();
        int okParallel = 0;
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            if (Verify(i)) Interlocked.Increment(ref okParallel);
        });
        parallel.Stop();
        yield return new BenchResult(Suite, $"secp256k1 verify, {Environment.ProcessorCount} cores", $"{count / parallel.Elapsed.TotalSeconds:F0} /s", "",
            okParallel == count ? "the ceiling for tx/s with one signature per tx" : $"{count - okParallel} failed");
    }

    private static RequestFinalizeBlock Block(long height, DateTimeOffset start, IEnumerable<ByteString> txs)
    {
        var request = new RequestFinalizeBlock
        {
            Height = height,
            Time = Timestamp.FromDateTimeOffset(start.AddSeconds(height * 5)),
            Hash = ByteString.CopyFrom(Hashes.Sha256(BitConverter.GetBytes(height))),
            ProposerAddress = ByteString.CopyFrom(new byte[20]),
        };
        request.Txs.AddRange(txs);
        return request;
    }

    private static string Bech32(byte[] address) => CosmosAddress.ToBech32(address, "depin");

    /// <summary>Samples allocations by type (the runtime's AllocationTick, one event per ~100 KB) for DEPIN_ALLOC_PROFILE=1.</summary>
    internal sealed class AllocationSampler : System.Diagnostics.Tracing.EventListener
    {
        private readonly Dictionary<string, long> _bytes = new(StringComparer.Ordinal);

        /// <summary>Samples count only while this is set (to leave out what a suite does between measured calls).</summary>
        public volatile bool Enabled = true;

        protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
                EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
        }

        protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
        {
            if (!Enabled || e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null) return;
            int typeAt = e.PayloadNames!.IndexOf("TypeName"), amountAt = e.PayloadNames.IndexOf("AllocationAmount64");
            if (typeAt < 0 || amountAt < 0) return;
            string type = e.Payload[typeAt] as string ?? "?";
            long amount = Convert.ToInt64(e.Payload[amountAt], CultureInfo.InvariantCulture);
            lock (_bytes) _bytes[type] = _bytes.GetValueOrDefault(type) + amount;
        }

        public void Report(int txs, string unit = "tx")
        {
            lock (_bytes)
            {
                foreach (var (type, bytes) in _bytes.OrderByDescending(p => p.Value).Take(30))
                    Console.Error.WriteLine($"  [alloc] {bytes / (double)txs,8:F0} B/{unit}  {type}");
                _bytes.Clear();
            }
        }
    }

    /// <summary>CPU time of the calling thread (getrusage RUSAGE_THREAD): the sequential share of a block's work.</summary>
    private static class ThreadCpu
    {
        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getrusage")]
        private static extern int GetRusage(int who, out RUsage usage);

        [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
        private struct RUsage
        {
            public long UserSeconds, UserMicros, SystemSeconds, SystemMicros;
            public long Rest0, Rest1, Rest2, Rest3, Rest4, Rest5, Rest6, Rest7, Rest8, Rest9, Rest10, Rest11, Rest12, Rest13;
        }

        public static TimeSpan Current()
        {
            if (!OperatingSystem.IsLinux() || GetRusage(1, out var u) != 0) return TimeSpan.Zero;
            return TimeSpan.FromMicroseconds((u.UserSeconds + u.SystemSeconds) * 1_000_000 + u.UserMicros + u.SystemMicros);
        }
    }

    /// <summary>Picks the tx-execution share out of the app's own FinalizeBlock log line (BlockExecutor's Stopwatch sections, logged under DePinApp).</summary>
    private sealed class TimingLogger : ILogger<DePinApp>
    {
        public double LastExecuteMs { get; private set; }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is not IReadOnlyList<KeyValuePair<string, object?>> values) return;
            foreach (var (key, value) in values)
            {
                if (key == "ExecuteMs" && value is double ms) LastExecuteMs = ms;
            }
        }
    }
}
