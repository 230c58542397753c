namespace DePinChain.Sdk.Tests;

public class AmountsTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("42")]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639935")]
    public void Canonical_amounts_round_trip(string text) => Assert.Equal(text, Amounts.Format(Amounts.Parse(text, "amount")));

    [Theory]
    [InlineData("")]
    [InlineData("007")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639936")]
    public void Anything_else_is_refused_naming_the_field(string text)
        => Assert.Contains("amount", Assert.Throws<FormatException>(() => Amounts.Parse(text, "amount")).Message);
}
