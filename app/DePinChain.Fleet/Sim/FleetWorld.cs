using Region = DePinChain.Modules.Devices.Geo.Region;
using DePinChain.Protos.Depin.Devices.V1;
using DePinChain.App;
using DePinChain.Crypto;
using DePinChain.Fleet.Keys;
using DePinChain.Modules.Devices;
using DePinChain.Modules.Devices.Geo;

namespace DePinChain.Fleet.Sim;

/// <summary>How a device cheats (None: it is honest). Each kind maps to the rejection the chain must give it.</summary>
public enum CheatKind
{
    None,
    /// <summary>Witnesses with an RSSI above what free space allows → witness verdict SignalTooStrong (45).</summary>
    StrongSignal,
    /// <summary>Beacons over the entropy of a block older than the window → the tx fails with EntropyOutsideWindow (16).</summary>
    ReplayedEntropy,
    /// <summary>Asserts a location ~150 km from where it is, and witnesses what it hears → TooFar (44).</summary>
    FakeDistance,
    /// <summary>Lists itself as a witness of its own beacon → SelfWitness (31).</summary>
    SelfWitness,
    /// <summary>Beacons every block → BeaconIntervalNotElapsed (19) for every beacon inside the interval.</summary>
    BeaconSpam,
}

/// <summary>One simulated hotspot: its key, owner, where it is, where it says it is, its radio, and whether it cheats.</summary>
public sealed class FleetDevice
{
    public required int Index { get; init; }
    public required DeviceKey Key { get; init; }
    public required int Owner { get; init; }
    /// <summary>Where the antenna really is (what the radio model uses).</summary>
    public required GeoPoint At { get; init; }
    /// <summary>What the device asserts on chain (equal to <see cref="At"/> unless it fakes distance).</summary>
    public required GeoPoint Asserted { get; init; }
    public required int ElevationMetres { get; init; }
    public required int AntennaGainTenthsDbi { get; init; }
    public required int TxPowerTenthsDbm { get; init; }
    public required CheatKind Cheat { get; init; }
    /// <summary>Offset of the device's beacon slot within the beacon interval (spreads beacons over the blocks).</summary>
    public required int Phase { get; init; }
    public required Region Region { get; init; }
    public UnitVector TrueVector { get; init; }
    public UnitVector AssertedVector { get; init; }
    public string KeyHex => Convert.ToHexStringLower(Key.PublicKey);
}

/// <summary>What the world is built from (the simulate fleet command's options).</summary>
public sealed record FleetWorldOptions
{
    public required ulong Seed { get; init; }
    public required int Devices { get; init; }
    public required GeoPoint Center { get; init; }
    public required long RadiusMetres { get; init; }
    /// <summary>Share of devices that cheat, in per mille; the cheats are spread evenly over the kinds.</summary>
    public int CheatPermille { get; init; } = 100;
    /// <summary>Share of devices with ed25519 keys, in per mille (the rest secp256k1).</summary>
    public int Ed25519Permille { get; init; } = 500;
    public int DevicesPerOwner { get; init; } = 4;
    public int Routers { get; init; } = 2;
    public string MakerName { get; init; } = "fleet-maker";
    /// <summary>The cheat kinds to use (all by default).</summary>
    public IReadOnlyList<CheatKind> CheatKinds { get; init; } = [CheatKind.StrongSignal, CheatKind.ReplayedEntropy, CheatKind.FakeDistance, CheatKind.SelfWitness, CheatKind.BeaconSpam];
}

/// <summary>
/// A deterministic world from a seed: one maker, owners (each owning a few devices), routers, and devices placed
/// uniformly in a disc around the center with seeded elevations and antenna gains; a configurable share cheats,
/// spread over the kinds. Keys are derived from the seed and the role, so the same seed on the same chain finds the
/// same devices again (a restarted simulator resumes instead of onboarding twice).
/// </summary>
public sealed class FleetWorld
{
    public const double MetresPerDegree = 111_195.0; // 2πR / 360 with R = 6,371,008.8 m
    /// <summary>How far a location spoofer moves itself: beyond the chain's default 100 km witness limit.</summary>
    public const long SpoofMetres = 150_000;
    private static readonly int[] Gains = [12, 20, 30, 40, 58, 80];

