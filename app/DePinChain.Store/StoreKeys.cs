namespace DePinChain.Store;

/// <summary>The limits every store layer enforces on keys and values, with messages that name the limit.</summary>
public static class StoreKeys
{
    /// <summary>Longest key accepted (64 KiB), the tree's own limit.</summary>
    public const int MaxKeyLength = Iavl.IavlTree.MaxKeyLength;

    /// <summary>Largest value accepted (4 MiB), the tree's own limit; state values are small records, not blobs.</summary>
    public const int MaxValueLength = Iavl.IavlTree.MaxValueLength;

    public static void ValidateKey(ReadOnlySpan<byte> key)
    {
        if (key.IsEmpty) throw new ArgumentException("store keys must be non-empty", nameof(key));
        if (key.Length > MaxKeyLength)
            throw new ArgumentException($"store key is {key.Length} bytes; the limit is {MaxKeyLength} bytes", nameof(key));
    }

    public static void ValidateValue(ReadOnlySpan<byte> value)
    {
        if (value.Length > MaxValueLength)
            throw new ArgumentException($"store value is {value.Length} bytes; the limit is {MaxValueLength} bytes", nameof(value));
    }
}
