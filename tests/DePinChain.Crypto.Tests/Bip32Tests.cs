using System.Numerics;

namespace DePinChain.Crypto.Tests;

public class Bip32Tests
{
    // BIP-32 test vector 1: seed 000102...0f; expected keys are the published extended private keys.
    [Theory]
    [InlineData("m", "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi")]
    [InlineData("m/0'", "xprv9uHRZZhk6KAJC1avXpDAp4MDc3sQKNxDiPvvkX8Br5ngLNv1TxvUxt4cV1rGL5hj6KCesnDYUhd7oWgT11eZG7XnxHrnYeSvkzY7d2bhkJ7")]
    [InlineData("m/0'/1", "xprv9wTYmMFdV23N2TdNG573QoEsfRrWKQgWeibmLntzniatZvR9BmLnvSxqu53Kw1UmYPxLgboyZQaXwTCg8MSY3H2EU4pWcQDnRnrVA1xe8fs")]
    [InlineData("m/0'/1/2'", "xprv9z4pot5VBttmtdRTWfWQmoH1taj2axGVzFqSb8C9xaxKymcFzXBDptWmT7FwuEzG3ryjH4ktypQSAewRiNMjANTtpgP4mLTj34bhnZX7UiM")]
    [InlineData("m/0'/1/2'/2", "xprvA2JDeKCSNNZky6uBCviVfJSKyQ1mDYahRjijr5idH2WwLsEd4Hsb2Tyh8RfQMuPh7f7RtyzTtdrbdqqsunu5Mm3wDvUAKRHSC34sJ7in334")]
    [InlineData("m/0'/1/2'/2/1000000000", "xprvA41z7zogVVwxVSgdKUHDy1SKmdb533PjDz7J6N6mV6uS3ze1ai8FHa8kmHScGpWmj4WggLyQjgPie1rFSruoUihUZREPSL39UNdE3BBDu76")]
    public void Test_vector_1_gives_the_published_keys_and_chain_codes(string path, string xprv)
    {
        AssertDerivesTo("000102030405060708090a0b0c0d0e0f", path, xprv);
    }

    // BIP-32 test vector 2: a 64-byte seed and large indexes on both sides of 2^31.
    [Theory]
    [InlineData("m", "xprv9s21ZrQH143K31xYSDQpPDxsXRTUcvj2iNHm5NUtrGiGG5e2DtALGdso3pGz6ssrdK4PFmM8NSpSBHNqPqm55Qn3LqFtT2emdEXVYsCzC2U")]
    [InlineData("m/0", "xprv9vHkqa6EV4sPZHYqZznhT2NPtPCjKuDKGY38FBWLvgaDx45zo9WQRUT3dKYnjwih2yJD9mkrocEZXo1ex8G81dwSM1fwqWpWkeS3v86pgKt")]
    [InlineData("m/0/2147483647'", "xprv9wSp6B7kry3Vj9m1zSnLvN3xH8RdsPP1Mh7fAaR7aRLcQMKTR2vidYEeEg2mUCTAwCd6vnxVrcjfy2kRgVsFawNzmjuHc2YmYRmagcEPdU9")]
    [InlineData("m/0/2147483647'/1", "xprv9zFnWC6h2cLgpmSA46vutJzBcfJ8yaJGg8cX1e5StJh45BBciYTRXSd25UEPVuesF9yog62tGAQtHjXajPPdbRCHuWS6T8XA2ECKADdw4Ef")]
    [InlineData("m/0/2147483647'/1/2147483646'", "xprvA1RpRA33e1JQ7ifknakTFpgNXPmW2YvmhqLQYMmrj4xJXXWYpDPS3xz7iAxn8L39njGVyuoseXzU6rcxFLJ8HFsTjSyQbLYnMpCqE2VbFWc")]
    [InlineData("m/0/2147483647'/1/2147483646'/2", "xprvA2nrNbFZABcdryreWet9Ea4LvTJcGsqrMzxHx98MMrotbir7yrKCEXw7nadnHM8Dq38EGfSh6dqA9QWTyefMLEcBYJUuekgW4BYPJcr9E7j")]
    public void Test_vector_2_gives_the_published_keys_and_chain_codes(string path, string xprv)
    {
        AssertDerivesTo("fffcf9f6f3f0edeae7e4e1dedbd8d5d2cfccc9c6c3c0bdbab7b4b1aeaba8a5a29f9c999693908d8a8784817e7b7875726f6c696663605d5a5754514e4b484542", path, xprv);
    }

    [Fact]
    public void The_BIP32_master_key_matches_its_hex_form()
    {
        // Test vector 1 master key and chain code as commonly written out in hex.
        var (key, chainCode) = Bip32.DeriveExtendedKey(Convert.FromHexString("000102030405060708090a0b0c0d0e0f"), "m");

        Assert.Equal("e8f32e723decf4051aefac8e2c93c9c5b214313817cdb01a1494b917c8436b35", Convert.ToHexStringLower(key));
        Assert.Equal("873dff81c02f525623fd1fe5167eac3a55a049de3d314bb42ee227ffed37d508", Convert.ToHexStringLower(chainCode));
    }

