using System.Runtime.InteropServices;
using System.Security.Cryptography;
using DePinChain.Store.Iavl;

namespace DePinChain.Store.Tests.Iavl;

public class Sha256NativeTests
{
    [Fact]
    public void Native_sha256_is_used_where_libcrypto_3_is_installed()
    {
        var hasLibcrypto = OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libcrypto.so.3", out _);
        Assert.Equal(hasLibcrypto, Sha256Native.IsAvailable);
    }

    [Fact]
    public void Native_sha256_agrees_with_dotnet_for_every_length_up_to_five_blocks_and_at_the_limit()
    {
        if (!Sha256Native.IsAvailable) return;
        var random = new Random(7);
        var data = new byte[Sha256Native.MaxLength];
        random.NextBytes(data);
        var ours = new byte[32];
        foreach (var length in Enumerable.Range(0, 321).Append(Sha256Native.MaxLength - 1).Append(Sha256Native.MaxLength))
        {
            Assert.True(Sha256Native.TryHash(data.AsSpan(0, length), ours));
            Assert.Equal(SHA256.HashData(data.AsSpan(0, length)), ours);
        }
    }

    [Fact]
    public void Leaves_with_keys_past_the_native_limit_hash_the_same_as_by_definition()
    {
        var key = new byte[Sha256Native.MaxLength + 100];
        new Random(3).NextBytes(key);
        var value = "v"u8.ToArray();
        var hash = new byte[32];
        NodeHasher.HashLeaf(key, value, 5, hash);
        // varint(0) varint(1) varint(5) then uvarint(len key) key, 32, SHA-256(value).
        byte[] lengthPrefix = [(byte)(key.Length | 0x80), (byte)((key.Length >> 7) | 0x80), (byte)(key.Length >> 14)];
        byte[] preimage = [0x00, 0x02, 0x0a, .. lengthPrefix, .. key, 0x20, .. SHA256.HashData(value)];
        Assert.Equal(SHA256.HashData(preimage), hash);
    }
}
