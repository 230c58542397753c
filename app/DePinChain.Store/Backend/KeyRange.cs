namespace DePinChain.Store.Backend;

public static class KeyRange
{
    /// <summary>
    /// The smallest key greater than every key starting with <paramref name="prefix"/>, or null when there is
    /// none (the prefix is empty or all 0xFF), which as an iteration end means "no upper bound".
    /// </summary>
    public static byte[]? PrefixEnd(ReadOnlySpan<byte> prefix)
    {
        var end = prefix.ToArray();
        for (var i = end.Length - 1; i >= 0; i--)
        {
            if (end[i] != 0xFF)
            {
                end[i]++;
                return end.AsSpan(0, i + 1).ToArray();
            }
        }
        return null;
    }

    public static IEnumerable<KeyValuePair<byte[], byte[]>> IteratePrefix(this IKeyValueReader reader, ReadOnlySpan<byte> prefix, bool reverse = false)
        => reader.Iterate(prefix.Length == 0 ? null : prefix.ToArray(), PrefixEnd(prefix), reverse);
}
