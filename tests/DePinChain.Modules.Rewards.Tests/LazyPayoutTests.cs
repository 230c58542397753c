using System.Numerics;
using DePinChain.Modules.Tests;
using DePinChain.Protos.Depin.DataCredits.V1;
using DePinChain.Protos.Depin.Rewards.V1;
using DePinChain.Sdk;
using Google.Protobuf;
using static DePinChain.Modules.Rewards.Tests.RewardsChain;

namespace DePinChain.Modules.Rewards.Tests;

/// <summary>
/// The lazy payout (issue 16): the epoch end fixes the split, devices are settled by claims and by the automatic payout
/// a few per block, and every device still gets exactly what the eager formula gave it.
/// </summary>
public class LazyPayoutTests
{
    private const ulong One = RewardCalculator.UnitScale;

    /// <summary>The eager formula of issue 6, written out again here (test only) from the epoch's inputs as they stood at its end.</summary>
    private sealed record EpochInputs(long Epoch, ulong Minted, ulong DcPerDpin, List<(byte[] Key, byte[]? Owner, ulong Beacon, ulong Witness, ulong Dc)> Devices)
    {
        public Dictionary<string, (byte[]? Owner, ulong Beacon, ulong Witness, ulong Data)> Reference()
        {
            ulong Floor(ulong amount, ulong part, BigInteger total) => total.IsZero ? 0 : (ulong)(amount * (BigInteger)part / total);
            ulong beaconPool = Minted * 600 / 10_000, witnessPool = Minted * 2_400 / 10_000, dataPool = Minted * 5_000 / 10_000;
            BigInteger totalBeacon = Devices.Aggregate(BigInteger.Zero, (t, d) => t + d.Beacon);
            BigInteger totalWitness = Devices.Aggregate(BigInteger.Zero, (t, d) => t + d.Witness);
            BigInteger totalDc = Devices.Aggregate(BigInteger.Zero, (t, d) => t + d.Dc);
            ulong cap = (ulong)BigInteger.Min(totalDc * 1_000_000 / DcPerDpin, ulong.MaxValue);
            ulong dataPaid = Math.Min(dataPool, cap);
            ulong overflow = dataPool - dataPaid;
            ulong witnessExtra = overflow * 8_000 / 10_000;
            return Devices.ToDictionary(d => Convert.ToHexString(d.Key), d => (d.Owner,
                Floor(beaconPool + overflow - witnessExtra, d.Beacon, totalBeacon), Floor(witnessPool + witnessExtra, d.Witness, totalWitness), Floor(dataPaid, d.Dc, totalDc)));
        }
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    public void Random_histories_of_units_traffic_burns_claims_and_transfers_pay_every_device_the_eager_formula_and_every_epoch_exactly(int seed)
    {
        var random = new Random(seed);
        // Two devices per block: payouts of 12 devices span several blocks, and (epochs of 3 to 5 blocks) overlap the next epoch.
        var chain = new RewardsChain(epochBlocks: random.Next(3, 6), initialEmission: random.Next(1_000_000, 5_000_000), payoutDevicesPerBlock: 2);
        var owners = Enumerable.Range(0, 4).Select(i => TestState.Address((byte)(0x20 + i))).ToArray();
        var devices = Enumerable.Range(0, 12).Select(i => new byte[] { 0x03, (byte)(i * 29), (byte)i }).ToArray();
        for (int i = 0; i < devices.Length; i++) chain.AddDevice(devices[i], owners[i % owners.Length]);
        chain.Sink!.Add(TestState.Address(0x71), TestState.Address(0x81));
        chain.Block(null, new MsgRegisterRouter { Authority = Text(Authority), Router = Text(RouterAddress), Name = "r" });

        var epochs = new List<EpochInputs>();
        int claims = 0, transfers = 0, midPayoutClaims = 0;
        for (int block = 0; block < 90; block++)
        {
            // Between blocks: an owner hands a device over (its hook settles the device's unpaid epochs first).
            if (random.Next(6) == 0)
            {
                chain.TransferDevice(devices[random.Next(devices.Length)], owners[random.Next(owners.Length)]);
                transfers++;
            }
            bool endsEpoch = (chain.Height + 1) % chain.EpochBlocks == chain.EpochBlocks - 1;
            long epoch = chain.CurrentEpoch;
            if (endsEpoch && random.Next(5) != 0)
                foreach (var d in devices.Where(_ => random.Next(3) != 0))
                    chain.SetUnits(epoch, d, (ulong)random.NextInt64(0, 2 * (long)One), (ulong)random.NextInt64(0, 5 * (long)One), (ulong)random.NextInt64(1, (long)One + 1));

            var txs = new List<IMessage>();
            for (int t = random.Next(0, 4); t > 0; t--)
            {
                switch (random.Next(5))
                {
                    case 0:
                        txs.Add(new MsgBurnForCredits { Sender = Text(Customer), Amount = random.Next(1, 20_000).ToString() });
                        break;
                    case 1:
                        txs.Add(new MsgDelegateCredits { Owner = Text(Customer), Router = Text(RouterAddress), Amount = (ulong)random.Next(1, 2_000) });
                        break;
                    case 2:
                        var device = devices[random.Next(devices.Length)];
                        var claim = new MsgClaimRewards { Owner = Text(chain.Devices.Owners[Convert.ToHexString(device)]) };
                        claim.DeviceKeys.Add(ByteString.CopyFrom(device));
                        txs.Add(claim);
                        break;
                    default:
                        txs.Add(new MsgReportTraffic
                        {
                            Router = Text(RouterAddress), Payer = Text(Customer), Bytes = (ulong)random.Next(1, 50_000),
                            DeviceKey = ByteString.CopyFrom(devices[random.Next(devices.Length)]),
                        });
                        break;
                }
            }
            bool payoutOpen = chain.Rewards.Keeper.OpenPayouts(chain.Current).Count > 0;
            var votes = new[] { new VoteInfo(TestState.Address(0x71), 10, true) };
            var (failures, ctx) = chain.Block(votes, [.. txs]);
            Assert.All(failures, f => Assert.Equal("datacredits", f.Codespace)); // only refused traffic (not enough DC)
            int claimed = txs.Count(t => t is MsgClaimRewards);
            claims += claimed;
            if (payoutOpen) midPayoutClaims += claimed;

            if (!chain.Mint.Keeper.IsLastBlockOfEpoch(ctx, chain.Height)) continue;
            // The epoch's inputs as they stand at its end: units, paid traffic, owners (traffic-only devices: the active owner).
            var units = chain.Coverage.EpochUnits(epoch).ToDictionary(u => Convert.ToHexString(u.DeviceKey));
            var traffic = chain.Credits.Keeper.EpochTraffic(chain.Current, epoch).ToDictionary(r => Convert.ToHexString(r.DeviceKey.Span));
            var inputs = units.Keys.Union(traffic.Keys).Order(StringComparer.Ordinal).Select(key =>
            {
                var u = units.GetValueOrDefault(key);
                var r = traffic.GetValueOrDefault(key);
                byte[]? owner = u?.Owner ?? chain.Devices.Owners.GetValueOrDefault(key);
                return (Convert.FromHexString(key), owner, u?.BeaconUnits ?? 0, u?.WitnessUnits ?? 0, r?.DcBurned ?? 0);
            }).ToList();
            epochs.Add(new EpochInputs(epoch, ulong.Parse(chain.Mint.Keeper.GetLastEmission(chain.Current)!.Total), chain.Credits.Keeper.DcPerDpin(chain.Current), inputs));
        }
        // Let the automatic payout finish.
        for (int i = 0; i < 100 && chain.Rewards.Keeper.OpenPayouts(chain.Current).Count > 0; i++) chain.Block();
        Assert.Empty(chain.Rewards.Keeper.OpenPayouts(chain.Current));

        var paidTo = owners.ToDictionary(Convert.ToHexString, _ => BigInteger.Zero);
        var treasury = BigInteger.Zero;
        bool spanned = false;
        foreach (var e in epochs)
        {
            var summary = chain.Rewards.Keeper.GetSummary(chain.Current, e.Epoch)!;
            Assert.True(summary.PayoutComplete);
            spanned |= summary.PayoutCompletedHeight > summary.Height;
            Assert.Equal(e.Minted.ToString(), summary.Minted);
            var paidDevices = BigInteger.Parse(summary.PaidToDevices);
            Assert.Equal(BigInteger.Parse(summary.Minted), paidDevices + BigInteger.Parse(summary.PaidToValidators) + BigInteger.Parse(summary.ToTreasury));
            var recordSum = BigInteger.Zero;
            foreach (var (key, (owner, beacon, witness, data)) in e.Reference())
            {
                var record = chain.Rewards.Keeper.GetSettledRecord(chain.Current, e.Epoch, Convert.FromHexString(key))!;
                Assert.True(record.Settled);
                Assert.Equal((beacon.ToString(), witness.ToString(), data.ToString()), (record.BeaconAmount, record.WitnessAmount, record.DataAmount));
                Assert.Equal(owner is null ? "" : Text(owner), record.Owner);
                var amount = BigInteger.Parse(record.Amount);
                Assert.Equal(owner is null ? BigInteger.Zero : (BigInteger)beacon + witness + data, amount);
                recordSum += amount;
                if (owner is not null) paidTo[Convert.ToHexString(owner)] += amount;
            }
            Assert.Equal(paidDevices, recordSum);
            treasury += BigInteger.Parse(summary.ToTreasury);
        }
        foreach (var owner in owners) Assert.Equal(paidTo[Convert.ToHexString(owner)], chain.Udpin(owner));
        // The epochs that ended while the last payouts finished had no units or traffic: all to the validator and the treasury.
        for (long e = epochs[^1].Epoch + 1; chain.Rewards.Keeper.GetSummary(chain.Current, e) is { } tail; e++)
        {
            Assert.Equal("0", tail.PaidToDevices);
            treasury += BigInteger.Parse(tail.ToTreasury);
        }
        Assert.Equal(treasury, chain.Treasury);
        Assert.Equal(BigInteger.Zero, chain.Pool);
        Assert.True(epochs.Count >= 15, $"only {epochs.Count} epochs ended");
        Assert.True(spanned, "some payout should run past its epoch-end block");
        Assert.True(claims > 0 && midPayoutClaims > 0 && transfers > 0, $"claims {claims} ({midPayoutClaims} while a payout ran), transfers {transfers}");
    }

