using System.Numerics;
using DePinChain.Modules.Tests;
using DePinChain.Protos.Depin.DataCredits.V1;
using DePinChain.Protos.Depin.Rewards.V1;
using DePinChain.Sdk;
using Google.Protobuf;
using static DePinChain.Modules.Rewards.Tests.RewardsChain;
using MintParams = DePinChain.Protos.Depin.Mint.V1.Params;
using Params = DePinChain.Protos.Depin.Rewards.V1.Params;

namespace DePinChain.Modules.Rewards.Tests;

public class RewardsChainTests
{
    private const ulong One = RewardCalculator.UnitScale;
    private static readonly byte[] OwnerA = TestState.Address(0x0A), OwnerB = TestState.Address(0x0B);
    private static readonly byte[] DeviceA = [0x02, .. Enumerable.Repeat((byte)0xA0, 32)], DeviceB = [0x02, .. Enumerable.Repeat((byte)0xB0, 32)];
    private static readonly MintParams NoReemission = new() { ReemissionShareBps = 0, MaxReemissionPerEpoch = "0" };

    private static RewardsChain ChainWithTwoDevices()
    {
        var chain = new RewardsChain(epochBlocks: 5, initialEmission: 1_000_000, mintParams: NoReemission);
        chain.AddDevice(DeviceA, OwnerA);
        chain.AddDevice(DeviceB, OwnerB);
        return chain;
    }

    [Fact]
    public void At_epoch_end_owners_receive_exactly_the_documented_formula()
    {
        var chain = ChainWithTwoDevices();
        // Epoch 0: A beacons 1.0 and witnesses 1.0; B beacons 0.5 (1.0 at density scale 0.5, scaled by coverage)
        // and witnesses 3.0;
        // 240 bytes of paid traffic through A = 10 DC, worth 100 udpin at 100,000 DC/DPIN.
        chain.SetUnits(0, DeviceA, One, One);
        chain.SetUnits(0, DeviceB, One / 2, 3 * One, scale: One / 2);
        chain.Block(null,
            new MsgRegisterRouter { Authority = Text(Authority), Router = Text(RouterAddress), Name = "r" },
            new MsgBurnForCredits { Sender = Text(Customer), Amount = "1000" },
            new MsgDelegateCredits { Owner = Text(Customer), Router = Text(RouterAddress), Amount = 100 });
        var (failures, _) = chain.Block(null, new MsgReportTraffic { Router = Text(RouterAddress), Payer = Text(Customer), DeviceKey = ByteString.CopyFrom(DeviceA), Bytes = 240 });
        Assert.Empty(failures);
        chain.FinishEpoch();

        // Minted 1,000,000. Data pool 500,000 pays 100; overflow 499,900 → witnesses 399,920, beacons 99,980.
        // Beacons 159,980 over 1.0 : 0.5 → A 106,653, B 53,326. Witnesses 639,920 over 1 : 3 → A 159,980, B 479,940.
        // A = 106,653 + 159,980 + 100 = 266,733; B = 53,326 + 479,940 = 533,266; the treasury gets the rest:
        // 60,000 + 140,000 (no validators) + 1 (remainder) = 200,001.
        Assert.Equal(new BigInteger(266_733), chain.Udpin(OwnerA));
        Assert.Equal(new BigInteger(533_266), chain.Udpin(OwnerB));
        Assert.Equal(new BigInteger(200_001), chain.Treasury);
        Assert.Equal(BigInteger.Zero, chain.Pool);

        var record = chain.Query("/depin.rewards.v1.Query/DeviceReward", new QueryDeviceRewardRequest { DeviceKey = ByteString.CopyFrom(DeviceB), Epoch = 0 }, QueryDeviceRewardResponse.Parser).Record;
        Assert.Equal((One / 2, 3 * One, One / 2), (record.BeaconUnits, record.WitnessUnits, record.DensityScale));
        Assert.Equal(("53326", "479940", "0", "533266", Text(OwnerB)), (record.BeaconAmount, record.WitnessAmount, record.DataAmount, record.Amount, record.Owner));
        var a = chain.Query("/depin.rewards.v1.Query/OwnerRewards", new QueryOwnerRewardsRequest { Owner = Text(OwnerA), Epoch = 0 }, QueryOwnerRewardsResponse.Parser);
        Assert.Equal((240UL, 10UL, "100"), (a.Records[0].TrafficBytes, a.Records[0].TrafficDc, a.Records[0].DataAmount));
        Assert.Equal("266733", a.Total);
        var summary = chain.Query("/depin.rewards.v1.Query/EpochSummary", new QueryEpochSummaryRequest { Epoch = 0 }, QueryEpochSummaryResponse.Parser).Summary;
        Assert.Equal(("1000000", "100", "499900", "799999", "0", "200001"),
            (summary.Minted, summary.DataCap, summary.DataOverflow, summary.PaidToDevices, summary.PaidToValidators, summary.ToTreasury));
    }

