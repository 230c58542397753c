using System.Diagnostics;
using System.Globalization;
using System.Net;
using DePinChain.Api.Grpc;
using DePinChain.Api.Rest;
using DePinChain.App;
using DePinChain.Crypto;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using DePinChain.Store;
using DePinChain.Store.Backend.LevelDb;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;
using static DePinChain.Bench.BenchArgs;

namespace DePinChain.Bench;

/// <summary>
/// The node API under load (issue 15): a DePinApp on the LevelDB multistore with a genesis of funded accounts and a few
/// committed blocks of bank sends, its REST gateway and gRPC server on 127.0.0.1:0, and a fixed number of concurrent
/// clients in this process asking for random accounts' balances: REST <c>GET /cosmos/bank/v1beta1/balances/{addr}</c>
/// over HTTP/1.1 connections, gRPC <c>cosmos.bank.v1beta1.Query/Balance</c> over HTTP/2 channels. After a warm-up, for a
/// fixed time: requests/s, p50/p99 of the per-request latencies (Stopwatch, sorted), process CPU and allocations per
/// request. The clients run in this process, so their CPU shares the machine's cores with the server's.
/// DEPIN_ALLOC_PROFILE=1 prints sampled allocations by type per request for each measured window.
/// Then the explorer's first paint: a DePinApp whose genesis holds --api-explorer-devices located devices, its REST gateway and
/// explorer server, and headless Chromium (tests/js/explorer-first-paint.mjs) timing a fresh page from navigation to the map
/// drawn with every device (skipped, with the reason in the row, without chromium or puppeteer-core: run `make setup`).
/// Each API is measured twice: at saturation (closed loop: every client sends its next request when its last is answered;
/// the figure is the most the node serves) and at a fixed offered rate (open loop, --api-rate, default the issue's
/// 10,000 req/s: the latency a client sees while the node serves that rate).
/// Options: --api-accounts=100000 --api-clients=32 --api-grpc-channels=1 --api-seconds=10 --api-warmup-seconds=3 --api-rate=10000
///          --api-explorer-devices=10000 --dir=PATH (default: a temp dir)
/// </summary>
public static class ApiBench
{
    private const string Suite = "api";
    private const string ChainId = "depin-bench-1";
    private const string Denom = "udpin";
    private const long Funded = 1_000_000_000;

