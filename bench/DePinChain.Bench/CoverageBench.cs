using System.Diagnostics;
using System.Globalization;
using DePinChain.App;
using DePinChain.Crypto;
using DePinChain.Modules.Coverage;
using DePinChain.Modules.Coverage.Poc;
using DePinChain.Modules.Devices;
using DePinChain.Modules.Devices.Geo;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using DePinChain.Protos.Depin.Coverage.V1;
using DePinChain.Protos.Depin.Devices.V1;
using DePinChain.Sdk;
using DePinChain.Store;
using DePinChain.Store.Backend;
using DePinChain.Store.Backend.LevelDb;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using BeaconProto = DePinChain.Protos.Depin.Coverage.V1.BeaconReport;
using WitnessProto = DePinChain.Protos.Depin.Coverage.V1.WitnessReport;
using static DePinChain.Bench.BenchArgs;

namespace DePinChain.Bench;

/// <summary>
/// Proof-of-coverage throughput: MsgSubmitPoc txs, each one beacon with 10 witnesses (11 device signatures, all
/// secp256k1, plus the tx signature), against a registry of onboarded, located devices (genesis), on LevelDB,
/// through FinalizeBlock + Commit of the real app. Tx building and signing happen before the clock starts.
/// Beside it: the single-core secp256k1 verification rate and the reports/s it allows.
/// Options: --coverage-devices=100000 (1000000 for the 1M-device figure: about 10 min of setup on the shared 2-core VM)  --coverage-reports=6000  --coverage-block=500  --dir=PATH
///          --coverage-pinned-height=0 --coverage-node-cache=500000 (app.toml iavl-pinned-height and iavl-cache-size;
///          0 keeps whole trees in memory, as a validator sized for its state runs)
///          --coverage-iavl-format=nodes|changesets (app.toml iavl-format)  --coverage-write-behind=on|off (commit-write-behind; on as in depinchaind)
/// </summary>
public static class CoverageBench
{
    private const string Suite = "coverage";
    private const string ChainId = "depin-bench-1";
    private const int Witnesses = 10;
    private static readonly DateTimeOffset GenesisTime = DateTimeOffset.UnixEpoch.AddYears(56);