    [Fact]
    public void Validators_share_by_the_power_they_signed_with_during_the_epoch_paid_through_the_sink()
    {
        var chain = ChainWithTwoDevices();
        var sink = chain.Sink!;
        byte[] v1 = TestState.Address(0x71), v2 = TestState.Address(0x72), v3 = TestState.Address(0x73);
        byte[] operator1 = TestState.Address(0x81), operator2 = TestState.Address(0x82), operator3 = TestState.Address(0x83);
        sink.Add(v1, operator1);
        sink.Add(v2, operator2);
        sink.Add(v3, operator3);
        // v3 never signs; v1 and v2 sign the four blocks of epoch 0 with power 10 and 30.
        VoteInfo[] votes = [new(v1, 10, true), new(v2, 30, true), new(v3, 60, false)];
        chain.FinishEpoch(votes);
        // 140,000 split 1 : 3; no devices, so everything else is the treasury's. v3's share is 0: the sink is not asked.
        Assert.Equal((new BigInteger(35_000), new BigInteger(105_000), BigInteger.Zero), (chain.Udpin(operator1), chain.Udpin(operator2), chain.Udpin(operator3)));
        Assert.Equal(new BigInteger(860_000), chain.Treasury);
        Assert.Equal(BigInteger.Zero, chain.Pool);
        Assert.Equal([(Convert.ToHexString(v1), "rewards", "35000udpin"), (Convert.ToHexString(v2), "rewards", "105000udpin")],
            sink.Calls.Select(c => (Convert.ToHexString(c.ConsensusAddress), c.FromModule, c.Amount.ToString())));
        var q = chain.Query("/depin.rewards.v1.Query/EpochSummary", new QueryEpochSummaryRequest { Epoch = 0 }, QueryEpochSummaryResponse.Parser);
        Assert.Equal([40UL, 120UL], q.Validators.Select(v => v.SignedPower));
        Assert.Equal([ValidatorAddress.ToOperatorBech32(operator1), ValidatorAddress.ToOperatorBech32(operator2)], q.Validators.Select(v => v.PayoutAddress));
        Assert.Equal(["35000", "105000"], q.Validators.Select(v => v.Amount));
        Assert.Equal(("0", "140000", "860000"), (q.Summary.PaidToDevices, q.Summary.PaidToValidators, q.Summary.ToTreasury));

        // A validator the sink does not know (null answer) leaves its share to the treasury; power restarts each epoch.
        sink.Remove(v2);
        chain.FinishEpoch(votes);
        Assert.Equal(new BigInteger(70_000), chain.Udpin(operator1));
        Assert.Equal(new BigInteger(105_000), chain.Udpin(operator2));
        Assert.Equal(new BigInteger(860_000 + 965_000), chain.Treasury);
        Assert.Equal((Convert.ToHexString(v2), (string?)null), (Convert.ToHexString(sink.Calls[^1].ConsensusAddress), sink.Calls[^1].Answer));
        q = chain.Query("/depin.rewards.v1.Query/EpochSummary", new QueryEpochSummaryRequest { Epoch = 1 }, QueryEpochSummaryResponse.Parser);
        Assert.Equal([ValidatorAddress.ToOperatorBech32(operator1), ""], q.Validators.Select(v => v.PayoutAddress));
        Assert.Equal(["35000", "105000"], q.Validators.Select(v => v.Amount));
        Assert.Equal(("35000", "965000"), (q.Summary.PaidToValidators, q.Summary.ToTreasury));
    }

