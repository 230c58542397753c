using DePinChain.Crypto;
using DePinChain.Modules.Coverage.Poc;
using DePinChain.Modules.Devices.Geo;
using DePinChain.Modules.Devices.Tests;
using DePinChain.Protos.Depin.Coverage.V1;
using DePinChain.Protos.Depin.Devices.V1;
using Google.Protobuf;
using BeaconReport = DePinChain.Protos.Depin.Coverage.V1.BeaconReport;
using WitnessReport = DePinChain.Protos.Depin.Coverage.V1.WitnessReport;

namespace DePinChain.Modules.Coverage.Tests;

/// <summary>
/// A deterministic network of 1,000+ devices over several epochs: honest devices beacon on a schedule
/// and witness their neighbours; dishonest ones try every cheat the rules name. Every cheat must be
/// rejected with its own code and reason, and honest reports must earn.
/// Params are shrunk so the run spans epochs quickly: epoch 10 blocks (the chain's, mint's in the app), beacon
/// interval 5, reciprocity window 30, entropy window 20.
/// </summary>
public static class SimulatedNetworkTests
{
    private const int HonestCount = 1_000;
    private const int BeaconPeriod = 25;
    private const int Blocks = 50;
    private const int Reciprocity = 30;

    internal static void Tune(Protos.Depin.Coverage.V1.Params p)
    {
        p.BeaconIntervalBlocks = 5;
        p.ReciprocityWindowBlocks = Reciprocity;
        p.EntropyWindowBlocks = 20;
    }

    /// <summary>Owner accounts the genesis must hold: every device the run creates.</summary>
    public const int Owners = HonestCount + 40;

    public sealed class Network(SimWorld world)
    {
        public SimWorld World { get; } = world;
        /// <summary>What each queued message of the current block must return.</summary>
        public List<(string What, PocVerdict? Rejected)> Expected { get; } = [];
        public long OnboardHeight { get; set; }
        public List<SimDevice> Honest { get; } = [];
        public List<SimDevice> Leeches { get; } = [];  // witness, never beacon
        public List<SimDevice> Mutes { get; } = [];    // beacon, never witness
        public List<SimDevice> Cheaters { get; } = [];
        public List<SimDevice> Specials { get; } = []; // geometry cheats: a device with a twin 200 m away, one with a witness 150 km away
        public Dictionary<int, long> LastBeacon { get; } = [];
        public Dictionary<int, List<SimDevice>> Neighbours { get; } = [];
        public Dictionary<int, long> LastWitnessed { get; } = [];
        public List<(string Cheat, uint Code, string Log)> TxRejections { get; } = [];
        public List<(string Cheat, PocVerdict Expected, byte[] Beaconer, byte[] Witness, ulong Epoch)> WitnessCheats { get; } = [];
        public List<(byte[] Beaconer, ulong Epoch)> HonestReports { get; } = [];
        public List<(byte[] Beaconer, ulong Epoch, long Height)> MuteReports { get; } = [];
        public List<(byte[] Witness, byte[] Beaconer, ulong Epoch, long Height)> LeechWitnessing { get; } = [];

        public ISimChain Chain => World.Driver;
        public ulong Epoch => (ulong)(Chain.Height / SimWorld.DefaultEpochBlocks);

        public void Ok(string what, IMessage msg, byte[] signer)
        {
            Chain.Queue(msg, signer);
            Expected.Add((what, null));
        }

        public void Finish()
        {
            var results = Chain.FinishBlock();
            Assert.Equal(Expected.Count, results.Count);
            for (var i = 0; i < results.Count; i++)
            {
                var (what, rejected) = Expected[i];
                var (code, codespace, log) = results[i];
                if (rejected is null)
                    Assert.True(code == 0, $"{what}: failed with {codespace}/{code}: {log}");
                else
                {
                    Assert.True(code == (uint)rejected && codespace == CoverageErrors.Codespace, $"{what}: expected {rejected}, got {codespace}/{code}: {log}");
                    Assert.False(string.IsNullOrWhiteSpace(log));
                    TxRejections.Add((what, code, log));
                }
            }
            Expected.Clear();
        }
    }

