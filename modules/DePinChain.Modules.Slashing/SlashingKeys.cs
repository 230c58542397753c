using DePinChain.Sdk;

namespace DePinChain.Modules.Slashing;

/// <summary>The slashing module's name (store, app_state key) and store layout (the SDK's prefixes).</summary>
public static class SlashingKeys
{
    public const string ModuleName = "slashing";

    /// <summary>Bits per missed-block bitmap chunk (the SDK's <c>MissedBlockBitmapChunkSize</c>).</summary>
    public const int MissedBlockBitmapChunkSize = 1024;

    /// <summary>Bytes per stored chunk.</summary>
    internal const int ChunkBytes = MissedBlockBitmapChunkSize / 8;

    public const byte ParamsKey = 0x00;
    public const byte SigningInfoPrefix = 0x01;
    public const byte MissedBlockBitmapPrefix = 0x02;

    /// <summary>0x01 | len | consensus address → ValidatorSigningInfo.</summary>
    internal static byte[] SigningInfoKey(ReadOnlySpan<byte> consAddr) => KeyCodec.Address(SigningInfoPrefix, consAddr);

    /// <summary>0x02 | len | consensus address: every chunk of one validator's bitmap.</summary>
    internal static byte[] MissedBlockBitmapPrefixOf(ReadOnlySpan<byte> consAddr) => KeyCodec.Address(MissedBlockBitmapPrefix, consAddr);

    /// <summary>0x02 | len | consensus address | chunk index (8 bytes big-endian) → 128 bytes, bit i of the chunk at byte i / 8, mask 1 &lt;&lt; (i % 8).</summary>
    internal static byte[] MissedBlockBitmapKey(ReadOnlySpan<byte> consAddr, long chunkIndex)
    {
        var prefix = MissedBlockBitmapPrefixOf(consAddr);
        var key = new byte[prefix.Length + 8];
        prefix.CopyTo(key, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(prefix.Length), chunkIndex);
        return key;
    }
}