    public static IEnumerable<BenchResult> Run(IReadOnlyList<string> args)
    {
        var devices = int.Parse(Option(args, "coverage-devices", "100000"), CultureInfo.InvariantCulture);
        var reports = int.Parse(Option(args, "coverage-reports", "6000"), CultureInfo.InvariantCulture);
        var perBlock = int.Parse(Option(args, "coverage-block", "500"), CultureInfo.InvariantCulture);
        var dir = Path.Combine(Option(args, "dir", Path.GetTempPath()), "depin-coverage-bench-" + Guid.NewGuid().ToString("N"));

        var verifyRate = SingleCoreVerifyRate();
        yield return new BenchResult(Suite, "secp256k1 verify, 1 core", $"{verifyRate:N0}/s", "", "libsecp256k1, per CPU-second of the thread");
        yield return new BenchResult(Suite, "report limit (11 verifies), 1 core", $"{verifyRate / 11:N0} reports/s", "",
            $"{Environment.ProcessorCount} cores: {verifyRate * Environment.ProcessorCount / 11:N0} reports/s");

        try
        {
            foreach (var row in RunChain(devices, reports, perBlock, dir, verifyRate, args)) yield return row;
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    private static double SingleCoreVerifyRate()
    {
        var secret = Hashes.Sha256("bench-verify"u8);
        var key = Secp256k1.GetPublicKey(secret);
        var hash = Hashes.Sha256("message"u8);
        var signature = Secp256k1.Sign(secret, hash);
        for (var i = 0; i < 200; i++) Secp256k1.Verify(key, hash, signature);
        // Per second of this thread's CPU, not of the wall clock: on a loaded machine the thread waits for a core.
        var cpuBefore = ThreadCpu.Now();
        var clock = Stopwatch.StartNew();
        var count = 0;
        while (clock.ElapsedMilliseconds < 1_500)
        {
            for (var i = 0; i < 100; i++) Secp256k1.Verify(key, hash, signature);
            count += 100;
        }
        return count / (ThreadCpu.Now() - cpuBefore).TotalSeconds;
    }

    /// <summary>
    /// The devices' grid, all in EU868: up to 200,000 devices 400 columns from (45° N, 2° E), about 4.4 km × 3.6 km
    /// apart; more (1,000,000 with --coverage-devices=1000000) 1,600 columns from (34.5° N, 19° W), about
    /// 2.2 km × 2.5 km apart (above the 400 m minimum witness distance), so the rows stay inside the region's box
    /// (up to ~3M devices).
    /// </summary>
    private sealed record Grid(int Columns, int LatitudeOrigin, int LongitudeOrigin, int LatitudeStep, int LongitudeStep)
    {
        public static Grid For(int devices)
        {
            var grid = devices <= 200_000 ? new Grid(400, 45_000_000, 2_000_000, 40_000, 50_000) : new Grid(1_600, 34_500_000, -19_000_000, 20_000, 30_000);
            var last = grid.Position(devices - 1);
            if (Regions.Of(last) != Modules.Devices.Geo.Region.EU868 || Regions.Of(grid.Position(grid.Columns - 1)) != Modules.Devices.Geo.Region.EU868)
                throw new ArgumentException($"--coverage-devices={devices}: the grid leaves EU868 (last device at {last.LatitudeMicro}, {last.LongitudeMicro} µ°)");
            return grid;
        }

        public GeoPoint Position(int i) => new(LatitudeOrigin + i / Columns * LatitudeStep, LongitudeOrigin + i % Columns * LongitudeStep);
    }

    private static byte[] DeviceSecret(int i) => Hashes.Sha256(BitConverter.GetBytes(i));

    private static IEnumerable<BenchResult> RunChain(int deviceCount, int reportCount, int perBlock, string dir, double verifyRate, IReadOnlyList<string> args)
    {
        var setup = Stopwatch.StartNew();
        var grid = Grid.For(deviceCount);
        var columns = grid.Columns;
        var owner = new TxSigner(Hashes.Sha256("bench-owner"u8));
        var submitter = new TxSigner(Hashes.Sha256("bench-submitter"u8));
        var keys = new byte[deviceCount][];
        Parallel.For(0, deviceCount, i => keys[i] = Secp256k1.GetPublicKey(DeviceSecret(i)));

        var devicesGenesis = new Protos.Depin.Devices.V1.GenesisState { Params = DevicesKeeper.DefaultParams() };
        devicesGenesis.Makers.Add(new Maker { Name = "bench", Key = ByteString.CopyFrom(keys[0]), KeyType = KeyType.Secp256K1, FeePayer = owner.Bech32, Active = true });
        for (var i = 0; i < deviceCount; i++)
        {
            var at = grid.Position(i);
            devicesGenesis.Devices.Add(new Device
            {
                Key = ByteString.CopyFrom(keys[i]), KeyType = KeyType.Secp256K1, Owner = owner.Bech32, Mode = Protos.Depin.Devices.V1.DeviceMode.Full,
                Status = Protos.Depin.Devices.V1.DeviceStatus.Active, Maker = "bench", OnboardedHeight = 1,
                Location = new Location { LatitudeMicro = at.LatitudeMicro, LongitudeMicro = at.LongitudeMicro, AntennaGainTenthsDbi = 30, Region = (Protos.Depin.Devices.V1.Region)Regions.Of(at), Nonce = 1 },
            });
        }
        var appState = TxBuilder.GenesisAppState([(owner.Address, 1_000_000), (submitter.Address, 1_000_000_000)]);
        appState = appState[..^1] + $",\"devices\":{DevicesGenesis.Json.Format(devicesGenesis)}}}";

        var pinnedHeight = int.Parse(Option(args, "coverage-pinned-height", "0"), CultureInfo.InvariantCulture);
        var format = Option(args, "coverage-iavl-format", "nodes") switch
        {
            "nodes" => StoreFormat.Nodes,
            "changesets" => StoreFormat.Changesets,
            var other => throw new ArgumentException($"--coverage-iavl-format={other}: want nodes or changesets"),
        };
        var writeBehind = Option(args, "coverage-write-behind", "on") switch
        {
            "on" => true,
            "off" => false,
            var other => throw new ArgumentException($"--coverage-write-behind={other}: want on or off"),
        };
        var levelDb = LevelDbStore.Open(Path.Combine(dir, "application.db"), LevelDbOptions.CreateNew);
        var db = new CountingStore(levelDb);
        using var store = MultiStore.OpenOwning(db, AppModules.AllStoreNames,
            new MultiStoreOptions
            {
                CreateIfEmpty = true,
                NodeCacheSize = int.Parse(Option(args, "coverage-node-cache", "500000"), CultureInfo.InvariantCulture),
                PinnedHeight = pinnedHeight,
                Format = format,
                SnapshotDirectory = Path.Combine(dir, "iavl-snapshots"),
                // As depinchaind's commit-write-behind (on by default there): Commit returns once the version is sealed,
                // the synced write overlaps the next block.
                WriteBehind = writeBehind,
            });
        var app = new DePinApp(store);
        app.InitChain(new RequestInitChain
        {
            ChainId = ChainId, InitialHeight = 1, Time = Timestamp.FromDateTimeOffset(GenesisTime), AppStateBytes = ByteString.CopyFromUtf8(appState),
            ConsensusParams = new Protos.Types.ConsensusParams { Block = new() { MaxBytes = 100 * 1024 * 1024, MaxGas = -1 } },
        });
        Finalize(app, 1, []);
        var account = BaseAccount.Parser.ParseFrom(QueryAccountResponse.Parser.ParseFrom(app.Query(new RequestQuery
        {
            Path = "/cosmos.auth.v1beta1.Query/Account", Data = new QueryAccountRequest { Address = submitter.Bech32 }.ToByteString(),
        }).Value).Account.Value);
        var sequence = account.Sequence;
        var setupTime = setup.Elapsed;
        // A node that has been running for a while has compacted its state; right after a genesis of 1M devices
        // LevelDB would still be compacting it during the measured blocks, on the same two cores.
        var settled = StoreBench.Settle(store, levelDb);
        yield return new BenchResult(Suite, "setup: genesis devices", $"{deviceCount:N0}", "", $"{setupTime.TotalSeconds:N1} s incl. InitChain; then {settled}");

        // Beaconers are distinct (one beacon per interval each), spread over the grid; witnesses are the 10 grid neighbours around.
        var rows = deviceCount / columns;
        var beaconers = Enumerable.Range(0, deviceCount).Where(i => i / columns % 3 == 1 && i % columns % 4 == 2 && i % columns <= columns - 4 && i / columns < rows - 1).Take(reportCount).ToArray();
        if (beaconers.Length < reportCount) throw new InvalidOperationException($"only {beaconers.Length} beaconers fit {deviceCount} devices");
        int[] offsets = [-columns - 1, -columns, -columns + 1, -1, 1, columns - 1, columns, columns + 1, -2, 2];

        var height = 2L;
        var total = TimeSpan.Zero;
        var commits = TimeSpan.Zero;
        var cpu = TimeSpan.Zero;
        var mainCpu = TimeSpan.Zero; // the thread that runs FinalizeBlock and Commit
        var mainCommitCpu = TimeSpan.Zero;
        using var process = Process.GetCurrentProcess();
        var accepted = 0;
        var (putsBefore, bytesBefore) = (db.Puts, db.BytesPut);
        long allocated = 0;
        int[] collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        var gcPauses = TimeSpan.Zero;
        using var allocations = Environment.GetEnvironmentVariable("DEPIN_ALLOC_PROFILE") == "1" ? new AppBench.AllocationSampler { Enabled = false } : null;
        // Every block's txs are built and signed first, so the blocks then run back to back as in catch-up: with
        // write-behind, one block's synced write overlaps the next block, never untimed work.
        var blocks = new List<byte[][]>();
        for (var (start, h) = (0, height); start < reportCount; start += perBlock, h++)
        {
            var entropy = BlockHash(h - 1);
            var batch = beaconers.Skip(start).Take(perBlock).ToArray();
            var txs = new byte[batch.Length][];
            var firstSequence = sequence;
            Parallel.For(0, batch.Length, j =>
            {
                var msg = Report(batch[j], offsets, keys, grid, entropy, h - 1, submitter.Bech32);
                txs[j] = new TxBuilder().AddMessage(msg).WithFee("udpin", 0, 2_000_000).Sign(submitter, ChainId, account.AccountNumber, firstSequence + (ulong)j).ToByteArray();
            });
            sequence += (ulong)batch.Length;
            blocks.Add(txs);
        }
        GC.Collect();
        collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var pausesBefore = GC.GetTotalPauseDuration();
        var clock = Stopwatch.StartNew();
        if (allocations is not null) allocations.Enabled = true;
        foreach (var txs in blocks)
        {
            var mainBefore = ThreadCpu.Now();
            var response = Finalize(app, height, txs, out var commitTime, out var commitCpu);
            mainCpu += ThreadCpu.Now() - mainBefore;
            mainCommitCpu += commitCpu;
            commits += commitTime;
            accepted += response.TxResults.Count(r => r.Code == 0);
            var failed = response.TxResults.FirstOrDefault(r => r.Code != 0);
            if (failed is not null) throw new InvalidOperationException($"a bench report failed: {failed.Codespace}/{failed.Code}: {failed.Log}");
            height++;
        }
        var flushClock = Stopwatch.StartNew();
        store.Flush(); // the last block's write is part of the work
        commits += flushClock.Elapsed;
        if (allocations is not null) allocations.Enabled = false;
        total = clock.Elapsed;
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        gcPauses = GC.GetTotalPauseDuration() - pausesBefore;
        process.Refresh();
        cpu = process.TotalProcessorTime - cpuBefore;
        allocations?.Report(accepted, "report");
        yield return new BenchResult(Suite, $"MsgSubmitPoc ({Witnesses} witnesses), FinalizeBlock+Commit, LevelDB",
            $"{accepted / total.TotalSeconds:N0} reports/s", "≥ 1,500 reports/s", $"{accepted:N0} reports in {height - 2} blocks of {perBlock}, {deviceCount:N0} devices; Commit {commits.TotalMilliseconds / total.TotalMilliseconds:P0} of the time (with the final flush); store: iavl-format {format.ToString().ToLowerInvariant()}, write-behind {(writeBehind ? "on" : "off")}, iavl-pinned-height {pinnedHeight} (0 = whole trees in memory)");
        // Process CPU (all threads, GC included) is what the load of other processes on the machine does not distort.
        var cpuPerReport = cpu.TotalMicroseconds / accepted;
        yield return new BenchResult(Suite, "managed allocations per report (FinalizeBlock+Commit)", $"{allocated / (double)accepted / 1024:N1} KiB", "",
            $"GC pauses {gcPauses.TotalMicroseconds / accepted:N0} µs per report (a collection may be paying for the tx building before it); collections gen0/1/2: " +
            $"{GC.CollectionCount(0) - collectionsBefore[0]}/{GC.CollectionCount(1) - collectionsBefore[1]}/{GC.CollectionCount(2) - collectionsBefore[2]} (a gen2 marks every live node of whole trees in memory)");
        yield return new BenchResult(Suite, "LevelDB writes per report (Commit batches)", $"{(db.Puts - putsBefore) / (double)accepted:N1} puts, {(db.BytesPut - bytesBefore) / (double)accepted:N0} B", "",
            "keys + values the Merkle stores hand to LevelDB (tree nodes, fast index, roots), before LevelDB's own compaction");
        // Rewards reads an epoch's units once, at its last block: the archived ledgers plus every activity record.
        process.Refresh();
        var queryCpu = process.TotalProcessorTime;
        var unitsClock = Stopwatch.StartNew();
        var units = QueryUnitsResponse.Parser.ParseFrom(app.Query(new RequestQuery
        {
            Path = "/depin.coverage.v1.Query/Units", Data = new QueryUnitsRequest { Epoch = 0 }.ToByteString(),
        }).Value).Units.Count;
        process.Refresh();
        yield return new BenchResult(Suite, "Units query of the epoch (what rewards reads once per epoch)", $"{(process.TotalProcessorTime - queryCpu).TotalMilliseconds:N0} ms CPU", "",
            $"{units:N0} devices with units; {unitsClock.Elapsed.TotalMilliseconds:N0} ms wall");
        var signaturesPerReport = (Witnesses + 2) * 1e6 / verifyRate; // 11 device signatures + the tx signature
        yield return new BenchResult(Suite, "CPU per report (process, all threads)", $"{cpuPerReport:N0} µs", "",
            $"of which ~{signaturesPerReport:N0} µs are {Witnesses + 2} secp256k1 verifies; the rest ~{cpuPerReport - signaturesPerReport:N0} µs");
        // Where it runs: the block's thread (execution in order, plus the signatures it verifies itself when the pipeline
        // is behind) against the other threads (the signature pipeline, GC, LevelDB's compaction).
        yield return new BenchResult(Suite, "CPU per report on the block's thread", $"{mainCpu.TotalMicroseconds / accepted:N0} µs", "",
            $"FinalizeBlock {(mainCpu - mainCommitCpu).TotalMicroseconds / accepted:N0} µs + Commit {mainCommitCpu.TotalMicroseconds / accepted:N0} µs; other threads {(cpu - mainCpu).TotalMicroseconds / accepted:N0} µs (signature pipeline, GC, LevelDB)");
    }

    /// <summary>Counts what the Merkle stores hand to LevelDB (puts and their key + value bytes) on the way through.</summary>
    private sealed class CountingStore(IKeyValueStore inner) : IKeyValueStore
    {
        public long Puts;
        public long BytesPut;

        public byte[]? Get(ReadOnlySpan<byte> key) => inner.Get(key);
        public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(byte[]? start, byte[]? end, bool reverse = false) => inner.Iterate(start, end, reverse);
        public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) { Count(key, value); inner.Put(key, value); }
        public void Delete(ReadOnlySpan<byte> key) => inner.Delete(key);
        public IKeyValueSnapshot GetSnapshot() => inner.GetSnapshot();
        public IWriteBatch CreateBatch() => new Batch(this, inner.CreateBatch());
        public void Write(IWriteBatch batch, bool sync) => inner.Write(((Batch)batch).Inner, sync);
        public void Dispose() => inner.Dispose();

        private void Count(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        {
            Interlocked.Increment(ref Puts);
            Interlocked.Add(ref BytesPut, key.Length + value.Length);
        }

        private sealed class Batch(CountingStore owner, IWriteBatch inner) : IWriteBatch
        {
            public IWriteBatch Inner => inner;
            public int Count => inner.Count;
            public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) { owner.Count(key, value); inner.Put(key, value); }
            public void Delete(ReadOnlySpan<byte> key) => inner.Delete(key);
            public void Append(IWriteBatch other) => inner.Append(((Batch)other).Inner);
            public void Dispose() => inner.Dispose();
        }
    }

    /// <summary>CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID).</summary>
    private static class ThreadCpu
    {
        [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
        private struct TimeSpec { public long Seconds; public long Nanoseconds; }

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
        private static extern int ClockGetTime(int clock, out TimeSpec time);

        public static TimeSpan Now()
        {
            if (ClockGetTime(3, out var t) != 0) throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
            return TimeSpan.FromTicks(t.Seconds * TimeSpan.TicksPerSecond + t.Nanoseconds / 100);
        }
    }

    private static byte[] BlockHash(long height) => Hashes.Sha256(BitConverter.GetBytes(height));

    private static ResponseFinalizeBlock Finalize(DePinApp app, long height, byte[][] txs) => Finalize(app, height, txs, out _, out _);

    private static ResponseFinalizeBlock Finalize(DePinApp app, long height, byte[][] txs, out TimeSpan commitTime, out TimeSpan commitCpu)
    {
        var request = new RequestFinalizeBlock { Height = height, Time = Timestamp.FromDateTimeOffset(GenesisTime.AddSeconds(5 * height)), Hash = ByteString.CopyFrom(BlockHash(height)) };
        foreach (var tx in txs) request.Txs.Add(ByteString.CopyFrom(tx));
        var response = app.FinalizeBlock(request);
        var clock = Stopwatch.StartNew();
        var cpuBefore = ThreadCpu.Now();
        app.Commit(new RequestCommit());
        commitCpu = ThreadCpu.Now() - cpuBefore;
        commitTime = clock.Elapsed;
        return response;
    }

    private static MsgSubmitPoc Report(int beaconer, int[] offsets, byte[][] keys, Grid grid, byte[] entropy, long entropyHeight, string submitter)
    {
        var beacon = new BeaconProto
        {
            BeaconerKey = ByteString.CopyFrom(keys[beaconer]), EntropyHeight = entropyHeight,
            Payload = ByteString.CopyFrom(PocSignBytes.ExpectedPayload(entropy, keys[beaconer])),
            FrequencyHz = 868_100_000, TxPowerTenthsDbm = 270, TimestampMs = 1_800_000_000_000,
        };
        beacon.Signature = ByteString.CopyFrom(Secp256k1.SignMessage(DeviceSecret(beaconer), PocSignBytes.Beacon(ChainId, ToRecord(beacon))));
        var msg = new MsgSubmitPoc { Submitter = submitter, Beacon = beacon };
        var payloadHash = ByteString.CopyFrom(PocSignBytes.PayloadHash(beacon.Payload.Span));
        var from = grid.Position(beaconer);
        foreach (var offset in offsets)
        {
            var w = beaconer + offset;
            var metres = GreatCircle.DistanceMetres(from, grid.Position(w));
            var rssi = (int)(270 + 60 - RadioMath.FreeSpacePathLossTenthsDb(metres, 868_100_000) - 150);
            var witness = new WitnessProto
            {
                WitnessKey = ByteString.CopyFrom(keys[w]), PayloadHash = payloadHash, RssiTenthsDbm = rssi, SnrTenthsDb = 50,
                FrequencyHz = 868_100_000, TimestampMs = beacon.TimestampMs + 500,
            };
            witness.Signature = ByteString.CopyFrom(Secp256k1.SignMessage(DeviceSecret(w), PocSignBytes.Witness(ChainId, ToRecord(witness))));
            msg.Witnesses.Add(witness);
        }
        return msg;
    }

    private static Modules.Coverage.Poc.BeaconReport ToRecord(BeaconProto b) =>
        new(b.BeaconerKey.ToByteArray(), b.EntropyHeight, b.Payload.ToByteArray(), b.FrequencyHz, b.TxPowerTenthsDbm, b.TimestampMs, b.Signature.ToByteArray());

    private static Modules.Coverage.Poc.WitnessReport ToRecord(WitnessProto w) =>
        new(w.WitnessKey.ToByteArray(), w.PayloadHash.ToByteArray(), w.RssiTenthsDbm, w.SnrTenthsDb, w.FrequencyHz, w.TimestampMs, w.Signature.ToByteArray());
}
