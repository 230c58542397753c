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
    // 0x03 is retired: it held one owner-index entry per owner and epoch (the list of its devices), written at the
    // epoch end; settled records are now indexed one entry per device (0x09) as they are paid. Never reuse it.
    internal const byte PowerPrefix = 0x04;
    internal const byte SummaryPrefix = 0x05;
    internal const byte ValidatorRewardPrefix = 0x06;
    internal const byte PayoutPrefix = 0x08;
    internal const byte OwnerIndexPrefix = 0x09;
    // 0x07 is retired: it held the manual validator payout table (MsgSetValidatorPayout), replaced by the
    // validator reward sink (distribution). Never reuse it.

    /// <summary>prefix | epoch (8 bytes big-endian): one epoch's entries of a table are contiguous.</summary>
    internal static byte[] EpochPrefix(byte prefix, long epoch) => KeyCodec.Int64(prefix, epoch);

    /// <summary>0x02 | epoch | device key → RewardRecord.</summary>
    internal static byte[] RecordKey(long epoch, ReadOnlySpan<byte> device) => KeyCodec.Int64(RecordPrefix, epoch, device);

    /// <summary>
    /// 0x09 | epoch | len | owner | device → empty: the owner's settled records of the epoch, by device key; epoch first
    /// so that a prune deletes an epoch's entries by range without reading its records.
    /// </summary>
    internal static byte[] OwnerIndexKey(ReadOnlySpan<byte> owner, long epoch, ReadOnlySpan<byte> device)
        => KeyCodec.Int64(OwnerIndexPrefix, epoch, [.. KeyCodec.Address(owner), .. device]);

    /// <summary>0x09 | epoch | len | owner: the prefix of the owner's entries of the epoch.</summary>
    internal static byte[] OwnerIndexPrefixOf(ReadOnlySpan<byte> owner, long epoch) => KeyCodec.Int64(OwnerIndexPrefix, epoch, KeyCodec.Address(owner));

    /// <summary>0x08 | epoch → EpochPayout of an ended epoch whose devices are not all paid (in epoch order: the oldest first).</summary>
    internal static byte[] PayoutKey(long epoch) => EpochPrefix(PayoutPrefix, epoch);

    /// <summary>0x04 | len | consensus address → signed power (8 bytes big-endian) in the running epoch.</summary>
    internal static byte[] PowerKey(ReadOnlySpan<byte> consensusAddress) => KeyCodec.Address(PowerPrefix, consensusAddress);

    internal static byte[] SummaryKey(long epoch) => EpochPrefix(SummaryPrefix, epoch);

    /// <summary>0x06 | epoch | len | consensus address → ValidatorReward.</summary>
    internal static byte[] ValidatorRewardKey(long epoch, ReadOnlySpan<byte> consensusAddress)
        => KeyCodec.Int64(ValidatorRewardPrefix, epoch, KeyCodec.Address(consensusAddress));
}
