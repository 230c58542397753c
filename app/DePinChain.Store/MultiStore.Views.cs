using System.Text;
using DePinChain.Protos.Ics23;
using DePinChain.Store.Cache;
using DePinChain.Store.Iavl;
using Google.Protobuf;

namespace DePinChain.Store;

public sealed partial class MultiStore
{
    /// <exception cref="VersionNotFoundException">Not committed, or pruned.</exception>
    public IMultiStore ViewAt(long version)
    {
        ThrowIfUnusable();
        lock (_gate)
        {
            var info = CommitAt(version);
            var views = new SortedDictionary<string, IReadOnlyTree>(StringComparer.Ordinal);
            foreach (var store in info.Stores) views[store.Name] = _trees[store.Name].GetImmutable(version - _offsets[store.Name]);
            return new ReadOnlyMultiStore(info.Version, views);
        }
    }

    public StoreQueryResult Query(string storeName, ReadOnlySpan<byte> key, long version, bool prove)
    {
        ThrowIfUnusable();
        ArgumentNullException.ThrowIfNull(storeName);
        StoreKeys.ValidateKey(key);
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        CommitInfo info;
        IReadOnlyTree tree;
        lock (_gate)
        {
            if (version == 0)
            {
                if (_lastCommit is null) throw new VersionNotFoundException(0, "nothing has been committed yet");
                version = _lastCommit.Version;
            }
            info = CommitAt(version);
            if (info.RootOf(storeName) is null)
                throw new KeyNotFoundException($"no store named '{storeName}' at version {version}");
            tree = _trees[storeName].GetImmutable(version - _offsets[storeName]);
        }
        if (!prove) return new StoreQueryResult(version, key.ToArray(), tree.Get(key), []);
        // One walk: an existence proof carries the value, a non-existence proof means there is none. A present key's
        // proof is written straight to bytes; an absent key's goes through the message objects.
        byte[]? value;
        byte[] proofBytes;
        if (tree is ImmutableTree immutable && immutable.ExistenceProofBytes(key, out var present) is { } direct)
        {
            proofBytes = direct;
            value = present;
        }
        else
        {
            var treeProof = tree.GetProof(key);
            value = treeProof.ProofCase == CommitmentProof.ProofOneofCase.Exist ? treeProof.Exist.Value.ToByteArray() : null;
            proofBytes = treeProof.ToByteArray();
        }
        ProofOp[] ops =
        [
            new(ProofOpTypes.Iavl, key.ToArray(), proofBytes),
            new(ProofOpTypes.Simple, Encoding.ASCII.GetBytes(storeName), (byte[])info.ProveStoreBytes(storeName).Clone()),
        ];
        return new StoreQueryResult(version, key.ToArray(), value, ops);
    }

    /// <summary>The commit record of a readable version.</summary>
    public CommitInfo GetCommitInfo(long version)
    {
        lock (_gate) return CommitAt(version);
    }

    private CommitInfo CommitAt(long version)
    {
        if (version <= 0 || _lastCommit is null || version > _lastCommit.Version)
            throw new VersionNotFoundException(version, _lastCommit is null ? "nothing has been committed yet" : $"the latest version is {_lastCommit.Version}");
        if (!_versions.Contains(version))
            throw new VersionNotFoundException(version, $"it was pruned (earliest kept version is {_versions.Min})");
        return version == _lastCommit.Version ? _lastCommit : ReadCommitInfo(version)
            ?? throw new StoreCorruptedException($"the commit record of version {version} is missing");
    }

    /// <summary>A committed version of every store; writes throw.</summary>
    private sealed class ReadOnlyMultiStore(long version, SortedDictionary<string, IReadOnlyTree> trees) : IMultiStore
    {
        private readonly string[] _names = [.. trees.Keys];

        public IReadOnlyList<string> StoreNames => _names;

        public IKVStore GetStore(string name)
        {
            ArgumentNullException.ThrowIfNull(name);
            return trees.TryGetValue(name, out var tree) ? new ReadOnlyStore(version, name, tree) : throw new KeyNotFoundException($"no store named '{name}' at version {version}");
        }

        /// <summary>A scratch branch over the view (for simulation); writing it back throws.</summary>
        public ICacheMultiStore Branch() => new CacheMultiStore(this);
    }

    private sealed class ReadOnlyStore(long version, string name, IReadOnlyTree tree) : IKVStore
    {
        public byte[]? Get(ReadOnlySpan<byte> key)
        {
            StoreKeys.ValidateKey(key);
            return tree.Get(key);
        }

        public bool Has(ReadOnlySpan<byte> key) => Get(key) is not null;

        public void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => throw ReadOnly();

        public void Delete(ReadOnlySpan<byte> key) => throw ReadOnly();

        public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(byte[]? start, byte[]? end, bool reverse = false) => tree.Iterate(start, end, reverse);

        private InvalidOperationException ReadOnly() => new($"store '{name}' at version {version} is a read-only view of committed state");
    }
}
