using System.Buffers.Binary;

namespace DePinChain.Store.Iavl;

/// <summary>
/// The database keys of one tree, all under its key prefix P (see README.md in this folder):
/// <code>
/// P ‖ 'n' ‖ version(8 BE) ‖ nonce(4 BE)        → node
/// P ‖ 'r' ‖ version(8 BE)                      → root record: empty (empty tree) or root node key(12) ‖ root hash(32)
/// P ‖ 'o' ‖ toVersion(8 BE) ‖ node key(12)     → empty; orphan: the node is in versions [its version, toVersion] only
/// </code>
/// </summary>
internal sealed class TreeKeys(byte[] prefix)
{
    public const byte NodeTag = (byte)'n';
    public const byte RootTag = (byte)'r';
    public const byte OrphanTag = (byte)'o';

    public byte[] Prefix { get; } = prefix;

    public int NodeKeyLength => Prefix.Length + 1 + NodeKey.Size;

    public void WriteNode(NodeKey key, Span<byte> destination)
    {
        Prefix.CopyTo(destination);
        destination[Prefix.Length] = NodeTag;
        key.WriteTo(destination[(Prefix.Length + 1)..]);
    }

    public byte[] Node(NodeKey key)
    {
        var bytes = new byte[NodeKeyLength];
        WriteNode(key, bytes);
        return bytes;
    }

    public byte[] Root(long version)
    {
        var bytes = new byte[Prefix.Length + 9];
        Prefix.CopyTo(bytes, 0);
        bytes[Prefix.Length] = RootTag;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(Prefix.Length + 1), version);
        return bytes;
    }

    public byte[] RootsStart() => [.. Prefix, RootTag];

    public byte[] RootsEnd() => [.. Prefix, RootTag + 1];

    public long VersionOfRoot(ReadOnlySpan<byte> rootKey) => BinaryPrimitives.ReadInt64BigEndian(rootKey[(Prefix.Length + 1)..]);

    public byte[] Orphan(long toVersion, NodeKey node)
    {
        var bytes = new byte[Prefix.Length + 9 + NodeKey.Size];
        Prefix.CopyTo(bytes, 0);
        bytes[Prefix.Length] = OrphanTag;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(Prefix.Length + 1), toVersion);
        node.WriteTo(bytes.AsSpan(Prefix.Length + 9));
        return bytes;
    }

    /// <summary>[start, end) of the orphan entries whose lifetime ends at <paramref name="toVersion"/>.</summary>
    public (byte[] Start, byte[] End) OrphansEndingAt(long toVersion)
    {
        var start = new byte[Prefix.Length + 9];
        Prefix.CopyTo(start, 0);
        start[Prefix.Length] = OrphanTag;
        BinaryPrimitives.WriteInt64BigEndian(start.AsSpan(Prefix.Length + 1), toVersion);
        var end = (byte[])start.Clone();
        BinaryPrimitives.WriteInt64BigEndian(end.AsSpan(Prefix.Length + 1), toVersion + 1);
        return (start, end);
    }

    public NodeKey NodeOfOrphan(ReadOnlySpan<byte> orphanKey) => NodeKey.ReadFrom(orphanKey[(Prefix.Length + 9)..]);
}
