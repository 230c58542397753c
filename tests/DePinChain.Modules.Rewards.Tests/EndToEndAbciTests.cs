using System.Numerics;
using System.Text.Json.Nodes;
using DePinChain.App;
using DePinChain.Crypto;
using DePinChain.Modules.Auth;
using DePinChain.Modules.Coverage.Tests;
using DePinChain.Modules.DataCredits;
using DePinChain.Modules.Devices.Geo;
using DePinChain.Modules.Mint;
using DePinChain.Protos.Depin.Coverage.V1;
using DePinChain.Protos.Depin.DataCredits.V1;
using DePinChain.Protos.Depin.Rewards.V1;
using DePinChain.Sdk;
using Google.Protobuf;
using BankProto = DePinChain.Protos.Cosmos.Bank.V1Beta1;
using CoverageProto = DePinChain.Protos.Depin.Coverage.V1;
using CreditsProto = DePinChain.Protos.Depin.DataCredits.V1;
using DevicesProto = DePinChain.Protos.Depin.Devices.V1;
using MintProto = DePinChain.Protos.Depin.Mint.V1;
using RewardsProto = DePinChain.Protos.Depin.Rewards.V1;

namespace DePinChain.Modules.Rewards.Tests;

/// <summary>
/// Issue 6's scenario through the real app and every real module (no fakes): signed txs in FinalizeBlock, begin and
/// end blockers in the app's order, Commit, and ABCI queries. The authority of every module is a key the test holds.
/// maker added → devices onboarded (owner, device and maker signatures) and located → signed beacons with witnesses
/// over several blocks → router registered, DC bought by burning udpin, traffic reported → epoch end. Each owner's
/// balance increase is then recomputed here, with the documented formula, from what the chain's queries say
/// (units, traffic, price, shares, emission), not from the rewards module's records.
/// </summary>
public class EndToEndAbciTests
{
    private const long EpochBlocks = 10;
    private const long Emission = 1_000_000;
    private const long MakerFee = 5;
    private const long DcPurchase = 3_000;
    private static readonly GeoPoint Berlin = new(52_520_008, 13_404_954);
    private static readonly byte[] CustomerSecret = Hashes.Sha256("e2e-customer"u8), RouterSecret = Hashes.Sha256("e2e-router"u8);
    private static readonly byte[] Customer = SimWorld.AddressOf(CustomerSecret), Router = SimWorld.AddressOf(RouterSecret);
    // Signers no validator reward sink knows (the app passes none to rewards, and they are no staking validators):
    // their shares go to the treasury.
    private static readonly byte[] SignerA = Enumerable.Repeat((byte)0x71, 20).ToArray(), SignerB = Enumerable.Repeat((byte)0x72, 20).ToArray();
    private static readonly byte[] Treasury = AuthKeys.ModuleAddress(RewardsKeys.TreasuryModuleName);
    private static readonly byte[] Pool = AuthKeys.ModuleAddress(RewardsKeys.ModuleName);

    private static string Bech(byte[] address) => Bech32Address.ToBech32(address);

    /// <summary>
    /// Sets the sim's key (which the test can sign with) as the genesis authority of mint, data credits and rewards: the
    /// same genesis param an operator sets with <c>depinchaind genesis set-authority</c>.
    /// </summary>
    private static void SetAuthorities(JsonObject state)
    {
        state["datacredits"] ??= JsonNode.Parse(DataCreditsGenesis.Json.Format(new CreditsProto.GenesisState { Params = DataCreditsKeeper.DefaultParams() }));
        state["rewards"] ??= JsonNode.Parse(RewardsGenesis.Json.Format(new RewardsProto.GenesisState { Params = RewardsKeeper.DefaultParams() }));
        foreach (var module in new[] { MintKeys.ModuleName, DataCreditsKeys.ModuleName, RewardsKeys.ModuleName })
            state[module]!["params"]!["authority"] = SimWorld.AuthorityText;
    }

    /// <summary>The app with the node's own wiring; mint's schedule and params as given, the sim's key as authority.</summary>
    private static AppSimChain NewChain(SimGenesis genesis, MintProto.Params? mintParams = null, Action<JsonObject>? edit = null)
        => new(genesis, modules: new AppModules(), editAppState: state =>
    {
        // The maker arrives by MsgAddMaker, not genesis.
        state["devices"]!["makers"] = new JsonArray();
        var schedule = MintKeeper.DefaultSchedule();
        schedule.EpochBlocks = genesis.EpochBlocks;
        schedule.InitialEpochEmission = Emission.ToString();
        state["mint"] = JsonNode.Parse(MintGenesis.Json.Format(new MintProto.GenesisState
        {
            Params = mintParams ?? new MintProto.Params { ReemissionShareBps = 0, MaxReemissionPerEpoch = "0" }, Schedule = schedule, Minter = MintKeeper.InitialMinter(),
        }));
        SetAuthorities(state);
        edit?.Invoke(state);
    });

