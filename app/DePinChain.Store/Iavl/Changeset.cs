namespace DePinChain.Store.Iavl;

/// <summary>One mutation the working tree received: a set (value) or the deletion of a present key (null value).</summary>
internal readonly record struct TreeMutation(byte[] Key, byte[]? Value);

/// <summary>
/// The changeset record of one tree version: the mutations applied since the previous version, in the order the
/// tree received them (an AVL tree's shape depends on that order, so a replay applies exactly this sequence):
/// <c>uvarint(count) ‖ count × (0x00 ‖ bytes(key) ‖ bytes(value) | 0x01 ‖ bytes(key))</c>, bytes(x) = uvarint(len x) ‖ x.
/// </summary>
internal static class Changeset
{
    private const byte SetTag = 0;
    private const byte DeleteTag = 1;

    public static byte[] Encode(List<TreeMutation> mutations)
    {
        var length = NodeHasher.UvarintSize((ulong)mutations.Count);
        foreach (var (key, value) in mutations)
        {
            length += 1 + NodeHasher.UvarintSize((ulong)key.Length) + key.Length;
            if (value is not null) length += NodeHasher.UvarintSize((ulong)value.Length) + value.Length;
        }
        var bytes = new byte[length];
        var span = bytes.AsSpan();
        var at = NodeHasher.PutUvarint(span, (ulong)mutations.Count);
        foreach (var (key, value) in mutations)
        {
            span[at++] = value is null ? DeleteTag : SetTag;
            at += NodeHasher.PutUvarint(span[at..], (ulong)key.Length);
            key.CopyTo(span[at..]);
            at += key.Length;
            if (value is null) continue;
            at += NodeHasher.PutUvarint(span[at..], (ulong)value.Length);
            value.CopyTo(span[at..]);
            at += value.Length;
        }
        return bytes;
    }

    /// <summary>Applies the record's mutations to <paramref name="tree"/> in order.</summary>
    /// <exception cref="StoreCorruptedException">The record does not decode.</exception>
    public static void Apply(ReadOnlySpan<byte> record, IKVStore tree, string what)
    {
        var at = 0;
        var count = Uvarint(record, ref at, what);
        for (ulong i = 0; i < count; i++)
        {
            if (at >= record.Length) throw Corrupt(what, "truncated");
            var tag = record[at++];
            var key = Bytes(record, ref at, what);
            switch (tag)
            {
                case SetTag:
                    tree.Set(key, Bytes(record, ref at, what));
                    break;
                case DeleteTag:
                    tree.Delete(key);
                    break;
                default:
                    throw Corrupt(what, $"unknown mutation tag {tag}");
            }
        }
        if (at != record.Length) throw Corrupt(what, "trailing bytes");
    }

    private static ulong Uvarint(ReadOnlySpan<byte> data, ref int at, string what)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (at >= data.Length) throw Corrupt(what, "truncated");
            var b = data[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw Corrupt(what, "varint too long");
    }

    private static ReadOnlySpan<byte> Bytes(ReadOnlySpan<byte> data, ref int at, string what)
    {
        var length = Uvarint(data, ref at, what);
        if (length > (ulong)(data.Length - at)) throw Corrupt(what, "length past the end");
        var bytes = data.Slice(at, (int)length);
        at += (int)length;
        return bytes;
    }

    private static StoreCorruptedException Corrupt(string what, string why) => new($"{what} is damaged: {why}");
}
