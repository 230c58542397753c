using System.Buffers.Binary;

namespace DePinChain.Store.Iavl;

/// <summary>
/// The database keys of one tree, all under its key prefix P (see README.md in this folder):
/// <code>
/// P ‖ 'n' ‖ version(8 BE) ‖ nonce(4 BE)        → node
/// P ‖ 'r' ‖ version(8 BE)                      → root record: empty (empty tree) or root node key(12) ‖ root hash(32)
/// P ‖ 'o' ‖ toVersion(8 BE) ‖ fromVersion(8 BE) → nonces (4 BE each) of the nodes of fromVersion that are in
///                                                versions [fromVersion, toVersion] only (orphans)
/// P ‖ 'f' ‖ key                               → uvarint(version that last set it) ‖ value, for every key of the
///                                                newest saved version (the fast index for reads)
/// P ‖ 'c' ‖ version(8 BE)                      → the changeset of that version (changeset format only: <see cref="Changeset"/>)
/// </code>
/// </summary>
internal sealed class TreeKeys(byte[] prefix)
{
    public const byte NodeTag = (byte)'n';
    public const byte RootTag = (byte)'r';
    public const byte OrphanTag = (byte)'o';
    public const byte FastTag = (byte)'f';
    public const byte ChangesetTag = (byte)'c';

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

    public byte[] Fast(ReadOnlySpan<byte> key)
    {
        var bytes = new byte[Prefix.Length + 1 + key.Length];
        Prefix.CopyTo(bytes, 0);
        bytes[Prefix.Length] = FastTag;
        key.CopyTo(bytes.AsSpan(Prefix.Length + 1));
        return bytes;
    }

    public byte[] Root(long version) => VersionKey(RootTag, version);

    /// <summary>P ‖ tag ‖ version(8 BE).</summary>
    private byte[] VersionKey(byte tag, long version)
    {
        var bytes = new byte[Prefix.Length + 9];
        Prefix.CopyTo(bytes, 0);
        bytes[Prefix.Length] = tag;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(Prefix.Length + 1), version);
        return bytes;
    }

    public byte[] Changeset(long version) => VersionKey(ChangesetTag, version);

    /// <summary>[start, end) of the changeset records of versions up to <paramref name="version"/>.</summary>
    public (byte[] Start, byte[] End) ChangesetsUpTo(long version) => ([.. Prefix, ChangesetTag], Changeset(version + 1));

    public byte[] RootsStart() => [.. Prefix, RootTag];

    public byte[] RootsEnd() => [.. Prefix, RootTag + 1];

    public long VersionOfRoot(ReadOnlySpan<byte> rootKey) => BinaryPrimitives.ReadInt64BigEndian(rootKey[(Prefix.Length + 1)..]);

    public byte[] Orphans(long toVersion, long fromVersion)
    {
        var bytes = new byte[Prefix.Length + 17];
        Prefix.CopyTo(bytes, 0);
        bytes[Prefix.Length] = OrphanTag;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(Prefix.Length + 1), toVersion);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(Prefix.Length + 9), fromVersion);
        return bytes;
    }

    /// <summary>[start, end) of the orphan records whose lifetime ends at <paramref name="toVersion"/>.</summary>
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

    public long FromVersionOfOrphans(ReadOnlySpan<byte> orphansKey)
    {
        if (orphansKey.Length != Prefix.Length + 17) throw new StoreCorruptedException($"iavl orphan record key of unexpected length {orphansKey.Length}");
        return BinaryPrimitives.ReadInt64BigEndian(orphansKey[(Prefix.Length + 9)..]);
    }
}