    internal static Network Build(SimWorld world)
    {
        var net = new Network(world);
        var random = new Random(7);
        GeoPoint RandomPoint() => new(random.Next(48_000_000, 52_000_000), random.Next(7_000_000, 13_000_000));
        for (var i = 0; i < HonestCount; i++) net.Honest.Add(world.NewDevice(RandomPoint()));
        for (var i = 0; i < 10; i++) net.Leeches.Add(world.NewDevice(RandomPoint()));
        for (var i = 0; i < 10; i++) net.Mutes.Add(world.NewDevice(RandomPoint()));
        for (var i = 0; i < 12; i++) net.Cheaters.Add(world.NewDevice(RandomPoint()));
        for (var i = 0; i < 2; i++) net.Specials.Add(world.NewDevice(RandomPoint()));
        net.OnboardHeight = world.Height;
        foreach (var d in world.Population)
        {
            net.Ok($"onboard {d.Id}", world.OnboardMsg(d), d.OwnerSecret);
            net.Ok($"locate {d.Id}", world.LocateMsg(d), d.OwnerSecret);
        }

        // Honest neighbours within 1–40 km (double math in the test, independent of the chain's).
        foreach (var d in world.Population)
            net.Neighbours[d.Id] = net.Honest.Where(n => n.Id != d.Id)
                .Select(n => (n, Metres: SimWorld.DistanceMetres(d.At, n.At)))
                .Where(x => x.Metres is > 1_000 and < 40_000).OrderBy(x => x.Metres).Select(x => x.n).ToList();
        Assert.All(world.Population, d => Assert.True(net.Neighbours[d.Id].Count >= 4, $"device {d.Id} is isolated"));
        net.Finish();
        return net;
    }

    /// <summary>The least recently used honest neighbours, so every honest device keeps witnessing (reciprocity).</summary>
    private static List<SimDevice> PickWitnesses(Network net, SimDevice beaconer, int count) =>
        net.Neighbours[beaconer.Id].OrderBy(n => net.LastWitnessed.GetValueOrDefault(n.Id)).ThenBy(n => n.Id).Take(count).ToList();

    private static MsgSubmitPoc HonestReport(Network net, SimDevice beaconer, int witnesses, Action<List<WitnessReport>, BeaconReport>? extra = null)
    {
        var beacon = net.World.Beacon(beaconer);
        net.LastBeacon[beaconer.Id] = net.Chain.Height;
        var chosen = PickWitnesses(net, beaconer, witnesses);
        foreach (var w in chosen) net.LastWitnessed[w.Id] = net.Chain.Height;
        var reports = chosen.Select(w => net.World.Witness(beacon, beaconer, w)).ToList();
        extra?.Invoke(reports, beacon);
        return SimWorld.Submit(beacon, [.. reports]);
    }

    private static void Reject(Network net, string cheat, MsgSubmitPoc msg, PocVerdict expected)
    {
        net.Chain.Queue(msg, SimWorld.SubmitterSecret);
        net.Expected.Add((cheat, expected));
    }

    private static void WitnessCheat(Network net, string cheat, SimDevice beaconer, int badWitnessIndex, PocVerdict expected, MsgSubmitPoc msg)
    {
        net.Ok(cheat, msg, SimWorld.SubmitterSecret);
        net.WitnessCheats.Add((cheat, expected, beaconer.Key, msg.Witnesses[badWitnessIndex].WitnessKey.ToByteArray(), net.Epoch));
    }

