namespace DePinChain.Store;

/// <summary>How a multistore persists its trees (README.md, "Persistence formats").</summary>
public enum StoreFormat
{
    /// <summary>Every new tree node is a database record, with orphan records for pruning and a fast index for reads (iavl v1's layout).</summary>
    Nodes,

    /// <summary>
    /// Whole trees in memory; a commit writes one record per store listing the mutations of the version, and a
    /// snapshot file of every tree is written every <see cref="MultiStoreOptions.SnapshotInterval"/> versions
    /// (memiavl's layout). Opening loads the newest snapshot and replays the later changesets.
    /// </summary>
    Changesets,
}
