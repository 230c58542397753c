using DePinChain.App;
using DePinChain.Crypto;
using DePinChain.Modules.Coverage.Poc;
using DePinChain.Modules.Devices.Geo;
using DePinChain.Modules.Devices.Tests;
using DePinChain.Protos.Depin.Coverage.V1;
using DePinChain.Sdk;
using Google.Protobuf;

namespace DePinChain.Modules.Coverage.Tests;

public class CoverageModuleTests
{
    private const long EpochBlocks = 10;
    private static readonly GeoPoint Berlin = new(52_520_008, 13_404_954);
    private readonly SimWorld _world;
    private readonly SimDevice _a, _b, _c;

    public CoverageModuleTests()
    {
        _world = new SimWorld(1, epochBlocks: EpochBlocks);
        _a = _world.NewDevice(Berlin);
        _b = _world.NewDevice(Reports.Offset(Berlin, 3_000, 0));
        _c = _world.NewDevice(Reports.Offset(Berlin, 0, 5_000));
        foreach (var d in new[] { _a, _b, _c }) _world.OnboardAndLocate(d);
        _world.NextBlock();
    }

    private ModuleChain Chain => _world.Chain;

    private void AssertFails(IMessage msg, uint code, string codespace = CoverageErrors.Codespace)
    {
        var before = Chain.Snapshot();
        var (actual, space, log, _) = Chain.Execute(msg);
        Assert.True((code, codespace) == (actual, space), $"expected {codespace}/{code}, got {space}/{actual}: {log}");
        Assert.Equal(before, Chain.Snapshot());
    }

    [Fact]
    public void An_honest_report_is_stored_with_every_witness_verdict_and_earns_units()
    {
        var beacon = _world.Beacon(_a);
        var response = (MsgSubmitPocResponse)Chain.ExecuteOk(SimWorld.Submit(beacon, _world.Witness(beacon, _a, _b), _world.Witness(beacon, _a, _c)));
        Assert.Equal((0u, 2u, RewardUnits.Scale / 2), (response.BeaconVerdict, response.SelectedWitnesses, response.BeaconUnits));

        var epoch = (ulong)(Chain.Height / EpochBlocks);
        var stored = Assert.Single(_world.Reports(_b, epoch));
        Assert.Equal(_a.Key, stored.BeaconerKey.ToByteArray());
        Assert.All(stored.Witnesses, w => Assert.Equal(("Valid", RewardUnits.Scale), (w.VerdictName, w.Units)));
        Assert.Single(_world.Reports(_a, epoch));

        var units = _world.Units(epoch);
        Assert.Equal(units.Select(u => Convert.ToHexString(u.DeviceKey.Span)).Order(StringComparer.Ordinal), units.Select(u => Convert.ToHexString(u.DeviceKey.Span)));
        Assert.Equal(RewardUnits.Scale / 2, units.Single(u => u.DeviceKey.Span.SequenceEqual(_a.Key)).BeaconUnits);
        Assert.Equal(RewardUnits.Scale, units.Single(u => u.DeviceKey.Span.SequenceEqual(_c.Key)).WitnessUnits);

        var bridge = new CoverageUnitsBridge(_world.Coverage.Keeper, new DevicesBridge(_world.Devices.Keeper));
        var page = bridge.EpochUnitsPage(Chain.Context(), (long)epoch, null, 1_000);
        var rewards = page.Items;
        Assert.Null(page.Bound);
        Assert.Equal(3, rewards.Count);
        Assert.Equal(_b.Owner, rewards.Single(r => r.DeviceKey.SequenceEqual(_b.Key)).Owner);
        // What the lazy payout reads: the epoch's totals kept as reports are recorded, one device at a time, pages of one.
        Assert.Equal(((ulong)units.Sum(u => u.BeaconUnits), (ulong)units.Sum(u => u.WitnessUnits)), bridge.EpochTotals(Chain.Context(), (long)epoch));
        foreach (var r in rewards)
        {
            var single = bridge.DeviceUnits(Chain.Context(), (long)epoch, r.DeviceKey)!;
            Assert.Equal((Convert.ToHexString(r.Owner), r.BeaconUnits, r.WitnessUnits, r.DensityScale), (Convert.ToHexString(single.Owner), single.BeaconUnits, single.WitnessUnits, single.DensityScale));
        }
        var one = bridge.EpochUnitsPage(Chain.Context(), (long)epoch, rewards[0].DeviceKey, 1);
        Assert.Equal(rewards[1].DeviceKey, Assert.Single(one.Items).DeviceKey);
        Assert.Equal(rewards[1].DeviceKey, one.Bound);
    }

