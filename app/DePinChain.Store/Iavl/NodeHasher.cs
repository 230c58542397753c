using System.Buffers;
using System.Security.Cryptography;

namespace DePinChain.Store.Iavl;

/// <summary>
/// iavl's node hash (node.go <c>writeHashBytes</c>):
/// SHA-256( varint(height) ‖ varint(size) ‖ varint(version) ‖ leaf: bytes(key) ‖ bytes(SHA-256(value)) | inner: bytes(leftHash) ‖ bytes(rightHash) ),
/// where varint is Go's zig-zag <c>binary.PutVarint</c> and bytes(x) is uvarint(len(x)) ‖ x.
/// </summary>
internal static class NodeHasher
{
    public const int HashSize = 32;
    private const int StackLimit = 1024;

    /// <summary>The root hash of an empty tree: SHA-256 of nothing.</summary>
    public static readonly byte[] EmptyTreeHash = SHA256.HashData(ReadOnlySpan<byte>.Empty);

    // Short inputs go to libcrypto's low-level SHA-256 (Sha256Native). Otherwise one reusable context per thread:
    // about a quarter cheaper than SHA256.HashData's one-shot context per call, and a save hashes every new node.
    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    private static void Sha256(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (Sha256Native.IsAvailable && data.Length <= Sha256Native.MaxLength && Sha256Native.TryHash(data, destination)) return;
        var sha = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(data);
        sha.GetHashAndReset(destination);
    }

    public static int PutUvarint(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>Go's <c>binary.PutVarint</c>: zig-zag then uvarint.</summary>
    public static int PutVarint(Span<byte> destination, long value)
    {
        var zigzag = (ulong)value << 1;
        if (value < 0) zigzag = ~zigzag;
        return PutUvarint(destination, zigzag);
    }

    public static int UvarintSize(ulong value)
    {
        var n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }
        return n;
    }

    /// <summary>Hashes a node whose children (if any) are hashed, into the node.</summary>
    public static void Hash(Node node)
    {
        Span<byte> hash = stackalloc byte[HashSize];
        if (node.IsLeaf) HashLeaf(node.Key, node.Value!, node.Version, hash);
        else HashInner(node.Height, node.Size, node.Version, node.Left!.Hash, node.Right!.Hash, hash);
        node.SetHash(hash);
    }

    public static void HashLeaf(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long version, Span<byte> destination)
    {
        var length = 3 * 10 + 10 + key.Length + 1 + HashSize;
        byte[]? rented = null;
        var buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        var n = PutVarint(buffer, 0);
        n += PutVarint(buffer[n..], 1);
        n += PutVarint(buffer[n..], version);
        n += PutUvarint(buffer[n..], (ulong)key.Length);
        key.CopyTo(buffer[n..]);
        n += key.Length;
        buffer[n++] = HashSize;
        Sha256(value, buffer.Slice(n, HashSize));
        n += HashSize;
        Sha256(buffer[..n], destination);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
    }

    public static void HashInner(int height, long size, long version, ReadOnlySpan<byte> leftHash, ReadOnlySpan<byte> rightHash, Span<byte> destination)
    {
        Span<byte> buffer = stackalloc byte[3 * 10 + 2 * (1 + HashSize)];
        var n = PutVarint(buffer, height);
        n += PutVarint(buffer[n..], size);
        n += PutVarint(buffer[n..], version);
        buffer[n++] = HashSize;
        leftHash.CopyTo(buffer[n..]);
        n += HashSize;
        buffer[n++] = HashSize;
        rightHash.CopyTo(buffer[n..]);
        n += HashSize;
        Sha256(buffer[..n], destination);
    }
}