    [Fact]
    public void A_devices_reward_query_gives_the_same_breakdown_before_and_after_it_is_claimed()
    {
        var chain = new RewardsChain(payoutDevicesPerBlock: 1);
        var owner = TestState.Address(0x21);
        byte[][] devices = [[0x03, 1], [0x03, 2], [0x03, 3]];
        foreach (var d in devices)
        {
            chain.AddDevice(d, owner);
            chain.SetUnits(0, d, One * (ulong)d[1], 2 * One, One / d[1]);
        }
        chain.FinishEpoch();
        // One device a block: the epoch-end block settled the first; the last is still unpaid.
        var summary = chain.Rewards.Keeper.GetSummary(chain.Current, 0)!;
        Assert.False(summary.PayoutComplete);
        var device = devices[2];
        QueryDeviceRewardResponse Query() => chain.Query("/depin.rewards.v1.Query/DeviceReward",
            new QueryDeviceRewardRequest { DeviceKey = ByteString.CopyFrom(device), Epoch = 0 }, QueryDeviceRewardResponse.Parser);
        QueryOwnerRewardsResponse Owner() => chain.Query("/depin.rewards.v1.Query/OwnerRewards",
            new QueryOwnerRewardsRequest { Owner = Text(owner), Epoch = 0 }, QueryOwnerRewardsResponse.Parser);
        var before = Query().Record;
        var ownerBefore = Owner();
        Assert.False(before.Settled);
        Assert.Equal(3, ownerBefore.Records.Count);
        Assert.Equal([true, false, false], ownerBefore.Records.Select(r => r.Settled));
        var balance = chain.Udpin(owner);

        var claim = new MsgClaimRewards { Owner = Text(owner) };
        claim.DeviceKeys.Add(ByteString.CopyFrom(device));
        Assert.Empty(chain.Block(null, claim).Failures);

        var after = Query().Record;
        Assert.True(after.Settled);
        Assert.Equal(before, new RewardRecord(after) { Settled = false });
        Assert.Equal(3_000_000_000UL, after.BeaconUnits);
        Assert.Equal(One / 3, after.DensityScale);
        Assert.NotEqual("0", after.Amount);
        var ownerAfter = Owner();
        Assert.Equal(ownerBefore.Total, ownerAfter.Total);
        Assert.Equal(ownerBefore.Records.Select(r => new RewardRecord(r) { Settled = false }), ownerAfter.Records.Select(r => new RewardRecord(r) { Settled = false }));
        // The claim paid the claimed device; the block's automatic chunk paid the middle one; the next block skips the
        // claimed one, and the one after finds no device left and completes the epoch.
        Assert.Equal(balance + BigInteger.Parse(after.Amount) + BigInteger.Parse(ownerAfter.Records[1].Amount), chain.Udpin(owner));
        chain.Block();
        chain.Block();
        Assert.True(chain.Rewards.Keeper.GetSummary(chain.Current, 0)!.PayoutComplete);
        Assert.Equal(ownerAfter.Total, chain.Rewards.Keeper.GetSummary(chain.Current, 0)!.PaidToDevices);
    }