    private static void RunCheats(Network net, int round)
    {
        var world = net.World;
        var c = net.Cheaters;
        var h = net.Chain.Height;

        // Forged beacon signature: signed by someone else's key.
        var forged = world.Beacon(c[0]);
        forged.Signature = ByteString.CopyFrom(world.Beacon(c[1]).Signature.Span);
        Reject(net, "forged beacon signature", SimWorld.Submit(forged), PocVerdict.BeaconSignatureInvalid);

        // A device nobody onboarded.
        var stranger = new SimDevice(-1, Hashes.Sha256(BitConverter.GetBytes(round + 1_000_000)), KeyType.Secp256K1, new byte[20], c[0].At);
        Reject(net, "unknown device", SimWorld.Submit(world.Beacon(stranger)), PocVerdict.BeaconerUnknown);

        // Stale, future and guessed entropy.
        Reject(net, "stale entropy", SimWorld.Submit(world.Beacon(c[1], entropyHeight: h - 21)), PocVerdict.EntropyOutsideWindow);
        Reject(net, "future entropy", SimWorld.Submit(world.Beacon(c[1], entropyHeight: h)), PocVerdict.EntropyOutsideWindow);
        Reject(net, "payload prepared in advance", SimWorld.Submit(world.Beacon(c[1], tamper: b => b.Payload = ByteString.CopyFrom(Hashes.Sha256(c[1].Key)))), PocVerdict.PayloadMismatch);

        // Deny-listed beaconer.
        Reject(net, "deny-listed beaconer", HonestReport(net, c[3], 3), PocVerdict.BeaconerDenyListed);

        // Second beacon in an interval, and a replay of the first.
        var first = HonestReport(net, c[2], 3);
        net.Ok("first beacon", first, SimWorld.SubmitterSecret);
        net.HonestReports.Add((c[2].Key, net.Epoch));
        Reject(net, "replayed beacon", first, PocVerdict.BeaconIntervalNotElapsed);
        Reject(net, "second beacon in an interval", HonestReport(net, c[2], 3), PocVerdict.BeaconIntervalNotElapsed);

        // Witness-level cheats, each in a report that is otherwise honest.
        WitnessCheat(net, "self witness", c[4], 2, PocVerdict.SelfWitness, HonestReport(net, c[4], 2, (ws, b) => ws.Add(world.Witness(b, c[4], c[4]))));
        var twin = net.Cheaters[5 + 0];
        WitnessCheat(net, "deny-listed witness", c[6], 2, PocVerdict.WitnessDenyListed, HonestReport(net, c[6], 2, (ws, b) => ws.Add(world.Witness(b, c[6], c[3]))));
        WitnessCheat(net, "duplicate witness", c[7], 2, PocVerdict.DuplicateWitness, HonestReport(net, c[7], 2, (ws, _) => ws.Add(ws[0])));
        WitnessCheat(net, "late witness", c[8], 0, PocVerdict.WitnessLate,
            HonestReport(net, c[8], 2, (ws, b) => ws[0] = world.Witness(b, c[8], net.Neighbours[c[8].Id][0], w => w.TimestampMs = b.TimestampMs + 5_000)));
        WitnessCheat(net, "wrong frequency", c[9], 0, PocVerdict.FrequencyMismatch,
            HonestReport(net, c[9], 2, (ws, b) => ws[0] = world.Witness(b, c[9], net.Neighbours[c[9].Id][0], w => w.FrequencyHz = b.FrequencyHz + 250_000)));
        WitnessCheat(net, "too strong a signal", c[10], 0, PocVerdict.SignalTooStrong,
            HonestReport(net, c[10], 2, (ws, b) => ws[0] = world.Witness(b, c[10], net.Neighbours[c[10].Id][0], w => w.RssiTenthsDbm += 400)));
        WitnessCheat(net, "forged witness signature", c[11], 0, PocVerdict.WitnessSignatureInvalid,
            HonestReport(net, c[11], 2, (ws, _) => ws[0].Signature = ByteString.CopyFrom(ws[1].Signature.Span)));
        _ = twin;
    }

    private static void RunGeometryCheats(Network net, SimDevice near, SimDevice nearTwin, SimDevice far, SimDevice farAway, SimDevice west, SimDevice east)
    {
        var world = net.World;
        WitnessCheat(net, "too close", near, 1, PocVerdict.TooClose,
            SimWorld.Submit(world.Beacon(near) is var b1 ? b1 : null!, world.Witness(b1, near, net.Neighbours[near.Id][0]), world.Witness(b1, near, nearTwin)));
        WitnessCheat(net, "too far", far, 1, PocVerdict.TooFar,
            SimWorld.Submit(world.Beacon(far) is var b2 ? b2 : null!, world.Witness(b2, far, net.Neighbours[far.Id][0]), world.Witness(b2, far, farAway, w => w.RssiTenthsDbm = -1_400)));
        WitnessCheat(net, "other region", west, 0, PocVerdict.RegionMismatch,
            SimWorld.Submit(world.Beacon(west) is var b3 ? b3 : null!, world.Witness(b3, west, east)));
    }