    [Fact]
    public void A_share_the_sink_refuses_goes_to_the_treasury_and_paid_plus_treasury_is_still_the_emission()
    {
        var chain = ChainWithTwoDevices();
        byte[] known = TestState.Address(0x71), unknown = TestState.Address(0x72), operatorAddress = TestState.Address(0x81);
        chain.Sink!.Add(known, operatorAddress);
        chain.SetUnits(0, DeviceA, One, One);
        chain.SetUnits(0, DeviceB, One, 3 * One);
        var supplyBefore = chain.Bank.GetSupply(chain.Current, "udpin");
        chain.FinishEpoch([new(known, 7, true), new(unknown, 13, true)]);

        // Validator pool 140,000 over 7 : 13 → 49,000 and 91,000; the unknown validator's 91,000 is the treasury's.
        var summary = chain.Rewards.Keeper.GetSummary(chain.Current, 0)!;
        Assert.Equal(("1000000", "800000", "49000", "151000"), (summary.Minted, summary.PaidToDevices, summary.PaidToValidators, summary.ToTreasury));
        Assert.Equal(new BigInteger(49_000), chain.Udpin(operatorAddress));
        Assert.Equal(new BigInteger(151_000), chain.Treasury);
        Assert.Equal(chain.Udpin(OwnerA) + chain.Udpin(OwnerB), new BigInteger(800_000));
        Assert.Equal(BigInteger.Zero, chain.Pool);
        Assert.Equal(supplyBefore + 1_000_000, chain.Bank.GetSupply(chain.Current, "udpin"));
        Assert.Equal([(49_000UL, ValidatorAddress.ToOperatorBech32(operatorAddress)), (91_000UL, null)],
            chain.Sink.Calls.Select(c => ((ulong)c.Amount.AmountOf("udpin"), c.Answer)));
        Assert.Equal([ValidatorAddress.ToOperatorBech32(operatorAddress), ""],
            chain.Rewards.Keeper.ValidatorRewards(chain.Current, 0).Select(v => v.PayoutAddress));
    }

    [Fact]
    public void Without_a_sink_every_validator_share_goes_to_the_treasury()
    {
        var chain = new RewardsChain(epochBlocks: 5, initialEmission: 1_000_000, mintParams: NoReemission, withSink: false);
        chain.FinishEpoch([new(TestState.Address(0x71), 10, true)]);
        var summary = chain.Rewards.Keeper.GetSummary(chain.Current, 0)!;
        Assert.Equal(("0", "1000000"), (summary.PaidToValidators, summary.ToTreasury));
        Assert.Equal(new BigInteger(1_000_000), chain.Treasury);
        var reward = Assert.Single(chain.Rewards.Keeper.ValidatorRewards(chain.Current, 0));
        Assert.Equal(("", "140000"), (reward.PayoutAddress, reward.Amount));
    }

    [Fact]
    public void An_epoch_with_no_coverage_and_no_traffic_sends_the_whole_emission_to_the_treasury()
    {
        var chain = ChainWithTwoDevices();
        chain.FinishEpoch();
        Assert.Equal(new BigInteger(1_000_000), chain.Treasury);
        Assert.Equal(BigInteger.Zero, chain.Udpin(OwnerA));
        Assert.Equal(BigInteger.Zero, chain.Pool);
    }

