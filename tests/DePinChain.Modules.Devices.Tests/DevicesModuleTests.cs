using DePinChain.Crypto;
using DePinChain.Modules.Devices.Geo;
using DePinChain.Protos.Cosmos.Base.Query.V1Beta1;
using DePinChain.Protos.Depin.Devices.V1;
using DePinChain.Sdk;
using Google.Protobuf;
using ProtoCoin = DePinChain.Protos.Cosmos.Base.V1Beta1.Coin;
using ProtoMode = DePinChain.Protos.Depin.Devices.V1.DeviceMode;
using ProtoRegion = DePinChain.Protos.Depin.Devices.V1.Region;
using ProtoStatus = DePinChain.Protos.Depin.Devices.V1.DeviceStatus;

namespace DePinChain.Modules.Devices.Tests;

public class DevicesModuleTests
{
    private const string ChainId = "depin-devices-test";
    private static readonly byte[] Authority = Enumerable.Repeat((byte)0xA1, 20).ToArray();
    private static readonly byte[] FeePayer = Enumerable.Repeat((byte)0xFE, 20).ToArray();
    private static readonly byte[] Alice = Enumerable.Repeat((byte)0x01, 20).ToArray();
    private static readonly byte[] Bob = Enumerable.Repeat((byte)0x02, 20).ToArray();
    private static readonly byte[] MakerSecret = Hashes.Sha256("maker"u8);
    private static readonly string A = Bech32Address.ToBech32(Authority), AliceText = Bech32Address.ToBech32(Alice), BobText = Bech32Address.ToBech32(Bob);

    private readonly ModuleChain _chain;
    private readonly DevicesModule _devices;

    public DevicesModuleTests()
    {
        DevicesModule? devices = null;
        var p = DevicesKeeper.DefaultParams();
        p.Authority = A;
        p.OnboardingFeeFull.Add(new ProtoCoin { Denom = ModuleChain.Denom, Amount = "400" });
        p.OnboardingFeeDataOnly.Add(new ProtoCoin { Denom = ModuleChain.Denom, Amount = "100" });
        p.LocationFee.Add(new ProtoCoin { Denom = ModuleChain.Denom, Amount = "10" });
        var genesis = DevicesGenesis.Json.Format(new GenesisState { Params = p });
        _chain = new ModuleChain(ChainId, [(FeePayer, 10_000), (Alice, 1_000)],
            bank => [devices = new DevicesModule(new DevicesKeeper(bank))], new Dictionary<string, string> { ["devices"] = genesis });
        _devices = devices!;
        _chain.ExecuteOk(AddMaker("acme"));
    }

    private static MsgAddMaker AddMaker(string name, string? authority = null) => new()
    {
        Authority = authority ?? A, Name = name, Key = ByteString.CopyFrom(Secp256k1.GetPublicKey(MakerSecret)),
        KeyType = KeyType.Secp256K1, FeePayer = Bech32Address.ToBech32(FeePayer),
    };

    private static (byte[] Secret, byte[] Key) DeviceKeys(string name, KeyType type = KeyType.Secp256K1)
    {
        var secret = Hashes.Sha256(System.Text.Encoding.UTF8.GetBytes(name));
        return (secret, type == KeyType.Secp256K1 ? Secp256k1.GetPublicKey(secret) : Ed25519.PublicKeyFromSeed(secret));
    }

    private static byte[] Sign(KeyType type, byte[] secret, byte[] message) =>
        type == KeyType.Secp256K1 ? Secp256k1.SignMessage(secret, message) : Ed25519.Sign(secret, message);

    private static MsgOnboardDevice Onboard(string name, byte[] owner, KeyType type = KeyType.Secp256K1, ProtoMode mode = ProtoMode.Full, string maker = "acme")
    {
        var (secret, key) = DeviceKeys(name, type);
        var signBytes = DeviceSignatures.OnboardingSignBytes(ChainId, type, key, owner, mode);
        return new MsgOnboardDevice
        {
            Owner = Bech32Address.ToBech32(owner), DeviceKey = ByteString.CopyFrom(key), KeyType = type, Mode = mode, Maker = maker,
            DeviceSignature = ByteString.CopyFrom(Sign(type, secret, signBytes)),
            MakerSignature = ByteString.CopyFrom(Secp256k1.SignMessage(MakerSecret, signBytes)),
        };
    }