    private static void FinishOk(AppSimChain chain)
    {
        var height = chain.Height;
        foreach (var (code, codespace, log) in chain.FinishBlock()) Assert.True(code == 0, $"block {height}: tx failed: {codespace}/{code}: {log}");
    }

    private static BigInteger Balance(AppSimChain chain, byte[] address) => BigInteger.Parse(chain.Query("/cosmos.bank.v1beta1.Query/Balance",
        new BankProto.QueryBalanceRequest { Address = Bech(address), Denom = "udpin" }, BankProto.QueryBalanceResponse.Parser).Balance.Amount);

    private static BankProto.MsgSend Send(byte[] to, long amount) => new()
    {
        FromAddress = Bech(SimWorld.Submitter), ToAddress = Bech(to), Amount = { new DePinChain.Protos.Cosmos.Base.V1Beta1.Coin { Denom = "udpin", Amount = amount.ToString() } },
    };

    private static DevicesProto.MsgAddMaker AddMaker() => new()
    {
        Authority = SimWorld.AuthorityText, Name = SimWorld.MakerName, Key = ByteString.CopyFrom(Secp256k1.GetPublicKey(SimWorld.MakerSecret)),
        KeyType = DevicesProto.KeyType.Secp256K1, FeePayer = Bech(SimWorld.FeePayer),
    };