    [Fact]
    public void An_epoch_with_coverage_but_no_traffic_pays_the_data_share_to_coverage()
    {
        var chain = ChainWithTwoDevices();
        chain.SetUnits(0, DeviceA, One, 0);
        chain.SetUnits(0, DeviceB, 0, One);
        chain.FinishEpoch();
        // A: beacons 60,000 + 20% of 500,000; B: witnesses 240,000 + 80% of it.
        Assert.Equal((new BigInteger(160_000), new BigInteger(640_000)), (chain.Udpin(OwnerA), chain.Udpin(OwnerB)));
        Assert.Equal(new BigInteger(200_000), chain.Treasury);
    }

    [Fact]
    public void A_traffic_only_device_is_paid_to_its_registered_owner_and_a_vanished_one_to_the_treasury()
    {
        var chain = ChainWithTwoDevices();
        chain.Block(null,
            new MsgRegisterRouter { Authority = Text(Authority), Router = Text(RouterAddress), Name = "r" },
            new MsgBurnForCredits { Sender = Text(Customer), Amount = "100000", Recipient = Text(RouterAddress) });
        chain.Block(null,
            new MsgReportTraffic { Router = Text(RouterAddress), Payer = Text(RouterAddress), DeviceKey = ByteString.CopyFrom(DeviceA), Bytes = 2_400 },
            new MsgReportTraffic { Router = Text(RouterAddress), Payer = Text(RouterAddress), DeviceKey = ByteString.CopyFrom(DeviceB), Bytes = 2_400 });
        chain.Devices.Owners.Remove(Convert.ToHexString(DeviceB)); // B is decommissioned before the epoch ends
        chain.FinishEpoch();
        // 100 DC each, worth 1,000 udpin each.
        Assert.Equal(new BigInteger(1_000), chain.Udpin(OwnerA));
        Assert.Equal(BigInteger.Zero, chain.Udpin(OwnerB));
        Assert.Equal(new BigInteger(999_000), chain.Treasury);
        var record = chain.Rewards.Keeper.GetRecord(chain.Current, 0, DeviceB)!;
        Assert.Equal(("", "1000", "0"), (record.Owner, record.DataAmount, record.Amount));
    }

    [Fact]
    public void A_device_owned_by_a_module_account_is_never_paid_its_share_goes_to_the_treasury()
    {
        var chain = ChainWithTwoDevices();
        chain.AddDevice(DeviceB, DePinChain.Modules.Auth.AuthKeys.ModuleAddress(DePinChain.Modules.Auth.AuthKeys.FeeCollectorName));
        chain.SetUnits(0, DeviceA, One, One);
        chain.SetUnits(0, DeviceB, One, One);
        chain.FinishEpoch();
        // Each device earns half of beacons + witnesses + data overflow (400,000); B's half goes to the treasury.
        Assert.Equal(new BigInteger(400_000), chain.Udpin(OwnerA));
        Assert.Equal(new BigInteger(600_000), chain.Treasury);
        var record = chain.Rewards.Keeper.GetRecord(chain.Current, 0, DeviceB)!;
        Assert.Equal(("80000", "320000", "0"), (record.BeaconAmount, record.WitnessAmount, record.Amount));
    }

    [Fact]
    public void Rewards_refuse_to_distribute_an_epoch_mint_has_not_minted()
    {
        var chain = ChainWithTwoDevices();
        Assert.Throws<InvalidOperationException>(() => chain.Rewards.Keeper.DistributeEpoch(chain.Ctx(4, []), 0));
    }

