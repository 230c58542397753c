namespace DePinChain.Store;

/// <summary>
/// One module's key-value state as the module sees it: a committed tree, a block branch or a tx branch.
/// Keys must be non-empty; values must be non-null (empty is allowed). Writing to a store while enumerating
/// it is not supported.
/// </summary>
public interface IKVStore
{
    byte[]? Get(ReadOnlySpan<byte> key);

    bool Has(ReadOnlySpan<byte> key);

    void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    void Delete(ReadOnlySpan<byte> key);

    /// <summary>Entries with start &lt;= key &lt; end (null = open bound), ascending, or descending when reverse.</summary>
    IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(byte[]? start, byte[]? end, bool reverse = false);
}
