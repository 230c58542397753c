using DePinChain.Crypto;
using DePinChain.Modules.Coverage.Poc;
using DePinChain.Modules.Devices;
using DePinChain.Modules.Devices.Geo;
using DePinChain.Protos.Depin.Devices.V1;

namespace DePinChain.Modules.Coverage.Tests;

/// <summary>A device with its private key, for signing reports in tests.</summary>
public sealed record TestDevice(byte[] PrivateKey, KeyType KeyType, DeviceInfo Info)
{
    public byte[] Key => Info.Key;

    public static TestDevice Create(string name, GeoPoint? at, long onboardedHeight = 1, KeyType type = KeyType.Secp256K1,
        DeviceMode mode = DeviceMode.Full, DeviceStatus status = DeviceStatus.Active, int gainTenthsDbi = 30, int elevationMetres = 10)
    {
        var secret = Hashes.Sha256(System.Text.Encoding.UTF8.GetBytes("device:" + name));
        var key = type == KeyType.Secp256K1 ? Secp256k1.GetPublicKey(secret) : Ed25519.PublicKeyFromSeed(secret);
        var location = at is { } p ? new DeviceLocation(p, gainTenthsDbi, elevationMetres, Regions.Of(p), 1) : null;
        var info = new DeviceInfo(key, type, new byte[20], mode, status, "maker", onboardedHeight, location);
        return new TestDevice(secret, type, info);
    }

    public byte[] Sign(byte[] message) => KeyType == KeyType.Secp256K1 ? Secp256k1.SignMessage(PrivateKey, message) : Ed25519.Sign(PrivateKey, message);
}

/// <summary>An in-memory <see cref="IPocChainView"/>.</summary>
public sealed class FakeChain : IPocChainView
{
    public string ChainId { get; set; } = "depin-test-1";
    public long Height { get; set; } = 100;
    public Dictionary<string, DeviceInfo> Devices { get; } = [];
    public Dictionary<long, byte[]> BlockHashes { get; } = [];
    public Dictionary<string, long> LastBeacon { get; } = [];
    public Dictionary<string, long> LastWitness { get; } = [];
    public HashSet<string> DeniedDevices { get; } = [];
    public HashSet<string> DeniedPairs { get; } = [];
    public long Scale { get; set; } = RewardUnits.Scale;

    private static string Hex(ReadOnlySpan<byte> key) => Convert.ToHexString(key);

    public FakeChain()
    {
        for (var h = 1; h < Height; h++) BlockHashes[h] = Hashes.Sha256(BitConverter.GetBytes(h));
    }

    public void Add(params TestDevice[] devices)
    {
        foreach (var d in devices) Devices[Hex(d.Key)] = d.Info;
    }

    public DeviceInfo? GetDevice(ReadOnlySpan<byte> deviceKey) => Devices.GetValueOrDefault(Hex(deviceKey));
    public byte[]? GetBlockHash(long height) => BlockHashes.GetValueOrDefault(height);
    public long? LastBeaconHeight(ReadOnlySpan<byte> deviceKey) => LastBeacon.TryGetValue(Hex(deviceKey), out var h) ? h : null;
    public long? LastWitnessHeight(ReadOnlySpan<byte> deviceKey) => LastWitness.TryGetValue(Hex(deviceKey), out var h) ? h : null;
    public bool IsDeviceDenied(ReadOnlySpan<byte> deviceKey) => DeniedDevices.Contains(Hex(deviceKey));
    public bool IsPairDenied(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => DeniedPairs.Contains(Hex(a) + Hex(b)) || DeniedPairs.Contains(Hex(b) + Hex(a));
    public long DensityScale(DeviceInfo device) => Scale;
}

/// <summary>Builds signed beacons and witnesses the way an honest device would.</summary>
public static class Reports
{
    public const long BeaconFrequency = 868_100_000;
    public const int TxPower = 270;
    public const long BeaconTime = 1_800_000_000_000;

    public static BeaconReport Beacon(FakeChain chain, TestDevice beaconer, long? entropyHeight = null, Func<BeaconReport, BeaconReport>? tamper = null)
    {
        var height = entropyHeight ?? chain.Height - 1;
        var hash = chain.BlockHashes.GetValueOrDefault(height) ?? new byte[32];
        var unsigned = new BeaconReport(beaconer.Key, height, PocSignBytes.ExpectedPayload(hash, beaconer.Key), BeaconFrequency, TxPower, BeaconTime, new byte[64]);
        if (tamper is not null) unsigned = tamper(unsigned);
        return unsigned with { Signature = beaconer.Sign(PocSignBytes.Beacon(chain.ChainId, unsigned)) };
    }

    /// <summary>An honest RSSI: 15 dB weaker than free space allows over the 3-D distance (computed in double, independently).</summary>
    public static int HonestRssi(TestDevice beaconer, TestDevice witness, int txPower = TxPower, long hz = BeaconFrequency)
    {
        var a = beaconer.Info.Location!.Point;
        var b = witness.Info.Location!.Point;
        double lat1 = a.LatitudeMicro * Math.PI / 180e6, lat2 = b.LatitudeMicro * Math.PI / 180e6;
        double dLat = lat2 - lat1, dLon = (b.LongitudeMicro - a.LongitudeMicro) * Math.PI / 180e6;
        var h = Math.Pow(Math.Sin(dLat / 2), 2) + Math.Cos(lat1) * Math.Cos(lat2) * Math.Pow(Math.Sin(dLon / 2), 2);
        var ground = 2 * 6_371_008.8 * Math.Asin(Math.Sqrt(h));
        double rise = witness.Info.Location.ElevationMetres - beaconer.Info.Location.ElevationMetres;
        var metres = Math.Sqrt(ground * ground + rise * rise);
        var fspl = 20 * Math.Log10(4 * Math.PI * metres * hz / 299_792_458.0);
        return (int)Math.Floor((txPower + beaconer.Info.Location.AntennaGainTenthsDbi + witness.Info.Location.AntennaGainTenthsDbi) / 10.0 - fspl - 15) * 10;
    }

    public static WitnessReport Witness(FakeChain chain, BeaconReport beacon, TestDevice beaconer, TestDevice witness, Func<WitnessReport, WitnessReport>? tamper = null)
    {
        var unsigned = new WitnessReport(witness.Key, PocSignBytes.PayloadHash(beacon.Payload), HonestRssi(beaconer, witness), 55, BeaconFrequency + 1_000, BeaconTime + 1_200, new byte[64]);
        if (tamper is not null) unsigned = tamper(unsigned);
        return unsigned with { Signature = witness.Sign(PocSignBytes.Witness(chain.ChainId, unsigned)) };
    }

    /// <summary>A point about <paramref name="northMetres"/> north and <paramref name="eastMetres"/> east of <paramref name="origin"/>.</summary>
    public static GeoPoint Offset(GeoPoint origin, double northMetres, double eastMetres)
    {
        var dLat = northMetres / 111_195.0 * 1e6;
        var dLon = eastMetres / (111_195.0 * Math.Cos(origin.LatitudeMicro * Math.PI / 180e6)) * 1e6;
        return new GeoPoint(origin.LatitudeMicro + (int)dLat, origin.LongitudeMicro + (int)dLon);
    }
}
