using System.Buffers.Binary;
using System.Text;
using DePinChain.Store.Iavl;
using Microsoft.Extensions.Logging;

namespace DePinChain.Store;

public sealed partial class MultiStore
{
    private void Load()
    {
        var format = _db.Get(FormatKey);
        if (format is null)
        {
            if (_db.Iterate(null, null).Any())
                throw new StoreCorruptedException($"the database is not a DePinChain multistore: it has keys but no format marker (first key {Describe(_db.Iterate(null, null).First().Key)})");
            if (!_options.CreateIfEmpty)
                throw new StoreCorruptedException("the database is empty and creating a new store was not requested (MultiStoreOptions.CreateIfEmpty); refusing to start from an empty state");
            var batch = _db.CreateBatch();
            using (batch)
            {
                batch.Put(FormatKey, ExpectedFormatValue);
                _db.Write(batch, sync: true);
            }
            _logger.LogInformation("Created an empty multistore with stores {Stores}", string.Join(",", _names));
        }
        else if (!format.AsSpan().SequenceEqual(ExpectedFormatValue))
        {
            var written = format.AsSpan().SequenceEqual(FormatValue) ? " (written in the node-record format: open it with that format, iavl-format = \"nodes\")"
                : format.AsSpan().SequenceEqual(ChangesetFormatValue) ? " (written in the changeset format: open it with that format, iavl-format = \"changesets\")" : "";
            throw new StoreCorruptedException($"the database has format marker '{Encoding.ASCII.GetString(format)}'; expected '{Encoding.ASCII.GetString(ExpectedFormatValue)}'{written}");
        }

        CheckNoForeignKeys();

        var latestBytes = _db.Get(LatestKey);
        if (latestBytes is null)
        {
            var strayRecord = _db.IteratePrefix(CommitInfoPrefix).FirstOrDefault();
            if (strayRecord.Key is not null)
                throw new StoreCorruptedException($"the database has commit records but no latest-version record (first record {Describe(strayRecord.Key)})");
            var strayNode = _db.IteratePrefix([TreeByte]).FirstOrDefault();
            if (strayNode.Key is not null)
                throw new StoreCorruptedException($"the database has tree data but no commit record (first key {Describe(strayNode.Key)})");
            foreach (var name in _names)
            {
                _trees[name] = OpenTree(name, 0);
                _offsets[name] = 0;
            }
            if (IsChangesetFormat) RemoveSnapshotsExcept(0);
            return;
        }

        if (latestBytes.Length != 8)
            throw new StoreCorruptedException($"the latest-version record is {latestBytes.Length} bytes; expected 8");
        var latest = BinaryPrimitives.ReadInt64BigEndian(latestBytes);
        if (latest <= 0) throw new StoreCorruptedException($"the latest-version record says {latest}; expected a positive version");
        var info = ReadCommitInfo(latest) ?? throw new StoreCorruptedException($"the commit record of the latest version {latest} is missing");

        var missing = info.Stores.Select(s => s.Name).Where(n => Array.BinarySearch(_names, n, StringComparer.Ordinal) < 0).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"the committed state has store(s) {string.Join(", ", missing)} that are not mounted; removing a store needs a migration");

        if (IsChangesetFormat)
        {
            LoadChangesets(latest, info);
            return;
        }

        foreach (var name in _names)
        {
            var committedRoot = info.RootOf(name);
            var offset = ReadOffset(name, committedRoot is not null, latest);
            IVersionedTree tree;
            try
            {
                tree = OpenTree(name, committedRoot is null ? 0 : latest - offset);
            }
            catch (Exception e) when (e is not StoreCorruptedException)
            {
                throw new StoreCorruptedException($"store '{name}' cannot be loaded at version {latest}: {e.Message}", e);
            }
            if (committedRoot is not null && !tree.WorkingHash().AsSpan().SequenceEqual(committedRoot))
                throw new StoreCorruptedException($"store '{name}' at version {latest} has root {Convert.ToHexStringLower(tree.WorkingHash())} but the commit record says {Convert.ToHexStringLower(committedRoot)}");
            _trees[name] = tree;
        }

        foreach (var (key, _) in _db.IteratePrefix(CommitInfoPrefix))
        {
            if (key.Length != CommitInfoPrefix.Length + 8)
                throw new StoreCorruptedException($"malformed commit record key {Describe(key)}");
            _versions.Add(BinaryPrimitives.ReadInt64BigEndian(key.AsSpan(CommitInfoPrefix.Length)));
        }
        if (_versions.Max != latest)
            throw new StoreCorruptedException($"the latest-version record says {latest} but a commit record exists for version {_versions.Max}");
        _lastCommit = info;
        _durableVersion = latest;
        _logger.LogInformation("Opened multistore at version {Version}, app hash {AppHash}, earliest version {Earliest}",
            latest, Convert.ToHexString(info.Hash()), _versions.Min);
    }

    /// <summary>
    /// The store's version offset (multistore version − tree version): its record for a store added after genesis,
    /// 0 for one there since genesis, and the latest version for a store not committed yet (recorded with its first commit).
    /// </summary>
    private long ReadOffset(string name, bool committed, long latest)
    {
        var offsetBytes = _db.Get([.. OffsetPrefix, .. Encoding.ASCII.GetBytes(name)]);
        long offset;
        if (!committed)
        {
            offset = latest;
            _unrecordedOffsets.Add(name);
            _logger.LogInformation("Store {Store} is new: it starts empty at version {Version}", name, latest + 1);
        }
        else if (offsetBytes is null) offset = 0;
        else if (offsetBytes.Length != 8 || (offset = BinaryPrimitives.ReadInt64BigEndian(offsetBytes)) < 0 || offset >= latest)
            throw new StoreCorruptedException($"store '{name}' has a malformed version offset record");
        _offsets[name] = offset;
        return offset;
    }

    private void CheckNoForeignKeys()
    {
        // Our keys start with 'm' or 't'; look for anything below, between or above those ranges.
        (byte[]? Start, byte[]? End)[] gaps = [(null, [MetaByte]), ([MetaByte + 1], [TreeByte]), ([TreeByte + 1], null)];
        foreach (var (start, end) in gaps)
        {
            var foreign = _db.Iterate(start, end).FirstOrDefault();
            if (foreign.Key is not null)
                throw new StoreCorruptedException($"the database holds a key that is not the multistore's: {Describe(foreign.Key)}");
        }
    }

    private IVersionedTree OpenTree(string name, long version)
        => IavlTree.Open(_db, TreePrefix(name), version, TreeOptions);

    private IavlTreeOptions TreeOptions => new(_options.NodeCacheSize) { PinnedHeight = _options.PinnedHeight, Format = _options.Format };

    private bool IsChangesetFormat => _options.Format == StoreFormat.Changesets;

    private byte[] ExpectedFormatValue => IsChangesetFormat ? ChangesetFormatValue : FormatValue;
}
