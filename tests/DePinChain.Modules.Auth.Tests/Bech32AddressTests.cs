using DePinChain.Sdk;

namespace DePinChain.Modules.Auth.Tests;

public class Bech32AddressTests
{
    [Fact]
    public void Addresses_round_trip_through_bech32()
    {
        var address = Enumerable.Range(0, 20).Select(i => (byte)(i * 13)).ToArray();
        string text = Bech32Address.ToBech32(address);
        Assert.StartsWith("depin1", text);
        Assert.Equal(address, Bech32Address.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnrql8a")]
    [InlineData("depin1notbech32")]
    public void Bad_addresses_are_invalid_address_errors(string text)
    {
        var error = Assert.Throws<SdkError>(() => Bech32Address.Parse(text));
        Assert.Equal(SdkErrors.InvalidAddressCode, error.Code);
    }

    [Fact]
    public void A_changed_character_breaks_the_checksum_and_the_error_says_so()
    {
        string text = Bech32Address.ToBech32(new byte[20]);
        string broken = text[..^1] + (text[^1] == 'q' ? 'p' : 'q');
        var error = Assert.Throws<SdkError>(() => Bech32Address.Parse(broken));
        Assert.Equal(SdkErrors.InvalidAddressCode, error.Code);
        Assert.Contains("bad checksum", error.Message);
    }

    [Fact]
    public void A_character_outside_the_charset_keeps_its_own_wording()
    {
        string text = Bech32Address.ToBech32(new byte[20]);
        var error = Assert.Throws<SdkError>(() => Bech32Address.Parse(text[..^1] + 'b'));
        Assert.Contains("invalid data character 'b'", error.Message);
        Assert.DoesNotContain("checksum", error.Message);
    }
}