    [Fact]
    public void Maker_devices_beacons_and_paid_traffic_earn_each_owner_the_documented_formula_at_epoch_end()
    {
        AppSimChain chain = null!;
        var world = new SimWorld(6, null, owners: 4, g => chain = NewChain(g), epochBlocks: EpochBlocks);
        using var _ = chain;
        var genesisSupply = BigInteger.Parse(chain.Query("/cosmos.bank.v1beta1.Query/SupplyOf", new BankProto.QuerySupplyOfRequest { Denom = "udpin" }, BankProto.QuerySupplyOfResponse.Parser).Amount.Amount);
        var a = world.NewDevice(Berlin);
        // About 3 km north, 5 km east, and 4 km south and 2 km west of A: every pair 400 m–100 km apart, one region.
        var b = world.NewDevice(new GeoPoint(Berlin.LatitudeMicro + 27_000, Berlin.LongitudeMicro));
        var c = world.NewDevice(new GeoPoint(Berlin.LatitudeMicro, Berlin.LongitudeMicro + 73_860));
        var d = world.NewDevice(new GeoPoint(Berlin.LatitudeMicro - 36_000, Berlin.LongitudeMicro - 29_500));
        SimDevice[] devices = [a, b, c, d];

        // Epoch 0 (heights 1–9): the authority adds the maker and the router; the customer and router get accounts.
        Assert.Equal(2, chain.Height);
        chain.Signers.AddRange([(SignerA, 10), (SignerB, 30)]);
        chain.Queue(AddMaker(), SimWorld.AuthoritySecret);
        chain.Queue(new MsgRegisterRouter { Authority = SimWorld.AuthorityText, Router = Bech(Router), Name = "router-1" }, SimWorld.AuthoritySecret);
        chain.Queue(Send(Customer, 10_000_000), SimWorld.SubmitterSecret);
        chain.Queue(Send(Router, 1_000), SimWorld.SubmitterSecret);
        FinishOk(chain);

        // Onboarding: signed by the owner (tx), the device and the maker; the maker's fee payer pays the fee, burned.
        foreach (var device in devices) chain.Queue(world.OnboardMsg(device), device.OwnerSecret);
        FinishOk(chain);
        foreach (var device in devices) chain.Queue(world.LocateMsg(device), device.OwnerSecret);
        // The customer buys DC (price 100,000 DC per DPIN by default) and delegates some to the router.
        chain.Queue(new MsgBurnForCredits { Sender = Bech(Customer), Amount = DcPurchase.ToString() }, CustomerSecret);
        chain.Queue(new MsgDelegateCredits { Owner = Bech(Customer), Router = Bech(Router), Amount = 200 }, CustomerSecret);
        FinishOk(chain);
        while (chain.Height < EpochBlocks) FinishOk(chain); // epoch 0 ends with no coverage: its emission goes to the treasury

        // Epoch 1 (heights 10–19): beacons with witnesses over several blocks, and traffic.
        var devicesBefore = devices.ToDictionary(x => x.Id, x => Balance(chain, x.Owner));
        (SimDevice Beaconer, SimDevice[] Witnesses)[] beacons = [(a, [b, c, d]), (b, [a, c]), (c, [a, b, d]), (d, [c])];
        var beaconHeights = new List<long>();
        foreach (var (beaconer, witnesses) in beacons)
        {
            var beacon = world.Beacon(beaconer);
            beaconHeights.Add(chain.Height);
            chain.Queue(SimWorld.Submit(beacon, [.. witnesses.Select(w => world.Witness(beacon, beaconer, w))]), SimWorld.SubmitterSecret);
            FinishOk(chain);
        }
        chain.Queue(new MsgReportTraffic { Router = Bech(Router), Payer = Bech(Customer), DeviceKey = ByteString.CopyFrom(a.Key), Bytes = 240 }, RouterSecret);
        chain.Queue(new MsgReportTraffic { Router = Bech(Router), Payer = Bech(Customer), DeviceKey = ByteString.CopyFrom(c.Key), Bytes = 2_401 }, RouterSecret);
        FinishOk(chain);
        while (chain.Height < 2 * EpochBlocks - 1) FinishOk(chain);

        // Just before the epoch's last block: nothing paid for epoch 1 yet; every balance is the "before".
        Assert.All(devices, x => Assert.Equal(devicesBefore[x.Id], Balance(chain, x.Owner)));
        var treasuryBefore = Balance(chain, Treasury);
        Assert.Equal(BigInteger.Zero, Balance(chain, Pool));
        FinishOk(chain); // height 19: the last block of epoch 1 (mint's epochs: ⌊h / 10⌋)

        // Coverage counted the reports in the chain's epoch 1 (not a coverage-own epoch length).
        foreach (var (beaconer, _) in beacons)
            Assert.All(world.Reports(beaconer, 1).Where(r => r.BeaconerKey.Span.SequenceEqual(beaconer.Key)),
                r => Assert.Equal((1UL, 0u), (r.Epoch, r.BeaconVerdict)));
        Assert.Empty(world.Units(0));

        // What the chain says the epoch's inputs were.
        var units = world.Units(1).ToDictionary(u => Convert.ToHexString(u.DeviceKey.Span));
        Assert.Equal(4, units.Count);
        Assert.All(units.Values, u => Assert.True(u.BeaconUnits > 0 && u.WitnessUnits > 0, "every device beaconed and witnessed"));
        var traffic = chain.Query("/depin.datacredits.v1.Query/Traffic", new QueryTrafficRequest { Epoch = 1 }, QueryTrafficResponse.Parser).Records
            .ToDictionary(t => Convert.ToHexString(t.DeviceKey.Span));
        Assert.Equal((10UL, 101UL), (traffic[Convert.ToHexString(a.Key)].DcBurned, traffic[Convert.ToHexString(c.Key)].DcBurned)); // ⌈bytes / 24⌉
        var price = chain.Query("/depin.datacredits.v1.Query/Params", new CreditsProto.QueryParamsRequest(), CreditsProto.QueryParamsResponse.Parser).Params.DcPerDpin;
        var shares = chain.Query("/depin.rewards.v1.Query/Params", new RewardsProto.QueryParamsRequest(), RewardsProto.QueryParamsResponse.Parser).Params;
        var emission = chain.Query("/depin.mint.v1.Query/EpochEmission", new MintProto.QueryEpochEmissionRequest(), MintProto.QueryEpochEmissionResponse.Parser);
        Assert.Equal(1, emission.Epoch);
        BigInteger minted = Emission;

        // The documented formula (modules/DePinChain.Modules.Rewards/README.md), in BigInteger, independently.
        BigInteger Share(BigInteger amount, uint bps) => amount * bps / 10_000;
        BigInteger beaconPool = Share(minted, shares.BeaconBps), witnessPool = Share(minted, shares.WitnessBps);
        BigInteger dataPool = Share(minted, shares.DataTransferBps), validatorPool = Share(minted, shares.ValidatorBps);
        BigInteger totalDc = traffic.Values.Aggregate(BigInteger.Zero, (s, t) => s + t.DcBurned);
        var dataCap = totalDc * 1_000_000 / price;
        var dataPaid = BigInteger.Min(dataPool, dataCap);
        var overflow = dataPool - dataPaid;
        var toWitnesses = Share(overflow, shares.OverflowWitnessBps);
        BigInteger beaconTotal = beaconPool + overflow - toWitnesses, witnessTotal = witnessPool + toWitnesses;
        BigInteger sumBeacon = units.Values.Aggregate(BigInteger.Zero, (s, u) => s + u.BeaconUnits);
        BigInteger sumWitness = units.Values.Aggregate(BigInteger.Zero, (s, u) => s + u.WitnessUnits);
        BigInteger paidToDevices = 0;
        foreach (var device in devices)
        {
            var key = Convert.ToHexString(device.Key);
            var u = units[key];
            var dc = traffic.TryGetValue(key, out var t) ? t.DcBurned : 0UL;
            var expected = beaconTotal * u.BeaconUnits / sumBeacon + witnessTotal * u.WitnessUnits / sumWitness + dataPaid * dc / totalDc;
            Assert.True(expected > 0);
            Assert.Equal(expected, Balance(chain, device.Owner) - devicesBefore[device.Id]);
            paidToDevices += expected;

            var record = chain.Query("/depin.rewards.v1.Query/DeviceReward", new QueryDeviceRewardRequest { DeviceKey = ByteString.CopyFrom(device.Key), Epoch = 1 },
                QueryDeviceRewardResponse.Parser).Record;
            Assert.Equal((Bech(device.Owner), (ulong)u.BeaconUnits, (ulong)u.WitnessUnits, dc, expected.ToString()),
                (record.Owner, record.BeaconUnits, record.WitnessUnits, record.TrafficDc, record.Amount));
        }

        // Validators: A signed 10 of every 40 power, B 30; no sink takes their shares, so the treasury gets them.
        var validatorRewards = chain.Query("/depin.rewards.v1.Query/EpochSummary", new QueryEpochSummaryRequest { Epoch = 1 }, QueryEpochSummaryResponse.Parser).Validators;
        Assert.Equal([(validatorPool * 10 / 40).ToString(), (validatorPool * 30 / 40).ToString()], validatorRewards.Select(v => v.Amount));
        Assert.All(validatorRewards, v => Assert.Equal("", v.PayoutAddress));
        // Paid + treasury remainder = minted, exactly; the pool is empty again.
        var toTreasury = Balance(chain, Treasury) - treasuryBefore;
        Assert.Equal(minted, paidToDevices + toTreasury);
        Assert.True(toTreasury >= minted - beaconPool - witnessPool - dataPool);
        Assert.Equal(BigInteger.Zero, Balance(chain, Pool));
        var summary = chain.Query("/depin.rewards.v1.Query/EpochSummary", new QueryEpochSummaryRequest { Epoch = 1 }, QueryEpochSummaryResponse.Parser).Summary;
        Assert.Equal((minted.ToString(), paidToDevices.ToString(), "0"), (summary.Minted, summary.PaidToDevices, summary.PaidToValidators));

        // Supply = genesis + minted − burned: two epochs' emission; burned = 4 onboarding fees and the DC purchase
        // (⌊3000 · price / 10⁶⌋ DC, costing exactly ⌈DC · 10⁶ / price⌉ udpin).
        var dcBought = DcPurchase * (BigInteger)price / 1_000_000;
        var dcCost = (dcBought * 1_000_000 + price - 1) / price;
        var burned = devices.Length * MakerFee + dcCost;
        var mintedTotal = chain.Query("/depin.mint.v1.Query/Minted", new MintProto.QueryMintedRequest(), MintProto.QueryMintedResponse.Parser);
        Assert.Equal((2 * minted).ToString(), mintedTotal.Minter.MintedTotal);
        Assert.Equal(genesisSupply + 2 * minted - burned, BigInteger.Parse(mintedTotal.Supply));
        Assert.Equal(genesisSupply + 2 * minted - burned,
            BigInteger.Parse(chain.Query("/cosmos.bank.v1beta1.Query/SupplyOf", new BankProto.QuerySupplyOfRequest { Denom = "udpin" }, BankProto.QuerySupplyOfResponse.Parser).Amount.Amount));
        Assert.Equal(10_000_000 - dcCost, Balance(chain, Customer));
    }