    [Fact]
    public void Reward_records_are_pruned_after_the_retention_window_but_summaries_stay()
    {
        var chain = ChainWithTwoDevices();
        chain.Block(null, new Protos.Depin.Rewards.V1.MsgUpdateParams { Authority = Text(Authority), Params = new Params(chain.Rewards.Keeper.GetParams(chain.Current)) { RecordRetentionEpochs = 2 } });
        for (long e = 0; e < 4; e++) chain.SetUnits(e, DeviceA, One, One);
        for (int e = 0; e < 4; e++) chain.FinishEpoch();
        Assert.Null(chain.Rewards.Keeper.GetRecord(chain.Current, 1, DeviceA));
        Assert.NotNull(chain.Rewards.Keeper.GetRecord(chain.Current, 2, DeviceA));
        Assert.Empty(chain.Rewards.Keeper.OwnerRecords(chain.Current, OwnerA, 1));
        Assert.NotNull(chain.Rewards.Keeper.GetSummary(chain.Current, 0));
    }

    [Fact]
    public void Only_the_authority_changes_the_split_and_it_must_sum_to_100_percent()
    {
        var chain = ChainWithTwoDevices();
        var p = RewardsKeeper.DefaultParams();
        var (failures, _) = chain.Block(null,
            new Protos.Depin.Rewards.V1.MsgUpdateParams { Authority = Text(Customer), Params = p },
            new Protos.Depin.Rewards.V1.MsgUpdateParams { Authority = Text(Authority), Params = new Params(p) { TreasuryBps = 700 } });
        Assert.Equal([RewardsErrors.InvalidAuthorityCode, RewardsErrors.InvalidParamsCode], failures.Select(f => f.Code));
        Assert.All(failures, f => Assert.Equal(RewardsErrors.Codespace, f.Codespace));
    }

    [Fact]
    public void The_genesis_authority_changes_the_split_and_can_hand_over_while_params_without_an_authority_are_refused()
    {
        var chain = ChainWithTwoDevices();
        var query = chain.Query("/depin.rewards.v1.Query/Params", new Protos.Depin.Rewards.V1.QueryParamsRequest(), Protos.Depin.Rewards.V1.QueryParamsResponse.Parser);
        Assert.Equal(Text(Authority), query.Authority);
        var current = chain.Rewards.Keeper.GetParams(chain.Current);
        var (failures, _) = chain.Block(null,
            new Protos.Depin.Rewards.V1.MsgUpdateParams { Authority = Text(Authority), Params = new Params(current) { Authority = "" } },
            new Protos.Depin.Rewards.V1.MsgUpdateParams { Authority = Text(Authority), Params = new Params(current) { BeaconBps = 1_000, TreasuryBps = 200 } });
        Assert.Equal([RewardsErrors.InvalidParamsCode], failures.Select(f => f.Code));
        Assert.Equal((1_000u, 200u), (chain.Rewards.Keeper.GetParams(chain.Current).BeaconBps, chain.Rewards.Keeper.GetParams(chain.Current).TreasuryBps));

        (failures, _) = chain.Block(null,
            new Protos.Depin.Rewards.V1.MsgUpdateParams { Authority = Text(Authority), Params = new Params(current) { Authority = Text(OwnerA) } },
            new Protos.Depin.Rewards.V1.MsgUpdateParams { Authority = Text(Authority), Params = new Params(current) { Authority = Text(OwnerA), RecordRetentionEpochs = 3 } },
            new Protos.Depin.Rewards.V1.MsgUpdateParams { Authority = Text(OwnerA), Params = new Params(current) { Authority = Text(OwnerA), RecordRetentionEpochs = 9 } });
        Assert.Equal([RewardsErrors.InvalidAuthorityCode], failures.Select(f => f.Code));
        Assert.Equal(9, chain.Rewards.Keeper.GetParams(chain.Current).RecordRetentionEpochs);
        Assert.Equal(Text(OwnerA), RewardsGenesis.Json.Parse(chain.Rewards.ExportGenesis(chain.Current)).Params.Authority);
    }