    public static IEnumerable<BenchResult> Run(IReadOnlyList<string> args)
    {
        int accounts = int.Parse(Option(args, "api-accounts", "100000"), CultureInfo.InvariantCulture);
        int clients = int.Parse(Option(args, "api-clients", "32"), CultureInfo.InvariantCulture);
        int channels = int.Parse(Option(args, "api-grpc-channels", "1"), CultureInfo.InvariantCulture);
        var measured = TimeSpan.FromSeconds(double.Parse(Option(args, "api-seconds", "10"), CultureInfo.InvariantCulture));
        var warmup = TimeSpan.FromSeconds(double.Parse(Option(args, "api-warmup-seconds", "3"), CultureInfo.InvariantCulture));
        string dir = Path.Combine(Option(args, "dir", Path.GetTempPath()), $"depin-api-bench-{Environment.ProcessId}");
        int explorerDevices = int.Parse(Option(args, "api-explorer-devices", "10000"), CultureInfo.InvariantCulture);
        int rate = int.Parse(Option(args, "api-rate", "10000"), CultureInfo.InvariantCulture);
        try
        {
            var rows = RunAsync(accounts, clients, channels, rate, warmup, measured, dir).GetAwaiter().GetResult();
            rows.Add(ExplorerFirstPaintAsync(explorerDevices).GetAwaiter().GetResult());
            return rows;
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<List<BenchResult>> RunAsync(int accounts, int clients, int channels, int rate, TimeSpan warmup, TimeSpan measured, string dir)
    {
        var rows = new List<BenchResult>();
        var setup = Stopwatch.StartNew();
        // A few committed blocks of sends from the first accounts, so the latest state is not genesis alone.
        const int blocks = 3, sendsPerBlock = 200;
        int senderCount = blocks * sendsPerBlock;
        var random = new Random(42);
        var signers = Enumerable.Range(0, senderCount).Select(i => new TxSigner(Hashes.Sha256(BitConverter.GetBytes((long)i)))).ToArray();
        var addresses = new byte[accounts][];
        for (int i = 0; i < accounts; i++)
        {
            if (i < senderCount) { addresses[i] = signers[i].Address; continue; }
            addresses[i] = new byte[20];
            random.NextBytes(addresses[i]);
        }
        string[] bech32 = [.. addresses.Select(a => CosmosAddress.ToBech32(a, "depin"))];
        string genesis = TxBuilder.GenesisAppState(addresses.Select(a => (a, (System.Numerics.BigInteger)Funded)).ToArray(), Denom);

        using var store = MultiStore.OpenOwning(LevelDbStore.Open(dir, LevelDbOptions.CreateNew), AppModules.AllStoreNames,
            // As depinchaind opens it with app.toml's defaults: whole trees in memory once touched (iavl-pinned-height 0).
            new MultiStoreOptions { CreateIfEmpty = true, Pruning = PruningOptions.Default, PinnedHeight = 0 });
        var app = new DePinApp(store, new AppOptions(), NullLogger<DePinApp>.Instance, "bench");
        var start = DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture);
        app.InitChain(new RequestInitChain
        {
            ChainId = ChainId,
            InitialHeight = 1,
            Time = Timestamp.FromDateTimeOffset(start),
            AppStateBytes = ByteString.CopyFromUtf8(genesis),
        });
        app.FinalizeBlock(Block(1, start, []));
        app.Commit(new RequestCommit());
        int failedTxs = 0;
        for (int b = 0; b < blocks; b++)
        {
            var txs = Enumerable.Range(b * sendsPerBlock, sendsPerBlock).Select(s => new TxBuilder()
                .AddMessage(TxBuilder.Send(signers[s].Bech32, bech32[random.Next(accounts)], Denom, 1 + random.Next(1000)))
                .WithFee(Denom, 500, 200_000)
                .Sign(signers[s], ChainId, (ulong)s, 0).ToByteString());
            failedTxs += app.FinalizeBlock(Block(b + 2, start, txs)).TxResults.Count(r => r.Code != 0);
            app.Commit(new RequestCommit());
        }
        if (failedTxs > 0) throw new InvalidOperationException($"{failedTxs} setup sends failed");
        long height = app.Info(new RequestInfo()).LastBlockHeight;

        await using var rest = new RestApiServer(app, new RestApiOptions { Address = "127.0.0.1:0" }, NullLoggerFactory.Instance);
        await rest.StartAsync();
        await using var grpc = new GrpcApiServer(app, new GrpcApiOptions { Address = "127.0.0.1:0" }, NullLoggerFactory.Instance);
        await grpc.StartAsync();
        Console.Error.WriteLine($"  [api] {accounts:N0} accounts, height {height}, REST on {rest.ListenAddress}, gRPC on {grpc.ListenAddress}; setup {setup.Elapsed.TotalSeconds:F0} s");
        string note = $"{clients} concurrent clients in this process (their CPU shares the {Environment.ProcessorCount} cores with the server), random accounts of {accounts / 1000}k, "
            + $"{warmup.TotalSeconds:F0} s warm-up then {measured.TotalSeconds:F0} s measured";

        // REST: one HTTP/1.1 connection per client.
        using (var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients, UseProxy = false, UseCookies = false })
               { BaseAddress = new Uri("http://" + rest.ListenAddress) })
        {
            // Sample answers: a sender (paid fees and sent) and a genesis-only account.
            string last = await http.GetStringAsync($"/cosmos/bank/v1beta1/balances/{bech32[^1]}");
            if (!last.Contains($"\"amount\":\"{Funded}\"", StringComparison.Ordinal)) throw new InvalidOperationException($"unexpected REST answer {last}");
            async Task<bool> Balances(int account, CancellationToken ct)
            {
                using var response = await http.GetAsync($"/cosmos/bank/v1beta1/balances/{bech32[account]}", ct);
                byte[] body = await response.Content.ReadAsByteArrayAsync(ct);
                return response.StatusCode == HttpStatusCode.OK && body.Length > 0;
            }
            string name = $"REST GET /cosmos/bank/v1beta1/balances/{{addr}}, {accounts / 1000}k accounts";
            string connections = $"{clients} HTTP/1.1 keep-alive connections (HttpClient, SocketsHttpHandler MaxConnectionsPerServer {clients})";
            rows.Add(Row(name, await LoadAsync(clients, warmup, measured, accounts, Balances), $"{note}; {connections}"));
            rows.Add(RateRow(name, rate, clients, await RateLoadAsync(rate, clients, warmup, measured, accounts, Balances), connections));
        }

