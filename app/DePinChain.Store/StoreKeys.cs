namespace DePinChain.Store;

/// <summary>The limits every store layer enforces on keys and values, with messages that name the limit.</summary>
public static class StoreKeys
{
    /// <summary>Longest key accepted (64 KiB − 1, so a key length always fits two bytes on disk).</summary>
    public const int MaxKeyLength = 65_535;

    /// <summary>Largest value accepted (16 MiB); state values are small records, not blobs.</summary>
    public const int MaxValueLength = 16 * 1024 * 1024;

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
