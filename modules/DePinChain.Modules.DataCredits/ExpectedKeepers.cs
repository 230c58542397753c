using DePinChain.Protos.Depin.DataCredits.V1;
using DePinChain.Sdk;

namespace DePinChain.Modules.DataCredits;

/// <summary>
/// What data credits (and rewards) need from the device registry: the owner of an active device. The app adapts
/// the devices keeper to it.
/// </summary>
public interface IDeviceDirectory
{
    /// <summary>The owner's account address, or null when no active device has this key.</summary>
    byte[]? GetActiveDeviceOwner(Context ctx, ReadOnlySpan<byte> deviceKey);
}

/// <summary>What rewards reads from data credits: an epoch's paid traffic and today's price.</summary>
public interface IPaidTraffic
{
    /// <summary>Every device's paid traffic in <paramref name="epoch"/>, sorted by device key (bytewise).</summary>
    IEnumerable<TrafficRecord> EpochTraffic(Context ctx, long epoch);

    /// <summary>DC per DPIN (10^6 udpin) at this moment.</summary>
    ulong DcPerDpin(Context ctx);
}
