using System.Buffers.Binary;

namespace DePinChain.Store.Iavl;

/// <summary>
/// Where a saved node lives: the version that created it and a per-version counter (as in iavl v1).
/// The default value (version 0) marks a node that is not saved yet.
/// </summary>
internal readonly record struct NodeKey(long Version, uint Nonce) : IComparable<NodeKey>
{
    public const int Size = 12;

    public bool IsSaved => Version != 0;

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64BigEndian(destination, Version);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Nonce);
    }

    public static NodeKey ReadFrom(ReadOnlySpan<byte> source)
        => new(BinaryPrimitives.ReadInt64BigEndian(source), BinaryPrimitives.ReadUInt32BigEndian(source[8..]));

    /// <summary>By version, then nonce: the order of their database keys.</summary>
    public int CompareTo(NodeKey other) => Version != other.Version ? Version.CompareTo(other.Version) : Nonce.CompareTo(other.Nonce);

    public override string ToString() => $"{Version}/{Nonce}";
}
