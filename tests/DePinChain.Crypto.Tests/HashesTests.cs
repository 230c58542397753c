using System.Text;

namespace DePinChain.Crypto.Tests;

public class HashesTests
{
    // The official vectors from the RIPEMD-160 page (Bosselaers).
    [Theory]
    [InlineData("", "9c1185a5c5e9fc54612808977ee8f548b2258d31")]
    [InlineData("a", "0bdc9d2d256b3ee9daae347be6f4dc835a467ffe")]
    [InlineData("abc", "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc")]
    [InlineData("message digest", "5d0689ef49d2fae572b881b123a85ffa21595f36")]
    [InlineData("abcdefghijklmnopqrstuvwxyz", "f71c27109c692c1b56bbdceb5b9d2865b3708dbc")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "12a053384a9c0c88e405a06c27dcf49ada62eb2b")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "b0e20b6e3116640286ed3a87a5713079b21f5189")]
    public void Ripemd160_matches_the_official_vectors(string input, string expected)
    {
        Assert.Equal(expected, Convert.ToHexStringLower(Hashes.Ripemd160(Encoding.ASCII.GetBytes(input))));
    }

    [Fact]
    public void Ripemd160_of_eight_times_1234567890_matches_the_official_vector()
    {
        var input = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("1234567890", 8)));
        Assert.Equal("9b752e45573d4b39f4dbd3323cab82bf63326bfb", Convert.ToHexStringLower(Hashes.Ripemd160(input)));
    }

    [Fact]
    public void Ripemd160_of_a_million_a_matches_the_official_vector()
    {
        var input = Enumerable.Repeat((byte)'a', 1_000_000).ToArray();
        Assert.Equal("52783243c1697bdbe16d37f97f68f08325dc1528", Convert.ToHexStringLower(Hashes.Ripemd160(input)));
    }

    // Lengths around the one- and two-block padding boundaries; digests from an independent implementation (OpenSSL).
    [Theory]
    [InlineData(55, "3c86963b3ff646a65ae42996e9664c747cc7e5e6")]
    [InlineData(56, "ebdd79cfd4fd9949ef8089673d2620427f487cfb")]
    [InlineData(63, "6d31d3d634b4a7aa15914c239576eb1956f2d9a4")]
    [InlineData(64, "2581f5e9f957b44b0fa24d31996de47409dd1e0f")]
    [InlineData(65, "109949b95341eeea7365e8ac4d0d3883d98f709a")]
    [InlineData(119, "ad430b4283203a7b7f338b9d252dfdbf807402bf")]
    [InlineData(120, "b89cdc109009f1982c8b34fca446953584d3f6c4")]
    public void Ripemd160_is_right_around_the_padding_boundaries(int length, string expected)
    {
        var input = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
        var buffer = new byte[32];
        Hashes.Ripemd160(input, buffer);

        Assert.Equal(expected, Convert.ToHexStringLower(Hashes.Ripemd160(input)));
        Assert.Equal(expected, Convert.ToHexStringLower(buffer.AsSpan(0, 20)));
        Assert.All(buffer[20..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void Sha256_matches_the_FIPS_vector_for_abc()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Convert.ToHexStringLower(Hashes.Sha256("abc"u8)));
        Span<byte> destination = stackalloc byte[32];
        Hashes.Sha256("abc"u8, destination);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Convert.ToHexStringLower(destination));
    }
}
