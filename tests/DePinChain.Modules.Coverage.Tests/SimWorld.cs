using DePinChain.App;
using DePinChain.Crypto;
using DePinChain.Modules.Coverage.Poc;
using DePinChain.Modules.Devices;
using DePinChain.Modules.Devices.Geo;
using DePinChain.Modules.Devices.Tests;
using DePinChain.Protos.Depin.Coverage.V1;
using DePinChain.Protos.Depin.Devices.V1;
using DePinChain.Sdk;
using Google.Protobuf;
using BeaconProto = DePinChain.Protos.Depin.Coverage.V1.BeaconReport;
using CoverageGenesisState = DePinChain.Protos.Depin.Coverage.V1.GenesisState;
using DevicesGenesisState = DePinChain.Protos.Depin.Devices.V1.GenesisState;
using ProtoCoin = DePinChain.Protos.Cosmos.Base.V1Beta1.Coin;
using ProtoMode = DePinChain.Protos.Depin.Devices.V1.DeviceMode;
using WitnessProto = DePinChain.Protos.Depin.Coverage.V1.WitnessReport;

namespace DePinChain.Modules.Coverage.Tests;

/// <summary>A simulated device: its keys, owner and where it really is.</summary>
public sealed class SimDevice(int id, byte[] secret, KeyType type, byte[] owner, GeoPoint at)
{
    public int Id { get; } = id;
    public byte[] Secret { get; } = secret;
    public KeyType Type { get; } = type;
    public byte[] Key { get; } = type == KeyType.Secp256K1 ? Secp256k1.GetPublicKey(secret) : Ed25519.PublicKeyFromSeed(secret);
    public byte[] Owner { get; } = owner;
    public GeoPoint At { get; } = at;
    public int GainTenthsDbi { get; init; } = 30;
    /// <summary>The owner account's secp256k1 key (signs the owner's txs on an app-backed chain).</summary>
    public byte[] OwnerSecret { get; init; } = [];

    public byte[] Sign(byte[] message) => Type == KeyType.Secp256K1 ? Secp256k1.SignMessage(Secret, message) : Ed25519.Sign(Secret, message);
}

/// <summary>
/// A chain with the devices and coverage modules and a population of devices, and the builders for
/// honest and dishonest reports. Deterministic from its seed.
/// </summary>
public sealed class SimWorld
{
    public const string ChainId = "depin-sim-1";
    public const long Frequency = 868_100_000;
    public const int TxPower = 270;
    public static readonly byte[] AuthoritySecret = Hashes.Sha256("sim-authority"u8);
    public static readonly byte[] FeePayerSecret = Hashes.Sha256("sim-fee-payer"u8);
    public static readonly byte[] SubmitterSecret = Hashes.Sha256("sim-submitter"u8);
    public static readonly byte[] Authority = AddressOf(AuthoritySecret);
    public static readonly byte[] FeePayer = AddressOf(FeePayerSecret);
    public static readonly byte[] Submitter = AddressOf(SubmitterSecret);

    public static byte[] AddressOf(byte[] secret) => CosmosAddress.FromSecp256k1PublicKey(Secp256k1.GetPublicKey(secret));

    public static byte[] OwnerSecret(int id) => Hashes.Sha256(System.Text.Encoding.UTF8.GetBytes($"sim-owner-{id}"));
    public static readonly string AuthorityText = Bech32Address.ToBech32(Authority);
    /// <summary>The "sim" maker's secp256k1 key: it signs every onboarding the world builds.</summary>
    public static readonly byte[] MakerSecret = Hashes.Sha256("sim-maker"u8);
    public const string MakerName = "sim";

    /// <summary>The module-level chain (null when the world runs on another driver, such as the app).</summary>
    public ModuleChain Chain => _chain ?? throw new InvalidOperationException("this world runs on " + Driver.GetType().Name);
    private readonly ModuleChain? _chain;
    public ISimChain Driver { get; }
    public DevicesModule Devices { get; private set; } = null!;
    public CoverageModule Coverage { get; private set; } = null!;
    public List<SimDevice> Population { get; } = [];
    public Random Random { get; }
    public long Height => Driver.Height;

