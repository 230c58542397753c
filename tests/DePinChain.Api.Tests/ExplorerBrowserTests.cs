using System.Diagnostics;
using System.Text.Json.Nodes;
using DePinChain.Api.Explorer;
using DePinChain.Api.Grpc;
using DePinChain.Api.Rest;
using DePinChain.App;
using DePinChain.Crypto;
using DePinChain.Modules.Coverage.Tests;
using DePinChain.Modules.Devices.Geo;
using DePinChain.Modules.Mint;
using DePinChain.Modules.Rewards;
using DePinChain.Sdk;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using CoverageProto = DePinChain.Protos.Depin.Coverage.V1;
using DevicesProto = DePinChain.Protos.Depin.Devices.V1;
using MintProto = DePinChain.Protos.Depin.Mint.V1;
using RewardsProto = DePinChain.Protos.Depin.Rewards.V1;

namespace DePinChain.Api.Tests;

/// <summary>
/// The explorer in a real browser: headless Chromium (Debian's chromium, installed by `make setup`) driven by puppeteer-core
/// (tests/js/explorer-browser.mjs) against the real app. Four devices are onboarded and located through signed txs, beacon
/// with witnesses through an epoch that pays rewards, and one is deny-listed; the app's REST gateway and the explorer's
/// server run on free ports. The map shows one marker per device, a device page's reward numbers are the REST answer's, and
/// the deny list shows the entry's reason. Screenshots: explorer-screenshots/ under the test output.
/// </summary>
public sealed class ExplorerBrowserTests
{
    private const long EpochBlocks = 10;
    private const string Reason = "GPS spoofing";
    private static readonly GeoPoint Berlin = new(52_520_008, 13_404_954);

    private static string Bech(byte[] address) => Bech32Address.ToBech32(address);

    private static AppSimChain NewChain(SimGenesis genesis) => new(genesis, modules: new AppModules(), editAppState: state =>
    {
        state["devices"]!["makers"] = new JsonArray();
        var schedule = MintKeeper.DefaultSchedule();
        schedule.EpochBlocks = genesis.EpochBlocks;
        schedule.InitialEpochEmission = "1000000";
        state["mint"] = JsonNode.Parse(MintGenesis.Json.Format(new MintProto.GenesisState
        {
            Params = new MintProto.Params { ReemissionShareBps = 0, MaxReemissionPerEpoch = "0", Authority = SimWorld.AuthorityText }, Schedule = schedule, Minter = MintKeeper.InitialMinter(),
        }));
        state["rewards"] ??= JsonNode.Parse(RewardsGenesis.Json.Format(new RewardsProto.GenesisState { Params = RewardsKeeper.DefaultParams() }));
        state["rewards"]!["params"]!["authority"] = SimWorld.AuthorityText;
    });

    private static void FinishOk(AppSimChain chain)
    {
        long height = chain.Height;
        foreach (var (code, codespace, log) in chain.FinishBlock()) Assert.True(code == 0, $"block {height}: tx failed: {codespace}/{code}: {log}");
    }