    private static MsgAssertLocation Locate(string name, int lat, int lon, ulong nonce = 1, string? owner = null) => new()
    {
        Owner = owner ?? AliceText, DeviceKey = ByteString.CopyFrom(DeviceKeys(name).Key), LatitudeMicro = lat, LongitudeMicro = lon,
        AntennaGainTenthsDbi = 30, ElevationMetres = 12, Nonce = nonce,
    };

    private Device DeviceOf(string name, KeyType type = KeyType.Secp256K1) =>
        _devices.Keeper.GetDeviceRecord(_chain.Context(), DeviceKeys(name, type).Key)!;

    private void AssertFails(Google.Protobuf.IMessage msg, uint code, string codespace = DevicesErrors.Codespace)
    {
        var before = _chain.Snapshot();
        var (actual, space, log, _) = _chain.Execute(msg);
        Assert.True((code, codespace) == (actual, space), $"expected {codespace}/{code}, got {space}/{actual}: {log}");
        Assert.Equal(before, _chain.Snapshot());
    }

    [Fact]
    public void Onboarding_with_all_three_signatures_registers_the_device_and_burns_the_fee()
    {
        var supply = _chain.Supply();
        _chain.ExecuteOk(Onboard("d1", Alice));
        _chain.ExecuteOk(Onboard("d2", Alice, KeyType.Ed25519, ProtoMode.DataOnly));
        Assert.Equal(ProtoStatus.Active, DeviceOf("d1").Status);
        Assert.Equal(ProtoMode.DataOnly, DeviceOf("d2", KeyType.Ed25519).Mode);
        Assert.Equal(10_000 - 500, _chain.Balance(FeePayer));
        Assert.Equal(supply - 500, _chain.Supply());
    }

    [Fact]
    public void Only_the_authority_adds_and_revokes_makers()
    {
        AssertFails(AddMaker("other", AliceText), DevicesErrors.InvalidAuthorityCode, DevicesErrors.Codespace);
        AssertFails(AddMaker("acme"), 3);
        AssertFails(new MsgRevokeMaker { Authority = AliceText, Name = "acme" }, DevicesErrors.InvalidAuthorityCode, DevicesErrors.Codespace);
        AssertFails(AddMaker("Bad Name!"), 2);
    }

    [Fact]
    public void A_revoked_maker_cannot_onboard_but_its_devices_stay()
    {
        _chain.ExecuteOk(Onboard("d1", Alice));
        _chain.ExecuteOk(new MsgRevokeMaker { Authority = A, Name = "acme" });
        AssertFails(Onboard("d2", Alice), 5);
        Assert.Equal(ProtoStatus.Active, DeviceOf("d1").Status);
        var makers = _chain.Query("/depin.devices.v1.Query/Makers", new QueryMakersRequest(), QueryMakersResponse.Parser);
        Assert.False(makers.Makers.Single().Active);
    }

    [Fact]
    public void Each_forged_signature_is_refused_with_its_own_code()
    {
        var badDevice = Onboard("d1", Alice);
        badDevice.DeviceSignature = ByteString.CopyFrom(Onboard("other", Alice).DeviceSignature.Span);
        AssertFails(badDevice, 9);
        var badMaker = Onboard("d1", Alice);
        var bytes = badMaker.MakerSignature.ToByteArray();
        bytes[10] ^= 1;
        badMaker.MakerSignature = ByteString.CopyFrom(bytes);
        AssertFails(badMaker, 10);
        // Signed for Alice, submitted for Bob: the owner is part of the sign bytes.
        var stolen = Onboard("d1", Alice);
        stolen.Owner = BobText;
        AssertFails(stolen, 9);
    }

    [Fact]
    public void A_device_key_is_onboarded_once_even_after_decommissioning()
    {
        _chain.ExecuteOk(Onboard("d1", Alice));
        AssertFails(Onboard("d1", Alice), 7);
        _chain.ExecuteOk(new MsgDecommissionDevice { Owner = AliceText, DeviceKey = DeviceOf("d1").Key });
        AssertFails(Onboard("d1", Alice), 7);
    }