    [Fact]
    public void A_claim_is_refused_for_a_device_of_someone_else_or_unknown_and_claiming_twice_pays_nothing_more()
    {
        var chain = new RewardsChain(payoutDevicesPerBlock: 1);
        var owner = TestState.Address(0x21);
        var other = TestState.Address(0x22);
        byte[][] devices = [[0x03, 1], [0x03, 2], [0x03, 3], [0x03, 4]];
        foreach (var d in devices)
        {
            chain.AddDevice(d, owner);
            chain.SetUnits(0, d, One, One);
        }
        chain.FinishEpoch();
        MsgClaimRewards Claim(byte[] signer, params byte[][] keys)
        {
            var m = new MsgClaimRewards { Owner = Text(signer) };
            m.DeviceKeys.AddRange(keys.Select(k => ByteString.CopyFrom(k)));
            return m;
        }
        var refused = chain.Block(null, Claim(other, devices[3])).Failures;
        Assert.Equal((RewardsErrors.NotOwnerCode, "rewards"), (refused.Single().Code, refused.Single().Codespace));
        refused = chain.Block(null, Claim(owner, [0x03, 0x77])).Failures;
        Assert.Equal(RewardsErrors.NotFoundCode, refused.Single().Code);
        Assert.Throws<SdkError>(() => RewardsMsgServer.ValidateClaim(Claim(owner, devices[3], devices[3])));
        Assert.Throws<SdkError>(() => RewardsMsgServer.ValidateClaim(Claim(owner)));

        var ctx = chain.Current;
        var response = new RewardsMsgServer(chain.Rewards.Keeper).ClaimRewards(ctx, Claim(owner, devices[3]));
        var balance = chain.Udpin(owner);
        var again = new RewardsMsgServer(chain.Rewards.Keeper).ClaimRewards(chain.Current, Claim(owner, devices[3]));
        Assert.Equal("0", again.Amount);
        Assert.Empty(again.Records);
        Assert.Equal(balance, chain.Udpin(owner));
        Assert.Single(response.Records);
        // Every device paid exactly once: the devices' amounts add up to what the summary says, and to the owner's balance.
        for (int i = 0; i < 5; i++) chain.Block();
        var summary = chain.Rewards.Keeper.GetSummary(chain.Current, 0)!;
        Assert.True(summary.PayoutComplete);
        Assert.Equal(BigInteger.Parse(summary.PaidToDevices), chain.Udpin(owner));
        Assert.Equal(4UL, summary.DevicesRewarded);
    }
}
