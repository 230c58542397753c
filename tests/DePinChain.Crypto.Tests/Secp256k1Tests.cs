using System.Numerics;
using System.Text;

namespace DePinChain.Crypto.Tests;

public class Secp256k1Tests
{
    private static readonly BigInteger GroupOrder = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber);

    private static readonly byte[] PrivateKey = Convert.FromHexString("c90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b14e5c9");

    private static byte[] Hash(string text) => Hashes.Sha256(Encoding.UTF8.GetBytes(text));

    // The widely published RFC 6979 secp256k1 vectors (SHA-256 of the message, low-S signatures).
    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000001", "Satoshi Nakamoto",
        "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8", "2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000001", "All those moments will be lost in time, like tears in rain. Time to die...",
        "8600dbd41e348fe5c9465ab92d23e3db8b98b873beecd930736488696438cb6b", "547fe64427496db33bf66019dacbf0039c04199abb0122918601db38a72cfc21")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000001", "Everything should be made as simple as possible, but not simpler.",
        "33a69cd2065432a30f3d1ce4eb0d59b8ab58c74f27c41a7fdb5696ad4e6108c9", "6f807982866f785d3f6418d24163ddae117b7db4d5fdf0071de069fa54342262")]
    [InlineData("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140", "Satoshi Nakamoto",
        "fd567d121db66e382991534ada77a6bd3106f0a1098c231e47993447cd6af2d0", "6b39cd0eb1bc8603e159ef5c20a5c8ad685a45b06ce9bebed3f153d10d93bed5")]
    [InlineData("cca9fbcc1b41e5a95d369eaa6ddcff73b61a4efaa279cfc6567e8daa39cbaf50", "sample",
        "af340daf02cc15c8d5d08d7735dfe6b98a474ed373bdb5fbecf7571be52b3842", "5009fb27f37034a9b24b707b7c6b79ca23ddef9e25f7282e8a797efe53a8f124")]
    public void Signing_reproduces_the_published_RFC6979_vectors(string privateKeyHex, string message, string r, string s)
    {
        var privateKey = Convert.FromHexString(privateKeyHex);
        var signature = Secp256k1.Sign(privateKey, Hash(message));

        Assert.Equal(r + s, Convert.ToHexStringLower(signature));
        Assert.True(Secp256k1.Verify(Secp256k1.GetPublicKey(privateKey), Hash(message), signature));
    }

    [Fact]
    public void Private_key_one_gives_the_generator_point()
    {
        var one = Convert.FromHexString("0000000000000000000000000000000000000000000000000000000000000001");

        Assert.Equal("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", Convert.ToHexStringLower(Secp256k1.GetPublicKey(one)));
        Assert.Equal("0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8",
            Convert.ToHexStringLower(Secp256k1.GetPublicKey(one, compressed: false)));
    }

    [Fact]
    public void A_signature_verifies_with_the_compressed_and_the_uncompressed_key()
    {
        var hash = Hash("transfer 10 depin");
        var signature = Secp256k1.Sign(PrivateKey, hash);

        Assert.Equal(64, signature.Length);
        Assert.True(Secp256k1.Verify(Secp256k1.GetPublicKey(PrivateKey), hash, signature));
        Assert.True(Secp256k1.Verify(Secp256k1.GetPublicKey(PrivateKey, compressed: false), hash, signature));
    }

    [Fact]
    public void Signing_is_deterministic()
    {
        var hash = Hash("same input");
        Assert.Equal(Secp256k1.Sign(PrivateKey, hash), Secp256k1.Sign(PrivateKey, hash));
    }

    [Fact]
    public void Signatures_are_always_low_S()
    {
        for (var i = 0; i < 32; i++)
        {
            var signature = Secp256k1.Sign(PrivateKey, Hash($"message {i}"));
            Assert.True(ScalarAt(signature, 32) <= GroupOrder / 2);
        }
    }

    [Fact]
    public void A_tampered_message_fails()
    {
        var hash = Hash("original");
        var signature = Secp256k1.Sign(PrivateKey, hash);
        hash[0] ^= 1;

        Assert.False(Secp256k1.Verify(Secp256k1.GetPublicKey(PrivateKey), hash, signature));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(63)]
    public void A_tampered_signature_fails(int index)
    {
        var hash = Hash("original");
        var signature = Secp256k1.Sign(PrivateKey, hash);
        signature[index] ^= 0x10;

        Assert.False(Secp256k1.Verify(Secp256k1.GetPublicKey(PrivateKey), hash, signature));
    }

    [Fact]
    public void Another_key_fails()
    {
        var hash = Hash("original");
        var signature = Secp256k1.Sign(PrivateKey, hash);
        var otherKey = (byte[])PrivateKey.Clone();
        otherKey[31] ^= 1;

        Assert.False(Secp256k1.Verify(Secp256k1.GetPublicKey(otherKey), hash, signature));
    }

    [Fact]
    public void The_high_S_twin_of_a_valid_signature_is_rejected()
    {
        var hash = Hash("malleable");
        var signature = Secp256k1.Sign(PrivateKey, hash);
        var highS = (byte[])signature.Clone();
        WriteScalar(GroupOrder - ScalarAt(signature, 32), highS.AsSpan(32));

        Assert.NotEqual(signature, highS);
        Assert.True(Secp256k1.Verify(Secp256k1.GetPublicKey(PrivateKey), hash, signature));
        Assert.False(Secp256k1.Verify(Secp256k1.GetPublicKey(PrivateKey), hash, highS));
    }

    [Theory]
    [InlineData(33, 32, 63)]
    [InlineData(33, 32, 65)]
    [InlineData(33, 31, 64)]
    [InlineData(33, 33, 64)]
    [InlineData(32, 32, 64)]
    [InlineData(34, 32, 64)]
    [InlineData(64, 32, 64)]
    [InlineData(0, 32, 64)]
    [InlineData(33, 0, 0)]
    public void Malformed_lengths_return_false(int keyLength, int hashLength, int signatureLength)
    {
        var hash = Hash("lengths");
        var signature = Secp256k1.Sign(PrivateKey, hash);
        var key = Secp256k1.GetPublicKey(PrivateKey);

        Assert.False(Secp256k1.Verify(Resize(key, keyLength), Resize(hash, hashLength), Resize(signature, signatureLength)));
    }

    [Fact]
    public void Malformed_keys_and_signatures_return_false()
    {
        var hash = Hash("malformed");
        var signature = Secp256k1.Sign(PrivateKey, hash);
        var key = Secp256k1.GetPublicKey(PrivateKey);

        var badPrefix = (byte[])key.Clone();
        badPrefix[0] = 0x05;
        var notOnCurve = (byte[])key.Clone();
        notOnCurve.AsSpan(1).Fill(0xFF); // x = 2^256 - 1 is not below the field prime
        var hybrid = Secp256k1.GetPublicKey(PrivateKey, compressed: false);
        hybrid[0] = (byte)(0x06 | (hybrid[64] & 1));
        var rAtOrder = (byte[])signature.Clone();
        WriteScalar(GroupOrder, rAtOrder.AsSpan(0, 32));
        var zeroSignature = new byte[64];

        Assert.False(Secp256k1.Verify(badPrefix, hash, signature));
        Assert.False(Secp256k1.Verify(notOnCurve, hash, signature));
        Assert.False(Secp256k1.Verify(hybrid, hash, signature));
        Assert.False(Secp256k1.Verify(key, hash, rAtOrder));
        Assert.False(Secp256k1.Verify(key, hash, zeroSignature));
    }

    [Fact]
    public void Private_key_validity_follows_the_group_order()
    {
        Assert.True(Secp256k1.IsValidPrivateKey(PrivateKey));
        Assert.True(Secp256k1.IsValidPrivateKey(Convert.FromHexString("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140")));
        Assert.False(Secp256k1.IsValidPrivateKey(Convert.FromHexString("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")));
        Assert.False(Secp256k1.IsValidPrivateKey(new byte[32]));
        Assert.False(Secp256k1.IsValidPrivateKey(PrivateKey.AsSpan(0, 31)));
    }

    [Fact]
    public void Public_key_validity_accepts_both_standard_encodings_only()
    {
        Assert.True(Secp256k1.IsValidPublicKey(Secp256k1.GetPublicKey(PrivateKey)));
        Assert.True(Secp256k1.IsValidPublicKey(Secp256k1.GetPublicKey(PrivateKey, compressed: false)));
        Assert.False(Secp256k1.IsValidPublicKey(new byte[33]));
        Assert.False(Secp256k1.IsValidPublicKey(Secp256k1.GetPublicKey(PrivateKey).AsSpan(0, 32)));
    }

    [Fact]
    public void Compressed_and_uncompressed_forms_convert_into_each_other()
    {
        var compressed = Secp256k1.GetPublicKey(PrivateKey);
        var uncompressed = Secp256k1.GetPublicKey(PrivateKey, compressed: false);

        Assert.Equal(uncompressed, Secp256k1.SerializePublicKey(compressed, compressed: false));
        Assert.Equal(compressed, Secp256k1.SerializePublicKey(uncompressed, compressed: true));
    }

    [Fact]
    public void Signing_with_an_invalid_key_or_hash_length_throws_a_clear_error()
    {
        var zeroKey = Assert.Throws<ArgumentException>(() => Secp256k1.Sign(new byte[32], new byte[32]));
        Assert.Contains("group order", zeroKey.Message);
        var shortHash = Assert.Throws<ArgumentException>(() => Secp256k1.Sign(PrivateKey, new byte[20]));
        Assert.Contains("32 bytes", shortHash.Message);
    }

    [Fact]
    public void Message_helpers_hash_with_SHA256()
    {
        var message = Encoding.UTF8.GetBytes("sign bytes");
        var signature = Secp256k1.SignMessage(PrivateKey, message);

        Assert.Equal(Secp256k1.Sign(PrivateKey, Hashes.Sha256(message)), signature);
        Assert.True(Secp256k1.VerifyMessage(Secp256k1.GetPublicKey(PrivateKey), message, signature));
        Assert.False(Secp256k1.VerifyMessage(Secp256k1.GetPublicKey(PrivateKey), Encoding.UTF8.GetBytes("sign bytez"), signature));
    }

    [Fact]
    public void Verification_allocates_nothing()
    {
        var hash = Hash("hot path");
        var signature = Secp256k1.Sign(PrivateKey, hash);
        var key = Secp256k1.GetPublicKey(PrivateKey);
        Assert.True(Secp256k1.Verify(key, hash, signature));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var valid = 0;
        for (var i = 0; i < 50; i++)
            valid += Secp256k1.Verify(key, hash, signature) ? 1 : 0;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(50, valid);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Verification_is_safe_from_many_threads()
    {
        var keys = Enumerable.Range(1, 8).Select(i => Secp256k1.GetPublicKey(Resize([(byte)i], 32, alignRight: true))).ToArray();
        var hashes = Enumerable.Range(0, 8).Select(i => Hash($"parallel {i}")).ToArray();
        var signatures = Enumerable.Range(0, 8).Select(i => Secp256k1.Sign(Resize([(byte)(i + 1)], 32, alignRight: true), hashes[i])).ToArray();

        var failures = 0;
        Parallel.For(0, 2000, n =>
        {
            var i = n % 8;
            var expectValid = n % 3 != 0;
            var key = expectValid ? keys[i] : keys[(i + 1) % 8];
            if (Secp256k1.Verify(key, hashes[i], signatures[i]) != expectValid)
                Interlocked.Increment(ref failures);
        });

        Assert.Equal(0, failures);
    }

    private static BigInteger ScalarAt(byte[] bytes, int offset) => new(bytes.AsSpan(offset, 32), isUnsigned: true, isBigEndian: true);

    private static void WriteScalar(BigInteger value, Span<byte> destination)
    {
        destination.Clear();
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        bytes.CopyTo(destination[(32 - bytes.Length)..]);
    }

    private static byte[] Resize(byte[] source, int length, bool alignRight = false)
    {
        var result = new byte[length];
        var count = Math.Min(length, source.Length);
        if (alignRight)
            source.AsSpan(source.Length - count).CopyTo(result.AsSpan(length - count));
        else
            source.AsSpan(0, count).CopyTo(result);
        return result;
    }
}
