namespace DePinChain.Crypto.Tests;

public class Bech32Tests
{
    // BIP-173 "valid checksum" vectors.
    [Theory]
    [InlineData("A12UEL5L")]
    [InlineData("a12uel5l")]
    [InlineData("an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs")]
    [InlineData("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw")]
    [InlineData("11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j")]
    [InlineData("split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w")]
    [InlineData("?1ezyfcl")]
    public void BIP173_valid_strings_decode_and_reencode_to_their_lower_case_form(string text)
    {
        var (hrp, words) = Bech32.DecodeWords(text);

        Assert.Equal(text.ToLowerInvariant(), Bech32.EncodeWords(hrp, words));
    }

    // BIP-173 "invalid" vectors, each with the reason the BIP gives.
    [Theory]
    [InlineData("\u00201nwldj5", "out of range")]
    [InlineData("\u007F1axkwrx", "out of range")]
    [InlineData("\u00801eym55h", "out of range")]
    [InlineData("an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx", "too long")]
    [InlineData("pzry9x0s0muk", "no separator")]
    [InlineData("1pzry9x0s0muk", "empty human-readable part")]
    [InlineData("x1b4n0q5v", "invalid data character")]
    [InlineData("li1dgmt3", "checksum too short")]
    [InlineData("de1lg7wt\u00ff", "out of range")]
    [InlineData("A1G7SGD8", "bad checksum")]
    [InlineData("10a06t8", "empty human-readable part")]
    [InlineData("1qzzfhee", "empty human-readable part")]
    public void BIP173_invalid_strings_are_rejected_with_the_reason(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => Bech32.DecodeWords(text));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Mixed_case_is_rejected()
    {
        var error = Assert.Throws<FormatException>(() => Bech32.Decode("A12uEL5L"));
        Assert.Contains("mixed", error.Message);
    }

    [Fact]
    public void Eight_bit_data_round_trips_through_five_bit_words()
    {
        for (var length = 0; length <= 40; length++)
        {
            var data = Enumerable.Range(0, length).Select(i => (byte)(i * 37 + 11)).ToArray();
            var text = Bech32.Encode("depin", data);
            var (hrp, decoded) = Bech32.Decode(text);

            Assert.Equal("depin", hrp);
            Assert.Equal(data, decoded);
        }
    }

    [Fact]
    public void The_BIP173_segwit_example_payload_decodes_to_its_20_bytes()
    {
        // abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw carries words 0..31 in order: 160 bits, no padding.
        var (hrp, data) = Bech32.Decode("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw");

        Assert.Equal("abcdef", hrp);
        Assert.Equal("00443214c74254b635cf84653a56d7c675be77df", Convert.ToHexStringLower(data));
    }

    [Fact]
    public void Upper_case_input_decodes_to_a_lower_case_prefix()
    {
        var text = Bech32.Encode("depin", [1, 2, 3]).ToUpperInvariant();
        var (hrp, data) = Bech32.Decode(text);

        Assert.Equal("depin", hrp);
        Assert.Equal(new byte[] { 1, 2, 3 }, data);
    }

    [Fact]
    public void Non_zero_padding_bits_are_rejected()
    {
        // One word (5 bits) cannot form a byte, and its bits are non-zero.
        var text = Bech32.EncodeWords("depin", [1]);
        var error = Assert.Throws<FormatException>(() => Bech32.Decode(text));
        Assert.Contains("padding", error.Message);
    }

    [Fact]
    public void A_single_changed_character_breaks_the_checksum()
    {
        var text = Bech32.Encode("depin", new byte[20]);
        var changed = text[..^1] + (text[^1] == 'q' ? 'p' : 'q');
        var error = Assert.Throws<FormatException>(() => Bech32.Decode(changed));
        Assert.Contains("bad checksum", error.Message);
    }

    [Fact]
    public void Encoding_rejects_an_upper_case_or_empty_prefix()
    {
        Assert.Throws<ArgumentException>(() => Bech32.Encode("Depin", [1]));
        Assert.Throws<ArgumentException>(() => Bech32.Encode("", [1]));
    }

    [Fact]
    public void The_length_limit_can_be_raised_for_long_data()
    {
        var data = new byte[100];
        var text = Bech32.Encode("depin", data);

        Assert.Contains("too long", Assert.Throws<FormatException>(() => Bech32.Decode(text)).Message);
        Assert.Equal(data, Bech32.Decode(text, 1023).Data);
    }
}
