using System.Text.Json;

namespace DePinChain.Crypto.Tests;

public class Ed25519Tests
{
    // RFC 8032 section 7.1, tests 1-3.
    [Theory]
    [InlineData("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")]
    [InlineData("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")]
    [InlineData("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7", "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a")]
    public void RFC8032_vectors_give_the_published_keys_and_signatures(string seedHex, string publicKeyHex, string messageHex, string signatureHex)
    {
        var seed = Convert.FromHexString(seedHex);
        var message = Convert.FromHexString(messageHex);

        Assert.Equal(publicKeyHex, Convert.ToHexStringLower(Ed25519.PublicKeyFromSeed(seed)));
        Assert.Equal(signatureHex, Convert.ToHexStringLower(Ed25519.Sign(seed, message)));
        Assert.True(Ed25519.Verify(Convert.FromHexString(publicKeyHex), message, Convert.FromHexString(signatureHex)));
    }

    [Fact]
    public void The_CometBFT_validator_key_file_matches_our_derivation_and_address()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "cometbft-v0.38.25-priv_validator_key.json");
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        var privateKey = Convert.FromBase64String(root.GetProperty("priv_key").GetProperty("value").GetString()!);
        var publicKey = Convert.FromBase64String(root.GetProperty("pub_key").GetProperty("value").GetString()!);

        Assert.Equal(64, privateKey.Length);
        Assert.Equal(publicKey, privateKey[32..]);
        Assert.Equal(publicKey, Ed25519.PublicKeyFromSeed(privateKey.AsSpan(0, 32)));
        Assert.Equal(root.GetProperty("address").GetString(), Convert.ToHexString(Ed25519.Address(publicKey)));
    }

    [Fact]
    public void Tampered_messages_signatures_and_keys_fail()
    {
        var seed = Hashes.Sha256("validator"u8);
        var publicKey = Ed25519.PublicKeyFromSeed(seed);
        var message = "vote for block 7"u8.ToArray();
        var signature = Ed25519.Sign(seed, message);
        Assert.True(Ed25519.Verify(publicKey, message, signature));

        var otherMessage = (byte[])message.Clone();
        otherMessage[^1] ^= 1;
        var otherSignature = (byte[])signature.Clone();
        otherSignature[5] ^= 1;
        var otherKey = Ed25519.PublicKeyFromSeed(Hashes.Sha256("someone else"u8));

        Assert.False(Ed25519.Verify(publicKey, otherMessage, signature));
        Assert.False(Ed25519.Verify(publicKey, message, otherSignature));
        Assert.False(Ed25519.Verify(otherKey, message, signature));
    }

    [Fact]
    public void Wrong_lengths_fail_verification_and_throw_on_signing()
    {
        var seed = Hashes.Sha256("validator"u8);
        var publicKey = Ed25519.PublicKeyFromSeed(seed);
        var signature = Ed25519.Sign(seed, "m"u8);

        Assert.False(Ed25519.Verify(publicKey.AsSpan(0, 31), "m"u8, signature));
        Assert.False(Ed25519.Verify(publicKey, "m"u8, signature.AsSpan(0, 63)));
        Assert.False(Ed25519.Verify([], "m"u8, []));
        Assert.Contains("32 bytes", Assert.Throws<ArgumentException>(() => Ed25519.Sign(seed.AsSpan(0, 16), "m"u8)).Message);
        Assert.Throws<ArgumentException>(() => Ed25519.PublicKeyFromSeed(new byte[64]));
    }
}
