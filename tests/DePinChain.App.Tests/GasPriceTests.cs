using System.Numerics;
using DePinChain.App;

namespace DePinChain.App.Tests;

public class GasPriceTests
{
    [Theory]
    [InlineData("0.025udpin", "udpin", "25000000000000000")]
    [InlineData("1udpin", "udpin", "1000000000000000000")]
    [InlineData("0.000000000000000001uatom", "uatom", "1")]
    public void A_decimal_price_is_held_exactly_in_atto_units(string text, string denom, string atto)
    {
        var price = GasPrice.Parse(text);
        Assert.Equal(denom, price.Denom);
        Assert.Equal(BigInteger.Parse(atto), price.Atto);
    }

    [Fact]
    public void The_required_fee_is_rounded_up()
    {
        Assert.Equal(new BigInteger(5_000), GasPrice.Parse("0.025udpin").RequiredFee(200_000));
        Assert.Equal(BigInteger.One, GasPrice.Parse("0.000001udpin").RequiredFee(1));
    }

    [Theory]
    [InlineData("0.0.1udpin", "want a decimal number")]
    [InlineData(".5udpin", "want a decimal number")]
    [InlineData("1.udpin", "want a decimal number")]
    [InlineData("0.0000000000000000001udpin", "at most 18 decimal places")]
    [InlineData("udpin", "want an amount and a denom")]
    [InlineData("0.025", "want an amount and a denom")]
    public void A_malformed_price_names_what_is_wrong(string text, string reason)
    {
        var e = Assert.Throws<FormatException>(() => GasPrice.Parse(text));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void A_list_of_prices_is_comma_separated()
    {
        var prices = AppOptions.ParseGasPrices("0.025udpin, 1uatom");
        Assert.Equal(["udpin", "uatom"], prices.Select(p => p.Denom));
        Assert.Empty(AppOptions.ParseGasPrices(" "));
    }
}
