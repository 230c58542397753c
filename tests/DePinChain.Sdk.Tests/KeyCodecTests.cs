namespace DePinChain.Sdk.Tests;

public class KeyCodecTests
{
    [Fact]
    public void Integers_follow_the_prefix_big_endian_and_then_the_suffix()
    {
        Assert.Equal([0x05, 0, 0, 0, 0, 0, 0, 0x01, 0x02, 0xAA], KeyCodec.Int64(0x05, 0x0102, [0xAA]));
        Assert.Equal([0x06, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], KeyCodec.UInt64(0x06, ulong.MaxValue));
        Assert.Equal([0x07, 1, 2], KeyCodec.Bytes(0x07, [1, 2]));
    }

    [Fact]
    public void Keys_of_non_negative_integers_sort_as_the_integers()
    {
        ulong[] values = [0, 1, 255, 256, 65_535, 1UL << 40, ulong.MaxValue];
        var keys = values.Select(v => KeyCodec.UInt64(0x01, v)).ToList();
        var sorted = keys.OrderBy(k => k, DePinChain.Store.Backend.ByteArrayComparer.Instance).ToList();
        Assert.Equal(keys, sorted);
        Assert.Equal(1L << 40, KeyCodec.ReadInt64(KeyCodec.Int64(0x01, 1L << 40)));
        Assert.Equal(ulong.MaxValue, KeyCodec.ReadUInt64(KeyCodec.UInt64(0x01, ulong.MaxValue, [9, 9])));
    }

    [Fact]
    public void Addresses_are_length_prefixed_and_refused_when_empty_or_longer_than_255_bytes()
    {
        Assert.Equal([0x02, 3, 7, 8, 9], KeyCodec.Address(0x02, [7, 8, 9]));
        Assert.Equal([3, 7, 8, 9], KeyCodec.Address([7, 8, 9]));
        Assert.Equal(SdkErrors.InvalidAddressCode, Assert.Throws<SdkError>(() => KeyCodec.Address(0x02, [])).Code);
        Assert.Equal(SdkErrors.InvalidAddressCode, Assert.Throws<SdkError>(() => KeyCodec.Address(new byte[256])).Code);
    }

    [Fact]
    public void A_uint64_value_round_trips_and_an_absent_one_reads_as_zero()
    {
        Assert.Equal(0UL, KeyCodec.ReadUInt64Value(null));
        Assert.Equal(42UL, KeyCodec.ReadUInt64Value(KeyCodec.UInt64Value(42)));
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 42], KeyCodec.UInt64Value(42));
    }
}
