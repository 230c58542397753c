using DePinChain.Store.Backend;

namespace DePinChain.Store.Iavl;

/// <summary>
/// iavl's "fast nodes": every key of the newest saved version with the version that last set it, so a read
/// of committed state is one database lookup instead of a walk down the tree. A record set at version u is
/// valid for any version v ≥ u (nothing changed the key after u). A missing record proves nothing about
/// older versions (the key may have been deleted since), so readers then walk the tree.
/// </summary>
internal sealed class FastIndex(IKeyValueReader db, TreeKeys keys)
{
    public enum Lookup { Unknown, Found }

    /// <summary>The value of <paramref name="key"/> at <paramref name="version"/>, when the index can tell.</summary>
    public Lookup TryGet(ReadOnlySpan<byte> key, long version, out byte[]? value)
    {
        value = null;
        var length = keys.Prefix.Length + 1 + key.Length;
        byte[]? record;
        if (length <= 512)
        {
            Span<byte> dbKey = stackalloc byte[length];
            keys.Prefix.CopyTo(dbKey);
            dbKey[keys.Prefix.Length] = TreeKeys.FastTag;
            key.CopyTo(dbKey[(keys.Prefix.Length + 1)..]);
            record = db.Get(dbKey);
        }
        else record = db.Get(keys.Fast(key));
        if (record is null) return Lookup.Unknown;

        ulong setAt = 0;
        var i = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (i >= record.Length || shift > 63) throw new StoreCorruptedException($"iavl fast record of a key is damaged ({record.Length} bytes)");
            var b = record[i++];
            setAt |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) break;
        }
        if ((long)setAt > version) return Lookup.Unknown;
        value = record.AsSpan(i).ToArray();
        return Lookup.Found;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void Stage(IWriteBatch batch, long version, IEnumerable<KeyValuePair<byte[], byte[]?>> changes)
    {
        Span<byte> versionBytes = stackalloc byte[10];
        var n = NodeHasher.PutUvarint(versionBytes, (ulong)version);
        // One scratch buffer for every key and record: the batch copies what it is given.
        var prefixLength = keys.Prefix.Length + 1;
        var scratch = System.Buffers.ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            foreach (var (key, value) in changes)
            {
                var needed = prefixLength + key.Length + n + (value?.Length ?? 0);
                if (scratch.Length < needed)
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(scratch);
                    scratch = System.Buffers.ArrayPool<byte>.Shared.Rent(needed);
                }
                var dbKey = scratch.AsSpan(0, prefixLength + key.Length);
                keys.Prefix.CopyTo(dbKey);
                dbKey[keys.Prefix.Length] = TreeKeys.FastTag;
                key.CopyTo(dbKey[prefixLength..]);
                if (value is null)
                {
                    batch.Delete(dbKey);
                    continue;
                }
                var record = scratch.AsSpan(dbKey.Length, n + value.Length);
                versionBytes[..n].CopyTo(record);
                value.CopyTo(record[n..]);
                batch.Put(dbKey, record);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}
