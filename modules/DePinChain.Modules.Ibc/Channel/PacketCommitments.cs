using System.Buffers.Binary;
using System.Security.Cryptography;
using DePinChain.Protos.Ibc.Core.Channel.V1;

namespace DePinChain.Modules.Ibc.Channel;

/// <summary>ibc-go's packet and acknowledgement commitments (04-channel types/packet.go).</summary>
public static class PacketCommitments
{
    /// <summary>sha256(BE64(timeout_timestamp) ‖ BE64(timeout revision) ‖ BE64(timeout height) ‖ sha256(data)).</summary>
    public static byte[] CommitPacket(Packet packet)
    {
        Span<byte> buffer = stackalloc byte[24 + 32];
        BinaryPrimitives.WriteUInt64BigEndian(buffer, packet.TimeoutTimestamp);
        BinaryPrimitives.WriteUInt64BigEndian(buffer[8..], packet.TimeoutHeight?.RevisionNumber ?? 0);
        BinaryPrimitives.WriteUInt64BigEndian(buffer[16..], packet.TimeoutHeight?.RevisionHeight ?? 0);
        SHA256.HashData(packet.Data.Span, buffer[24..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>sha256(acknowledgement).</summary>
    public static byte[] CommitAcknowledgement(ReadOnlySpan<byte> acknowledgement) => SHA256.HashData(acknowledgement);
}
