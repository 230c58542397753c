namespace DePinChain.Modules.Rewards.Tests;

public class RewardCalculatorTests
{
    private const ulong One = RewardCalculator.UnitScale;
    private static readonly byte[] OwnerA = [0xA1], OwnerB = [0xB1], OwnerC = [0xC1];

    private static DeviceEpochInput Device(byte key, byte[]? owner, ulong beacon, ulong witness, ulong scale = One, ulong dc = 0)
        => new([key], owner, beacon, witness, scale, dc * 24, dc);

    [Fact]
    public void The_documented_worked_example_splits_one_million_exactly()
    {
        // Pools of 1,000,000: beacons 60,000, witnesses 240,000, data 500,000, validators 140,000, treasury 60,000.
        // 300 DC at 100,000 DC/DPIN are worth 3,000 udpin: the data pool pays 3,000 and 497,000 overflows,
        // 397,600 to witnesses and 99,400 to beacons. Beacon pool 159,400 over beacon units 1+1+1 (B's are
        // already halved by its density scale 0.5, which is not applied again): 53,133 each. Witness pool 637,600 over 2+1: A 425,066, B 212,533. Data: A 1,000, C 2,000.
        // Validators 30:70 of 140,000. Treasury: 60,000 + the two 1-udpin floor remainders.
        DeviceEpochInput[] devices =
        [
            Device(1, OwnerA, One, 2 * One, dc: 100),
            Device(2, OwnerB, One, One, scale: One / 2),
            Device(3, OwnerC, One, 0, dc: 200),
        ];
        ValidatorWeight[] validators = [new([0x01], [0x11], 30), new([0x02], [0x12], 70)];

        var r = RewardCalculator.Compute(1_000_000, RewardShares.Default, 100_000, devices, validators);

        Assert.Equal((60_000UL, 240_000UL, 500_000UL, 140_000UL, 60_000UL), (r.BeaconPool, r.WitnessPool, r.DataPool, r.ValidatorPool, r.TreasuryPool));
        Assert.Equal((3_000UL, 497_000UL), (r.DataCap, r.DataOverflow));
        Assert.Equal(new DeviceReward(53_133, 425_066, 1_000), r.Devices[0]);
        Assert.Equal(new DeviceReward(53_133, 212_533, 0), r.Devices[1]);
        Assert.Equal(new DeviceReward(53_133, 0, 2_000), r.Devices[2]);
        Assert.Equal([42_000UL, 98_000UL], r.Validators);
        Assert.Equal((799_998UL, 140_000UL, 60_002UL), (r.PaidToDevices, r.PaidToValidators, r.ToTreasury));
    }

    [Fact]
    public void When_traffic_is_worth_more_than_the_data_pool_the_pool_is_paid_by_DC_share_with_no_overflow()
    {
        // 10,000,000 DC are worth 100,000,000 udpin, far above the 500 data pool of 1,000 minted.
        DeviceEpochInput[] devices = [Device(1, OwnerA, One, One, dc: 3_000_000), Device(2, OwnerB, 0, 0, dc: 7_000_000)];
        var r = RewardCalculator.Compute(1_000, RewardShares.Default, 100_000, devices, []);
        Assert.Equal(0UL, r.DataOverflow);
        Assert.Equal((150UL, 350UL), (r.Devices[0].DataAmount, r.Devices[1].DataAmount));
        // Device 1 alone holds every coverage unit: the whole beacon (60) and witness (240) pools.
        Assert.Equal((60UL, 240UL), (r.Devices[0].BeaconAmount, r.Devices[0].WitnessAmount));
        Assert.Equal(1_000UL, r.PaidToDevices + r.PaidToValidators + r.ToTreasury);
        Assert.Equal(60UL + 140UL, r.ToTreasury); // treasury share + validators' share with no validators
    }

    [Fact]
    public void An_epoch_without_traffic_moves_the_whole_data_pool_to_coverage_80_20()
    {
        DeviceEpochInput[] devices = [Device(1, OwnerA, One, 0), Device(2, OwnerB, 0, One)];
        var r = RewardCalculator.Compute(10_000, RewardShares.Default, 100_000, devices, [new([1], [2], 5)]);
        Assert.Equal((0UL, 5_000UL), (r.DataCap, r.DataOverflow));
        Assert.Equal(600UL + 1_000UL, r.Devices[0].BeaconAmount);
        Assert.Equal(2_400UL + 4_000UL, r.Devices[1].WitnessAmount);
        Assert.Equal(0UL, r.Devices[0].DataAmount + r.Devices[1].DataAmount);
        Assert.Equal((1_400UL, 600UL), (r.PaidToValidators, r.ToTreasury));
    }