    /// <summary>The chain's epoch length (mint's) in the worlds the tests build.</summary>
    public const long DefaultEpochBlocks = 10;

    /// <summary>Genesis of the two modules (and balances) with the sim's maker, authority and tuned params, and the chain's epoch length.</summary>
    public static SimGenesis Genesis(Action<Protos.Depin.Coverage.V1.Params>? tune, int owners, long epochBlocks = DefaultEpochBlocks)
    {
        var coverageParams = CoverageKeeper.DefaultParams();
        coverageParams.Authority = AuthorityText;
        tune?.Invoke(coverageParams);
        var devicesParams = DevicesKeeper.DefaultParams();
        devicesParams.Authority = AuthorityText;
        devicesParams.OnboardingFeeFull.Add(new ProtoCoin { Denom = ModuleChain.Denom, Amount = "5" });
        var devGenesis = new DevicesGenesisState { Params = devicesParams };
        devGenesis.Makers.Add(new Maker
        {
            Name = "sim", Key = ByteString.CopyFrom(Secp256k1.GetPublicKey(MakerSecret)), KeyType = KeyType.Secp256K1,
            FeePayer = Bech32Address.ToBech32(FeePayer), Active = true,
        });
        List<(byte[], long)> balances = [(FeePayer, 1_000_000_000), (Submitter, 1_000_000_000_000), (Authority, 1_000_000)];
        for (var i = 0; i < owners; i++) balances.Add((AddressOf(OwnerSecret(i)), 1_000));
        return new SimGenesis(DevicesGenesis.Json.Format(devGenesis), CoverageGenesis.Json.Format(new CoverageGenesisState { Params = coverageParams }), balances, epochBlocks);
    }

    /// <summary>A world on the module-level chain, with epochs of <paramref name="epochBlocks"/> blocks (in the app they are mint's).</summary>
    public SimWorld(int seed, Action<Protos.Depin.Coverage.V1.Params>? tune = null, string? devicesGenesis = null, string? coverageGenesis = null,
        long epochBlocks = DefaultEpochBlocks)
    {
        Random = new Random(seed);
        var genesis = Genesis(tune, 0, epochBlocks);
        _chain = new ModuleChain(ChainId, genesis.Balances, bank =>
        {
            var devices = new DevicesModule(new DevicesKeeper(bank));
            Devices = devices;
            Coverage = new CoverageModule(new CoverageKeeper(new DevicesBridge(devices.Keeper), new FixedEpochClock(epochBlocks)));
            return [devices, Coverage];
        }, new Dictionary<string, string>
        {
            ["devices"] = devicesGenesis ?? genesis.DevicesJson,
            ["coverage"] = coverageGenesis ?? genesis.CoverageJson,
        });
        Driver = new ModuleSimChain(_chain, NextBlock);
    }

    /// <summary>
    /// Ends the module-level chain's block and begins the next one as the app does: end blockers, then coverage's
    /// begin blocker (density at an epoch's first block), which the module-level chain alone does not run.
    /// </summary>
    public void NextBlock()
    {
        Chain.EndBlock();
        Coverage.BeginBlock(Chain.Context());
    }

    /// <summary>A world on any driver (the app through ABCI, for one), with accounts for <paramref name="owners"/> device owners.</summary>
    public SimWorld(int seed, Action<Protos.Depin.Coverage.V1.Params>? tune, int owners, Func<SimGenesis, ISimChain> driver, long epochBlocks = DefaultEpochBlocks)
    {
        Random = new Random(seed);
        Driver = driver(Genesis(tune, owners, epochBlocks));
    }

    public SimDevice NewDevice(GeoPoint at, KeyType? type = null)
    {
        var id = Population.Count;
        var secret = Hashes.Sha256(System.Text.Encoding.UTF8.GetBytes($"sim-device-{id}"));
        var ownerSecret = OwnerSecret(id);
        var owner = CosmosAddress.FromSecp256k1PublicKey(Secp256k1.GetPublicKey(ownerSecret));
        var device = new SimDevice(id, secret, type ?? (id % 4 == 3 ? KeyType.Ed25519 : KeyType.Secp256K1), owner, at) { OwnerSecret = ownerSecret };
        Population.Add(device);
        return device;
    }

