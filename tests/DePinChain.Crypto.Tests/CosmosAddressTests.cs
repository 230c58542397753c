namespace DePinChain.Crypto.Tests;

public class CosmosAddressTests
{
    // cosmjs test fixtures: the faucet account's public keys (HD paths m/44'/118'/0'/0/{0,2,3,4}) and addresses.
    [Theory]
    [InlineData("A08EGB7ro1ORuFhjOnZcSgwYlpe0DSFjVNUIkNNQxwKQ", "cosmos1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmmk8rs6")]
    [InlineData("AzQg33JZqH7vSsm09esZY5bZvmzYwE/SY78cA0iLxpD7", "cosmos1xy4yqngt0nlkdcenxymg8tenrghmek4nmqm28k")]
    [InlineData("A3gOAlB6aiRTCPvWMQg2+ZbGYNsLd8qlvV28m8p2UhY2", "cosmos142u9fgcjdlycfcez3lw8x6x5h7rfjlnfhpw2lx")]
    [InlineData("Aum2063ub/ErUnIUB36sK55LktGUStgcbSiaAnL1wadu", "cosmos1hsm76p4ahyhl5yh3ve9ur49r5kemhp2r0dcjvx")]
    public void A_secp256k1_public_key_gives_the_known_Cosmos_address(string publicKeyBase64, string expected)
    {
        var address = CosmosAddress.FromSecp256k1PublicKey(Convert.FromBase64String(publicKeyBase64));

        Assert.Equal(20, address.Length);
        Assert.Equal(expected, CosmosAddress.ToBech32(address, "cosmos"));
        Assert.Equal(address, CosmosAddress.Parse(expected, "cosmos"));
    }

    [Fact]
    public void The_same_address_reads_back_under_the_depin_prefix()
    {
        var address = CosmosAddress.Parse("cosmos1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmmk8rs6", "cosmos");
        var depin = CosmosAddress.ToBech32(address, "depin");

        Assert.StartsWith("depin1", depin);
        Assert.Equal(address, CosmosAddress.Parse(depin, "depin"));
    }

    [Fact]
    public void A_wrong_prefix_is_named_in_the_error()
    {
        var error = Assert.Throws<FormatException>(() => CosmosAddress.Parse("cosmos1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmmk8rs6", "depin"));
        Assert.Contains("prefix 'cosmos'", error.Message);
        Assert.Contains("expected 'depin'", error.Message);
    }

    [Fact]
    public void A_bad_checksum_is_named_in_the_error()
    {
        var error = Assert.Throws<FormatException>(() => CosmosAddress.Parse("cosmos1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmmk8rs7", "cosmos"));
        Assert.Contains("bad checksum", error.Message);
    }

    [Theory]
    [InlineData("depin1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53d5ev9", "bad checksum")] // last character mistyped
    [InlineData("depin1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53d5e8v", "bad checksum")] // two characters swapped
    [InlineData("depin1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53d5evb", "invalid data character 'b' at position 43")]
    [InlineData("depin1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53d5eV8", "mixed upper and lower case")]
    [InlineData("cosmos1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmmk8rs6", "prefix 'cosmos', expected 'depin'")]
    [InlineData("", "empty address")]
    public void Problem_names_the_cause_and_only_a_checksum_failure_says_checksum(string text, string expected)
    {
        Assert.Equal(expected, CosmosAddress.Problem(text, "depin"));
        if (text.Length > 0 && !expected.Contains("checksum", StringComparison.Ordinal))
            Assert.DoesNotContain("checksum", Assert.Throws<FormatException>(() => CosmosAddress.Parse(text, "depin")).Message);
    }

    [Fact]
    public void A_valid_address_has_no_problem()
        => Assert.Null(CosmosAddress.Problem("depin1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53d5ev8", "depin"));

    [Fact]
    public void TryDecode_gives_the_reason_Decode_throws_without_the_text()
    {
        const string typo = "depin1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53d5ev9";
        Assert.False(Bech32.TryDecode(typo, 90, out _, out _, out string? reason));
        Assert.Equal("bad checksum", reason);
        Assert.Equal($"invalid bech32 string '{typo}': bad checksum", Assert.Throws<FormatException>(() => Bech32.Decode(typo)).Message);
        Assert.True(Bech32.TryDecode("depin1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc53d5ev8", 90, out string hrp, out byte[] data, out reason));
        Assert.Equal(("depin", 20, null), (hrp, data.Length, reason));
    }

    [Fact]
    public void Empty_input_and_empty_payload_are_rejected()
    {
        Assert.Throws<FormatException>(() => CosmosAddress.Parse("", "depin"));
        var emptyPayload = Bech32.EncodeWords("depin", []);
        Assert.Contains("0 bytes", Assert.Throws<FormatException>(() => CosmosAddress.Parse(emptyPayload, "depin")).Message);
        Assert.False(CosmosAddress.TryParse("depin1garbage", "depin", out _));
    }

    [Fact]
    public void Thirty_two_byte_module_addresses_are_accepted()
    {
        var address = Hashes.Sha256("module"u8);
        Assert.Equal(address, CosmosAddress.Parse(CosmosAddress.ToBech32(address, "depin"), "depin"));
    }

    [Fact]
    public void Only_compressed_public_keys_make_addresses()
    {
        var privateKey = Hashes.Sha256("key"u8);
        Assert.Throws<ArgumentException>(() => CosmosAddress.FromSecp256k1PublicKey(Secp256k1.GetPublicKey(privateKey, compressed: false)));
        Assert.Throws<ArgumentException>(() => CosmosAddress.FromSecp256k1PublicKey(new byte[20]));
    }
}
