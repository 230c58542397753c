using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace DePinChain.Store.Iavl;

public sealed partial class IavlTree
{
    // ---- pruning: deleting a saved version frees the nodes no kept version needs (orphan records) ----

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per block: tier-0 code would run its loops
    public void DeleteVersion(long version, IWriteBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (version >= _version)
            throw new InvalidOperationException($"cannot delete version {version}: only versions older than the working base {_version} can be deleted");
        long predecessor;
        lock (_versionsLock)
        {
            var index = _versions.BinarySearch(version);
            if (index < 0) throw new VersionNotFoundException(version, "not saved, or already deleted");
            _versions.RemoveAt(index);
            predecessor = index > 0 ? _versions[index - 1] : 0;
            // Changeset format: forgetting the root frees the nodes only that version used; the database keeps the
            // changesets until a snapshot covers them.
            if (_changesetLog)
            {
                _memoryVersions.Remove(version);
                return;
            }
        }
        BeginStaging(batch);
        batch.Delete(_keys.Root(version));

        // A node orphaned at `version` lives in versions [node's version, version]. If no kept version is in that
        // range any more, nothing needs it: delete it. Otherwise its lifetime now ends at the predecessor.
        foreach (var (from, nonces) in OrphansEndingAt(version))
        {
            batch.Delete(_keys.Orphans(version, from));
            _stagedOrphans[(version, from)] = null;
            if (predecessor < from)
            {
                var nodeDbKey = _keys.Node(default);
                foreach (var nonce in nonces)
                {
                    var node = new NodeKey(from, nonce);
                    _keys.WriteNode(node, nodeDbKey);
                    batch.Delete(nodeDbKey);
                    _store.Cache.Remove(node);
                }
            }
            else
            {
                var merged = OrphanRecord(predecessor, from) ?? [];
                merged.AddRange(nonces);
                batch.Put(_keys.Orphans(predecessor, from), EncodeNonces(merged));
                _stagedOrphans[(predecessor, from)] = merged;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per block: tier-0 code would run its loops
    private List<(long From, List<uint> Nonces)> OrphansEndingAt(long version)
    {
        var result = new List<(long, List<uint>)>();
        var (start, end) = _keys.OrphansEndingAt(version);
        foreach (var entry in _db.Iterate(start, end))
        {
            var from = _keys.FromVersionOfOrphans(entry.Key);
            if (_stagedOrphans.ContainsKey((version, from))) continue;
            result.Add((from, DecodeNonces(entry.Value, version, from)));
        }
        foreach (var ((to, from), nonces) in _stagedOrphans)
        {
            if (to == version && nonces is not null) result.Add((from, [.. nonces]));
        }
        return result;
    }

    private List<uint>? OrphanRecord(long to, long from)
    {
        if (_stagedOrphans.TryGetValue((to, from), out var staged)) return staged is null ? null : [.. staged];
        var stored = _db.Get(_keys.Orphans(to, from));
        return stored is null ? null : DecodeNonces(stored, to, from);
    }

    private static byte[] EncodeNonces(List<uint> nonces)
    {
        var bytes = new byte[nonces.Count * 4];
        for (var i = 0; i < nonces.Count; i++) BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(i * 4), nonces[i]);
        return bytes;
    }

    private static List<uint> DecodeNonces(byte[] bytes, long to, long from)
    {
        if (bytes.Length % 4 != 0) throw new StoreCorruptedException($"iavl orphan record ({to}, {from}) has {bytes.Length} bytes");
        var nonces = new List<uint>(bytes.Length / 4);
        for (var i = 0; i < bytes.Length; i += 4) nonces.Add(BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(i)));
        return nonces;
    }
}
