using DePinChain.Crypto;
using DePinChain.Sdk;

namespace DePinChain.Modules.Auth.Tests;

/// <summary>The SDK's own bech32 coder must agree with the crypto library's on every input, valid or not.</summary>
public class Bech32CoderTests
{
    [Fact]
    public void Encoding_matches_the_crypto_library_for_every_address_length()
    {
        var random = new Random(7);
        for (int length = 1; length <= 255; length++)
        {
            var address = new byte[length];
            random.NextBytes(address);
            string text = Bech32Address.ToBech32(address);
            Assert.Equal(CosmosAddress.ToBech32(address, "depin"), text);
            Assert.Equal(address, Bech32Address.Parse(text));
        }
    }

    [Fact]
    public void Parsing_accepts_and_rejects_exactly_what_the_crypto_library_does()
    {
        var random = new Random(11);
        const string charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
        var candidates = new List<string> { "depin1", "depin1qqqqqq", "DEPIN1", "cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq" };
        foreach (int length in new[] { 1, 20, 32, 33 })
        {
            var address = new byte[length];
            random.NextBytes(address);
            string valid = CosmosAddress.ToBech32(address, "depin");
            candidates.Add(valid);
            candidates.Add(valid.ToUpperInvariant());
            candidates.Add(valid[..^1]);
            candidates.Add(valid + "q");
            for (int i = 0; i < 40; i++)
            {
                var chars = valid.ToCharArray();
                int at = 6 + random.Next(chars.Length - 6);
                chars[at] = random.Next(10) == 0 ? 'B' : charset[random.Next(charset.Length)];
                candidates.Add(new string(chars));
            }
        }
        // Every word count, so every padding case (valid and invalid) is met with a correct checksum.
        for (int words = 1; words < 60; words++)
        {
            var data = new byte[words];
            for (int i = 0; i < words; i++) data[i] = (byte)random.Next(32);
            candidates.Add(Bech32.EncodeWords("depin", data));
            Array.Fill(data, (byte)0);
            candidates.Add(Bech32.EncodeWords("depin", data));
        }

        foreach (string text in candidates)
        {
            bool expectedOk = CosmosAddress.TryParse(text, "depin", out var expected);
            if (expectedOk)
            {
                Assert.Equal(expected, Bech32Address.Parse(text));
            }
            else
            {
                var error = Assert.Throws<SdkError>(() => Bech32Address.Parse(text));
                Assert.Equal(SdkErrors.InvalidAddressCode, error.Code);
            }
        }
    }
}
