using Xunit;

namespace DePinChain.Sdk.Tests;

public sealed class LegacyDecTests
{
    private static LegacyDec D(string text) => LegacyDec.Parse(text);

    [Theory]
    [InlineData("0", "0.000000000000000000", "0")]
    [InlineData("0.05", "0.050000000000000000", "50000000000000000")]
    [InlineData("1", "1.000000000000000000", "1000000000000000000")]
    [InlineData("-2.5", "-2.500000000000000000", "-2500000000000000000")]
    [InlineData("0.000000000000000001", "0.000000000000000001", "1")]
    public void Text_and_wire_forms_are_the_sdks(string input, string text, string wire)
    {
        var d = D(input);
        Assert.Equal(text, d.ToString());
        Assert.Equal(wire, d.ToWire());
        Assert.Equal(d, LegacyDec.FromWire(wire));
        Assert.Equal(d, D(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("1e5")]
    [InlineData("0.0000000000000000001")]
    [InlineData("+1")]
    [InlineData("1,5")]
    public void Bad_text_is_refused(string input) => Assert.False(LegacyDec.TryParse(input, out _));

    [Fact]
    public void Mul_rounds_half_to_even_and_truncate_cuts()
    {
        var half = D("0.5");
        Assert.Equal("0.000000000000000000", D("0.000000000000000001").Mul(half).ToString()); // 0.5e-18 → even 0
        Assert.Equal("0.000000000000000002", D("0.000000000000000003").Mul(half).ToString()); // 1.5e-18 → even 2
        Assert.Equal("0.000000000000000002", D("0.000000000000000005").Mul(half).ToString()); // 2.5e-18 → even 2
        Assert.Equal("0.000000000000000001", D("0.000000000000000003").MulTruncate(half).ToString());
        Assert.Equal("0.000000000000000002", D("0.000000000000000003").MulRoundUp(half).ToString());
        Assert.Equal("-0.000000000000000002", D("-0.000000000000000003").Mul(half).ToString());
        Assert.Equal("0.250000000000000000", half.Mul(half).ToString());
    }

    [Fact]
    public void Quo_rounds_and_truncate_and_round_up_differ_in_the_last_digit()
    {
        Assert.Equal("0.333333333333333333", D("1").Quo(D("3")).ToString());
        Assert.Equal("0.666666666666666667", D("2").Quo(D("3")).ToString());
        Assert.Equal("0.666666666666666666", D("2").QuoTruncate(D("3")).ToString());
        Assert.Equal("0.333333333333333334", D("1").QuoRoundUp(D("3")).ToString());
        Assert.Equal("0.333333333333333333", D("1").QuoInt(3).ToString());
        Assert.Throws<DivideByZeroException>(() => D("1").Quo(LegacyDec.Zero));
    }

    [Fact]
    public void Integer_parts()
    {
        Assert.Equal(2, (int)D("2.7").TruncateInt());
        Assert.Equal(-2, (int)D("-2.7").TruncateInt());
        Assert.Equal(2, (int)D("2.5").RoundInt());
        Assert.Equal(4, (int)D("3.5").RoundInt());
        Assert.Equal(D("3"), D("2.1").Ceil());
        Assert.Equal(D("-2"), D("-2.1").Ceil());
        Assert.Equal(D("5"), D("5").Ceil());
        Assert.Equal(D("1000000"), LegacyDec.FromInt(1000000));
        Assert.Equal(D("0.05"), LegacyDec.WithPrecision(5, 2));
    }

    [Fact]
    public void Values_beyond_the_sdks_bit_length_overflow()
    {
        var big = LegacyDec.FromInt(System.Numerics.BigInteger.Pow(2, 255));
        Assert.Throws<OverflowException>(() => big.Mul(LegacyDec.FromInt(4)));
    }
}