    public MsgOnboardDevice OnboardMsg(SimDevice d, ProtoMode mode = ProtoMode.Full)
    {
        var signBytes = DeviceSignatures.OnboardingSignBytes(ChainId, d.Type, d.Key, d.Owner, mode);
        return new MsgOnboardDevice
        {
            Owner = Bech32Address.ToBech32(d.Owner), DeviceKey = ByteString.CopyFrom(d.Key), KeyType = d.Type, Mode = mode, Maker = "sim",
            DeviceSignature = ByteString.CopyFrom(d.Sign(signBytes)), MakerSignature = ByteString.CopyFrom(Secp256k1.SignMessage(MakerSecret, signBytes)),
        };
    }

    public MsgAssertLocation LocateMsg(SimDevice d, ulong nonce = 1) => new()
    {
        Owner = Bech32Address.ToBech32(d.Owner), DeviceKey = ByteString.CopyFrom(d.Key), LatitudeMicro = d.At.LatitudeMicro, LongitudeMicro = d.At.LongitudeMicro,
        AntennaGainTenthsDbi = d.GainTenthsDbi, ElevationMetres = 20, Nonce = nonce,
    };

    public void OnboardAndLocate(SimDevice d)
    {
        Chain.ExecuteOk(OnboardMsg(d));
        Chain.ExecuteOk(LocateMsg(d));
    }