    [Fact]
    public void A_rejected_report_fails_with_its_code_and_changes_nothing()
    {
        var beacon = _world.Beacon(_a);
        var signature = beacon.Signature.ToByteArray();
        signature[3] ^= 1;
        beacon.Signature = ByteString.CopyFrom(signature);
        AssertFails(SimWorld.Submit(beacon, _world.Witness(beacon, _a, _b)), (uint)PocVerdict.BeaconSignatureInvalid);
    }

    [Fact]
    public void Malformed_and_oversized_reports_and_zero_frequency_get_codes_and_change_nothing()
    {
        AssertFails(new MsgSubmitPoc { Submitter = Bech32Address.ToBech32(SimWorld.Submitter) }, (uint)PocVerdict.MalformedReport);
        var beacon = _world.Beacon(_a);
        var one = _world.Witness(beacon, _a, _b);
        AssertFails(SimWorld.Submit(beacon, [.. Enumerable.Repeat(one, 65)]), (uint)PocVerdict.TooManyWitnesses);
        AssertFails(SimWorld.Submit(beacon, [.. Enumerable.Repeat(one, 1_001)]), (uint)PocVerdict.TooManyWitnesses);
        AssertFails(SimWorld.Submit(_world.Beacon(_a, tamper: b => b.FrequencyHz = 0), one), (uint)PocVerdict.InvalidFrequency);
        AssertFails(SimWorld.Submit(_world.Beacon(_a, tamper: b => b.Payload = ByteString.CopyFrom(new byte[7]))), (uint)PocVerdict.MalformedReport);
        AssertFails(SimWorld.Submit(beacon, _world.Witness(beacon, _a, _b, w => w.FrequencyHz = 0)), (uint)PocVerdict.InvalidFrequency);
        AssertFails(new MsgSubmitPoc { Submitter = "not-an-address", Beacon = beacon }, SdkErrors.InvalidAddressCode, SdkErrors.RootCodespace);
    }

    [Fact]
    public void A_beacon_from_the_pole_has_no_plan_and_a_witness_across_the_antimeridian_is_another_region()
    {
        var pole = _world.NewDevice(new GeoPoint(90_000_000, 180_000_000));
        var fijiWest = _world.NewDevice(new GeoPoint(-17_700_000, 179_950_000));
        var fijiEast = _world.NewDevice(new GeoPoint(-17_700_000, -179_950_000));
        foreach (var d in new[] { pole, fijiWest, fijiEast }) _world.OnboardAndLocate(d);
        AssertFails(SimWorld.Submit(_world.Beacon(pole)), (uint)PocVerdict.FrequencyOutsidePlan);

        var beacon = _world.Beacon(fijiWest, tamper: b => b.FrequencyHz = 920_000_000);
        var response = Chain.ExecuteOk(SimWorld.Submit(beacon, _world.Witness(beacon, fijiWest, fijiEast, w => w.FrequencyHz = 920_000_000)));
        Assert.NotNull(response);
        var witness = Assert.Single(Assert.Single(_world.Reports(fijiWest, (ulong)(Chain.Height / EpochBlocks))).Witnesses);
        Assert.Equal((uint)PocVerdict.RegionMismatch, witness.Verdict);
    }

