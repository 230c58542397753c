using DePinChain.Store.Iavl;
using Microsoft.Extensions.Logging;

namespace DePinChain.Store;

public sealed partial class MultiStore
{
    /// <summary>
    /// The versions that fall out of the pruning window when <paramref name="latest"/> commits, with their commit
    /// records (which stores they had), ascending. They are unpublished first, so no new view or query starts on a
    /// version whose nodes are about to go.
    /// </summary>
    private List<(long Version, CommitInfo? Info)> UnpublishPrunedVersions(long latest)
    {
        if (_options.Pruning.KeepsAll && !IsChangesetFormat) return [];
        var doomed = _versions.Where(v => !IsKeptVersion(v, latest)).ToList();
        if (doomed.Count == 0) return [];
        var infos = doomed.Select(v => (v, ReadCommitInfo(v))).ToList();
        lock (_gate)
            foreach (var v in doomed) _versions.Remove(v);
        _logger.LogDebug("Pruning versions {Versions}", string.Join(",", doomed));
        return infos;
    }

    /// <summary>
    /// Stages into <paramref name="treeBatch"/> the deletion of each pruned version that had store <paramref name="name"/>
    /// (tree version = multistore version − offset); <see cref="Persist"/> deletes their commit records in the same batch
    /// (node format; in the changeset format a snapshot deletes them once replay no longer needs them to verify roots).
    /// </summary>
    private void StagePrunedVersions(string name, IVersionedTree tree, List<(long Version, CommitInfo? Info)> doomed, IWriteBatch treeBatch)
    {
        foreach (var (pruned, prunedInfo) in doomed)
            if (prunedInfo?.Stores.Any(s => s.Name == name) == true) tree.DeleteVersion(pruned - _offsets[name], treeBatch);
    }
}
