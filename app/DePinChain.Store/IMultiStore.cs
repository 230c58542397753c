namespace DePinChain.Store;

/// <summary>A set of named stores, one per module, that is read and written as a unit.</summary>
public interface IMultiStore
{
    IReadOnlyList<string> StoreNames { get; }

    /// <exception cref="KeyNotFoundException">No store of that name is mounted.</exception>
    IKVStore GetStore(string name);

    /// <summary>
    /// A branch over this state: reads see this state plus the branch's own writes; nothing reaches this state
    /// until <see cref="ICacheMultiStore.Write"/>. Branches nest (block branch → tx branch).
    /// </summary>
    ICacheMultiStore Branch();
}

public interface ICacheMultiStore : IMultiStore
{
    /// <summary>Writes this branch's pending changes into its parent. Dropping the branch instead discards them.</summary>
    void Write();

    /// <summary>
    /// Forgets every pending change and cached read: the branch is then as a new branch of the same parent, so one
    /// branch can serve many txs in turn (a block's tx branch) instead of one allocated per tx.
    /// </summary>
    void Discard();
}

/// <summary>
/// The committed, versioned state: one Merkle tree per store and a root over them (the app hash).
/// Writes through <see cref="IMultiStore.GetStore"/> and <see cref="IMultiStore.Branch"/> go to the working
/// state; <see cref="Commit"/> persists it atomically as the next version.
/// </summary>
public interface ICommitMultiStore : IMultiStore, IDisposable
{
    /// <summary>The last committed version and app hash (version 0 and the empty-state hash before any commit).</summary>
    CommitId LastCommitId { get; }

    /// <summary>The last committed version (0 before any commit): <see cref="LastCommitId"/>'s version without copying the
    /// app hash, for the queries that ask it on every request.</summary>
    long LastCommitVersion => LastCommitId.Version;

    /// <summary>The app hash the working state would commit to; persists nothing.</summary>
    byte[] WorkingHash();

    /// <summary>
    /// Persists the working state as version LastCommitId.Version + 1 in one atomic write, then prunes. With
    /// write-behind the write finishes after Commit returns (see <see cref="MultiStoreOptions.WriteBehind"/>).
    /// </summary>
    CommitId Commit();

    /// <summary>Waits until every commit is written (a no-op unless commits are written behind).</summary>
    void Flush();

    /// <summary>Where the last <see cref="Commit"/> spent its time (for logs and benchmarks).</summary>
    CommitTimings LastCommitTimings { get; }

    /// <summary>
    /// A read-only view of a committed version, safe to use from other threads while the working state is
    /// written and committed. Writing through it throws.
    /// </summary>
    /// <exception cref="VersionNotFoundException">The version was pruned or never committed.</exception>
    IMultiStore ViewAt(long version);

    /// <summary>The oldest version still readable (pruning removes older ones).</summary>
    long EarliestVersion { get; }

    /// <summary>
    /// Reads one key of one store at a committed version (0 = latest), with an ICS-23 proof chain
    /// (<c>ics23:iavl</c> for the store's tree, then <c>ics23:simple</c> for the multistore) when asked.
    /// </summary>
    StoreQueryResult Query(string storeName, ReadOnlySpan<byte> key, long version, bool prove);
}

public readonly record struct CommitId(long Version, byte[] Hash);

/// <param name="Value">Null when the key is absent; the proof then proves absence.</param>
public sealed record StoreQueryResult(long Version, byte[] Key, byte[]? Value, IReadOnlyList<ProofOp> ProofOps);

/// <summary>One step of a proof chain, as CometBFT's <c>tendermint.crypto.ProofOp</c> carries it.</summary>
/// <param name="Data">A serialized <c>cosmos.ics23.v1.CommitmentProof</c>.</param>
public sealed record ProofOp(string Type, byte[] Key, byte[] Data);

public sealed class VersionNotFoundException(long version, string reason)
    : Exception($"version {version} is not available: {reason}")
{
    public long Version { get; } = version;
}

/// <summary>The store on disk cannot be trusted (not a store, damaged commit record, missing nodes). The node must stop.</summary>
public sealed class StoreCorruptedException(string message, Exception? inner = null) : Exception(message, inner);
