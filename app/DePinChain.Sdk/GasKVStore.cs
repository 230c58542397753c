using DePinChain.Store;

namespace DePinChain.Sdk;

/// <summary>Charges gas for every access to the wrapped store, with the SDK's per-operation and per-byte costs.</summary>
public sealed class GasKVStore(IKVStore inner, GasMeter meter, KVGasConfig config) : IKVStore
{
    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        meter.Consume(config.ReadCostFlat, "ReadFlat");
        var value = inner.Get(key);
        meter.Consume(config.ReadCostPerByte * (ulong)key.Length, "ReadPerByte");
        if (value is not null) meter.Consume(config.ReadCostPerByte * (ulong)value.Length, "ReadPerByte");
        return value;
    }

    public bool Has(ReadOnlySpan<byte> key)
    {
        meter.Consume(config.HasCost, "Has");
        return inner.Has(key);
    }

    public void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        meter.Consume(config.WriteCostFlat, "WriteFlat");
        meter.Consume(config.WriteCostPerByte * (ulong)key.Length, "WritePerByte");
        meter.Consume(config.WriteCostPerByte * (ulong)value.Length, "WritePerByte");
        inner.Set(key, value);
    }

    public void Delete(ReadOnlySpan<byte> key)
    {
        meter.Consume(config.DeleteCost, "Delete");
        inner.Delete(key);
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(byte[]? start, byte[]? end, bool reverse = false)
    {
        foreach (var entry in inner.Iterate(start, end, reverse))
        {
            meter.Consume(config.IterNextCostFlat, "IterNextFlat");
            meter.Consume(config.ReadCostPerByte * (ulong)(entry.Key.Length + entry.Value.Length), "ValuePerByte");
            yield return entry;
        }
    }
}
