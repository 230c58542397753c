using System.Numerics;
using System.Text.Json.Nodes;
using DePinChain.App;
using DePinChain.Fleet.Sim;
using DePinChain.Modules.Coverage.Poc;
using DePinChain.Modules.Devices;
using DePinChain.Modules.Devices.Geo;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Depin.DataCredits.V1;
using DePinChain.Protos.Depin.Devices.V1;
using DePinChain.Protos.Depin.Rewards.V1;
using Google.Protobuf;
using DevicesGenesisState = DePinChain.Protos.Depin.Devices.V1.GenesisState;
using ProtoRegion = DePinChain.Protos.Depin.Devices.V1.Region;

namespace DePinChain.IntegrationTests;

/// <summary>
/// A chain whose first epoch is paid out over many blocks. Genesis: the fleet simulator's world (<see cref="FleetWorld"/>,
/// honest devices around Berlin, four to an owner) onboarded and located, epochs of <see cref="EpochBlocks"/> blocks and a
/// payout chunk of <see cref="PayoutDevicesPerBlock"/> devices. Epoch 0: routers are registered and burn udpin for data
/// credits; every device beacons once, its owner submitting the signed report with the witnesses that hear it (the
/// simulator's <see cref="ReportFactory"/>); the routers report traffic for some devices. After the epoch end, while the
/// automatic payout runs, two owners claim their devices. Every block is a function of its height: no tx depends on an
/// answer of the chain, so the same blocks can be replayed into a node that crashed.
/// </summary>
internal sealed class PayoutWorkload
{
    public const long EpochBlocks = 16;
    /// <summary>The last block of epoch 0: it closes the epoch and pays a quarter of a chunk.</summary>
    public const long EpochEnd = EpochBlocks - 1;
    public const uint PayoutDevicesPerBlock = 4;
    public const int Devices = 48;
    public const string Denom = "udpin";
    public static readonly BigInteger OwnerFunds = 1_000_000;
    private const long RouterFunds = 100_000_000;
    private const long CreditPurchase = 10_000_000;
    private const ulong Seed = 1616;
    /// <summary>Epoch 0's beacons are spread over heights 2 (the first with a previous block's entropy) to this one.</summary>
    private const long LastBeaconHeight = EpochEnd - 2;
    private const ulong PocGas = 2_000_000, TxGas = 500_000;
    /// <summary>Blocks after the epoch end in which an owner claims all its devices (owner index, blocks after).</summary>
    private static readonly (int Owner, long After)[] Claims = [(0, 1), (5, 4)];

    private static readonly TxSigner Authority = TxSigner.FromSeed("payout-crash-authority");
    private readonly Dictionary<string, (ulong Number, ulong Sequence)> _accounts = new(StringComparer.Ordinal);
    private readonly ReportFactory _reports;

    public PayoutWorkload()
    {
        World = new FleetWorld(new FleetWorldOptions
        {
            Seed = Seed, Devices = Devices, Center = new GeoPoint(52_520_008, 13_404_954), RadiusMetres = 3_000, CheatPermille = 0,
        });
        // Accounts are numbered in genesis order: the authority, the routers, the owners.
        TxSigner[] accounts = [Authority, .. World.Routers, .. World.Owners];
        for (int i = 0; i < accounts.Length; i++) _accounts[accounts[i].Bech32] = ((ulong)i, 0);
        _reports = new ReportFactory(World, Workload.ChainId, PocParams.Default, maxWitnesses: 10);
    }

    public FleetWorld World { get; }

    public RequestInitChain Genesis()
    {
        var balances = new List<(byte[] Address, BigInteger Amount)> { (Authority.Address, 1_000_000) };
        balances.AddRange(World.Routers.Select(r => (r.Address, (BigInteger)RouterFunds)));
        balances.AddRange(World.Owners.Select(o => (o.Address, OwnerFunds)));
        var appState = JsonNode.Parse(TxBuilder.GenesisAppState(balances, Denom))!.AsObject();
        appState["devices"] = JsonNode.Parse(DevicesGenesis.Json.Format(LocatedFleet()));
        // Beacon interval and reciprocity window beyond the run: each device beacons once, and all are new (exempt).
        FleetGenesis.Apply(appState, Authority.Bech32, new FleetChainParams
        {
            EpochBlocks = EpochBlocks, BeaconIntervalBlocks = 1_000, EntropyWindowBlocks = 20, ReciprocityWindowBlocks = 1_000,
        });
        appState["rewards"]!["params"]!["payout_devices_per_block"] = PayoutDevicesPerBlock;
        return Workload.InitChain(appState.ToJsonString());
    }

