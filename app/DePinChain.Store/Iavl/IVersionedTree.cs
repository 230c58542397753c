using DePinChain.Protos.Ics23;
using DePinChain.Store.Backend;

namespace DePinChain.Store.Iavl;

/// <summary>
/// One store's versioned Merkle tree, hashed exactly like cosmos/iavl so its proofs verify under ICS-23
/// IavlSpec. The working state (the <see cref="IKVStore"/> part) is mutable; saved versions are immutable.
/// </summary>
public interface IVersionedTree : IKVStore
{
    /// <summary>The last saved version; 0 before the first save.</summary>
    long Version { get; }

    /// <summary>Number of keys in the working state.</summary>
    long Size { get; }

    /// <summary>Root hash of the working state. For an empty tree: SHA-256 of the empty string, as iavl does.</summary>
    byte[] WorkingHash();

    /// <summary>
    /// Stages the working state as version <see cref="Version"/> + 1 into <paramref name="batch"/> (new nodes,
    /// the version's root record, what pruning needs later) and returns its root hash. The caller writes the
    /// batch atomically (one batch for every tree of the multistore); the tree assumes it was written.
    /// </summary>
    byte[] SaveVersion(IWriteBatch batch);

    /// <summary>
    /// The first half of <see cref="SaveVersion"/>: makes the working state version <see cref="Version"/> + 1 in
    /// memory (hashed, its new nodes numbered and immutable; reads and <see cref="GetImmutable"/> see it from now
    /// on) and returns what is left to stage. <see cref="ISealedVersion.Stage"/> may run on another thread while
    /// the working state changes again, and must run (and its batch be written) before the next seal.
    /// </summary>
    ISealedVersion SealVersion();

    /// <summary>A read-only saved version, safe to read from other threads while the working state changes.</summary>
    /// <exception cref="VersionNotFoundException">Not saved, or pruned.</exception>
    IReadOnlyTree GetImmutable(long version);

    /// <summary>Stages the removal of everything only <paramref name="version"/> still references.</summary>
    void DeleteVersion(long version, IWriteBatch batch);

    /// <summary>Drops unsaved changes: the working state becomes the last saved version again.</summary>
    void Rollback();
}

/// <summary>A version sealed in memory whose records are not staged into a batch yet.</summary>
public interface ISealedVersion
{
    long Version { get; }

    byte[] RootHash { get; }

    /// <summary>
    /// Stages the version's new nodes, root record, orphan records and fast-index changes into <paramref name="batch"/>
    /// (once). The caller writes the batch atomically; the tree assumes it was written before the next
    /// stage or deletion into another batch.
    /// </summary>
    void Stage(IWriteBatch batch);
}

public interface IReadOnlyTree
{
    long Version { get; }

    byte[] RootHash { get; }

    /// <summary>Number of keys.</summary>
    long Size { get; }

    byte[]? Get(ReadOnlySpan<byte> key);

    IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(byte[]? start, byte[]? end, bool reverse = false);

    /// <summary>An ICS-23 proof under IavlSpec: an existence proof when the key is present, else a non-existence proof.</summary>
    CommitmentProof GetProof(ReadOnlySpan<byte> key);
}