    [Fact]
    public async Task The_map_device_page_and_deny_list_show_what_the_rest_api_says()
    {
        AppSimChain chain = null!;
        var world = new SimWorld(6, null, owners: 4, g => chain = NewChain(g), epochBlocks: EpochBlocks);
        using var _ = chain;
        var a = world.NewDevice(Berlin);
        var b = world.NewDevice(new GeoPoint(Berlin.LatitudeMicro + 27_000, Berlin.LongitudeMicro));
        var c = world.NewDevice(new GeoPoint(Berlin.LatitudeMicro, Berlin.LongitudeMicro + 73_860));
        var d = world.NewDevice(new GeoPoint(Berlin.LatitudeMicro - 36_000, Berlin.LongitudeMicro - 29_500));
        SimDevice[] devices = [a, b, c, d];

        chain.Queue(new DevicesProto.MsgAddMaker
        {
            Authority = SimWorld.AuthorityText, Name = SimWorld.MakerName, Key = ByteString.CopyFrom(Secp256k1.GetPublicKey(SimWorld.MakerSecret)),
            KeyType = DevicesProto.KeyType.Secp256K1, FeePayer = Bech(SimWorld.FeePayer),
        }, SimWorld.AuthoritySecret);
        FinishOk(chain);
        foreach (var device in devices) chain.Queue(world.OnboardMsg(device), device.OwnerSecret);
        FinishOk(chain);
        foreach (var device in devices) chain.Queue(world.LocateMsg(device), device.OwnerSecret);
        FinishOk(chain);
        while (chain.Height < EpochBlocks) FinishOk(chain);
        // Epoch 1: beacons heard by the others, so every device earns beacon and witness units.
        (SimDevice Beaconer, SimDevice[] Witnesses)[] beacons = [(a, [b, c, d]), (b, [a, c]), (c, [a, b, d]), (d, [c])];
        foreach (var (beaconer, witnesses) in beacons)
        {
            var beacon = world.Beacon(beaconer);
            chain.Queue(SimWorld.Submit(beacon, [.. witnesses.Select(w => world.Witness(beacon, beaconer, w))]), SimWorld.SubmitterSecret);
            FinishOk(chain);
        }
        while (chain.Height < 2 * EpochBlocks) FinishOk(chain); // height 19 ends epoch 1: rewards paid
        chain.Queue(new CoverageProto.MsgDenyList
        {
            Authority = SimWorld.AuthorityText, DeviceKey = ByteString.CopyFrom(d.Key), Reason = Reason, EvidenceHash = ByteString.CopyFrom(Hashes.Sha256("log"u8)),
        }, SimWorld.AuthoritySecret);
        // A's second location (the history keeps both) and C decommissioned (grey on the map, still at its last location).
        chain.Queue(world.LocateMsg(a, nonce: 2), a.OwnerSecret);
        chain.Queue(new DevicesProto.MsgDecommissionDevice { Owner = Bech(c.Owner), DeviceKey = ByteString.CopyFrom(c.Key) }, c.OwnerSecret);
        FinishOk(chain);

        // CometBFT's RPC for the status line and recent blocks: recorded answers of a real v0.38 node, block 2, then block 3.
        using var comet = new RecordedComet();
        await using var explorer = new ExplorerServer(new ExplorerOptions { Address = "127.0.0.1:0" }, NullLoggerFactory.Instance);
        await explorer.StartAsync();
        await using var rest = new RestApiServer(chain.App, new RestApiOptions
        {
            Address = "127.0.0.1:0", Node = new GrpcApiOptions { Address = "127.0.0.1:0", CometRpc = comet.Url }, AllowedOrigins = ["http://" + explorer.ListenAddress],
        }, NullLoggerFactory.Instance);
        await rest.StartAsync();
        explorer.ApiUrl = "http://" + rest.ListenAddress;
        using var http = new HttpClient { BaseAddress = new Uri(explorer.ApiUrl) };

        string key = Convert.ToBase64String(a.Key).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        var record = JsonNode.Parse(await http.GetStringAsync($"/depin/rewards/v1/devices/{key}/rewards?epoch=1"))!["record"]!;
        Assert.NotEqual("0", (string?)record["amount"]); // the scenario pays device A: the comparison below is of real numbers
        var reports = JsonNode.Parse(await http.GetStringAsync($"/depin/coverage/v1/reports/{key}?epoch=1"))!["reports"]!.AsArray();
        var summary = JsonNode.Parse(await http.GetStringAsync("/depin/rewards/v1/epochs/1"))!["summary"]!;
        var minted = JsonNode.Parse(await http.GetStringAsync("/depin/mint/v1/minted"))!;
        string screenshots = Path.Combine(AppContext.BaseDirectory, "explorer-screenshots");
        var seen = JsonNode.Parse(RunNode("explorer-browser.mjs", new JsonObject
        {
            ["url"] = "http://" + explorer.ListenAddress, ["device"] = key, ["epoch"] = 1, ["screenshots"] = screenshots, ["nextHeight"] = "3", ["comet"] = comet.Url,
        }.ToJsonString()))!;

        // The map: one marker per device, each in its state.
        var markers = seen["markers"]!.AsArray().ToDictionary(m => (string)m!["key"]!, m => (string)m!["state"]!);
        Assert.Equal(devices.Length, markers.Count);
        Assert.Equal(new Dictionary<string, string>
        {
            [Convert.ToBase64String(a.Key)] = "active", [Convert.ToBase64String(b.Key)] = "active",
            [Convert.ToBase64String(c.Key)] = "decommissioned", [Convert.ToBase64String(d.Key)] = "denied",
        }, markers);
        Assert.True((int)seen["canvasDrawn"]! > 100, $"the device canvas has {seen["canvasDrawn"]} drawn pixels");
        Assert.True((int)seen["cells"]! >= 1, $"density cells: {seen["cells"]}");
        Assert.True((int)seen["countries"]! > 100, $"the Natural Earth basemap: {seen["countries"]} country shapes");
        Assert.True((int)seen["basemapDrawn"]! > 10_000, $"the basemap canvas has {seen["basemapDrawn"]} drawn pixels");
        // Hovering a marker shows its key and state; clicking it opens its device page.
        string hoveredKey = (string)seen["markerClick"]!["key"]!;
        Assert.Equal($"{Convert.ToHexString(Convert.FromBase64String(hoveredKey)).ToLowerInvariant()[..16]}… ({markers[hoveredKey]})", (string?)seen["markerTooltip"]);
        Assert.Equal("#/device/" + hoveredKey.Replace('+', '-').Replace('/', '_').TrimEnd('='), (string?)seen["markerClick"]!["hash"]);

        // The device page: owner, both locations, the reports and witnesses REST gives, the reward record's numbers.
        Assert.Equal(Bech(a.Owner), (string?)seen["owner"]);
        Assert.Equal(["1", "2"], seen["history"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(reports.Count, (int)seen["reports"]!);
        Assert.True(reports.Count >= 2, $"A beaconed once and witnessed others: {reports.Count} reports");
        Assert.Equal(reports.SelectMany(r => r!["witnesses"]!.AsArray()).Select(w => (string?)w!["verdict_name"]), seen["witnessVerdicts"]!.AsArray().Select(v => (string?)v));
        var reward = seen["reward"]!.AsObject();
        string[] fields = ["epoch", "owner", "beacon_units", "witness_units", "density_scale", "traffic_bytes", "traffic_dc",
            "beacon_amount", "witness_amount", "data_amount", "amount"];
        Assert.Equal(fields.Order(), reward.Select(f => f.Key).Order());
        foreach (string field in fields) Assert.Equal((string?)record[field], (string?)reward[field]);

        // The deny list: the reason and the evidence hash.
        Assert.Equal([Reason], seen["denyReasons"]!.AsArray().Select(r => (string)r!));
        Assert.Equal([Convert.ToHexString(Hashes.Sha256("log"u8)).ToLowerInvariant()], seen["denyEvidence"]!.AsArray().Select(r => (string)r!));

        // The epoch view: the supply chart (a line, the cap, the projection) and the split as REST gives it.
        var epoch = seen["epoch"]!;
        Assert.True((bool)epoch["chart"]! && (bool)epoch["capLine"]!, epoch.ToJsonString());
        Assert.StartsWith("M", (string)epoch["supplyLine"]!);
        Assert.StartsWith("M", (string)epoch["projectionLine"]!);
        Assert.True((int)epoch["points"]! >= 2, $"supply points: {epoch["points"]}");
        Assert.Equal(5, (int)epoch["splitParts"]!);
        Assert.Equal(((string?)minted["supply"], (string?)minted["max_supply"]), ((string?)epoch["supply"], (string?)epoch["maxSupply"]));
        foreach (var (field, value) in epoch["split"]!.AsObject()) Assert.Equal((string?)summary[field], (string?)value);

        // Recent blocks and the status line follow the node's latest block.
        Assert.Equal(("depinchain-localnet", "2", "3"), ((string?)seen["chainId"], (string?)seen["height"], (string?)seen["nextHeight"]));
        Assert.Equal(["2"], seen["blocksBefore"]!.AsArray().Select(h => (string)h!));
        Assert.Equal(["3", "2"], seen["blocksAfter"]!.AsArray().Select(h => (string)h!));
        // The one failed load allowed: the page's probe for block 1, which the recorded node does not keep (its lowest is 2).
        Assert.Equal(new[] { $"HTTP 400 {explorer.ApiUrl}/cosmos/base/tendermint/v1beta1/blocks/1", "console: Failed to load resource: the server responded with a status of 400 (Bad Request)" }.Order(),
            seen["errors"]!.AsArray().Select(e => (string)e!).Order());
        foreach (string shot in new[] { "map.png", "device.png", "deny.png", "epoch.png", "blocks.png" })
            Assert.True(new FileInfo(Path.Combine(screenshots, shot)).Length > 1000, shot);
    }

    /// <summary>CometBFT's <c>block</c> from recorded answers of a real v0.38 node: block 2 is the latest until something
    /// calls <c>/advance</c> (the browser script, once it has seen block 2), then block 3; a height above the latest or
    /// without a recording is the node's error.</summary>
    private sealed class RecordedComet : IDisposable
    {
        private readonly System.Net.HttpListener _http = new();
        private int _latest = 2;

        public RecordedComet()
        {
            using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            probe.Start();
            int port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}";
            _http.Prefixes.Add(Url + "/");
            _http.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Url { get; }

        private async Task ServeAsync()
        {
            while (_http.IsListening)
            {
                System.Net.HttpListenerContext context;
                try { context = await _http.GetContextAsync(); }
                catch (Exception e) when (e is System.Net.HttpListenerException or ObjectDisposedException) { return; }
                if (context.Request.Url?.AbsolutePath == "/advance")
                {
                    Interlocked.Exchange(ref _latest, 3);
                    context.Response.Close();
                    continue;
                }
                int latest = Volatile.Read(ref _latest);
                int height = int.TryParse(context.Request.QueryString["height"], out int h) ? h : latest;
                string file = Path.Combine(AppContext.BaseDirectory, "TestData", $"block-{height}.json");
                byte[] body = height <= latest && File.Exists(file)
                    ? File.ReadAllBytes(file)
                    : System.Text.Encoding.UTF8.GetBytes(new JsonObject
                    {
                        ["jsonrpc"] = "2.0", ["id"] = -1,
                        ["error"] = new JsonObject
                        {
                            ["code"] = -32603, ["message"] = "Internal error",
                            ["data"] = height > latest
                                ? $"height {height} must be less than or equal to the current blockchain height {latest}"
                                : $"height {height} is not available, lowest height is 2",
                        },
                    }.ToJsonString());
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        }

        public void Dispose() => _http.Close();
    }

    private static string RunNode(string script, string stdin)
    {
        string dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "DePinChain.sln"))) dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("no repository root above the test output");
        string jsDir = Path.Combine(dir, "tests", "js");
        if (!Directory.Exists(Path.Combine(jsDir, "node_modules", "puppeteer-core")))
            throw new InvalidOperationException($"puppeteer-core is not installed in {jsDir}: run `make setup`");
        var start = new ProcessStartInfo("node", [Path.Combine(jsDir, script)])
        {
            WorkingDirectory = jsDir, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish within two minutes: {stderr.Result}");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"{script} exited with {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
