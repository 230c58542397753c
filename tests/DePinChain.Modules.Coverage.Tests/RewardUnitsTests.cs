using DePinChain.Modules.Coverage.Poc;

namespace DePinChain.Modules.Coverage.Tests;

public class RewardUnitsTests
{
    private const int N = 4;
    private const double R = 0.8;

    private static double ReferenceTransmitter(int w) => w <= N ? (double)w / N : Math.Min(2.0, 1 + (1 - Math.Pow(R, w - N)));
    private static double ReferenceWitness(int w) => w <= N ? 1.0 : (N - (1 - Math.Pow(R, w - N))) / w;

    [Fact]
    public void Units_match_the_HIP15_formulas_computed_in_double_precision()
    {
        for (var w = 1; w <= 40; w++)
        {
            var tx = RewardUnits.TransmitterUnits(w, N, 800_000_000, 2_000_000_000) / (double)RewardUnits.Scale;
            var rx = RewardUnits.WitnessUnits(w, N, 800_000_000) / (double)RewardUnits.Scale;
            Assert.Equal(ReferenceTransmitter(w), tx, 1e-8);
            Assert.Equal(ReferenceWitness(w), rx, 1e-8);
        }
    }

    [Theory] // HIP-15's published table (two decimals).
    [InlineData(1, 0.25, 1.00)]
    [InlineData(4, 1.00, 1.00)]
    [InlineData(5, 1.20, 0.76)]
    [InlineData(8, 1.59, 0.43)]
    [InlineData(10, 1.74, 0.33)]
    [InlineData(14, 1.89, 0.22)]
    public void Units_agree_with_the_published_HIP15_table(int witnesses, double transmitter, double witness)
    {
        Assert.Equal(transmitter, RewardUnits.TransmitterUnits(witnesses, N, 800_000_000, 2_000_000_000) / (double)RewardUnits.Scale, 0.006);
        Assert.Equal(witness, RewardUnits.WitnessUnits(witnesses, N, 800_000_000) / (double)RewardUnits.Scale, 0.006);
    }

    [Fact]
    public void A_beacon_never_pays_more_than_redundancy_plus_one_in_total()
    {
        for (var w = 1; w <= 64; w++)
        {
            var total = RewardUnits.TransmitterUnits(w, N, 800_000_000, 2_000_000_000) + w * RewardUnits.WitnessUnits(w, N, 800_000_000);
            Assert.True(total <= (N + 1) * RewardUnits.Scale, $"w={w}: {RewardUnits.Format(total)}");
        }
    }

    [Fact]
    public void No_witnesses_earn_nothing_and_the_transmitter_cap_binds()
    {
        Assert.Equal(0, RewardUnits.TransmitterUnits(0, N, 800_000_000, 2_000_000_000));
        Assert.Equal(0, RewardUnits.WitnessUnits(0, N, 800_000_000));
        Assert.Equal(1_500_000_000, RewardUnits.TransmitterUnits(100, N, 0, 1_500_000_000));
    }

    [Fact]
    public void Scaling_and_formatting_are_exact_integer_operations()
    {
        Assert.Equal(RewardUnits.Scale / 3, RewardUnits.ApplyScale(RewardUnits.Scale, RewardUnits.Scale / 3));
        Assert.Equal("1.737856000", RewardUnits.Format(1 * RewardUnits.Scale + (long)(0.737856 * RewardUnits.Scale)));
    }
}
