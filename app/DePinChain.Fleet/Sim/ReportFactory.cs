using DePinChain.Modules.Coverage.Poc;
using DePinChain.Protos.Depin.Coverage.V1;

namespace DePinChain.Fleet.Sim;

/// <summary>What the simulator expects the chain to say of a report: the acceptable beacon verdicts, and per witness the acceptable verdicts and the cheat it carries.</summary>
public sealed record ReportExpectation(FleetDevice Beaconer, uint[] Beacon, CheatKind BeaconCheat, (FleetDevice Witness, uint[] Verdicts, CheatKind Cheat)[] Witnesses);

/// <summary>
/// Builds one device's signed report as the fleet sends it: the beacon over the given entropy, the witnesses that hear
/// it (strongest first, at most <c>maxWitnesses</c>), each signed by its device, and what the chain should answer.
/// Synchronous and allocation-light enough to be the benchmark's unit (`make bench BENCH=fleet`).
/// </summary>
public sealed class ReportFactory(FleetWorld world, string chainId, PocParams poc, int maxWitnesses)
{
    private static readonly uint[] HonestBeacon = [(uint)PocVerdict.Valid, (uint)PocVerdict.BeaconerNoReciprocity];
    private static readonly uint[] SpamBeacon = [(uint)PocVerdict.Valid, (uint)PocVerdict.BeaconerNoReciprocity, (uint)PocVerdict.BeaconIntervalNotElapsed];
    private static readonly uint[] ReplayBeacon = [(uint)PocVerdict.EntropyOutsideWindow];
    private static readonly uint[] HonestWitness = [(uint)PocVerdict.Valid, (uint)PocVerdict.Unselected, (uint)PocVerdict.WitnessNoReciprocity];
    private static readonly uint[] StrongWitness = [(uint)PocVerdict.SignalTooStrong];
    private static readonly uint[] FarWitness = [(uint)PocVerdict.TooFar];
    private static readonly uint[] SelfWitness = [(uint)PocVerdict.SelfWitness];

    /// <summary>Per beaconer, the devices that can hear it: median RSSI, and whether an honest submitter may list them (distance and plan).</summary>
    private readonly Neighbour[]?[] _neighbours = new Neighbour[]?[world.Devices.Count];

    private readonly record struct Neighbour(FleetDevice Device, long Median, bool Listable);

    /// <summary>
    /// The report of <paramref name="device"/> over block <paramref name="entropyHeight"/>'s hash, sent at about
    /// <paramref name="timeMs"/> (plus up to a second); every random choice (channel, fading, SNR, offsets) from <paramref name="random"/>.
    /// </summary>
    public (MsgSubmitPoc Message, ReportExpectation Expected) Build(FleetDevice device, long entropyHeight, byte[] entropyHash, long timeMs, Prng random)
    {
        var frequency = Channels.Channel(device.Region, random.Next(8));
        var timestamp = timeMs + random.Next(0, 1_000);
        var beacon = PocReports.SignBeacon(device.Key, chainId, entropyHeight, entropyHash, frequency, device.TxPowerTenthsDbm, timestamp);

        // Who hears it: everyone whose median signal clears the sensitivity, faded per reception; the strongest are
        // listed (a top-k insertion, not a sort of everyone who heard).
        var limit = Math.Min(maxWitnesses, poc.MaxWitnessesPerReport - 1);
        var heard = new List<(FleetDevice Witness, int Rssi, CheatKind Cheat)>(limit + 1);
        foreach (var (witness, median, listable) in Neighbours(device, frequency))
        {
            if (witness.Cheat is (CheatKind.None or CheatKind.StrongSignal) && !listable) continue;
            var rssi = RadioModel.Received(median, random);
            if (rssi < RadioModel.SensitivityTenthsDbm) continue;
            var cheat = CheatKind.None;
            switch (witness.Cheat)
            {
                case CheatKind.StrongSignal:
                    // Only where the chain gets as far as the signal check (a too-close witness is refused before it).
                    if (!listable) continue;
                    rssi = (int)RadioModel.ChainBound(device, witness, frequency) + random.Next(50, 200);
                    cheat = CheatKind.StrongSignal;
                    break;
                case CheatKind.FakeDistance:
                    cheat = CheatKind.FakeDistance;
                    break;
                default:
                    if (!listable) continue;
                    break;
            }
            // Strongest first, ties by device index (neighbours come in index order, so a later equal one goes after).
            var at = heard.Count;
            while (at > 0 && heard[at - 1].Rssi < rssi) at--;
            if (at >= limit) continue;
            heard.Insert(at, (witness, rssi, cheat));
            if (heard.Count > limit) heard.RemoveAt(limit);
        }
        var count = heard.Count;
        if (device.Cheat == CheatKind.SelfWitness)
        {
            heard.Add((device, -400, CheatKind.SelfWitness));
            count++;
        }

        var message = new MsgSubmitPoc { Submitter = world.Owners[device.Owner].Bech32, Beacon = beacon };
        var expected = new (FleetDevice, uint[], CheatKind)[count];
        for (var i = 0; i < count; i++)
        {
            var (witness, rssi, cheat) = heard[i];
            var witnessFrequency = frequency + random.Next(-20_000, 20_001);
            message.Witnesses.Add(PocReports.SignWitness(witness.Key, chainId, beacon.Payload.Span, rssi, RadioModel.Snr(rssi, random), witnessFrequency,
                timestamp + random.Next(50, 1_500)));
            expected[i] = (witness, cheat switch
            {
                CheatKind.StrongSignal => StrongWitness,
                CheatKind.FakeDistance => FarWitness,
                CheatKind.SelfWitness => SelfWitness,
                _ => HonestWitness,
            }, cheat);
        }
        var (expectedBeacon, beaconCheat) = device.Cheat switch
        {
            CheatKind.ReplayedEntropy => (ReplayBeacon, CheatKind.ReplayedEntropy),
            CheatKind.BeaconSpam => (SpamBeacon, CheatKind.BeaconSpam),
            _ => (HonestBeacon, CheatKind.None),
        };
        return (message, new ReportExpectation(device, expectedBeacon, beaconCheat, expected));
    }

    /// <summary>
    /// Devices whose median signal from <paramref name="device"/> clears the sensitivity, computed once per device (on its
    /// first channel). Listable: what an honest submitter lists; it leaves out what the chain would refuse from an honest
    /// device anyway (too close, too far, another frequency plan: facts about the map, not cheats).
    /// </summary>
    private Neighbour[] Neighbours(FleetDevice device, long frequency)
    {
        if (_neighbours[device.Index] is { } known) return known;
        var list = new List<Neighbour>();
        foreach (var other in world.Devices)
        {
            if (other.Index == device.Index) continue;
            var median = RadioModel.MedianRssi(device, other, frequency);
            if (median - 10 < RadioModel.SensitivityTenthsDbm) continue;
            var distance = RadioModel.AssertedDistance(device, other);
            var listable = distance >= poc.MinWitnessDistanceMetres && distance <= poc.MaxWitnessDistanceMetres && other.Region == device.Region;
            list.Add(new Neighbour(other, median, listable));
        }
        return _neighbours[device.Index] = [.. list];
    }
}