    [Fact]
    public void Exported_genesis_of_every_module_imports_into_a_fresh_chain_and_exports_identically()
    {
        var chain = ChainWithTwoDevices();
        chain.SetUnits(0, DeviceA, One, 2 * One);
        chain.SetUnits(1, DeviceB, One, One);
        byte[] v1 = TestState.Address(0x71);
        chain.Sink!.Add(v1, OwnerA);
        chain.Block(null,
            new MsgRegisterRouter { Authority = Text(Authority), Router = Text(RouterAddress), Name = "r" },
            new MsgBurnForCredits { Sender = Text(Customer), Amount = "5000", Recipient = Text(RouterAddress) });
        chain.Block(null, new MsgReportTraffic { Router = Text(RouterAddress), Payer = Text(RouterAddress), DeviceKey = ByteString.CopyFrom(DeviceB), Bytes = 999 });
        chain.FinishEpoch([new VoteInfo(v1, 5, true)]);
        chain.Block([new VoteInfo(v1, 5, true)]); // epoch 1 in progress: accumulated power is state too

        var fresh = ChainWithTwoDevices();
        foreach (var (module, freshModule) in new (IModule, IModule)[] { (chain.Mint, fresh.Mint), (chain.Credits, fresh.Credits), (chain.Rewards, fresh.Rewards) })
        {
            var exported = module.ExportGenesis(chain.Current);
            module.ValidateGenesis(exported);
            freshModule.InitGenesis(fresh.Current, exported);
            Assert.Equal(exported, freshModule.ExportGenesis(fresh.Current));
        }
        var g = RewardsGenesis.Json.Parse(chain.Rewards.ExportGenesis(chain.Current));
        Assert.Equal((2, 1, 1, 1), (g.Records.Count, g.Summaries.Count, g.ValidatorRewards.Count, g.Powers.Count));
        Assert.Equal(ValidatorAddress.ToOperatorBech32(OwnerA), g.ValidatorRewards[0].PayoutAddress);
    }

    [Fact]
    public void An_owners_records_are_listed_by_device_key_after_the_epoch_end_after_a_genesis_import_and_until_pruned()
    {
        var chain = ChainWithTwoDevices();
        byte[] deviceC = [0x02, .. Enumerable.Repeat((byte)0x05, 32)], deviceD = [0x03, .. Enumerable.Repeat((byte)0xFF, 32)];
        chain.AddDevice(deviceC, OwnerA);
        chain.AddDevice(deviceD, OwnerA);
        chain.Block(null, new Protos.Depin.Rewards.V1.MsgUpdateParams { Authority = Text(Authority), Params = new Params(chain.Rewards.Keeper.GetParams(chain.Current)) { RecordRetentionEpochs = 2 } });
        for (long e = 0; e < 4; e++)
            foreach (var device in new[] { deviceD, DeviceA, DeviceB, deviceC }) chain.SetUnits(e, device, One, One);
        chain.FinishEpoch();

        string[] Listed(RewardsChain c, byte[] owner, long epoch) => [.. c.Query("/depin.rewards.v1.Query/OwnerRewards",
            new QueryOwnerRewardsRequest { Owner = Text(owner), Epoch = epoch }, QueryOwnerRewardsResponse.Parser).Records.Select(r => Convert.ToHexString(r.DeviceKey.Span))];
        string[] ownerA = [.. new[] { deviceC, DeviceA, deviceD }.Select(Convert.ToHexString)];
        Assert.Equal(ownerA, Listed(chain, OwnerA, 0));
        Assert.Equal([Convert.ToHexString(DeviceB)], Listed(chain, OwnerB, 0));
        Assert.Empty(Listed(chain, Customer, 0));

        var fresh = ChainWithTwoDevices();
        fresh.Rewards.InitGenesis(fresh.Current, chain.Rewards.ExportGenesis(chain.Current));
        Assert.Equal(ownerA, Listed(fresh, OwnerA, 0));

        for (int e = 1; e < 4; e++) chain.FinishEpoch(); // epoch 3's end prunes epoch 1; epoch 2's pruned epoch 0
        Assert.Empty(Listed(chain, OwnerA, 0));
        Assert.Empty(Listed(chain, OwnerB, 1));
        Assert.Equal(ownerA, Listed(chain, OwnerA, 2));
    }
}