    // cosmjs test fixtures: the faucet mnemonic and its addresses at m/44'/118'/0'/0/{0..4}.
    [Theory]
    [InlineData(0u, "cosmos1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmmk8rs6")]
    [InlineData(1u, "cosmos10dyr9899g6t0pelew4nvf4j5c3jcgv0r73qga5")]
    [InlineData(2u, "cosmos1xy4yqngt0nlkdcenxymg8tenrghmek4nmqm28k")]
    [InlineData(3u, "cosmos142u9fgcjdlycfcez3lw8x6x5h7rfjlnfhpw2lx")]
    [InlineData(4u, "cosmos1hsm76p4ahyhl5yh3ve9ur49r5kemhp2r0dcjvx")]
    public void The_cosmjs_faucet_mnemonic_gives_its_known_addresses(uint index, string expected)
    {
        const string mnemonic = "economy stock theory fatal elder harbor betray wasp final emotion task crumble siren bottom lizard educate guess current outdoor pair theory focus wife stone";

        var privateKey = Bip32.DerivePrivateKey(Bip39.ToSeed(mnemonic), Bip32.CosmosPath(0, index));
        var address = CosmosAddress.FromSecp256k1PublicKey(Secp256k1.GetPublicKey(privateKey));

        Assert.Equal(expected, CosmosAddress.ToBech32(address, "cosmos"));
    }

    [Fact]
    public void The_cosmjs_faucet_key_has_the_published_public_key()
    {
        const string mnemonic = "economy stock theory fatal elder harbor betray wasp final emotion task crumble siren bottom lizard educate guess current outdoor pair theory focus wife stone";
        var privateKey = Bip32.DerivePrivateKey(Bip39.ToSeed(mnemonic), Bip32.CosmosDefaultPath);

        Assert.Equal("A08EGB7ro1ORuFhjOnZcSgwYlpe0DSFjVNUIkNNQxwKQ", Convert.ToBase64String(Secp256k1.GetPublicKey(privateKey)));
    }

    [Theory]
    [InlineData("m/44'/118'/0'/0/0", new uint[] { 0x8000002C, 0x80000076, 0x80000000, 0, 0 })]
    [InlineData("m/0h/1H/2", new uint[] { 0x80000000, 0x80000001, 2 })]
    [InlineData("m", new uint[0])]
    [InlineData("m/2147483647'", new uint[] { 0xFFFFFFFF })]
    public void Paths_parse_into_indexes(string path, uint[] expected)
    {
        Assert.Equal(expected, Bip32.ParsePath(path));
    }

    [Theory]
    [InlineData("", "must start with 'm'")]
    [InlineData("44'/118'/0'/0/0", "must start with 'm'")]
    [InlineData("M/0", "must start with 'm'")]
    [InlineData("m/", "invalid step ''")]
    [InlineData("m//0", "invalid step ''")]
    [InlineData("m/0/", "invalid step ''")]
    [InlineData("m/a", "invalid step 'a'")]
    [InlineData("m/-1", "invalid step '-1'")]
    [InlineData("m/+1", "invalid step '+1'")]
    [InlineData("m/1''", "invalid step")]
    [InlineData("m/ 1", "invalid step")]
    [InlineData("m/2147483648", "out of range")]
    [InlineData("m/2147483648'", "out of range")]
    [InlineData("m/99999999999", "invalid step")]
    public void Bad_paths_are_rejected_with_the_reason(string path, string reason)
    {
        var error = Assert.Throws<FormatException>(() => Bip32.DerivePrivateKey(new byte[64], path));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Seeds_outside_16_to_64_bytes_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Bip32.DerivePrivateKey(new byte[15], "m/0"));
        Assert.Throws<ArgumentException>(() => Bip32.DerivePrivateKey(new byte[65], "m/0"));
    }

    private static void AssertDerivesTo(string seedHex, string path, string xprv)
    {
        var (expectedChainCode, expectedKey) = DecodeExtendedPrivateKey(xprv);
        var (key, chainCode) = Bip32.DeriveExtendedKey(Convert.FromHexString(seedHex), path);

        Assert.Equal(Convert.ToHexStringLower(expectedKey), Convert.ToHexStringLower(key));
        Assert.Equal(Convert.ToHexStringLower(expectedChainCode), Convert.ToHexStringLower(chainCode));
        Assert.Equal(key, Bip32.DerivePrivateKey(Convert.FromHexString(seedHex), path));
    }

    /// <summary>Base58Check xprv: version(4) depth(1) fingerprint(4) child(4) chain code(32) 0x00 key(32), checksum(4).</summary>
    private static (byte[] ChainCode, byte[] Key) DecodeExtendedPrivateKey(string xprv)
    {
        const string alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        var value = BigInteger.Zero;
        foreach (var c in xprv)
            value = value * 58 + alphabet.IndexOf(c);
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        Assert.Equal(82, bytes.Length);
        Assert.Equal(Hashes.Sha256(Hashes.Sha256(bytes.AsSpan(0, 78)))[..4], bytes[78..]);
        Assert.Equal(0, bytes[45]);
        return (bytes[13..45], bytes[46..78]);
    }
}
