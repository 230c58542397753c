namespace DePinChain.Sdk;

/// <summary>
/// Counts gas against a limit. Consuming past the limit throws <see cref="OutOfGasException"/> after recording the
/// consumption, so the reported gas_used exceeds gas_wanted like the SDK's. Limit 0 means unlimited (genesis,
/// block-level work). Not thread-safe: one meter per tx.
/// </summary>
public sealed class GasMeter(ulong limit)
{
    public static GasMeter Infinite() => new(0);

    public ulong Limit { get; } = limit;

    public ulong Consumed { get; private set; }

    public bool IsInfinite => Limit == 0;

    public void Consume(ulong amount, string descriptor)
    {
        ulong next = Consumed + amount;
        if (next < Consumed)
        {
            Consumed = ulong.MaxValue;
            throw new OutOfGasException(descriptor, Limit, Consumed);
        }
        Consumed = next;
        if (!IsInfinite && Consumed > Limit) throw new OutOfGasException(descriptor, Limit, Consumed);
    }

    /// <summary>Gas left before the limit (ulong.MaxValue when unlimited).</summary>
    public ulong Remaining => IsInfinite ? ulong.MaxValue : (Consumed >= Limit ? 0 : Limit - Consumed);
}

public sealed class OutOfGasException(string descriptor, ulong limit, ulong consumed)
    : Exception($"out of gas in location: {descriptor}; gasWanted: {limit}, gasUsed: {consumed}")
{
    public string Descriptor { get; } = descriptor;
}

/// <summary>Store access costs, the SDK's KVGasConfig defaults (store/types/gas.go).</summary>
public sealed record KVGasConfig(
    ulong HasCost, ulong DeleteCost, ulong ReadCostFlat, ulong ReadCostPerByte,
    ulong WriteCostFlat, ulong WriteCostPerByte, ulong IterNextCostFlat)
{
    public static readonly KVGasConfig Default = new(1000, 1000, 1000, 3, 2000, 30, 30);
}
