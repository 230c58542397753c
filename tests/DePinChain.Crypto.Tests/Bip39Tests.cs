using System.Text;

namespace DePinChain.Crypto.Tests;

public class Bip39Tests
{
    [Fact]
    public void The_embedded_wordlist_is_the_official_English_list()
    {
        var raw = Bip39.ReadWordlistResource();
        var words = Bip39.EnglishWords;

        Assert.Equal("2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda", Convert.ToHexStringLower(Hashes.Sha256(raw)));
        Assert.Equal(2048, words.Count);
        Assert.Equal(2048, words.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(words.Order(StringComparer.Ordinal), words);
        Assert.Equal("abandon", words[0]);
        Assert.Equal("zoo", words[2047]);
    }

    // Official BIP-39 vectors (trezor/python-mnemonic vectors.json), passphrase "TREZOR".
    [Theory]
    [InlineData("00000000000000000000000000000000",
        "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
        "c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04")]
    [InlineData("ffffffffffffffffffffffffffffffff",
        "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong",
        "ac27495480225222079d7be181583751e86f571027b0497b5b5d11218e0a8a13332572917f0f8e5a589620c6f15b11c61dee327651a14c34e18231052e48c069")]
    [InlineData("000000000000000000000000000000000000000000000000",
        "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon agent",
        "035895f2f481b1b0f01fcf8c289c794660b289981a78f8106447707fdd9666ca06da5a9a565181599b79f53b844d8a71dd9f439c52a3d7b3e8a79c906ac845fa")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000",
        "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art",
        "bda85446c68413707090a52022edd26a1c9462295029f2e60cd7c4f2bbd3097170af7a4d73245cafa9c3cca8d561a7c3de6f5d4a10be8ed2a5e608d68f92fcc8")]
    [InlineData("8080808080808080808080808080808080808080808080808080808080808080",
        "letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic avoid letter advice cage absurd amount doctor acoustic bless",
        "c0c519bd0e91a2ed54357d9d1ebef6f5af218a153624cf4f2da911a0ed8f7a09e2ef61af0aca007096df430022f7a2b6fb91661a9589097069720d015e4e982f")]
    [InlineData("77c2b00716cec7213839159e404db50d",
        "jelly better achieve collect unaware mountain thought cargo oxygen act hood bridge",
        "b5b6d0127db1a9d2226af0c3346031d77af31e918dba64287a1b44b8ebf63cdd52676f672a290aae502472cf2d602c051f3e6f18055e84e4c43897fc4e51a6ff")]
    [InlineData("b63a9c59a6e641f288ebc103017f1da9f8290b3da6bdef7b",
        "renew stay biology evidence goat welcome casual join adapt armor shuffle fault little machine walk stumble urge swap",
        "9248d83e06f4cd98debf5b6f010542760df925ce46cf38a1bdb4e4de7d21f5c39366941c69e1bdbf2966e0f6e6dbece898a0e2f0a4c2b3e640953dfe8b7bbdc5")]
    [InlineData("3e141609b97933b66a060dcddc71fad1d91677db872031e85f4c015c5e7e8982",
        "dignity pass list indicate nasty swamp pool script soccer toe leaf photo multiply desk host tomato cradle drill spread actor shine dismiss champion exotic",
        "ff7f3184df8696d8bef94b6c03114dbee0ef89ff938712301d27ed8336ca89ef9635da20af07d4175f2bf5f3de130f39c9d9e8dd0472489c19b1a020a940da67")]
    public void Official_vectors_give_the_mnemonic_entropy_and_seed(string entropyHex, string mnemonic, string seedHex)
    {
        var entropy = Convert.FromHexString(entropyHex);

        Assert.Equal(mnemonic, Bip39.GenerateMnemonic(entropy));
        Assert.True(Bip39.IsValid(mnemonic));
        Assert.Equal(entropy, Bip39.ToEntropy(mnemonic));
        Assert.Equal(seedHex, Convert.ToHexStringLower(Bip39.ToSeed(mnemonic, "TREZOR")));
    }

    [Theory]
    [InlineData(16, 12)]
    [InlineData(20, 15)]
    [InlineData(24, 18)]
    [InlineData(28, 21)]
    [InlineData(32, 24)]
    public void Entropy_length_sets_the_word_count(int entropyLength, int wordCount)
    {
        var entropy = Enumerable.Range(0, entropyLength).Select(i => (byte)(i * 13 + 7)).ToArray();
        var mnemonic = Bip39.GenerateMnemonic(entropy);

        Assert.Equal(wordCount, mnemonic.Split(' ').Length);
        Assert.Equal(entropy, Bip39.ToEntropy(mnemonic));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(33)]
    public void Other_entropy_lengths_are_rejected(int length)
    {
        Assert.Throws<ArgumentException>(() => Bip39.GenerateMnemonic(new byte[length]));
    }

    [Fact]
    public void A_wrong_last_word_fails_the_checksum()
    {
        var error = Assert.Throws<FormatException>(() => Bip39.ToEntropy("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon"));
        Assert.Contains("checksum", error.Message);
        Assert.False(Bip39.IsValid("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon"));
    }

    [Fact]
    public void An_unknown_word_is_named()
    {
        var error = Assert.Throws<FormatException>(() => Bip39.ToSeed("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abuot"));
        Assert.Contains("word 12 ('abuot')", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about")]
    [InlineData("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about")]
    public void Wrong_word_counts_are_invalid(string mnemonic)
    {
        Assert.False(Bip39.IsValid(mnemonic));
        Assert.Contains("words", Assert.Throws<FormatException>(() => Bip39.ToEntropy(mnemonic)).Message);
    }

    [Fact]
    public void Extra_whitespace_does_not_change_the_seed()
    {
        const string mnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
        var spaced = "  " + mnemonic.Replace(" ", "   \t") + "\n";

        Assert.True(Bip39.IsValid(spaced));
        Assert.Equal(Bip39.ToSeed(mnemonic, "TREZOR"), Bip39.ToSeed(spaced, "TREZOR"));
    }

    [Fact]
    public void A_non_ASCII_passphrase_is_NFKD_normalized_or_refused_when_the_process_cannot_normalize()
    {
        const string mnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
        var composed = "caf\u00e9";     // é as one code point
        var decomposed = "cafe\u0301";  // e + combining acute accent

        if (Bip39.CanNormalizeUnicode)
        {
            Assert.Equal(Bip39.ToSeed(mnemonic, decomposed), Bip39.ToSeed(mnemonic, composed));
            Assert.NotEqual(Bip39.ToSeed(mnemonic, "cafe"), Bip39.ToSeed(mnemonic, composed));
        }
        else
        {
            var error = Assert.Throws<ArgumentException>(() => Bip39.ToSeed(mnemonic, composed));
            Assert.Contains("NFKD", error.Message);
        }
    }

    [Fact]
    public void The_empty_passphrase_salt_is_just_mnemonic()
    {
        // Independent check of the salt: PBKDF2 computed here directly must match ToSeed with no passphrase.
        const string mnemonic = "legal winner thank year wave sausage worth useful legal winner thank yellow";
        var expected = System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2(
            Encoding.UTF8.GetBytes(mnemonic), "mnemonic"u8.ToArray(), 2048, System.Security.Cryptography.HashAlgorithmName.SHA512, 64);

        Assert.Equal(expected, Bip39.ToSeed(mnemonic));
    }
}