    [Fact]
    public void Without_funds_for_the_fee_onboarding_fails_and_changes_nothing()
    {
        var p = _devices.Keeper.GetParams(_chain.Context());
        p.OnboardingFeeFull[0].Amount = "1000000";
        _devices.Keeper.SetParams(_chain.Context(), p);
        AssertFails(Onboard("d1", Alice), SdkErrors.InsufficientFundsCode, SdkErrors.RootCodespace);
    }

    [Fact]
    public void Location_needs_the_next_nonce_and_charges_only_when_it_changes()
    {
        _chain.ExecuteOk(Onboard("d1", Alice));
        AssertFails(Locate("d1", 52_520_008, 13_404_954, nonce: 2), 15);
        var first = (MsgAssertLocationResponse)_chain.ExecuteOk(Locate("d1", 52_520_008, 13_404_954));
        Assert.Equal((ProtoRegion.Eu868, true), (first.Region, first.FeeCharged));
        Assert.Equal(990, _chain.Balance(Alice));
        var sameSpot = Locate("d1", 52_520_008, 13_404_954, nonce: 2);
        sameSpot.AntennaGainTenthsDbi = 50;
        Assert.False(((MsgAssertLocationResponse)_chain.ExecuteOk(sameSpot)).FeeCharged);
        Assert.Equal(990, _chain.Balance(Alice));
        _chain.ExecuteOk(Locate("d1", 40_712_776, -74_005_974, nonce: 3));
        Assert.Equal(980, _chain.Balance(Alice));
        Assert.Equal(ProtoRegion.Us915, DeviceOf("d1").Location.Region);
        AssertFails(Locate("d1", 40_712_776, -74_005_974, nonce: 3), 15);
    }

    [Fact]
    public void Bad_locations_are_refused_with_codes()
    {
        _chain.ExecuteOk(Onboard("d1", Alice));
        AssertFails(Locate("d1", 90_000_001, 0), 14);
        AssertFails(Locate("d1", 0, -180_000_001), 14);
        var loud = Locate("d1", 1, 1);
        loud.AntennaGainTenthsDbi = 151;
        AssertFails(loud, 16);
        var wrongRegion = Locate("d1", 52_520_008, 13_404_954);
        wrongRegion.Region = ProtoRegion.Us915;
        AssertFails(wrongRegion, 17);
        AssertFails(Locate("d1", 1, 1, owner: BobText), 12);
        AssertFails(Locate("nobody", 1, 1), 8);
    }

    [Fact]
    public void Poles_and_the_antimeridian_are_valid_locations()
    {
        _chain.ExecuteOk(Onboard("d1", Alice));
        _chain.ExecuteOk(Locate("d1", 90_000_000, 180_000_000));
        _chain.ExecuteOk(Locate("d1", -90_000_000, -180_000_000, nonce: 2));
        Assert.Equal(ProtoRegion.Unknown, DeviceOf("d1").Location.Region);
    }

    [Fact]
    public void Transfer_moves_the_device_between_owners()
    {
        _chain.ExecuteOk(Onboard("d1", Alice));
        AssertFails(new MsgTransferDevice { Owner = BobText, DeviceKey = DeviceOf("d1").Key, NewOwner = BobText }, 12);
        _chain.ExecuteOk(new MsgTransferDevice { Owner = AliceText, DeviceKey = DeviceOf("d1").Key, NewOwner = BobText });
        var bob = _chain.Query("/depin.devices.v1.Query/DevicesByOwner", new QueryDevicesByOwnerRequest { Owner = BobText }, QueryDevicesResponse.Parser);
        var alice = _chain.Query("/depin.devices.v1.Query/DevicesByOwner", new QueryDevicesByOwnerRequest { Owner = AliceText }, QueryDevicesResponse.Parser);
        Assert.Single(bob.Devices);
        Assert.Empty(alice.Devices);
    }