    /// <summary>The whole scenario on any driver (the app through ABCI: <see cref="AppSimulationTests"/>).</summary>
    internal static void Run(SimWorld world)
    {
        var net = Build(world);
        // Special geometry: a twin 200 m from a device, a witness 150 km away, a pair across the EU868/RU864 border.
        var near = net.Specials[0];
        var nearTwin = world.NewDevice(Reports.Offset(near.At, 200, 0));
        var far = net.Specials[1];
        var farAway = world.NewDevice(Reports.Offset(far.At, 0, 150_000));
        var west = world.NewDevice(new GeoPoint(51_500_000, 31_950_000));
        var east = world.NewDevice(new GeoPoint(51_500_000, 32_050_000));
        foreach (var d in new[] { nearTwin, farAway, west, east })
        {
            net.Ok($"onboard {d.Id}", world.OnboardMsg(d), d.OwnerSecret);
            net.Ok($"locate {d.Id}", world.LocateMsg(d), d.OwnerSecret);
        }
        net.Neighbours[west.Id] = [east];
        net.Ok("deny-list a cheater", new MsgDenyList { Authority = SimWorld.AuthorityText, DeviceKey = ByteString.CopyFrom(net.Cheaters[3].Key), Reason = "GPS spoofing", EvidenceHash = ByteString.CopyFrom(Hashes.Sha256("log"u8)) }, SimWorld.AuthoritySecret);

        var honestIndex = net.Honest.Select((d, i) => (d, i)).ToDictionary(x => x.d.Id, x => x.i);
        var muteTurn = 0;
        for (var block = 0; block < Blocks; block++)
        {
            var h = net.Chain.Height;
            foreach (var d in net.Honest.Where(d => (h - 2) % BeaconPeriod == honestIndex[d.Id] % BeaconPeriod))
            {
                net.Ok($"honest beacon {d.Id}", HonestReport(net, d, 4), SimWorld.SubmitterSecret);
                net.HonestReports.Add((d.Key, net.Epoch));
            }
            // Leeches witness a neighbour's beacon now and then; they never beacon.
            if (h % 3 == 0)
            {
                foreach (var leech in net.Leeches)
                {
                    // A neighbour whose last beacon is 5+ blocks back and whose next scheduled one is 5+ blocks ahead (the interval).
                    var beaconer = net.Neighbours[leech.Id].First(n =>
                        h - net.LastBeacon.GetValueOrDefault(n.Id, -100) >= 5
                        && (h - 2 - honestIndex[n.Id] % BeaconPeriod + BeaconPeriod) % BeaconPeriod is >= 5 and <= 20);
                    var msg = HonestReport(net, beaconer, 2, (ws, b) => ws.Add(world.Witness(b, beaconer, leech)));
                    net.Ok($"leech {leech.Id} witnessing", msg, SimWorld.SubmitterSecret);
                    net.LeechWitnessing.Add((leech.Key, beaconer.Key, net.Epoch, h));
                    net.HonestReports.Add((beaconer.Key, net.Epoch));
                }
            }
            // Mutes beacon every 6 blocks; they never witness.
            if (h % 6 == 0)
            {
                var mute = net.Mutes[muteTurn++ % net.Mutes.Count];
                foreach (var m in net.Mutes.Where(m => m == mute))
                {
                    net.Ok($"mute {m.Id} beacon", HonestReport(net, m, 3), SimWorld.SubmitterSecret);
                    net.MuteReports.Add((m.Key, net.Epoch, h));
                }
            }
            if (h is 24 or 42) RunCheats(net, (int)h);
            if (h == 15) RunGeometryCheats(net, near, nearTwin, far, farAway, west, east);
            net.Finish();
        }

        // Every transaction-level cheat was refused with its code and a reason naming what was wrong.
        Assert.Equal(16, net.TxRejections.Count);
        Assert.All(net.TxRejections, r => Assert.False(string.IsNullOrWhiteSpace(r.Log)));

        // Every witness-level cheat is stored with its verdict and reason, and earns nothing.
        Assert.Equal(17, net.WitnessCheats.Count);
        foreach (var (cheat, expected, beaconer, witness, epoch) in net.WitnessCheats)
        {
            var report = net.Chain.Query("/depin.coverage.v1.Query/Reports", new QueryReportsRequest { DeviceKey = ByteString.CopyFrom(beaconer), Epoch = epoch }, QueryReportsResponse.Parser).Reports.Last();
            var results = report.Witnesses.Where(w => w.WitnessKey.Span.SequenceEqual(witness)).ToList();
            var bad = expected == PocVerdict.DuplicateWitness ? results[^1] : Assert.Single(results);
            Assert.True((uint)expected == bad.Verdict, $"{cheat}: expected {expected}, got {bad.VerdictName}: {bad.Reason}");
            Assert.Equal(expected.ToString(), bad.VerdictName);
            Assert.False(string.IsNullOrWhiteSpace(bad.Reason));
            Assert.Equal(0, bad.Units);
        }

        // Leeches: fine while new, then refused for not beaconing; mutes likewise for not witnessing.
        foreach (var (leech, beaconer, epoch, height) in net.LeechWitnessing)
        {
            var report = world.Reports(world.Population.First(d => d.Key.SequenceEqual(beaconer)), epoch).Single(r => r.Height == height && r.BeaconerKey.Span.SequenceEqual(beaconer));
            var verdict = (PocVerdict)report.Witnesses.Single(w => w.WitnessKey.Span.SequenceEqual(leech)).Verdict;
            Assert.Equal(height - net.OnboardHeight < Reciprocity ? PocVerdict.Valid : PocVerdict.WitnessNoReciprocity, verdict);
        }
        Assert.Contains(net.LeechWitnessing, l => l.Height - net.OnboardHeight >= Reciprocity);
        foreach (var (mute, epoch, height) in net.MuteReports)
        {
            var report = world.Reports(world.Population.First(d => d.Key.SequenceEqual(mute)), epoch).Single(r => r.Height == height && r.BeaconerKey.Span.SequenceEqual(mute));
            var expected = height - net.OnboardHeight < Reciprocity ? PocVerdict.Valid : PocVerdict.BeaconerNoReciprocity;
            Assert.Equal((uint)expected, report.BeaconVerdict);
            if (expected != PocVerdict.Valid)
            {
                Assert.Equal(0, report.BeaconUnits);
                Assert.All(report.Witnesses, w => Assert.True(w.Units > 0, "the witnesses of a non-reciprocal beacon still earn"));
            }
        }
        Assert.Contains(net.MuteReports, m => m.Height - net.OnboardHeight >= Reciprocity);

        // Honest reports are valid and earn, in every epoch.
        var honestKeys = net.Honest.Select(d => Convert.ToHexString(d.Key)).ToHashSet();
        foreach (var (beaconer, epoch) in net.HonestReports.Where(r => honestKeys.Contains(Convert.ToHexString(r.Beaconer))).DistinctBy(r => (Convert.ToHexString(r.Beaconer), r.Epoch)))
        {
            var device = world.Population.First(d => d.Key.SequenceEqual(beaconer));
            foreach (var report in world.Reports(device, epoch).Where(r => r.BeaconerKey.Span.SequenceEqual(beaconer)))
            {
                Assert.True(report.BeaconVerdict == 0, $"honest beacon of {device.Id} at {report.Height}: {report.BeaconVerdictName}: {report.BeaconReason}");
                Assert.True(report.BeaconUnits > 0);
                Assert.All(report.Witnesses.Where(w => honestKeys.Contains(Convert.ToHexString(w.WitnessKey.Span))),
                    w => Assert.True(w.Verdict == 0 && w.Units > 0, $"honest witness at {report.Height}: {w.VerdictName}: {w.Reason}"));
            }
        }
        for (ulong epoch = 0; epoch < 5; epoch++)
        {
            var units = world.Units(epoch);
            Assert.True(units.Count > 100, $"epoch {epoch}: {units.Count} devices earned");
            Assert.Equal(units.Select(u => Convert.ToHexString(u.DeviceKey.Span)).Order(StringComparer.Ordinal), units.Select(u => Convert.ToHexString(u.DeviceKey.Span)));
        }
        var earners = Enumerable.Range(0, 5).SelectMany(e => world.Units((ulong)e)).Where(u => u.BeaconUnits + u.WitnessUnits > 0)
            .Select(u => Convert.ToHexString(u.DeviceKey.Span)).ToHashSet();
        Assert.True(net.Honest.Count(d => earners.Contains(Convert.ToHexString(d.Key))) >= HonestCount - 2, "honest devices earn");
    }
}