    private static BigInteger SupplyOf(AppSimChain chain) => BigInteger.Parse(chain.Query("/cosmos.bank.v1beta1.Query/SupplyOf",
        new BankProto.QuerySupplyOfRequest { Denom = "udpin" }, BankProto.QuerySupplyOfResponse.Parser).Amount.Amount);

    [Fact]
    public void Device_fee_burns_are_re_emitted_like_credit_burns_and_supply_is_genesis_plus_minted_minus_burned_after_every_block()
    {
        const long LocationFee = 7;
        // Re-emit every burned udpin at the next epoch end (share 100%, no per-epoch bound in reach).
        var reemitAll = new MintProto.Params { ReemissionShareBps = 10_000, MaxReemissionPerEpoch = "1000000000" };
        AppSimChain chain = null!;
        var world = new SimWorld(11, null, owners: 3, g => chain = NewChain(g, reemitAll, state =>
            state["devices"]!["params"]!["location_fee"] = new JsonArray(new JsonObject { ["denom"] = "udpin", ["amount"] = LocationFee.ToString() })), epochBlocks: EpochBlocks);
        using var _ = chain;
        var genesisSupply = SupplyOf(chain);
        SimDevice[] devices = [world.NewDevice(Berlin), world.NewDevice(new GeoPoint(Berlin.LatitudeMicro + 27_000, Berlin.LongitudeMicro)),
            world.NewDevice(new GeoPoint(Berlin.LatitudeMicro, Berlin.LongitudeMicro + 73_860))];

        // Burns this test caused, counted here from the fees it knows, independently of the chain's own totals.
        BigInteger burned = 0, burnedThisEpoch = 0;
        void Burned(BigInteger amount) { burned += amount; burnedThisEpoch += amount; }
        MintProto.QueryMintedResponse Block()
        {
            FinishOk(chain);
            var minted = chain.Query("/depin.mint.v1.Query/Minted", new MintProto.QueryMintedRequest(), MintProto.QueryMintedResponse.Parser);
            var supply = SupplyOf(chain);
            Assert.Equal(burned.ToString(), minted.Minter.BurnedTotal);
            Assert.Equal(genesisSupply + BigInteger.Parse(minted.Minter.MintedTotal) - burned, supply);
            Assert.Equal(supply.ToString(), minted.Supply);
            return minted;
        }
        MintProto.EpochEmission EndEpoch(long epoch)
        {
            while (chain.Height < EpochMath.LastHeight(epoch, EpochBlocks)) Block();
            Block();
            var last = chain.Query("/depin.mint.v1.Query/EpochEmission", new MintProto.QueryEpochEmissionRequest(), MintProto.QueryEpochEmissionResponse.Parser).LastEmission;
            Assert.Equal(epoch, last.Epoch);
            return last;
        }

        // Epoch 0: the maker, onboarding fees (5 each, paid by the maker's fee payer), location fees (7 each, paid by
        // the owners) and a DC purchase: all of it burned, all of it reported to mint.
        chain.Queue(AddMaker(), SimWorld.AuthoritySecret);
        chain.Queue(Send(Customer, 1_000_000), SimWorld.SubmitterSecret);
        Block();
        foreach (var device in devices) chain.Queue(world.OnboardMsg(device), device.OwnerSecret);
        Burned(devices.Length * MakerFee);
        Block();
        foreach (var device in devices) chain.Queue(world.LocateMsg(device), device.OwnerSecret);
        Burned(devices.Length * LocationFee);
        var deviceBurnsEpoch0 = burnedThisEpoch;
        chain.Queue(new MsgBurnForCredits { Sender = Bech(Customer), Amount = DcPurchase.ToString() }, CustomerSecret);
        Burned(DcPurchase); // 3,000 udpin buy exactly 300 DC at the default price: the whole amount is burned
        Block();
        var epoch0 = EndEpoch(0);
        // The epoch's re-emission is every udpin burned in it: device fees included, not only the DC purchase.
        Assert.True(deviceBurnsEpoch0 > 0);
        Assert.Equal((Emission.ToString(), burnedThisEpoch.ToString()), (epoch0.ScheduledMinted, epoch0.Reemitted));
        Assert.Equal((Emission + burnedThisEpoch).ToString(), epoch0.Total);
        burnedThisEpoch = 0;

        // Epoch 1: one device moves (a location fee), one re-asserts the same spot (no fee); nothing else burns.
        var moved = world.LocateMsg(devices[0], nonce: 2);
        moved.LatitudeMicro += 1_000;
        chain.Queue(moved, devices[0].OwnerSecret);
        chain.Queue(world.LocateMsg(devices[1], nonce: 2), devices[1].OwnerSecret);
        Burned(LocationFee);
        Block();
        var epoch1 = EndEpoch(1);
        Assert.Equal((Emission.ToString(), LocationFee.ToString()), (epoch1.ScheduledMinted, epoch1.Reemitted));

        // Epoch 2: no burns, nothing to re-emit.
        burnedThisEpoch = 0;
        Assert.Equal("0", EndEpoch(2).Reemitted);
        Assert.Equal(genesisSupply + 3 * Emission, SupplyOf(chain)); // every burn came back, capped by nothing
    }
}