    [Fact]
    public void Only_the_authority_deny_lists_with_a_public_reason_and_lifting_restores()
    {
        var entry = new MsgDenyList { Authority = Bech32Address.ToBech32(SimWorld.Submitter), DeviceKey = ByteString.CopyFrom(_a.Key), Reason = "spoofed GPS", EvidenceHash = ByteString.CopyFrom(Hashes.Sha256("evidence"u8)) };
        AssertFails(entry, CoverageErrors.InvalidAuthorityCode, CoverageErrors.Codespace);
        entry.Authority = SimWorld.AuthorityText;
        AssertFails(new MsgDenyList(entry) { Reason = "" }, 50);
        Chain.ExecuteOk(entry);
        AssertFails(entry, 51);
        var list = Chain.Query("/depin.coverage.v1.Query/DenyList", new QueryDenyListRequest(), QueryDenyListResponse.Parser);
        Assert.Equal("spoofed GPS", Assert.Single(list.Entries).Reason);

        AssertFails(SimWorld.Submit(_world.Beacon(_a)), (uint)PocVerdict.BeaconerDenyListed);
        Chain.ExecuteOk(new MsgLiftDenyList { Authority = SimWorld.AuthorityText, DeviceKey = ByteString.CopyFrom(_a.Key), Reason = "appeal upheld" });
        AssertFails(new MsgLiftDenyList { Authority = SimWorld.AuthorityText, DeviceKey = ByteString.CopyFrom(_a.Key), Reason = "again" }, 52);
        Chain.ExecuteOk(SimWorld.Submit(_world.Beacon(_a)));
    }

    [Fact]
    public void A_deny_listed_pair_only_loses_that_pairing()
    {
        Chain.ExecuteOk(new MsgDenyList { Authority = SimWorld.AuthorityText, DeviceKey = ByteString.CopyFrom(_b.Key), PairedDeviceKey = ByteString.CopyFrom(_a.Key), Reason = "colluding pair" });
        var beacon = _world.Beacon(_a);
        Chain.ExecuteOk(SimWorld.Submit(beacon, _world.Witness(beacon, _a, _b), _world.Witness(beacon, _a, _c)));
        var report = Assert.Single(_world.Reports(_a, (ulong)(Chain.Height / EpochBlocks)));
        Assert.Equal([(uint)PocVerdict.PairDenyListed, (uint)PocVerdict.Valid], report.Witnesses.Select(w => w.Verdict));
    }

    [Fact]
    public void Lifting_one_pair_entry_keeps_the_devices_other_pairings_denied()
    {
        DenyPair(_b, _a, "colluding pair");
        DenyPair(_b, _c, "second colluding pair");
        Chain.ExecuteOk(new MsgLiftDenyList { Authority = SimWorld.AuthorityText, DeviceKey = ByteString.CopyFrom(_a.Key), PairedDeviceKey = ByteString.CopyFrom(_b.Key), Reason = "appeal upheld" });

        var fromA = _world.Beacon(_a);
        Chain.ExecuteOk(SimWorld.Submit(fromA, _world.Witness(fromA, _a, _b), _world.Witness(fromA, _a, _c)));
        var fromC = _world.Beacon(_c);
        Chain.ExecuteOk(SimWorld.Submit(fromC, _world.Witness(fromC, _c, _b), _world.Witness(fromC, _c, _a)));
        var epoch = (ulong)(Chain.Height / EpochBlocks);
        Assert.Equal([(uint)PocVerdict.Valid, (uint)PocVerdict.Valid], Assert.Single(_world.Reports(_a, epoch), r => r.BeaconerKey.Span.SequenceEqual(_a.Key)).Witnesses.Select(w => w.Verdict));
        Assert.Equal([(uint)PocVerdict.PairDenyListed, (uint)PocVerdict.Valid], Assert.Single(_world.Reports(_c, epoch), r => r.BeaconerKey.Span.SequenceEqual(_c.Key)).Witnesses.Select(w => w.Verdict));
    }

    private void DenyPair(SimDevice x, SimDevice y, string reason) =>
        Chain.ExecuteOk(new MsgDenyList { Authority = SimWorld.AuthorityText, DeviceKey = ByteString.CopyFrom(x.Key), PairedDeviceKey = ByteString.CopyFrom(y.Key), Reason = reason });

    [Fact]
    public void Stored_reports_carry_codes_and_the_query_names_them()
    {
        var beacon = _world.Beacon(_a);
        Chain.ExecuteOk(SimWorld.Submit(beacon, _world.Witness(beacon, _a, _b), _world.Witness(beacon, _a, _b)));
        var exported = CoverageGenesis.Json.Parse(Chain.ExportGenesis("coverage")).Reports.Single();
        Assert.Equal(("", ""), (exported.BeaconVerdictName, exported.Witnesses[1].VerdictName));
        var queried = Assert.Single(_world.Reports(_a, (ulong)(Chain.Height / EpochBlocks)));
        Assert.Equal(("Valid", "Valid", "DuplicateWitness"), (queried.BeaconVerdictName, queried.Witnesses[0].VerdictName, queried.Witnesses[1].VerdictName));
        Assert.Contains("already listed", queried.Witnesses[1].Reason);
    }

