using System.Text;
using DePinChain.Crypto.Keyring;

namespace DePinChain.Cli.Tests.Keyring;

public class ScryptTests
{
    // RFC 7914 section 12 test vectors (the fourth, N = 2^20, needs 1 GiB and is left out).
    [Theory]
    [InlineData("", "", 16, 1, 1,
        "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906")]
    [InlineData("password", "NaCl", 1024, 8, 16,
        "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")]
    [InlineData("pleaseletmein", "SodiumChloride", 16384, 8, 1,
        "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887")]
    public void Matches_the_RFC_7914_vectors(string password, string salt, int n, int r, int p, string expectedHex)
    {
        byte[] key = Scrypt.DeriveKey(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(salt), new ScryptParameters(n, r, p), 64);
        Assert.Equal(expectedHex, Convert.ToHexStringLower(key));
    }

    [Theory]
    [InlineData(1000, 8, 1)]
    [InlineData(1, 8, 1)]
    [InlineData(1024, 0, 1)]
    [InlineData(1 << 24, 8, 1)]
    public void Refuses_bad_or_oversized_parameters(int n, int r, int p)
    {
        Assert.Throws<ArgumentException>(() => Scrypt.DeriveKey("x"u8, "y"u8, new ScryptParameters(n, r, p), 32));
    }
}