    [Fact]
    public void Devices_in_a_cell_are_the_active_located_ones_inside_it()
    {
        foreach (var (name, lat, lon) in new[] { ("berlin1", 52_520_008, 13_404_954), ("berlin2", 52_530_000, 13_410_000), ("paris", 48_856_613, 2_352_222) })
        {
            _chain.ExecuteOk(Onboard(name, Alice));
            _chain.ExecuteOk(Locate(name, lat, lon));
        }
        QueryDevicesResponse InCell(uint level) => _chain.Query("/depin.devices.v1.Query/DevicesInCell",
            new QueryDevicesInCellRequest { Level = level, LatitudeMicro = 52_520_008, LongitudeMicro = 13_404_954 }, QueryDevicesResponse.Parser);
        Assert.Equal(2, InCell(8).Devices.Count);
        Assert.Single(InCell(18).Devices);
        Assert.Equal(3, InCell(0).Devices.Count);
        _chain.ExecuteOk(new MsgDecommissionDevice { Owner = AliceText, DeviceKey = DeviceOf("berlin2").Key });
        Assert.Single(InCell(8).Devices);
    }

    [Fact]
    public void Genesis_export_of_an_import_is_the_same_document()
    {
        _chain.ExecuteOk(Onboard("d1", Alice));
        _chain.ExecuteOk(Onboard("d2", Alice, KeyType.Ed25519));
        _chain.ExecuteOk(Locate("d1", -33_868_820, 151_209_296));
        _chain.ExecuteOk(new MsgRevokeMaker { Authority = A, Name = "acme" });
        var exported = _chain.ExportGenesis("devices");
        DevicesModule? copy = null;
        var fresh = new ModuleChain(ChainId, [], bank => [copy = new DevicesModule(new DevicesKeeper(bank))], new Dictionary<string, string> { ["devices"] = exported });
        Assert.Equal(exported, fresh.ExportGenesis("devices"));
        Assert.Equal(ProtoRegion.Au915, copy!.Keeper.GetDeviceRecord(fresh.Context(), DeviceKeys("d1").Key)!.Location.Region);
    }

    [Fact]
    public void Invalid_genesis_is_refused_with_a_reason()
    {
        var g = DevicesGenesis.Json.Parse(_chain.ExportGenesis("devices"));
        g.Devices.Add(new Device { Key = ByteString.CopyFrom(new byte[5]), KeyType = KeyType.Secp256K1, Owner = AliceText, Maker = "acme", Mode = ProtoMode.Full, Status = ProtoStatus.Active });
        var error = Assert.Throws<SdkError>(() => _devices.ValidateGenesis(DevicesGenesis.Json.Format(g)));
        Assert.Contains("device key", error.Message);
        Assert.Throws<SdkError>(() => _devices.ValidateGenesis("{ not json"));
    }

    [Fact]
    public void Location_history_keeps_every_assertion_in_nonce_order_and_survives_genesis()
    {
        _chain.ExecuteOk(Onboard("d1", Alice));
        _chain.ExecuteOk(Locate("d1", 52_520_008, 13_404_954));
        _chain.ExecuteOk(Locate("d1", 40_712_776, -74_005_974, nonce: 2));
        var key = DeviceOf("d1").Key;
        QueryLocationHistoryResponse History(ModuleChain chain) => chain.Query("/depin.devices.v1.Query/LocationHistory",
            new QueryLocationHistoryRequest { Key = key }, QueryLocationHistoryResponse.Parser);
        var history = History(_chain);
        Assert.Equal([(52_520_008, 1UL), (40_712_776, 2UL)], history.Locations.Select(l => (l.LatitudeMicro, l.Nonce)));
        Assert.Equal(ProtoRegion.Us915, history.Locations[1].Region);

        var exported = _chain.ExportGenesis("devices");
        Assert.Equal(2, DevicesGenesis.Json.Parse(exported).LocationHistory.Count);
        var fresh = new ModuleChain(ChainId, [], bank => [new DevicesModule(new DevicesKeeper(bank))], new Dictionary<string, string> { ["devices"] = exported });
        Assert.Equal(history, History(fresh));

        // A document from before the history was kept: the current location is recorded at genesis.
        var old = DevicesGenesis.Json.Parse(exported);
        old.LocationHistory.Clear();
        var upgraded = new ModuleChain(ChainId, [], bank => [new DevicesModule(new DevicesKeeper(bank))],
            new Dictionary<string, string> { ["devices"] = DevicesGenesis.Json.Format(old) });
        Assert.Equal([2UL], History(upgraded).Locations.Select(l => l.Nonce));

        Assert.Throws<SdkError>(() => _chain.Query("/depin.devices.v1.Query/LocationHistory",
            new QueryLocationHistoryRequest { Key = ByteString.CopyFrom(new byte[33]) }, QueryLocationHistoryResponse.Parser));
    }