    public static double DistanceMetres(GeoPoint a, GeoPoint b)
    {
        double lat1 = a.LatitudeMicro * Math.PI / 180e6, lat2 = b.LatitudeMicro * Math.PI / 180e6;
        double dLat = lat2 - lat1, dLon = (b.LongitudeMicro - a.LongitudeMicro) * Math.PI / 180e6;
        var h = Math.Pow(Math.Sin(dLat / 2), 2) + Math.Cos(lat1) * Math.Cos(lat2) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 2 * 6_371_008.8 * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>What a receiver at that distance would plausibly hear: free-space loss plus 10–30 dB of clutter (double math, independent of the chain's).</summary>
    public int HonestRssi(SimDevice beaconer, SimDevice witness)
    {
        var metres = DistanceMetres(beaconer.At, witness.At);
        var fspl = 20 * Math.Log10(4 * Math.PI * metres * Frequency / 299_792_458.0);
        var clutter = 10 + Random.Next(0, 20);
        return (int)Math.Floor((TxPower + beaconer.GainTenthsDbi + witness.GainTenthsDbi) / 10.0 - fspl - clutter) * 10;
    }

    public BeaconProto Beacon(SimDevice beaconer, long? entropyHeight = null, Action<BeaconProto>? tamper = null, long timestampMs = 1_800_000_000_000)
    {
        var height = entropyHeight ?? Height - 1;
        var payload = PocSignBytes.ExpectedPayload(ModuleChain.BlockHashOf(height), beaconer.Key);
        var beacon = new BeaconProto
        {
            BeaconerKey = ByteString.CopyFrom(beaconer.Key), EntropyHeight = height, Payload = ByteString.CopyFrom(payload),
            FrequencyHz = Frequency, TxPowerTenthsDbm = TxPower, TimestampMs = timestampMs,
        };
        tamper?.Invoke(beacon);
        beacon.Signature = ByteString.CopyFrom(beaconer.Sign(PocSignBytes.Beacon(ChainId, ToRecord(beacon))));
        return beacon;
    }

    public WitnessProto Witness(BeaconProto beacon, SimDevice beaconer, SimDevice witness, Action<WitnessProto>? tamper = null)
    {
        var report = new WitnessProto
        {
            WitnessKey = ByteString.CopyFrom(witness.Key), PayloadHash = ByteString.CopyFrom(PocSignBytes.PayloadHash(beacon.Payload.Span)),
            RssiTenthsDbm = HonestRssi(beaconer, witness), SnrTenthsDb = 40 + Random.Next(0, 60), FrequencyHz = Frequency + Random.Next(-20_000, 20_000),
            TimestampMs = beacon.TimestampMs + Random.Next(50, 2_000),
        };
        tamper?.Invoke(report);
        report.Signature = ByteString.CopyFrom(witness.Sign(PocSignBytes.Witness(ChainId, ToRecord(report))));
        return report;
    }

    public static MsgSubmitPoc Submit(BeaconProto beacon, params WitnessProto[] witnesses)
    {
        var msg = new MsgSubmitPoc { Submitter = Bech32Address.ToBech32(Submitter), Beacon = beacon };
        msg.Witnesses.AddRange(witnesses);
        return msg;
    }

    public static Poc.BeaconReport ToRecord(BeaconProto b) =>
        new(b.BeaconerKey.ToByteArray(), b.EntropyHeight, b.Payload.ToByteArray(), b.FrequencyHz, b.TxPowerTenthsDbm, b.TimestampMs, b.Signature.ToByteArray());

    public static Poc.WitnessReport ToRecord(WitnessProto w) =>
        new(w.WitnessKey.ToByteArray(), w.PayloadHash.ToByteArray(), w.RssiTenthsDbm, w.SnrTenthsDb, w.FrequencyHz, w.TimestampMs, w.Signature.ToByteArray());

    public IReadOnlyList<StoredReport> Reports(SimDevice device, ulong epoch) =>
        Driver.Query("/depin.coverage.v1.Query/Reports", new QueryReportsRequest { DeviceKey = ByteString.CopyFrom(device.Key), Epoch = epoch }, QueryReportsResponse.Parser).Reports;

    public IReadOnlyList<DeviceUnits> Units(ulong epoch) =>
        Driver.Query("/depin.coverage.v1.Query/Units", new QueryUnitsRequest { Epoch = epoch }, QueryUnitsResponse.Parser).Units;
}

/// <param name="EpochBlocks">The chain's epoch length: mint's schedule in the app, a <see cref="FixedEpochClock"/> on the module-level chain.</param>
public sealed record SimGenesis(string DevicesJson, string CoverageJson, IReadOnlyList<(byte[] Address, long Amount)> Balances, long EpochBlocks);

/// <summary>Epochs of a fixed length (⌊height / blocks⌋), standing in for mint's clock where mint is not wired.</summary>
public sealed class FixedEpochClock(long blocks) : IEpochClock
{
    public long EpochOf(Context ctx, long height) => height / blocks;
}

/// <summary>What a simulation needs from a chain: queue signed messages into the current block, finish it, query.</summary>
public interface ISimChain
{
    /// <summary>The height of the block being built.</summary>
    long Height { get; }

    void Queue(IMessage msg, byte[] signerSecret);

    /// <summary>Executes the queued messages as the block's txs, ends and commits it; one result per message.</summary>
    IReadOnlyList<(uint Code, string Codespace, string Log)> FinishBlock();

    TResp Query<TResp>(string path, IMessage request, MessageParser<TResp> parser) where TResp : IMessage<TResp>;
}

/// <summary>The module-level chain as a simulation driver (no tx envelope: the signer secret is unused); <paramref name="nextBlock"/> ends the block and begins the next.</summary>
public sealed class ModuleSimChain(ModuleChain chain, Action nextBlock) : ISimChain
{
    private readonly List<IMessage> _queued = [];

    public long Height => chain.Height;

    public void Queue(IMessage msg, byte[] signerSecret) => _queued.Add(msg);

    public IReadOnlyList<(uint Code, string Codespace, string Log)> FinishBlock()
    {
        var results = _queued.Select(m => { var (code, space, log, _) = chain.Execute(m); return (code, space, log); }).ToList();
        _queued.Clear();
        nextBlock();
        return results;
    }

    public TResp Query<TResp>(string path, IMessage request, MessageParser<TResp> parser) where TResp : IMessage<TResp> => chain.Query(path, request, parser);
}
