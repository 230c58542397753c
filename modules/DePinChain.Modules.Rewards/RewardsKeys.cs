using DePinChain.Sdk;

namespace DePinChain.Modules.Rewards;

/// <summary>The rewards module's name (store, pool module account, app_state key) and store layout.</summary>
public static class RewardsKeys
{
    public const string ModuleName = "rewards";

    /// <summary>The treasury: a module account without mint/burn permissions; its funds move only by later governance.</summary>
    public const string TreasuryModuleName = "treasury";

    internal const byte ParamsKey = 0x01;
    internal const byte RecordPrefix = 0x02;
    internal const byte OwnerIndexPrefix = 0x03;
    internal const byte PowerPrefix = 0x04;
    internal const byte SummaryPrefix = 0x05;
    internal const byte ValidatorRewardPrefix = 0x06;
    // 0x07 is retired: it held the manual validator payout table (MsgSetValidatorPayout), replaced by the
    // validator reward sink (distribution). Never reuse it.

    /// <summary>prefix | epoch (8 bytes big-endian): one epoch's entries of a table are contiguous.</summary>
    internal static byte[] EpochPrefix(byte prefix, long epoch) => KeyCodec.Int64(prefix, epoch);

    /// <summary>0x02 | epoch | device key → RewardRecord.</summary>
    internal static byte[] RecordKey(long epoch, ReadOnlySpan<byte> device) => KeyCodec.Int64(RecordPrefix, epoch, device);

    /// <summary>
    /// 0x03 | epoch | len | owner → the device keys of the owner's records in that epoch, each as len | key, ascending:
    /// one entry per owner and epoch rather than one per device, so an epoch end writes one index entry per owner, and
    /// epoch first so that a prune deletes an epoch's entries by range without reading its records.
    /// </summary>
    internal static byte[] OwnerIndexKey(ReadOnlySpan<byte> owner, long epoch)
        => KeyCodec.Int64(OwnerIndexPrefix, epoch, KeyCodec.Address(owner));

    /// <summary>Encodes an owner index value: <paramref name="devices"/> (ascending, 1..255 bytes each) as len | key each.</summary>
    internal static byte[] OwnerIndexValue(IReadOnlyList<byte[]> devices)
    {
        int length = 0;
        foreach (var d in devices)
        {
            if (d.Length is 0 or > 255) throw new ArgumentException($"device key of {d.Length} bytes cannot be indexed", nameof(devices));
            length += 1 + d.Length;
        }
        var value = new byte[length];
        int at = 0;
        foreach (var d in devices)
        {
            value[at++] = (byte)d.Length;
            d.CopyTo(value, at);
            at += d.Length;
        }
        return value;
    }

    /// <summary>Decodes an owner index value.</summary>
    /// <exception cref="InvalidOperationException">The value is not a list of len | key entries (a corrupt store).</exception>
    internal static List<byte[]> OwnerIndexDevices(ReadOnlySpan<byte> value)
    {
        var devices = new List<byte[]>();
        while (!value.IsEmpty)
        {
            int length = value[0];
            if (length == 0 || value.Length < 1 + length) throw new InvalidOperationException("corrupt owner index entry in the rewards store");
            devices.Add(value.Slice(1, length).ToArray());
            value = value[(1 + length)..];
        }
        return devices;
    }

    /// <summary>0x04 | len | consensus address → signed power (8 bytes big-endian) in the running epoch.</summary>
    internal static byte[] PowerKey(ReadOnlySpan<byte> consensusAddress) => KeyCodec.Address(PowerPrefix, consensusAddress);

    internal static byte[] SummaryKey(long epoch) => EpochPrefix(SummaryPrefix, epoch);

    /// <summary>0x06 | epoch | len | consensus address → ValidatorReward.</summary>
    internal static byte[] ValidatorRewardKey(long epoch, ReadOnlySpan<byte> consensusAddress)
        => KeyCodec.Int64(ValidatorRewardPrefix, epoch, KeyCodec.Address(consensusAddress));
}