    [Fact]
    public void All_devices_pages_by_key_and_offset_with_decommissioned_and_unlocated_ones()
    {
        var names = Enumerable.Range(0, 7).Select(i => $"dev{i}").ToList();
        foreach (var name in names) _chain.ExecuteOk(Onboard(name, Alice));
        _chain.ExecuteOk(Locate("dev0", 1_000_000, 1_000_000));
        _chain.ExecuteOk(new MsgDecommissionDevice { Owner = AliceText, DeviceKey = DeviceOf("dev1").Key });
        var sorted = names.Select(n => DeviceOf(n).Key).OrderBy(k => Convert.ToHexString(k.Span), StringComparer.Ordinal).ToList();
        QueryAllDevicesResponse Page(PageRequest page) => _chain.Query("/depin.devices.v1.Query/AllDevices",
            new QueryAllDevicesRequest { Pagination = page }, QueryAllDevicesResponse.Parser);

        var seen = new List<ByteString>();
        var request = new PageRequest { Limit = 3 };
        while (true)
        {
            var page = Page(request);
            Assert.True(page.Devices.Count <= 3);
            seen.AddRange(page.Devices.Select(d => d.Key));
            if (page.Pagination.NextKey.IsEmpty) break;
            request = new PageRequest { Limit = 3, Key = page.Pagination.NextKey };
        }
        Assert.Equal(sorted, seen);

        var all = Page(new PageRequest { CountTotal = true });
        Assert.Equal(7UL, all.Pagination.Total);
        Assert.True(all.Pagination.NextKey.IsEmpty);
        Assert.Contains(all.Devices, d => d.Status == ProtoStatus.Decommissioned);
        Assert.Contains(all.Devices, d => d.Location is null);
        Assert.Equal(sorted.Skip(5), Page(new PageRequest { Offset = 5 }).Devices.Select(d => d.Key));
        Assert.Equal(sorted.AsEnumerable().Reverse().Take(2), Page(new PageRequest { Limit = 2, Reverse = true }).Devices.Select(d => d.Key));
        var error = Assert.Throws<SdkError>(() => Page(new PageRequest { Offset = 1, Key = sorted[0] }));
        Assert.Contains("either offset or key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Density_cells_count_the_active_located_devices_of_each_cell_with_its_bounds()
    {
        foreach (var (name, lat, lon) in new[] { ("berlin1", 52_520_008, 13_404_954), ("berlin2", 52_530_000, 13_410_000), ("paris", 48_856_613, 2_352_222), ("gone", 48_857_000, 2_353_000) })
        {
            _chain.ExecuteOk(Onboard(name, Alice));
            _chain.ExecuteOk(Locate(name, lat, lon));
        }
        _chain.ExecuteOk(new MsgDecommissionDevice { Owner = AliceText, DeviceKey = DeviceOf("gone").Key });
        QueryDensityCellsResponse Cells(uint level) => _chain.Query("/depin.devices.v1.Query/DensityCells",
            new QueryDensityCellsRequest { Level = level }, QueryDensityCellsResponse.Parser);
        var world = Assert.Single(Cells(0).Cells);
        Assert.Equal((3U, -90_000_000, -180_000_000, 90_000_000, 180_000_000), (world.Devices, world.SouthMicro, world.WestMicro, world.NorthMicro, world.EastMicro));
        var cells = Cells(8).Cells;
        Assert.Equal([1U, 2U], cells.Select(c => c.Devices).Order());
        foreach (var cell in cells)
        {
            var inside = cell.Devices == 2 ? (52_520_008, 13_404_954) : (48_856_613, 2_352_222);
            Assert.InRange(inside.Item1, cell.SouthMicro, cell.NorthMicro);
            Assert.InRange(inside.Item2, cell.WestMicro, cell.EastMicro);
            Assert.InRange(cell.EastMicro - cell.WestMicro, 360_000_000 / 256, 360_000_000 / 256 + 1);
        }
        Assert.Equal(3, Cells(18).Cells.Count);
        Assert.Throws<SdkError>(() => Cells(19));
    }
}
