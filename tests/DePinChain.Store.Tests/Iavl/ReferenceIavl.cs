using System.Security.Cryptography;

namespace DePinChain.Store.Tests.Iavl;

/// <summary>
/// A deliberately naive, in-memory, immutable-node transcription of cosmos/iavl's MutableTree (recursiveSet,
/// recursiveRemove, balance, rotate, clone = new node at the next version) and its node hash, written from
/// iavl's description and independent of the production tree. Used as the oracle for root hashes.
/// </summary>
internal sealed class ReferenceIavl
{
    private sealed record N(byte[] Key, byte[]? Value, int Height, long Size, long Version, N? Left, N? Right)
    {
        public bool IsLeaf => Height == 0;
    }

    private N? _root;

    public long Version { get; private set; }

    public void Set(byte[] key, byte[] value) => _root = _root is null ? new N(key, value, 0, 1, Version + 1, null, null) : Set(_root, key, value, out _);

    public void Remove(byte[] key)
    {
        if (_root is null) return;
        var r = Remove(_root, key, out _, out var removed);
        if (removed) _root = r;
    }

    public byte[] Save()
    {
        Version++;
        return Hash();
    }

    public byte[] Hash() => _root is null ? SHA256.HashData(Array.Empty<byte>()) : Hash(_root);

    private N Set(N node, byte[] key, byte[] value, out bool updated)
    {
        var v = Version + 1;
        if (node.IsLeaf)
        {
            var c = Cmp(key, node.Key);
            updated = c == 0;
            if (c < 0) return new N(node.Key, null, 1, 2, v, new N(key, value, 0, 1, v, null, null), node);
            if (c > 0) return new N(key, null, 1, 2, v, node, new N(key, value, 0, 1, v, null, null));
            return new N(key, value, 0, 1, v, null, null);
        }
        N result;
        if (Cmp(key, node.Key) < 0) result = node with { Version = v, Left = Set(node.Left!, key, value, out updated) };
        else result = node with { Version = v, Right = Set(node.Right!, key, value, out updated) };
        if (updated) return result;
        return Balance(Recalc(result));
    }

    private N? Remove(N node, byte[] key, out byte[]? newKey, out bool removed)
    {
        newKey = null;
        var v = Version + 1;
        if (node.IsLeaf)
        {
            removed = Cmp(key, node.Key) == 0;
            return removed ? null : node;
        }
        if (Cmp(key, node.Key) < 0)
        {
            var l = Remove(node.Left!, key, out newKey, out removed);
            if (!removed) return node;
            if (l is null)
            {
                newKey = node.Key;
                return node.Right;
            }
            return Balance(Recalc(node with { Version = v, Left = l }));
        }
        var r = Remove(node.Right!, key, out var nk, out removed);
        if (!removed) return node;
        if (r is null) return node.Left;
        var n = node with { Version = v, Right = r };
        if (nk is not null) n = n with { Key = nk };
        return Balance(Recalc(n));
    }

    private static N Recalc(N n) => n with { Height = Math.Max(n.Left!.Height, n.Right!.Height) + 1, Size = n.Left.Size + n.Right.Size };

    private static int Bal(N n) => n.Left!.Height - n.Right!.Height;

    private N Balance(N n)
    {
        if (Bal(n) > 1)
        {
            if (Bal(n.Left!) >= 0) return RotR(n);
            return RotR(n with { Left = RotL(n.Left!) });
        }
        if (Bal(n) < -1)
        {
            if (Bal(n.Right!) <= 0) return RotL(n);
            return RotL(n with { Right = RotR(n.Right!) });
        }
        return n;
    }

    private N RotR(N n)
    {
        var v = Version + 1;
        var top = n.Left!;
        var lowered = Recalc(n with { Version = v, Left = top.Right });
        return Recalc(top with { Version = v, Right = lowered });
    }

    private N RotL(N n)
    {
        var v = Version + 1;
        var top = n.Right!;
        var lowered = Recalc(n with { Version = v, Right = top.Left });
        return Recalc(top with { Version = v, Left = lowered });
    }

    private static int Cmp(byte[] a, byte[] b) => a.AsSpan().SequenceCompareTo(b);

    private static byte[] Hash(N n) => n.IsLeaf
        ? IavlHash.Leaf(n.Key, n.Value!, n.Version)
        : IavlHash.Inner(n.Height, n.Size, n.Version, Hash(n.Left!), Hash(n.Right!));
}

/// <summary>iavl's node hash, written out byte by byte for the tests (Go's zig-zag varints, uvarint length prefixes).</summary>
internal static class IavlHash
{
    public static byte[] Leaf(byte[] key, byte[] value, long version)
    {
        var buf = new List<byte>();
        Varint(buf, 0);
        Varint(buf, 1);
        Varint(buf, version);
        LengthPrefixed(buf, key);
        LengthPrefixed(buf, SHA256.HashData(value));
        return SHA256.HashData(buf.ToArray());
    }

    public static byte[] Inner(int height, long size, long version, byte[] left, byte[] right)
    {
        var buf = new List<byte>();
        Varint(buf, height);
        Varint(buf, size);
        Varint(buf, version);
        LengthPrefixed(buf, left);
        LengthPrefixed(buf, right);
        return SHA256.HashData(buf.ToArray());
    }

    public static void Varint(List<byte> buf, long x)
    {
        var ux = (ulong)x << 1;
        if (x < 0) ux = ~ux;
        Uvarint(buf, ux);
    }

    public static void Uvarint(List<byte> buf, ulong x)
    {
        while (x >= 0x80)
        {
            buf.Add((byte)(x & 0x7F | 0x80));
            x >>= 7;
        }
        buf.Add((byte)x);
    }

    private static void LengthPrefixed(List<byte> buf, byte[] bytes)
    {
        Uvarint(buf, (ulong)bytes.Length);
        buf.AddRange(bytes);
    }
}
