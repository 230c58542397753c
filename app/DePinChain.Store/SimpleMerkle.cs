using System.Security.Cryptography;

namespace DePinChain.Store;

/// <summary>
/// CometBFT's simple Merkle tree (<c>crypto/merkle.HashFromByteSlices</c>, RFC 6962 style): leaf =
/// SHA-256(0x00 ‖ item), inner = SHA-256(0x01 ‖ left ‖ right), split at the largest power of two below n,
/// empty = SHA-256 of nothing. The multistore hashes its stores with it, so the app hash matches the SDK's.
/// </summary>
public static class SimpleMerkle
{
    public static byte[] HashFromByteSlices(IReadOnlyList<byte[]> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items.Count == 0 ? SHA256.HashData([]) : Hash(items, 0, items.Count);
    }

    public static byte[] LeafHash(ReadOnlySpan<byte> item)
    {
        var buffer = new byte[1 + item.Length];
        item.CopyTo(buffer.AsSpan(1));
        return SHA256.HashData(buffer);
    }

    public static byte[] InnerHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var buffer = new byte[1 + left.Length + right.Length];
        buffer[0] = 1;
        left.CopyTo(buffer.AsSpan(1));
        right.CopyTo(buffer.AsSpan(1 + left.Length));
        return SHA256.HashData(buffer);
    }

    /// <summary>Largest power of two strictly below <paramref name="count"/> (count ≥ 2).</summary>
    public static int SplitPoint(int count)
    {
        if (count < 2) throw new ArgumentOutOfRangeException(nameof(count), count, "a split needs at least two items");
        var k = 1;
        while (k * 2 < count) k *= 2;
        return k;
    }

    /// <summary>
    /// The siblings on the path from item <paramref name="index"/> to the root, leaf end first; SiblingIsLeft
    /// tells on which side the sibling sits when hashing.
    /// </summary>
    public static IReadOnlyList<(byte[] Sibling, bool SiblingIsLeft)> Path(IReadOnlyList<byte[]> items, int index)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, items.Count);
        var path = new List<(byte[], bool)>();
        var start = 0;
        var count = items.Count;
        var topDown = new List<(byte[], bool)>();
        while (count > 1)
        {
            var split = SplitPoint(count);
            if (index - start < split)
            {
                topDown.Add((Hash(items, start + split, count - split), false));
                count = split;
            }
            else
            {
                topDown.Add((Hash(items, start, split), true));
                start += split;
                count -= split;
            }
        }
        for (var i = topDown.Count - 1; i >= 0; i--) path.Add(topDown[i]);
        return path;
    }

    private static byte[] Hash(IReadOnlyList<byte[]> items, int start, int count)
    {
        if (count == 1) return LeafHash(items[start]);
        var split = SplitPoint(count);
        return InnerHash(Hash(items, start, split), Hash(items, start + split, count - split));
    }
}