    [Fact]
    public void A_ledger_moves_out_of_the_activity_record_when_its_device_is_next_active_and_old_epochs_are_pruned_a_bounded_batch_per_block()
    {
        var world = new SimWorld(2, p => { p.ReportRetentionEpochs = 2; p.MaxPrunedReportsPerBlock = 1; }, epochBlocks: EpochBlocks);
        var devices = new[] { Berlin, Reports.Offset(Berlin, 3_000, 0), Reports.Offset(Berlin, 0, 5_000) }.Select(p => world.NewDevice(p)).ToArray();
        foreach (var d in devices) world.OnboardAndLocate(d);
        world.NextBlock();
        var chain = world.Chain;
        while (chain.Height % EpochBlocks >= EpochBlocks - 2) world.NextBlock(); // two blocks of one epoch ahead
        var epoch = (ulong)(chain.Height / EpochBlocks);
        void Report(SimDevice beaconer, SimDevice witness)
        {
            var beacon = world.Beacon(beaconer);
            chain.ExecuteOk(SimWorld.Submit(beacon, world.Witness(beacon, beaconer, witness)));
            world.NextBlock(); // one report per block: pruning goes oldest first
        }
        Report(devices[0], devices[1]);
        Report(devices[1], devices[2]);
        Assert.Equal(epoch, (ulong)((chain.Height - 1) / EpochBlocks));
        int Archived() => CoverageGenesis.Json.Parse(chain.ExportGenesis("coverage")).ArchivedLedgers.Count;
        Assert.Equal(0, Archived());
        Assert.Equal(3, world.Units(epoch).Count);
        Assert.Equal(2, world.Reports(devices[1], epoch).Count);

        // Epoch e + 1: devices 2 and 0 take part again; their epoch-e ledgers move to the archive and still answer.
        while ((ulong)(chain.Height / EpochBlocks) < epoch + 1) world.NextBlock();
        Report(devices[2], devices[0]);
        Assert.Equal(2, Archived());
        Assert.Equal((3, 4u), (world.Units(epoch).Count, (uint)world.Units(epoch).Sum(u => u.Beacons + u.Witnesses)));
        Assert.Single(world.Reports(devices[0], epoch));
        Assert.Single(world.Reports(devices[0], epoch + 1));
        Assert.Equal(2, world.Units(epoch + 1).Count);

        // Epoch e + 2: e is past the retention; each block prunes one report and one archived ledger, oldest first.
        while ((ulong)(chain.Height / EpochBlocks) < epoch + 2) world.NextBlock();
        Assert.Equal(3, CoverageGenesis.Json.Parse(chain.ExportGenesis("coverage")).Reports.Count);
        world.NextBlock();
        var left = CoverageGenesis.Json.Parse(chain.ExportGenesis("coverage"));
        Assert.Equal([devices[1].Key, devices[2].Key], left.Reports.Select(r => r.BeaconerKey.ToByteArray()));
        Assert.Equal(1, Archived());
        Assert.Empty(world.Units(epoch)); // expired epochs are not answered, pruned or not
        Assert.Empty(world.Reports(devices[1], epoch));

        world.NextBlock();
        world.NextBlock();
        left = CoverageGenesis.Json.Parse(chain.ExportGenesis("coverage"));
        Assert.Equal(devices[2].Key, Assert.Single(left.Reports).BeaconerKey.ToByteArray());
        Assert.Equal(0, Archived());
        Assert.Equal(2, world.Units(epoch + 1).Count);
    }

    [Fact]
    public void A_device_in_two_reports_of_one_block_finds_both_once_each_in_key_order()
    {
        var epoch = (ulong)(Chain.Height / EpochBlocks);
        foreach (var beaconer in new[] { _c, _a })
        {
            var beacon = _world.Beacon(beaconer);
            Chain.ExecuteOk(SimWorld.Submit(beacon, _world.Witness(beacon, beaconer, _b), _world.Witness(beacon, beaconer, _b)));
        }
        var reports = _world.Reports(_b, epoch);
        Assert.Equal(new[] { _a.Key, _c.Key }.Select(Convert.ToHexString).Order(StringComparer.Ordinal), reports.Select(r => Convert.ToHexString(r.BeaconerKey.Span)));
        Assert.Single(_world.Reports(_a, epoch));
        var units = Assert.Single(_world.Units(epoch), u => u.DeviceKey.Span.SequenceEqual(_b.Key));
        Assert.Equal((2u, 0u), (units.Witnesses, units.Beacons)); // the duplicate listing earns nothing and is not a second participation
    }