    [Fact]
    public void An_epoch_without_coverage_sends_the_coverage_pools_and_their_overflow_to_the_treasury()
    {
        DeviceEpochInput[] devices = [Device(1, OwnerA, 0, 0, dc: 100)];
        var r = RewardCalculator.Compute(1_000_000, RewardShares.Default, 100_000, devices, []);
        Assert.Equal(1_000UL, r.Devices[0].DataAmount); // 100 DC worth 1,000 udpin
        Assert.Equal(0UL, r.Devices[0].BeaconAmount + r.Devices[0].WitnessAmount);
        Assert.Equal(1_000UL, r.PaidToDevices);
        Assert.Equal(999_000UL, r.ToTreasury);
    }

    [Fact]
    public void An_epoch_with_nothing_at_all_sends_everything_to_the_treasury()
    {
        var r = RewardCalculator.Compute(123_457, RewardShares.Default, 100_000, [], []);
        Assert.Equal((0UL, 0UL, 123_457UL), (r.PaidToDevices, r.PaidToValidators, r.ToTreasury));
    }

    [Fact]
    public void A_device_without_an_owner_earns_on_paper_but_its_share_goes_to_the_treasury()
    {
        DeviceEpochInput[] devices = [Device(1, OwnerA, One, One), Device(2, null, One, One)];
        var r = RewardCalculator.Compute(10_000, RewardShares.Default, 100_000, devices, []);
        Assert.Equal(r.Devices[0].Amount, r.Devices[1].Amount);
        Assert.Equal(r.Devices[0].Amount, r.PaidToDevices);
        Assert.Equal(10_000UL, r.PaidToDevices + r.ToTreasury);
    }

    [Fact]
    public void Random_epochs_always_split_exactly_and_never_pay_a_pool_more_than_it_holds()
    {
        var random = new Random(20261122);
        for (int round = 0; round < 300; round++)
        {
            ulong minted = (ulong)random.NextInt64(0, long.MaxValue);
            int count = random.Next(0, 40);
            var devices = new DeviceEpochInput[count];
            for (int i = 0; i < count; i++)
                devices[i] = new([(byte)i], random.Next(5) == 0 ? null : [(byte)(i % 7)], (ulong)random.NextInt64(0, 3 * (long)One),
                    (ulong)random.NextInt64(0, 3 * (long)One), (ulong)random.NextInt64(0, (long)One + 1), 0, (ulong)random.NextInt64(0, 1_000_000_000));
            var validators = Enumerable.Range(0, random.Next(0, 5))
                .Select(i => new ValidatorWeight([(byte)i], random.Next(3) == 0 ? null : [(byte)(100 + i)], (ulong)random.NextInt64(0, 1_000_000))).ToArray();
            ulong price = (ulong)random.NextInt64(1, 10_000_000);

            var r = RewardCalculator.Compute(minted, RewardShares.Default, price, devices, validators);

            UInt128 paidDevices = 0, beacon = 0, witness = 0, data = 0;
            for (int i = 0; i < count; i++)
            {
                beacon += r.Devices[i].BeaconAmount;
                witness += r.Devices[i].WitnessAmount;
                data += r.Devices[i].DataAmount;
                if (devices[i].Owner is not null) paidDevices += r.Devices[i].Amount;
            }
            Assert.Equal(paidDevices, (UInt128)r.PaidToDevices);
            Assert.Equal((UInt128)minted, (UInt128)r.PaidToDevices + r.PaidToValidators + r.ToTreasury);
            Assert.True(data <= Math.Min(r.DataPool, r.DataCap));
            Assert.True(beacon + witness <= (UInt128)r.BeaconPool + r.WitnessPool + r.DataOverflow);
            Assert.True(r.ToTreasury >= r.TreasuryPool);
        }
    }

    [Fact]
    public void Shares_that_do_not_sum_to_100_percent_are_refused()
    {
        var shares = RewardShares.Default with { TreasuryBps = 601 };
        Assert.Contains("10001", shares.Validate());
        Assert.Throws<ArgumentException>(() => RewardCalculator.Compute(1, shares, 1, [], []));
        Assert.Throws<ArgumentException>(() => RewardCalculator.Compute(1, RewardShares.Default, 1, [Device(1, OwnerA, One, 0, scale: One + 1)], []));
    }
}
