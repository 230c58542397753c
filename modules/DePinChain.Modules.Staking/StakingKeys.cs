using System.Buffers.Binary;
using DePinChain.Sdk;

namespace DePinChain.Modules.Staking;

/// <summary>The staking module's name (store, app_state key), its pools and its store layout (README.md, "Store layout").</summary>
public static class StakingKeys
{
    public const string ModuleName = "staking";

    /// <summary>The module account holding the tokens of bonded validators.</summary>
    public const string BondedPoolName = "bonded_tokens_pool";

    /// <summary>The module account holding the tokens of unbonding and unbonded validators and of unbonding entries.</summary>
    public const string NotBondedPoolName = "not_bonded_tokens_pool";

    internal const byte LastValidatorPowerPrefix = 0x11;
    internal const byte LastTotalPowerKey = 0x12;
    internal const byte ValidatorPrefix = 0x21;
    internal const byte ValidatorByConsAddrPrefix = 0x22;
    internal const byte ValidatorByPowerPrefix = 0x23;
    internal const byte DelegationPrefix = 0x31;
    internal const byte UnbondingDelegationPrefix = 0x32;
    internal const byte UnbondingDelegationByValPrefix = 0x33;
    internal const byte RedelegationPrefix = 0x34;
    internal const byte RedelegationByValSrcPrefix = 0x35;
    internal const byte RedelegationByValDstPrefix = 0x36;
    internal const byte UnbondingIdKey = 0x37;
    internal const byte UnbondingQueuePrefix = 0x41;
    internal const byte RedelegationQueuePrefix = 0x42;
    internal const byte ValidatorQueuePrefix = 0x43;
    internal const byte HistoricalInfoPrefix = 0x50;
    internal const byte ParamsKey = 0x51;
    internal const byte DelegationByValPrefix = 0x71;

    internal static byte[] LastValidatorPowerKey(ReadOnlySpan<byte> op) => KeyCodec.Address(LastValidatorPowerPrefix, op);

    internal static byte[] ValidatorKey(ReadOnlySpan<byte> op) => KeyCodec.Address(ValidatorPrefix, op);

    internal static byte[] ValidatorByConsAddrKey(ReadOnlySpan<byte> cons) => KeyCodec.Address(ValidatorByConsAddrPrefix, cons);

    /// <summary>0x23 | consensus power (8 bytes big-endian) | len | operator with every bit inverted: iterated from the
    /// end, the highest power comes first and, at equal power, the lowest operator address (the SDK's ordering).</summary>
    internal static byte[] PowerIndexKey(long power, ReadOnlySpan<byte> op)
    {
        var key = new byte[1 + 8 + 1 + op.Length];
        key[0] = ValidatorByPowerPrefix;
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(1), power);
        key[9] = (byte)op.Length;
        for (int i = 0; i < op.Length; i++) key[10 + i] = (byte)~op[i];
        return key;
    }

    internal static byte[] OperatorFromPowerIndexKey(ReadOnlySpan<byte> key)
    {
        int len = key[9];
        var op = new byte[len];
        for (int i = 0; i < len; i++) op[i] = (byte)~key[10 + i];
        return op;
    }

    internal static byte[] DelegationKey(ReadOnlySpan<byte> del, ReadOnlySpan<byte> val) => [.. KeyCodec.Address(DelegationPrefix, del), .. KeyCodec.Address(val)];

    internal static byte[] DelegationsOf(ReadOnlySpan<byte> del) => KeyCodec.Address(DelegationPrefix, del);

    internal static byte[] DelegationByValKey(ReadOnlySpan<byte> val, ReadOnlySpan<byte> del) => [.. KeyCodec.Address(DelegationByValPrefix, val), .. KeyCodec.Address(del)];

    internal static byte[] DelegationsTo(ReadOnlySpan<byte> val) => KeyCodec.Address(DelegationByValPrefix, val);

    internal static byte[] UnbondingDelegationKey(ReadOnlySpan<byte> del, ReadOnlySpan<byte> val) => [.. KeyCodec.Address(UnbondingDelegationPrefix, del), .. KeyCodec.Address(val)];

    internal static byte[] UnbondingDelegationsOf(ReadOnlySpan<byte> del) => KeyCodec.Address(UnbondingDelegationPrefix, del);

    internal static byte[] UnbondingDelegationByValKey(ReadOnlySpan<byte> val, ReadOnlySpan<byte> del) => [.. KeyCodec.Address(UnbondingDelegationByValPrefix, val), .. KeyCodec.Address(del)];

    internal static byte[] UnbondingDelegationsFrom(ReadOnlySpan<byte> val) => KeyCodec.Address(UnbondingDelegationByValPrefix, val);

    internal static byte[] RedelegationKey(ReadOnlySpan<byte> del, ReadOnlySpan<byte> src, ReadOnlySpan<byte> dst)
        => [.. KeyCodec.Address(RedelegationPrefix, del), .. KeyCodec.Address(src), .. KeyCodec.Address(dst)];

    internal static byte[] RedelegationsOf(ReadOnlySpan<byte> del) => KeyCodec.Address(RedelegationPrefix, del);

    internal static byte[] RedelegationBySrcKey(ReadOnlySpan<byte> src, ReadOnlySpan<byte> del, ReadOnlySpan<byte> dst)
        => [.. KeyCodec.Address(RedelegationByValSrcPrefix, src), .. KeyCodec.Address(del), .. KeyCodec.Address(dst)];

    internal static byte[] RedelegationsFromSrc(ReadOnlySpan<byte> src) => KeyCodec.Address(RedelegationByValSrcPrefix, src);

    internal static byte[] RedelegationByDstKey(ReadOnlySpan<byte> dst, ReadOnlySpan<byte> del, ReadOnlySpan<byte> src)
        => [.. KeyCodec.Address(RedelegationByValDstPrefix, dst), .. KeyCodec.Address(del), .. KeyCodec.Address(src)];

    /// <summary>0x36 | len | dst | len | delegator: the redelegations of a delegator into a validator (transitive check).</summary>
    internal static byte[] RedelegationsToDstOf(ReadOnlySpan<byte> dst, ReadOnlySpan<byte> del) => [.. KeyCodec.Address(RedelegationByValDstPrefix, dst), .. KeyCodec.Address(del)];

    /// <summary>Queue keys: prefix | block time as Unix nanoseconds (8 bytes big-endian) [| height].</summary>
    internal static byte[] TimeKey(byte prefix, DateTimeOffset time) => KeyCodec.Int64(prefix, UnixNanos(time));

    internal static byte[] ValidatorQueueKey(DateTimeOffset time, long height)
    {
        var key = new byte[17];
        key[0] = ValidatorQueuePrefix;
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(1), UnixNanos(time));
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(9), height);
        return key;
    }

    internal static byte[] HistoricalInfoKey(long height) => KeyCodec.Int64(HistoricalInfoPrefix, height);

    internal static long UnixNanos(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    /// <summary>The (len | address) parts of a key from <paramref name="offset"/> on.</summary>
    internal static List<byte[]> Addresses(ReadOnlySpan<byte> key, int offset)
    {
        var parts = new List<byte[]>();
        while (offset < key.Length)
        {
            int len = key[offset];
            parts.Add(key.Slice(offset + 1, len).ToArray());
            offset += 1 + len;
        }
        return parts;
    }
}
