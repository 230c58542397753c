using System.Collections.Concurrent;
using DePinChain.Crypto;

namespace DePinChain.Sdk;

/// <summary>
/// Account addresses in bech32 with the chain's prefix, with parse failures as SDK errors (code 7, invalid address)
/// so handlers can let them propagate to the tx result.
/// </summary>
/// <remarks>
/// Both directions are memoized: a bank send converts the same few addresses about fifteen times (signers, message
/// validation and handling, account writes, and every event attribute), and bech32 is slow. Both are pure functions,
/// so the caches change no result; failures are not cached and throw the same error every time.
/// </remarks>
public static class Bech32Address
{
    public const string AccountPrefix = "depin";

    private static readonly BoundedCache<string, byte[]> Parsed = new(StringComparer.Ordinal);
    private static readonly BoundedCache<byte[], string> Encoded = new(ByteArrayComparer.Instance);

    public static string ToBech32(ReadOnlySpan<byte> address)
    {
        // The lookup needs an array key; addresses are 20 or 32 bytes, so the copy is cheap next to the encoding.
        byte[] key = address.ToArray();
        if (Encoded.TryGet(key, out var text)) return text;
        text = CosmosAddress.ToBech32(address, AccountPrefix);
        Encoded.Add(key, text);
        return text;
    }

    /// <exception cref="SdkError">Not a bech32 string with our prefix (code 7).</exception>
    public static byte[] Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) throw SdkErrors.InvalidAddress("empty address string is not allowed");
        // Callers own the returned array (some slice or keep it), so hand out copies of the cached one.
        if (Parsed.TryGet(text, out var bytes)) return (byte[])bytes.Clone();
        try
        {
            bytes = CosmosAddress.Parse(text, AccountPrefix);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw SdkErrors.InvalidAddress($"invalid address {text}: {e.Message}");
        }
        Parsed.Add(text, (byte[])bytes.Clone());
        return bytes;
    }

    /// <summary>A thread-safe memo that forgets everything when full (CheckTx runs beside block execution).</summary>
    private sealed class BoundedCache<TKey, TValue>(IEqualityComparer<TKey> comparer) where TKey : notnull
    {
        private const int Capacity = 1 << 16;
        private readonly ConcurrentDictionary<TKey, TValue> _entries = new(comparer);
        private int _count;

        public bool TryGet(TKey key, out TValue value) => _entries.TryGetValue(key, out value!);

        public void Add(TKey key, TValue value)
        {
            if (Interlocked.Increment(ref _count) > Capacity)
            {
                _entries.Clear();
                Interlocked.Exchange(ref _count, 1);
            }
            _entries[key] = value;
        }
    }

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] bytes)
        {
            var hash = new HashCode();
            hash.AddBytes(bytes);
            return hash.ToHashCode();
        }
    }
}
