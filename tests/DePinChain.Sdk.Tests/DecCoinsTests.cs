using Xunit;
using ProtoDecCoin = DePinChain.Protos.Cosmos.Base.V1Beta1.DecCoin;

namespace DePinChain.Sdk.Tests;

public sealed class DecCoinsTests
{
    private static LegacyDec D(string text) => LegacyDec.Parse(text);

    private static DecCoins Dc(params (string Denom, string Amount)[] coins)
        => DecCoins.Of([.. coins.Select(c => new DecCoin(c.Denom, D(c.Amount)))]);

    [Fact]
    public void Of_sorts_merges_and_drops_zeros()
    {
        var c = Dc(("uzzz", "1"), ("udpin", "0.5"), ("udpin", "0.25"), ("uaaa", "0"));
        Assert.Equal("0.750000000000000000udpin,1.000000000000000000uzzz", c.ToString());
        Assert.Throws<SdkError>(() => Dc(("udpin", "-1")));
    }

    [Fact]
    public void Add_and_sub_work_per_denom()
    {
        var a = Dc(("udpin", "1.5"), ("uxyz", "2"));
        var b = Dc(("udpin", "0.5"), ("uabc", "3"));
        Assert.Equal(Dc(("uabc", "3"), ("udpin", "2"), ("uxyz", "2")), a.Add(b));
        Assert.Equal(Dc(("uxyz", "2")), a.Sub(Dc(("udpin", "1.5"))));
        Assert.Throws<InvalidOperationException>(() => a.Sub(b));
        var (diff, negative) = a.SafeSub(b);
        Assert.True(negative);
        Assert.True(diff.IsAnyNegative);
        Assert.Equal(D("-3"), diff.AmountOf("uabc"));
    }

    [Fact]
    public void Mul_rounds_half_even_and_truncate_cuts()
    {
        var c = Dc(("udpin", "0.000000000000000005"));
        Assert.Equal(D("0.000000000000000002"), c.MulDec(D("0.5")).AmountOf("udpin"));
        Assert.Equal(D("0.000000000000000002"), c.MulDecTruncate(D("0.5")).AmountOf("udpin"));
        var seven = Dc(("udpin", "0.000000000000000007"));
        Assert.Equal(D("0.000000000000000004"), seven.MulDec(D("0.5")).AmountOf("udpin"));
        Assert.Equal(D("0.000000000000000003"), seven.MulDecTruncate(D("0.5")).AmountOf("udpin"));
        Assert.True(Dc(("udpin", "0.000000000000000001")).MulDecTruncate(D("0.5")).IsZero);
    }

    [Fact]
    public void QuoDecTruncate_cuts_and_refuses_zero()
    {
        var c = Dc(("udpin", "10"));
        Assert.Equal(D("3.333333333333333333"), c.QuoDecTruncate(D("3")).AmountOf("udpin"));
        Assert.Throws<DivideByZeroException>(() => c.QuoDecTruncate(LegacyDec.Zero));
    }

    [Fact]
    public void TruncateDecimal_splits_whole_coins_and_change()
    {
        var (whole, change) = Dc(("uabc", "0.3"), ("udpin", "12.75"), ("uxyz", "4")).TruncateDecimal();
        Assert.Equal("12udpin,4uxyz", whole.ToString());
        Assert.Equal(Dc(("uabc", "0.3"), ("udpin", "0.75")), change);
    }

    [Fact]
    public void Intersect_keeps_the_smaller_amount_of_each_denom_of_the_left_side()
    {
        var a = Dc(("uabc", "5"), ("udpin", "2"), ("uxyz", "1"));
        var b = Dc(("udpin", "3"), ("uabc", "1"));
        Assert.Equal(Dc(("uabc", "1"), ("udpin", "2")), a.Intersect(b));
    }

    [Fact]
    public void FromCoins_and_zero()
    {
        Assert.True(DecCoins.Empty.IsZero);
        var c = DecCoins.FromCoins(Coins.Of(new Coin("udpin", 7), new Coin("uabc", 2)));
        Assert.Equal(Dc(("uabc", "2"), ("udpin", "7")), c);
        Assert.False(c.IsZero);
    }

    [Fact]
    public void Proto_form_carries_wire_digits_and_round_trips()
    {
        var c = Dc(("udpin", "1.5"));
        var proto = c.ToProto().Single();
        Assert.Equal("1500000000000000000", proto.Amount);
        Assert.Equal(c, DecCoins.FromProto([proto]));
    }

    [Fact]
    public void FromProto_refuses_unsorted_duplicate_zero_and_bad_amounts()
    {
        Assert.Throws<SdkError>(() => DecCoins.FromProto([new ProtoDecCoin { Denom = "uxyz", Amount = "1" }, new ProtoDecCoin { Denom = "uabc", Amount = "1" }]));
        Assert.Throws<SdkError>(() => DecCoins.FromProto([new ProtoDecCoin { Denom = "uabc", Amount = "1" }, new ProtoDecCoin { Denom = "uabc", Amount = "1" }]));
        Assert.Throws<SdkError>(() => DecCoins.FromProto([new ProtoDecCoin { Denom = "uabc", Amount = "0" }]));
        Assert.Throws<SdkError>(() => DecCoins.FromProto([new ProtoDecCoin { Denom = "uabc", Amount = "-5" }]));
        Assert.Throws<SdkError>(() => DecCoins.FromProto([new ProtoDecCoin { Denom = "uabc", Amount = "1.5" }]));
    }
}
