using System.Numerics;
using DePinChain.Modules.DataCredits;
using DePinChain.Modules.Tests;
using DePinChain.Protos.Depin.DataCredits.V1;
using DePinChain.Protos.Depin.Rewards.V1;
using DePinChain.Sdk;
using Google.Protobuf;
using static DePinChain.Modules.Rewards.Tests.RewardsChain;

namespace DePinChain.Modules.Rewards.Tests;

/// <summary>
/// Random seeded histories of burns, delegations, traffic (some of it refused), coverage and votes, checked
/// after every block against the supply and split invariants.
/// </summary>
public class SupplyPropertyTests
{
    private const ulong One = RewardCalculator.UnitScale;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void Random_histories_conserve_supply_respect_the_cap_and_split_every_epoch_exactly(int seed)
    {
        var random = new Random(seed);
        const long genesis = 50_000_000;
        // The schedule would mint 2 · initial · halving in total; the cap leaves room for about half of it, so every
        // history runs into the cap part-way (burns are small next to the emission). Epochs of at least 3 blocks,
        // so that epoch 0 ends inside the checked blocks.
        long initial = random.Next(1_000_000, 5_000_000);
        int halving = random.Next(1, 4);
        long cap = genesis + initial * halving + random.Next(0, (int)(initial / 2));
        var chain = new RewardsChain(epochBlocks: random.Next(3, 6), initialEmission: initial, maxSupply: cap, halving: halving,
            customerBalance: genesis, mintParams: new() { ReemissionShareBps = (uint)random.Next(0, 10_001), MaxReemissionPerEpoch = random.Next(0, 500_000).ToString() });

        var owners = Enumerable.Range(0, 3).Select(i => TestState.Address((byte)(0x20 + i))).ToArray();
        var devices = Enumerable.Range(0, 8).Select(i => new byte[] { 0x03, (byte)(i * 17), (byte)i }).ToArray();
        for (int i = 0; i < devices.Length; i++) chain.AddDevice(devices[i], owners[i % owners.Length]);
        for (long e = 0; e < 40; e++)
        {
            if (random.Next(4) == 0) continue; // an epoch with no coverage at all
            foreach (var d in devices.Where(_ => random.Next(2) == 0))
                chain.SetUnits(e, d, (ulong)random.NextInt64(0, 2 * (long)One), (ulong)random.NextInt64(0, 5 * (long)One), (ulong)random.NextInt64(1, (long)One + 1));
        }
        byte[][] validators = [TestState.Address(0x71), TestState.Address(0x72), TestState.Address(0x73)];
        // The sink knows two of the three validators (their operators' accounts receive); the third's share is refused.
        var payouts = new[] { TestState.Address(0x81), TestState.Address(0x82) };
        chain.Sink!.Add(validators[0], payouts[0]);
        chain.Sink.Add(validators[1], payouts[1]);

        chain.Block(null, new MsgRegisterRouter { Authority = Text(Authority), Router = Text(RouterAddress), Name = "r" });

        var recipients = owners.Concat(payouts).ToArray();
        var expected = recipients.ToDictionary(Convert.ToHexString, _ => BigInteger.Zero);
        var treasury = BigInteger.Zero;
        int epochsChecked = 0, refused = 0;
        bool capBound = false;
        var cap256 = new BigInteger(cap);

        for (int block = 0; block < 120; block++)
        {
            var txs = new List<IMessage>();
            for (int t = random.Next(0, 4); t > 0; t--)
            {
                switch (random.Next(4))
                {
                    case 0:
                        txs.Add(new MsgBurnForCredits { Sender = Text(Customer), Amount = random.Next(1, 20_000).ToString() });
                        break;
                    case 1:
                        txs.Add(new MsgDelegateCredits { Owner = Text(Customer), Router = Text(RouterAddress), Amount = (ulong)random.Next(1, 2_000) });
                        break;
                    default:
                        txs.Add(new MsgReportTraffic
                        {
                            Router = Text(RouterAddress), Payer = Text(Customer), Bytes = (ulong)random.Next(1, 50_000),
                            DeviceKey = ByteString.CopyFrom(random.Next(10) == 0 ? [0x09] : devices[random.Next(devices.Length)]),
                        });
                        break;
                }
            }
            var votes = validators.Select(v => new VoteInfo(v, random.Next(1, 100), random.Next(5) != 0)).ToArray();
            var (failures, ctx) = chain.Block(votes, [.. txs]);
            refused += failures.Count;
            Assert.All(failures, f => Assert.Contains(f.Codespace, new[] { "datacredits", "sdk" }));

            var minter = chain.Mint.Keeper.GetMinter(chain.Current);
            var supply = chain.Bank.GetSupply(chain.Current, "udpin");
            var minted = BigInteger.Parse(minter.MintedTotal);
            var burned = BigInteger.Parse(minter.BurnedTotal);
            Assert.Equal(genesis + minted - burned, supply);
            Assert.True(supply <= cap256, $"supply {supply} above the cap {cap}");
            Assert.True(minted <= cap256 - genesis + burned);
            Assert.Equal(BigInteger.Zero, chain.Pool); // the pool is emptied at every epoch end and filled only there
            foreach (var (_, coins) in chain.Bank.IterateAllBalances(chain.Current))
                Assert.All(coins.Items, c => Assert.True(c.Amount.Sign > 0));
            AssertCreditsConserved(chain);

            if (!chain.Mint.Keeper.IsLastBlockOfEpoch(ctx, chain.Height)) continue;
            long epoch = chain.Mint.Keeper.EpochOf(ctx, chain.Height);
            var emission = chain.Mint.Keeper.GetLastEmission(chain.Current)!;
            var summary = chain.Rewards.Keeper.GetSummary(chain.Current, epoch)!;
            Assert.Equal(emission.Total, summary.Minted);
            capBound |= emission.ScheduledMinted != emission.Scheduled;
            var paidDevices = BigInteger.Parse(summary.PaidToDevices);
            var paidValidators = BigInteger.Parse(summary.PaidToValidators);
            Assert.Equal(BigInteger.Parse(summary.Minted), paidDevices + paidValidators + BigInteger.Parse(summary.ToTreasury));

            var recordSum = BigInteger.Zero;
            foreach (var owner in owners)
                foreach (var record in chain.Rewards.Keeper.OwnerRecords(chain.Current, owner, epoch))
                {
                    recordSum += BigInteger.Parse(record.Amount);
                    expected[Convert.ToHexString(owner)] += BigInteger.Parse(record.Amount);
                }
            Assert.Equal(paidDevices, recordSum);
            var validatorSum = BigInteger.Zero;
            foreach (var v in chain.Rewards.Keeper.ValidatorRewards(chain.Current, epoch).Where(v => v.PayoutAddress.Length > 0))
            {
                validatorSum += BigInteger.Parse(v.Amount);
                expected[Convert.ToHexString(ValidatorAddress.ParseOperator(v.PayoutAddress))] += BigInteger.Parse(v.Amount);
            }
            Assert.Equal(paidValidators, validatorSum);
            treasury += BigInteger.Parse(summary.ToTreasury);
            foreach (var r in recipients) Assert.Equal(expected[Convert.ToHexString(r)], chain.Udpin(r));
            Assert.Equal(treasury, chain.Treasury);
            epochsChecked++;
        }
        Assert.True(epochsChecked >= 20, $"only {epochsChecked} epochs ended");
        Assert.True(refused > 0, "the history should include refused transactions");
        Assert.True(capBound, "the history should run into the cap");
    }

    /// <summary>DC issued − DC burned = every balance + every delegation.</summary>
    private static void AssertCreditsConserved(RewardsChain chain)
    {
        var g = DataCreditsGenesis.Json.Parse(chain.Credits.ExportGenesis(chain.Current));
        UInt128 held = 0;
        foreach (var b in g.Balances) held += b.Amount;
        foreach (var d in g.Delegations) held += d.Amount;
        Assert.Equal((UInt128)g.DcIssuedTotal - g.DcBurnedTotal, held);
    }
}