    public FleetWorld(FleetWorldOptions options)
    {
        if (options.Devices < 2) throw new FleetException($"--devices must be at least 2, got {options.Devices}");
        if (options.Devices > 100_000) throw new FleetException($"--devices must be at most 100000, got {options.Devices}");
        if (options.RadiusMetres is < 100 or > 1_000_000) throw new FleetException($"--radius-km must be within 0.1..1000, got {options.RadiusMetres / 1000.0}");
        if (options.CheatPermille is < 0 or > 1000) throw new FleetException("--cheaters must be within 0..1");
        var centerRegion = Regions.Of(options.Center);
        if (centerRegion == Region.Unknown)
            throw new FleetException($"--center {options.Center} has no LoRaWAN frequency plan (open ocean or an uncovered area); pick a city");
        Options = options;
        var seed = options.Seed;
        Maker = DeviceKey.Derive(KeyType.Secp256K1, $"depin-fleet/{seed}/maker");
        var owners = (options.Devices + options.DevicesPerOwner - 1) / options.DevicesPerOwner;
        Owners = Enumerable.Range(0, owners).Select(i => Signer($"owner/{i}")).ToArray();
        Routers = Enumerable.Range(0, options.Routers).Select(i => Signer($"router/{i}")).ToArray();

        var random = Prng.For(seed, "world");
        var cheaters = options.CheatKinds.Count == 0 ? 0 : (int)((long)options.Devices * options.CheatPermille / 1000);
        // Which devices cheat: a seeded shuffle, the first `cheaters` of it, kinds in turn.
        var order = Enumerable.Range(0, options.Devices).ToArray();
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var cheat = new CheatKind[options.Devices];
        for (var k = 0; k < cheaters; k++) cheat[order[k]] = options.CheatKinds[k % options.CheatKinds.Count];

        var devices = new List<FleetDevice>(options.Devices);
        for (var i = 0; i < options.Devices; i++)
        {
            var type = random.Chance(options.Ed25519Permille) ? KeyType.Ed25519 : KeyType.Secp256K1;
            var at = RandomPoint(random, options.Center, options.RadiusMetres);
            var region = Regions.Of(at);
            var kind = cheat[i];
            var asserted = at;
            if (kind == CheatKind.FakeDistance)
            {
                if (Spoof(at, region) is { } spoofed) asserted = spoofed;
                else kind = CheatKind.None; // nowhere 150 km away in the same plan: this one stays honest
            }
            devices.Add(new FleetDevice
            {
                Index = i,
                Key = DeviceKey.Derive(type, $"depin-fleet/{seed}/device/{i}"),
                Owner = i / options.DevicesPerOwner,
                At = at,
                Asserted = asserted,
                ElevationMetres = 5 + random.Next(0, 60) + (random.Chance(100) ? random.Next(0, 150) : 0),
                AntennaGainTenthsDbi = Gains[random.Next(Gains.Length)],
                TxPowerTenthsDbm = 270,
                Cheat = kind,
                Phase = random.Next(1 << 20),
                Region = region,
                TrueVector = UnitVector.From(at),
                AssertedVector = UnitVector.From(asserted),
            });
        }
        Devices = devices;
        TxSigner Signer(string role) => new(DeviceKey.Derive(KeyType.Secp256K1, $"depin-fleet/{seed}/{role}").Secret.ToArray());
    }

    public FleetWorldOptions Options { get; }

    public DeviceKey Maker { get; }

    public IReadOnlyList<TxSigner> Owners { get; }

    public IReadOnlyList<TxSigner> Routers { get; }

    public IReadOnlyList<FleetDevice> Devices { get; }

    public int CountOf(CheatKind kind) => Devices.Count(d => d.Cheat == kind);

    /// <summary>Uniform over the disc's area: r = R·√u, θ = 2πv, on a local flat-earth frame, rounded to micro-degrees.</summary>
    private static GeoPoint RandomPoint(Prng random, GeoPoint center, long radiusMetres)
    {
        var r = radiusMetres * Math.Sqrt(random.NextUnit());
        var theta = 2 * Math.PI * random.NextUnit();
        var north = r * Math.Cos(theta);
        var east = r * Math.Sin(theta);
        return Offset(center, north, east);
    }

    private static GeoPoint Offset(GeoPoint from, double northMetres, double eastMetres)
    {
        var lat = from.LatitudeMicro / 1e6 + northMetres / MetresPerDegree;
        lat = Math.Clamp(lat, -89.9, 89.9);
        var lon = from.LongitudeMicro / 1e6 + eastMetres / (MetresPerDegree * Math.Cos(lat * Math.PI / 180));
        if (lon > 180) lon -= 360;
        if (lon < -180) lon += 360;
        return new GeoPoint((int)Math.Round(lat * 1e6), (int)Math.Round(lon * 1e6));
    }

    /// <summary>A point 150 km north, south, east or west that has the same frequency plan (null if none does).</summary>
    private static GeoPoint? Spoof(GeoPoint at, Region region)
    {
        foreach (var (north, east) in new[] { (1.0, 0.0), (-1.0, 0.0), (0.0, 1.0), (0.0, -1.0) })
        {
            var p = Offset(at, north * SpoofMetres, east * SpoofMetres);
            if (Regions.Of(p) == region) return p;
        }
        return null;
    }
}