        // gRPC: the clients share the channels (HTTP/2 connections), as an explorer or relayer does.
        var method = new Method<QueryBalanceRequest, QueryBalanceResponse>(MethodType.Unary, "cosmos.bank.v1beta1.Query", "Balance",
            Marshallers.Create((QueryBalanceRequest m) => m.ToByteArray(), QueryBalanceRequest.Parser.ParseFrom),
            Marshallers.Create((QueryBalanceResponse m) => m.ToByteArray(), QueryBalanceResponse.Parser.ParseFrom));
        var grpcChannels = Enumerable.Range(0, channels).Select(_ => GrpcChannel.ForAddress("http://" + grpc.ListenAddress,
            new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { UseProxy = false, EnableMultipleHttp2Connections = true } })).ToArray();
        try
        {
            var invokers = grpcChannels.Select(c => c.CreateCallInvoker()).ToArray();
            var sample = await invokers[0].AsyncUnaryCall(method, null, default, new QueryBalanceRequest { Address = bech32[^1], Denom = Denom });
            if (sample.Balance?.Amount != Funded.ToString(CultureInfo.InvariantCulture)) throw new InvalidOperationException($"unexpected gRPC answer {sample}");
            int next = 0;
            async Task<bool> Balance(int account, CancellationToken ct)
            {
                var invoker = invokers[(Interlocked.Increment(ref next) & int.MaxValue) % invokers.Length];
                var answer = await invoker.AsyncUnaryCall(method, null, new CallOptions(cancellationToken: ct), new QueryBalanceRequest { Address = bech32[account], Denom = Denom });
                return answer.Balance is not null;
            }
            string name = $"gRPC cosmos.bank.v1beta1.Query/Balance, {accounts / 1000}k accounts";
            string connections = $"{channels} HTTP/2 channel(s) (Grpc.Net.Client)";
            rows.Add(Row(name, await LoadAsync(clients, warmup, measured, accounts, Balance), $"{note}; {connections}"));
            rows.Add(RateRow(name, rate, clients, await RateLoadAsync(rate, clients, warmup, measured, accounts, Balance), connections));
        }
        finally
        {
            foreach (var channel in grpcChannels) channel.Dispose();
        }
        rows.AddRange(ProfilePhases(app, rest.Gateway, bech32));
        return rows;
    }

    /// <summary>
    /// The REST server's work for one balances request without HTTP, phase by phase on one thread (time and allocations):
    /// route lookup, the request message from the path, the query, the JSON answer; and the gRPC Balance query alone.
    /// </summary>
    private static IEnumerable<BenchResult> ProfilePhases(DePinApp app, RestGateway gateway, string[] bech32)
    {
        var api = new GrpcApi(app, new GrpcApiOptions());
        var json = new GatewayJson(RestApiServer.TypesOf(app));
        const int count = 20_000;
        var random = new Random(7);
        var ticks = new long[5];
        var bytes = new long[5];
        long sink = 0;
        void Phase(int i, long t0, long a0)
        {
            ticks[i] += Stopwatch.GetTimestamp() - t0;
            bytes[i] += GC.GetAllocatedBytesForCurrentThread() - a0;
        }
        for (int round = 0; round < 2; round++) // the first round warms up
        {
            Array.Clear(ticks);
            Array.Clear(bytes);
            for (int n = 0; n < count; n++)
            {
                string address = bech32[random.Next(bech32.Length)];
                long t = Stopwatch.GetTimestamp(), a = GC.GetAllocatedBytesForCurrentThread();
                string target = "/cosmos/bank/v1beta1/balances/" + address;
                string[] segments = [.. target[1..].Split('/').Select(Uri.UnescapeDataString)];
                var (route, values) = gateway.Find("GET", segments)!.Value;
                Phase(0, t, a);
                t = Stopwatch.GetTimestamp(); a = GC.GetAllocatedBytesForCurrentThread();
                IMessage message = RestGateway.PlainStringRequest(route, values);
                Phase(1, t, a);
                t = Stopwatch.GetTimestamp(); a = GC.GetAllocatedBytesForCurrentThread();
                var result = api.Answer(GrpcApi.PathOf(route.Method), message.ToByteString(), 0);
                Phase(2, t, a);
                t = Stopwatch.GetTimestamp(); a = GC.GetAllocatedBytesForCurrentThread();
                string text = json.Format(route.Method.OutputType.Parser.ParseFrom(result.Value));
                Phase(3, t, a);
                t = Stopwatch.GetTimestamp(); a = GC.GetAllocatedBytesForCurrentThread();
                var balance = api.Answer("/cosmos.bank.v1beta1.Query/Balance", new QueryBalanceRequest { Address = address, Denom = Denom }.ToByteString(), 0);
                Phase(4, t, a);
                sink += text.Length + balance.Value.Length;
            }
        }
        GC.KeepAlive(sink);
        string Us(int i) => $"{Stopwatch.GetElapsedTime(0, ticks[i]).TotalMicroseconds / count:F1} µs ({bytes[i] / (double)count / 1024:F1} KiB)";
        double restUs = Enumerable.Range(0, 4).Sum(i => Stopwatch.GetElapsedTime(0, ticks[i]).TotalMicroseconds) / count;
        yield return new BenchResult(Suite, "profile: REST balances request without HTTP, one thread", $"{restUs:F1} µs", "",
            $"route {Us(0)}, request message {Us(1)}, query (AllBalances) {Us(2)}, JSON answer {Us(3)}; time (allocated) per request");
        yield return new BenchResult(Suite, "profile: gRPC Balance query without HTTP, one thread", $"{Stopwatch.GetElapsedTime(0, ticks[4]).TotalMicroseconds / count:F1} µs", "",
            $"allocated {bytes[4] / (double)count / 1024:F1} KiB per query");
    }

    /// <summary>The explorer's first paint with <paramref name="devices"/> located devices (genesis devices spread over
    /// Europe, one maker), median and worst of 3 fresh pages after one warm-up page.</summary>
    private static async Task<BenchResult> ExplorerFirstPaintAsync(int devices)
    {
        string name = $"explorer first paint, {devices:N0} devices (headless Chromium)";
        string? jsDir = JsDir();
        if (jsDir is null || !Directory.Exists(Path.Combine(jsDir, "node_modules", "puppeteer-core")))
            return new BenchResult(Suite, name, "skipped", "≤ 2 s", "puppeteer-core is not installed in tests/js: run `make setup`");
        if (!File.Exists("/usr/bin/chromium") && !File.Exists("/usr/bin/chromium-browser"))
            return new BenchResult(Suite, name, "skipped", "≤ 2 s", "no chromium: run `make setup`");

        var random = new Random(11);
        byte[] ownerAddress = new byte[20];
        random.NextBytes(ownerAddress);
        string owner = CosmosAddress.ToBech32(ownerAddress, "depin");
        var genesis = new DePinChain.Protos.Depin.Devices.V1.GenesisState { Params = DePinChain.Modules.Devices.DevicesKeeper.DefaultParams() };
        genesis.Makers.Add(new DePinChain.Protos.Depin.Devices.V1.Maker
        {
            Name = "bench", Key = ByteString.CopyFrom(Secp256k1.GetPublicKey(Hashes.Sha256("bench maker"u8))),
            KeyType = DePinChain.Protos.Depin.Devices.V1.KeyType.Secp256K1, FeePayer = owner, Active = true, AddedHeight = 1,
        });
        for (int i = 0; i < devices; i++)
        {
            var point = new DePinChain.Modules.Devices.Geo.GeoPoint(random.Next(36_000_000, 60_000_000), random.Next(-10_000_000, 30_000_000));
            genesis.Devices.Add(new DePinChain.Protos.Depin.Devices.V1.Device
            {
                Key = ByteString.CopyFrom(Ed25519.PublicKeyFromSeed(Hashes.Sha256(BitConverter.GetBytes(i)))),
                KeyType = DePinChain.Protos.Depin.Devices.V1.KeyType.Ed25519, Owner = owner, Maker = "bench",
                Mode = DePinChain.Protos.Depin.Devices.V1.DeviceMode.Full, Status = DePinChain.Protos.Depin.Devices.V1.DeviceStatus.Active, OnboardedHeight = 1,
                Location = new DePinChain.Protos.Depin.Devices.V1.Location
                {
                    LatitudeMicro = point.LatitudeMicro, LongitudeMicro = point.LongitudeMicro, AntennaGainTenthsDbi = 30, ElevationMetres = 10,
                    Region = (DePinChain.Protos.Depin.Devices.V1.Region)DePinChain.Modules.Devices.Geo.Regions.Of(point), Nonce = 1, AssertedHeight = 1,
                },
            });
        }
        var appState = System.Text.Json.Nodes.JsonNode.Parse(TxBuilder.GenesisAppState([(ownerAddress, Funded)], Denom))!;
        appState["devices"] = System.Text.Json.Nodes.JsonNode.Parse(DePinChain.Modules.Devices.DevicesGenesis.Json.Format(genesis));

        using var store = MultiStore.OpenOwning(new DePinChain.Store.Backend.MemoryKeyValueStore(), AppModules.AllStoreNames, new MultiStoreOptions { CreateIfEmpty = true });
        var app = new DePinApp(store, new AppOptions(), NullLogger<DePinApp>.Instance, "bench");
        var start = DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture);
        app.InitChain(new RequestInitChain
        {
            ChainId = ChainId, InitialHeight = 1, Time = Timestamp.FromDateTimeOffset(start), AppStateBytes = ByteString.CopyFromUtf8(appState.ToJsonString()),
        });
        app.FinalizeBlock(Block(1, start, []));
        app.Commit(new RequestCommit());

        await using var explorer = new DePinChain.Api.Explorer.ExplorerServer(new DePinChain.Api.Explorer.ExplorerOptions { Address = "127.0.0.1:0" }, NullLoggerFactory.Instance);
        await explorer.StartAsync();
        await using var rest = new RestApiServer(app, new RestApiOptions { Address = "127.0.0.1:0", AllowedOrigins = ["http://" + explorer.ListenAddress] }, NullLoggerFactory.Instance);
        await rest.StartAsync();
        explorer.ApiUrl = "http://" + rest.ListenAddress;
        const int runs = 3;
        var answer = System.Text.Json.Nodes.JsonNode.Parse(RunNode(jsDir, "explorer-first-paint.mjs",
            new System.Text.Json.Nodes.JsonObject { ["url"] = "http://" + explorer.ListenAddress, ["devices"] = devices, ["runs"] = runs + 1 }.ToJsonString()))!;
        double[] ms = [.. answer["ms"]!.AsArray().Skip(1).Select(v => (double)v!).Order()];
        return new BenchResult(Suite, name, $"{ms[ms.Length / 2] / 1000:F2} s", "≤ 2 s",
            $"median of {runs} fresh pages after a warm-up (worst {ms[^1] / 1000:F2} s): navigation to all {(int)answer["markers"]!} device markers painted "
            + $"(config, basemap, the device count and then {(devices + 1999) / 2000} AllDevices pages of 2,000 side by side, deny list, units; the density cells follow); "
            + $"REST gateway and explorer in this process, no CometBFT (the status line has no block); machine load average {LoadAverage()}");
    }

    /// <summary>The 1-minute load average (Linux), which these timings depend on: the page, Chromium and the server share the cores.</summary>
    private static string LoadAverage()
        => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private static string? JsDir()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "DePinChain.sln"))) dir = Path.GetDirectoryName(dir);
        return dir is null ? null : Path.Combine(dir, "tests", "js");
    }

    private static string RunNode(string jsDir, string script, string stdin)
    {
        var start = new ProcessStartInfo("node", [Path.Combine(jsDir, script)])
        {
            WorkingDirectory = jsDir, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish within five minutes: {stderr.Result}");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"{script} exited with {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }

    private sealed record Load(long Requests, int Failed, TimeSpan Window, double[] LatencyMs, TimeSpan Cpu, long Allocated, (int, int, int) Collections, TimeSpan GcPaused);

    /// <summary>
    /// <paramref name="clients"/> loops, each sending its next request when its last is answered, for the warm-up and then
    /// the measured window; a request counts (and its latency is kept) if it started in the window.
    /// </summary>
    private static async Task<Load> LoadAsync(int clients, TimeSpan warmup, TimeSpan measured, int accounts, Func<int, CancellationToken, Task<bool>> request)
    {
        long measureFrom = long.MaxValue, measureTo = long.MaxValue;
        using var stop = new CancellationTokenSource();
        var latencies = new List<long>[clients];
        var failed = new int[clients];
        var loops = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var random = new Random(1000 + c);
            var mine = latencies[c] = new List<long>(1 << 16);
            while (!stop.IsCancellationRequested)
            {
                long begin = Stopwatch.GetTimestamp();
                bool ok;
                try { ok = await request(random.Next(accounts), stop.Token); }
                catch (Exception) when (stop.IsCancellationRequested) { break; }
                catch (Exception) { ok = false; }
                long end = Stopwatch.GetTimestamp();
                if (begin < Volatile.Read(ref measureFrom) || begin >= Volatile.Read(ref measureTo)) continue;
                mine.Add(end - begin);
                if (!ok) failed[c]++;
            }
        })).ToArray();

        using var allocations = Environment.GetEnvironmentVariable("DEPIN_ALLOC_PROFILE") == "1" ? new AppBench.AllocationSampler { Enabled = false } : null;
        await Task.Delay(warmup);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var pausedBefore = GC.GetTotalPauseDuration();
        if (allocations is not null) allocations.Enabled = true;
        long from = Stopwatch.GetTimestamp();
        Volatile.Write(ref measureFrom, from);
        await Task.Delay(measured);
        long to = Stopwatch.GetTimestamp();
        Volatile.Write(ref measureTo, to);
        if (allocations is not null) allocations.Enabled = false;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        long allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
        var collections = (GC.CollectionCount(0) - gcBefore.Item1, GC.CollectionCount(1) - gcBefore.Item2, GC.CollectionCount(2) - gcBefore.Item3);
        var paused = GC.GetTotalPauseDuration() - pausedBefore;
        // Let the requests started in the window finish (their latencies count), then stop the loops.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        stop.Cancel();
        await Task.WhenAll(loops);

        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        double toMs = 1000.0 / Stopwatch.Frequency;
        allocations?.Report(Math.Max(all.Length, 1), "request");
        return new Load(all.Length, failed.Sum(), Stopwatch.GetElapsedTime(from, to), [.. all.Select(t => t * toMs)], cpu, allocated, collections, paused);
    }

    /// <summary>
    /// Open-loop load at a fixed rate (as wrk2 measures): request k is due at start + k / rate whether or not earlier ones
    /// were answered, and its latency counts from when it was due, so a stalled server shows as the queue it builds
    /// (no coordinated omission). At most <paramref name="maxInFlight"/> requests are outstanding; a request waiting for a
    /// free slot is already late, and its wait counts.
    /// </summary>
    private static async Task<Load> RateLoadAsync(int rate, int maxInFlight, TimeSpan warmup, TimeSpan measured, int accounts, Func<int, CancellationToken, Task<bool>> request)
    {
        double ticksPerRequest = (double)Stopwatch.Frequency / rate;
        long warmupTicks = (long)(warmup.TotalSeconds * Stopwatch.Frequency), measuredTicks = (long)(measured.TotalSeconds * Stopwatch.Frequency);
        var latencies = new List<long>((int)Math.Min(int.MaxValue / 2, (long)rate * (long)Math.Ceiling(measured.TotalSeconds) + 1024));
        int failed = 0;
        using var slots = new SemaphoreSlim(maxInFlight, maxInFlight);
        var outstanding = new List<Task>();
        var random = new Random(2000);
        TimeSpan cpuBefore = default, pausedBefore = default;
        long allocatedBefore = 0;
        (int, int, int) gcBefore = default;

        async Task Send(int account, long due, bool counted)
        {
            bool ok;
            try { ok = await request(account, CancellationToken.None).ConfigureAwait(false); }
            catch (Exception) { ok = false; }
            finally { slots.Release(); }
            long end = Stopwatch.GetTimestamp();
            if (!counted) return;
            lock (latencies)
            {
                latencies.Add(end - due);
                if (!ok) failed++;
            }
        }

        // The pacing runs on a thread of its own, not the thread pool the clients' and server's continuations queue on:
        // a pacer waiting in that queue would be late itself and charge its lateness to the server. It sleeps 1 ms at a
        // time (Linux's timer granularity) and then sends every request that fell due meanwhile, each timed from its own
        // due time: on average about half a millisecond of each latency is this batching, not the server.
        var pacer = new Thread(() =>
        {
            bool measuring = false;
            long start = Stopwatch.GetTimestamp(), measureFrom = start + warmupTicks, measureTo = measureFrom + measuredTicks;
            for (long k = 0; ; k++)
            {
                long due = start + (long)(k * ticksPerRequest);
                if (due >= measureTo) break;
                if (!measuring && due >= measureFrom)
                {
                    measuring = true;
                    cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                    allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
                    gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
                    pausedBefore = GC.GetTotalPauseDuration();
                }
                while (Stopwatch.GetTimestamp() < due) Thread.Sleep(1);
                slots.Wait();
                outstanding.Add(Send(random.Next(accounts), due, counted: due >= measureFrom));
                if (outstanding.Count >= 4096) outstanding.RemoveAll(t => t.IsCompleted);
            }
        }) { IsBackground = true, Name = "api bench pacer", Priority = ThreadPriority.AboveNormal };
        pacer.Start();
        while (!pacer.Join(0)) await Task.Delay(50); // Join, not IsAlive: what the pacer wrote is then visible here
        await Task.WhenAll(outstanding);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        long allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
        var collections = (GC.CollectionCount(0) - gcBefore.Item1, GC.CollectionCount(1) - gcBefore.Item2, GC.CollectionCount(2) - gcBefore.Item3);
        var paused = GC.GetTotalPauseDuration() - pausedBefore;
        var all = latencies.ToArray();
        Array.Sort(all);
        double toMs = 1000.0 / Stopwatch.Frequency;
        return new Load(all.Length, failed, measured, [.. all.Select(t => t * toMs)], cpu, allocated, collections, paused);
    }

    private static BenchResult RateRow(string name, int rate, int maxInFlight, Load load, string connections)
    {
        double p50 = Percentile(load.LatencyMs, 0.50), p99 = Percentile(load.LatencyMs, 0.99);
        string failures = load.Failed == 0 ? "" : $"; {load.Failed} requests FAILED (figures invalid)";
        var (g0, g1, g2) = load.Collections;
        Console.Error.WriteLine($"  [api] {name} at {rate:N0} req/s offered: {load.Requests:N0} requests, {Distribution(load)}");
        return new BenchResult(Suite, $"{name}: latency at {rate:N0} req/s offered", $"p50 {p50:F2} ms, p99 {p99:F2} ms", "p99 ≤ 5 ms at 10,000 req/s",
            $"open loop (wrk2's method: each request timed from when it was due, so queueing counts), {load.Requests:N0} requests in {load.Window.TotalSeconds:F0} s, "
            + $"p99.9 {Percentile(load.LatencyMs, 0.999):F2} ms, max {load.LatencyMs.LastOrDefault():F1} ms; process CPU {load.Cpu.TotalMicroseconds / Math.Max(load.Requests, 1):F0} µs/request (server and client); "
            + $"GCs gen0/1/2 {g0}/{g1}/{g2} paused {load.GcPaused.TotalMilliseconds:F0} ms; clients in this process; at most {maxInFlight} requests in flight over {connections}{failures}");
    }

    private static BenchResult Row(string name, Load load, string note)
    {
        double perSecond = load.Requests / load.Window.TotalSeconds;
        double p50 = Percentile(load.LatencyMs, 0.50), p99 = Percentile(load.LatencyMs, 0.99);
        string failures = load.Failed == 0 ? "" : $"; {load.Failed} requests FAILED (figures invalid)";
        var (g0, g1, g2) = load.Collections;
        Console.Error.WriteLine($"  [api] {name}: {load.Requests:N0} requests in {load.Window.TotalSeconds:F1} s, {Distribution(load)}");
        return new BenchResult(Suite, $"{name}: saturation", $"{perSecond:F0} req/s, p50 {p50:F2} ms, p99 {p99:F2} ms", "≥ 10,000 req/s",
            $"process CPU {load.Cpu.TotalMicroseconds / load.Requests:F0} µs/request (server and client), allocated {(double)load.Allocated / load.Requests / 1024:F1} KiB/request; "
            + $"GCs gen0/1/2 {g0}/{g1}/{g2} paused {load.GcPaused.TotalMilliseconds:F0} ms; {note}{failures}");
    }

    private static string Distribution(Load load)
    {
        var (g0, g1, g2) = load.Collections;
        return $"p50 {Percentile(load.LatencyMs, 0.50):F2} ms, p90 {Percentile(load.LatencyMs, 0.90):F2} ms, p99 {Percentile(load.LatencyMs, 0.99):F2} ms, "
            + $"p99.9 {Percentile(load.LatencyMs, 0.999):F2} ms, max {load.LatencyMs.LastOrDefault():F1} ms; GCs {g0}/{g1}/{g2} paused {load.GcPaused.TotalMilliseconds:F0} ms";
    }

    /// <summary>Nearest rank on already sorted samples.</summary>
    private static double Percentile(double[] sorted, double fraction)
        => sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];

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
}