    [Fact]
    public void A_report_is_stored_once_and_each_participant_writes_one_activity_record()
    {
        var beacon = _world.Beacon(_a);
        Chain.ExecuteOk(SimWorld.Submit(beacon, _world.Witness(beacon, _a, _b), _world.Witness(beacon, _a, _c)));
        var store = Chain.Context().KVStore(CoverageKeys.ModuleName);
        var report = Assert.Single(store.Iterate([0x06], [0x07]));
        Assert.Equal(3, store.Iterate([0x03], [0x04]).Count());
        Assert.Empty(store.Iterate([0x07], [0x09])); // the retired per-participant index and per-epoch units prefixes stay empty
        var stored = Protos.Depin.Coverage.V1.StoredReport.Parser.ParseFrom(report.Value);
        Assert.True(stored.BeaconerKey.IsEmpty && stored.Beacon.Signature.IsEmpty && stored.Beacon.Payload.IsEmpty, "key fields and the signed payload are not stored");
        Assert.All(stored.Witnesses, w => Assert.Equal(0, w.Units));

        var queried = Assert.Single(_world.Reports(_c, (ulong)(Chain.Height / EpochBlocks)));
        Assert.Equal(_a.Key, queried.BeaconerKey.ToByteArray());
        Assert.Equal(_a.Key, queried.Beacon.BeaconerKey.ToByteArray());
        Assert.All(queried.Witnesses, w => Assert.Equal(stored.WitnessUnits, w.Units));
        Assert.True(stored.WitnessUnits > 0);
    }

    [Fact]
    public void Block_hashes_are_kept_for_the_entropy_window_only()
    {
        var keeper = _world.Coverage.Keeper;
        var window = keeper.GetParams(Chain.Context()).EntropyWindowBlocks;
        for (var i = 0; i < window + 5; i++) _world.NextBlock();
        var top = Chain.Height - 1;
        Assert.Equal(ModuleChain.BlockHashOf(top), keeper.GetBlockHash(Chain.Context(), top));
        Assert.NotNull(keeper.GetBlockHash(Chain.Context(), top - window));
        Assert.Null(keeper.GetBlockHash(Chain.Context(), top - window - 1));
        AssertFails(SimWorld.Submit(_world.Beacon(_a, entropyHeight: top - window - 1)), (uint)PocVerdict.EntropyOutsideWindow);
    }

    [Fact]
    public void Crowded_cells_earn_scaled_units_from_the_first_block_of_the_next_epoch_on()
    {
        var crowd = Enumerable.Range(0, 3).Select(i => _world.NewDevice(Reports.Offset(Berlin, 20_000, 10 * i))).ToArray();
        foreach (var d in crowd) _world.OnboardAndLocate(d);
        if (Chain.Height % EpochBlocks == EpochBlocks - 1) _world.NextBlock(); // room for a block before the boundary

        // Still the epoch the crowd arrived in: its cell's scale is the one computed at the epoch's start (1.0).
        var before = _world.Beacon(crowd[1]);
        var unscaled = (MsgSubmitPocResponse)Chain.ExecuteOk(SimWorld.Submit(before, _world.Witness(before, crowd[1], _a), _world.Witness(before, crowd[1], _b)));
        Assert.Equal(RewardUnits.Scale / 2, unscaled.BeaconUnits);
        Assert.Equal(RewardUnits.Scale, Assert.Single(_world.Reports(crowd[1], (ulong)(Chain.Height / EpochBlocks))).DensityScale);

        while (Chain.Height % EpochBlocks != 0) _world.NextBlock(); // the next epoch's first block: density recomputed before its txs
        var beacon = _world.Beacon(crowd[0]);
        var response = (MsgSubmitPocResponse)Chain.ExecuteOk(SimWorld.Submit(beacon, _world.Witness(beacon, crowd[0], _a), _world.Witness(beacon, crowd[0], _b)));
        Assert.Equal(RewardUnits.ApplyScale(RewardUnits.Scale / 2, RewardUnits.Scale / 3), response.BeaconUnits);
        var report = Assert.Single(_world.Reports(crowd[0], (ulong)(Chain.Height / EpochBlocks)));
        Assert.Equal(RewardUnits.Scale / 3, report.DensityScale);
        Assert.All(report.Witnesses, w => Assert.Equal(RewardUnits.Scale / 3, w.Units));
    }