    /// <summary>The world's devices as the registry holds them after onboarding and one location assertion each.</summary>
    private DevicesGenesisState LocatedFleet()
    {
        var genesis = new DevicesGenesisState { Params = DevicesKeeper.DefaultParams() };
        genesis.Makers.Add(new Maker
        {
            Name = World.Options.MakerName, Key = ByteString.CopyFrom(World.Maker.PublicKey), KeyType = World.Maker.Type,
            FeePayer = Authority.Bech32, Active = true, AddedHeight = 1,
        });
        foreach (var device in World.Devices)
        {
            genesis.Devices.Add(new Device
            {
                Key = ByteString.CopyFrom(device.Key.PublicKey), KeyType = device.Key.Type, Owner = World.Owners[device.Owner].Bech32,
                Mode = DeviceMode.Full, Status = DeviceStatus.Active, Maker = World.Options.MakerName, OnboardedHeight = 1,
                Location = new Location
                {
                    LatitudeMicro = device.Asserted.LatitudeMicro, LongitudeMicro = device.Asserted.LongitudeMicro,
                    AntennaGainTenthsDbi = device.AntennaGainTenthsDbi, ElevationMetres = device.ElevationMetres,
                    Region = (ProtoRegion)device.Region, Nonce = 1, AssertedHeight = 1,
                },
            });
        }
        return genesis;
    }

    /// <summary>Block <paramref name="height"/>; call in height order (the signers' sequences are counted here).</summary>
    public RequestFinalizeBlock Block(long height)
    {
        var txs = new List<ByteString>();
        if (height == 1)
        {
            var register = new TxBuilder();
            for (int i = 0; i < World.Routers.Count; i++)
                register.AddMessage(new MsgRegisterRouter { Authority = Authority.Bech32, Router = World.Routers[i].Bech32, Name = $"router-{i}" });
            txs.Add(Sign(register, Authority, TxGas));
            foreach (var router in World.Routers)
                txs.Add(Sign(new TxBuilder().AddMessage(new MsgBurnForCredits { Sender = router.Bech32, Amount = CreditPurchase.ToString() }), router, TxGas));
        }
        else if (height <= LastBeaconHeight)
        {
            var random = Prng.For(Seed, "tick", height);
            long timeMs = Workload.BlockTime(height - 1).ToUnixTimeMilliseconds();
            foreach (var device in World.Devices.Where(d => 2 + d.Index % (LastBeaconHeight - 1) == height))
            {
                var (report, _) = _reports.Build(device, height - 1, Workload.BlockHash(height - 1), timeMs, random);
                txs.Add(Sign(new TxBuilder().AddMessage(report), World.Owners[device.Owner], PocGas));
            }
            foreach (var router in World.Routers)
            {
                var device = World.Devices[random.Next(World.Devices.Count)];
                txs.Add(Sign(new TxBuilder().AddMessage(new MsgReportTraffic
                {
                    Router = router.Bech32, Payer = router.Bech32, DeviceKey = ByteString.CopyFrom(device.Key.PublicKey), Bytes = (ulong)random.Next(1_000, 100_000),
                }), router, TxGas));
            }
        }
        foreach (var (owner, after) in Claims)
        {
            if (height != EpochEnd + after) continue;
            var claim = new MsgClaimRewards { Owner = World.Owners[owner].Bech32 };
            claim.DeviceKeys.AddRange(World.Devices.Where(d => d.Owner == owner).Select(d => ByteString.CopyFrom(d.Key.PublicKey)));
            txs.Add(Sign(new TxBuilder().AddMessage(claim), World.Owners[owner], TxGas));
        }
        return Workload.Block(height, txs);
    }

    /// <summary>Signed with no fee (gas only): an owner's balance moves by its rewards alone.</summary>
    private ByteString Sign(TxBuilder tx, TxSigner signer, ulong gas)
    {
        var (number, sequence) = _accounts[signer.Bech32];
        _accounts[signer.Bech32] = (number, sequence + 1);
        return tx.WithFee(Denom, 0, gas).Sign(signer, Workload.ChainId, number, sequence).ToByteString();
    }
}
