using DePinChain.Protos.Ics23;

namespace DePinChain.Store.Iavl;

/// <summary>
/// One saved version of an <see cref="IavlTree"/>. Its nodes never change, so any number of threads may read it
/// while the working tree is written, saved and pruned. If the version is deleted while it is being read, reads
/// throw <see cref="VersionNotFoundException"/>.
/// </summary>
public sealed class ImmutableTree : IReadOnlyTree
{
    private readonly NodeStore _store;
    private readonly FastIndex _fast;
    private readonly Dictionary<byte[], byte[]?>? _changes;
    private readonly Node? _root;
    private readonly byte[] _rootHash;
    private readonly Func<long, bool> _versionExists;

    internal ImmutableTree(NodeStore store, FastIndex fast, Node? root, long version, byte[] rootHash,
        Dictionary<byte[], byte[]?>? changes, Func<long, bool> versionExists)
    {
        _store = store;
        _fast = fast;
        _changes = changes;
        _root = root;
        Version = version;
        _rootHash = rootHash;
        _versionExists = versionExists;
    }

    public long Version { get; }

    internal Node? Root => _root;

    internal NodeStore Store => _store;

    public byte[] RootHash => (byte[])_rootHash.Clone();

    public long Size => _root?.Size ?? 0;

    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        if (key.IsEmpty) throw new ArgumentException("key must not be empty", nameof(key));
        // The keys this version changed answer first: until its batch is written the fast index lags behind.
        if (_changes is not null && _changes.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(key, out var changed))
            return changed is null ? null : (byte[])changed.Clone();
        // With the tree's nodes in memory a walk beats the fast index's database read.
        if (TreeReader.TryFindLeafInMemory(_store, _root, key, out var inMemory)) return inMemory is null ? null : (byte[])inMemory.Value!.Clone();
        if (_fast.TryGet(key, Version, out var value) == FastIndex.Lookup.Found) return value;
        try
        {
            var leaf = TreeReader.FindLeaf(_store, _root, key);
            return leaf is null ? null : (byte[])leaf.Value!.Clone();
        }
        catch (NodeMissingException e)
        {
            throw Translate(e);
        }
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(byte[]? start, byte[]? end, bool reverse = false)
    {
        using var entries = TreeReader.Entries(_store, _root, start, end, reverse).GetEnumerator();
        while (true)
        {
            try
            {
                if (!entries.MoveNext()) yield break;
            }
            catch (NodeMissingException e)
            {
                throw Translate(e);
            }
            yield return entries.Current;
        }
    }

    public CommitmentProof GetProof(ReadOnlySpan<byte> key)
    {
        if (key.IsEmpty) throw new ArgumentException("key must not be empty", nameof(key));
        try
        {
            return IavlProofs.Create(_store, _root, key);
        }
        catch (NodeMissingException e)
        {
            throw Translate(e);
        }
    }

    /// <summary>
    /// The serialized proof of a present key (what <c>GetProof(key).ToByteArray()</c> gives) and its value, built
    /// without message objects; null when the key is absent.
    /// </summary>
    internal byte[]? ExistenceProofBytes(ReadOnlySpan<byte> key, out byte[]? value)
    {
        try
        {
            var bytes = IavlProofs.ExistenceBytes(_store, _root, key, out value);
            if (value is not null) value = (byte[])value.Clone();
            return bytes;
        }
        catch (NodeMissingException e)
        {
            throw Translate(e);
        }
    }

    private Exception Translate(NodeMissingException e) => _versionExists(Version)
        ? new StoreCorruptedException($"version {Version} of an iavl tree references a missing node", e)
        : new VersionNotFoundException(Version, "deleted while being read");
}