    [Fact]
    public void Genesis_export_of_an_import_is_the_same_document()
    {
        var beacon = _world.Beacon(_a);
        var epoch = (ulong)(Chain.Height / EpochBlocks);
        Chain.ExecuteOk(SimWorld.Submit(beacon, _world.Witness(beacon, _a, _b), _world.Witness(beacon, _a, _c)));
        Chain.ExecuteOk(new MsgDenyList { Authority = SimWorld.AuthorityText, DeviceKey = ByteString.CopyFrom(_c.Key), Reason = "test" });
        while (Chain.Height % EpochBlocks != 1) _world.NextBlock();
        // Next epoch: a and b take part again, so their ledgers of the first epoch are archived; c's stays in its record.
        var second = _world.Beacon(_b);
        Chain.ExecuteOk(SimWorld.Submit(second, _world.Witness(second, _b, _a)));
        _world.NextBlock();
        var devices = Chain.ExportGenesis("devices");
        var coverage = Chain.ExportGenesis("coverage");
        Assert.Equal(2, CoverageGenesis.Json.Parse(coverage).ArchivedLedgers.Count);
        var copy = new SimWorld(1, devicesGenesis: devices, coverageGenesis: coverage);
        Assert.Equal(devices, copy.Chain.ExportGenesis("devices"));
        Assert.Equal(coverage, copy.Chain.ExportGenesis("coverage"));
        Assert.Single(copy.Reports(_b, epoch));
        Assert.Single(copy.Reports(_c, epoch));
        Assert.Single(copy.Reports(_a, epoch + 1));
        Assert.Equal(_world.Units(epoch), copy.Units(epoch));
        Assert.Equal(_world.Units(epoch + 1), copy.Units(epoch + 1));
    }

    [Fact]
    public void A_genesis_with_two_ledgers_for_one_device_and_epoch_is_refused()
    {
        var beacon = _world.Beacon(_a);
        Chain.ExecuteOk(SimWorld.Submit(beacon, _world.Witness(beacon, _a, _b)));
        var g = CoverageGenesis.Json.Parse(Chain.ExportGenesis("coverage"));
        var current = g.Activity.First(a => a.Ledger is not null);
        var archived = current.Ledger.Clone();
        archived.DeviceKey = current.DeviceKey;
        g.ArchivedLedgers.Add(archived);
        Assert.Contains("two ledgers", Assert.Throws<SdkError>(() => _world.Coverage.ValidateGenesis(CoverageGenesis.Json.Format(g))).Message);
    }

    [Fact]
    public void Invalid_coverage_genesis_is_refused_with_a_reason()
    {
        var g = CoverageGenesis.Json.Parse(Chain.ExportGenesis("coverage"));
        g.Params.BeaconIntervalBlocks = 0;
        Assert.Contains("beacon interval", Assert.Throws<SdkError>(() => _world.Coverage.ValidateGenesis(CoverageGenesis.Json.Format(g))).Message);
        // Epochs are the chain's (mint's): a genesis that still sets coverage's own epoch length is refused, not ignored.
        var withEpoch = Chain.ExportGenesis("coverage").Replace("\"entropy_window_blocks\"", "\"epoch_blocks\": \"720\", \"entropy_window_blocks\"");
        Assert.Contains("epoch_blocks", Assert.Throws<SdkError>(() => _world.Coverage.ValidateGenesis(withEpoch)).Message);
        g = CoverageGenesis.Json.Parse(Chain.ExportGenesis("coverage"));
        g.Params.DensityLevels.RemoveAt(6);
        Assert.Throws<SdkError>(() => _world.Coverage.ValidateGenesis(CoverageGenesis.Json.Format(g)));
    }
}
