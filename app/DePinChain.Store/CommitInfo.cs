using System.Security.Cryptography;
using System.Text;
using DePinChain.Protos.Ics23;
using Google.Protobuf;

namespace DePinChain.Store;

/// <summary>One store's committed root.</summary>
public readonly record struct StoreInfo(string Name, byte[] RootHash);

/// <summary>
/// What one commit of the multistore consists of: the version and each store's root hash. Its hash is the
/// app hash, computed as the Cosmos SDK does (<c>store/types/commit_info.go</c>, <c>store/internal/maps</c>):
/// the simple Merkle root over the stores sorted by name, each leaf being
/// uvarint(len(name)) ‖ name ‖ uvarint(32) ‖ SHA-256(store root).
/// </summary>
public sealed class CommitInfo
{
    private const byte FormatVersion = 1;
    private byte[]? _hash;
    private byte[][]? _leaves;

    // Serialized ics23:simple proofs by store name: a query with proof asks for the same few per version.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> _storeProofs = new(StringComparer.Ordinal);

    public CommitInfo(long version, IEnumerable<StoreInfo> stores)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        ArgumentNullException.ThrowIfNull(stores);
        var sorted = stores.OrderBy(s => s.Name, StringComparer.Ordinal).ToArray();
        if (sorted.Length == 0) throw new ArgumentException("a commit needs at least one store", nameof(stores));
        for (var i = 0; i < sorted.Length; i++)
        {
            StoreNames.Validate(sorted[i].Name);
            if (sorted[i].RootHash is not { Length: 32 })
                throw new ArgumentException($"store '{sorted[i].Name}' has a root hash of {sorted[i].RootHash?.Length ?? 0} bytes; expected 32", nameof(stores));
            if (i > 0 && sorted[i - 1].Name == sorted[i].Name)
                throw new ArgumentException($"store '{sorted[i].Name}' is listed twice", nameof(stores));
        }
        Version = version;
        Stores = sorted;
    }

    public long Version { get; }

    /// <summary>Sorted by name (ordinal, which for the allowed ASCII names is byte order, as Go sorts).</summary>
    public IReadOnlyList<StoreInfo> Stores { get; }

    public byte[] Hash() => (byte[])(_hash ??= SimpleMerkle.HashFromByteSlices(Leaves())).Clone();

    public byte[]? RootOf(string name)
    {
        foreach (var s in Stores) if (s.Name == name) return s.RootHash;
        return null;
    }

    /// <summary>The leaf bytes for one store, as the SDK's <c>maps.KVPair.Bytes</c> encodes it.</summary>
    public static byte[] LeafBytes(string name, ReadOnlySpan<byte> rootHash)
    {
        var key = Encoding.ASCII.GetBytes(name);
        var valueHash = SHA256.HashData(rootHash);
        var buffer = new List<byte>(key.Length + valueHash.Length + 4);
        AppendUvarint(buffer, (ulong)key.Length);
        buffer.AddRange(key);
        AppendUvarint(buffer, (ulong)valueHash.Length);
        buffer.AddRange(valueHash);
        return [.. buffer];
    }

    /// <summary>
    /// The <c>ics23:simple</c> proof that store <paramref name="name"/> has its root under this commit's hash:
    /// an existence proof under TendermintSpec whose key is the store name and value the store root.
    /// </summary>
    public CommitmentProof ProveStore(string name)
    {
        var index = -1;
        for (var i = 0; i < Stores.Count; i++) if (Stores[i].Name == name) index = i;
        if (index < 0) throw new KeyNotFoundException($"no store named '{name}' in the commit of version {Version}");

        var exist = new ExistenceProof
        {
            Key = ByteString.CopyFrom(Encoding.ASCII.GetBytes(name)),
            Value = ByteString.CopyFrom(Stores[index].RootHash),
            Leaf = new LeafOp
            {
                Hash = HashOp.Sha256,
                PrehashKey = HashOp.NoHash,
                PrehashValue = HashOp.Sha256,
                Length = LengthOp.VarProto,
                Prefix = ByteString.CopyFrom(0),
            },
        };
        foreach (var (sibling, siblingIsLeft) in SimpleMerkle.Path(Leaves(), index))
        {
            exist.Path.Add(siblingIsLeft
                ? new InnerOp { Hash = HashOp.Sha256, Prefix = ByteString.CopyFrom([1, .. sibling]) }
                : new InnerOp { Hash = HashOp.Sha256, Prefix = ByteString.CopyFrom(1), Suffix = ByteString.CopyFrom(sibling) });
        }
        return new CommitmentProof { Exist = exist };
    }

    /// <summary>
    /// <see cref="ProveStore"/> serialized, computed once per store and kept (the commit never changes). The
    /// array is shared between callers: do not modify it.
    /// </summary>
    internal byte[] ProveStoreBytes(string name) => _storeProofs.GetOrAdd(name, n => ProveStore(n).ToByteArray());

    private byte[][] Leaves() => _leaves ??= Stores.Select(s => LeafBytes(s.Name, s.RootHash)).ToArray();

    /// <summary>Our on-disk form: format byte, uvarint version, uvarint count, then per store uvarint name length, name, 32-byte root.</summary>
    public byte[] Encode()
    {
        var buffer = new List<byte> { FormatVersion };
        AppendUvarint(buffer, (ulong)Version);
        AppendUvarint(buffer, (ulong)Stores.Count);
        foreach (var s in Stores)
        {
            AppendUvarint(buffer, (ulong)s.Name.Length);
            buffer.AddRange(Encoding.ASCII.GetBytes(s.Name));
            buffer.AddRange(s.RootHash);
        }
        return [.. buffer];
    }

    /// <exception cref="FormatException">The bytes are not a commit record this code wrote.</exception>
    public static CommitInfo Decode(ReadOnlySpan<byte> data)
    {
        var pos = 0;
        if (data.Length == 0 || data[pos++] != FormatVersion)
            throw new FormatException($"commit record has format {(data.Length == 0 ? "<empty>" : data[0].ToString(System.Globalization.CultureInfo.InvariantCulture))}; expected {FormatVersion}");
        var version = ReadUvarint(data, ref pos);
        if (version > long.MaxValue) throw new FormatException("commit record version is out of range");
        var count = ReadUvarint(data, ref pos);
        if (count == 0 || count > 1024) throw new FormatException($"commit record lists {count} stores; expected 1..1024");
        var stores = new List<StoreInfo>((int)count);
        for (var i = 0UL; i < count; i++)
        {
            var nameLength = ReadUvarint(data, ref pos);
            if (nameLength > StoreNames.MaxLength || (ulong)(data.Length - pos) < nameLength + 32)
                throw new FormatException("commit record is truncated or has an oversized store name");
            var name = Encoding.ASCII.GetString(data.Slice(pos, (int)nameLength));
            pos += (int)nameLength;
            var root = data.Slice(pos, 32).ToArray();
            pos += 32;
            stores.Add(new StoreInfo(name, root));
        }
        if (pos != data.Length) throw new FormatException($"commit record has {data.Length - pos} trailing bytes");
        try
        {
            var info = new CommitInfo((long)version, stores);
            for (var i = 0; i < stores.Count; i++)
                if (info.Stores[i].Name != stores[i].Name) throw new FormatException("commit record stores are not sorted by name");
            return info;
        }
        catch (ArgumentException e)
        {
            throw new FormatException("commit record is invalid: " + e.Message, e);
        }
    }

    private static void AppendUvarint(List<byte> buffer, ulong value)
    {
        while (value >= 0x80)
        {
            buffer.Add((byte)(value | 0x80));
            value >>= 7;
        }
        buffer.Add((byte)value);
    }

    private static ulong ReadUvarint(ReadOnlySpan<byte> data, ref int pos)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (pos >= data.Length) throw new FormatException("commit record is truncated inside a varint");
            var b = data[pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return result;
        }
        throw new FormatException("commit record has a varint longer than 64 bits");
    }
}

/// <summary>Store names: 1..64 characters of [A-Za-z0-9_.-], so ordinal order is byte order and keys stay printable.</summary>
public static class StoreNames
{
    public const int MaxLength = 64;

    public static void Validate(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > MaxLength)
            throw new ArgumentException($"store name '{name}' has {name.Length} characters; expected 1..{MaxLength}", nameof(name));
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
                throw new ArgumentException($"store name '{name}' contains '{c}'; allowed are ASCII letters, digits, '_', '.', '-'", nameof(name));
        }
    }
}

/// <summary>
/// The phases of a commit. <paramref name="Waited"/>: waiting for the previous commit's write (write-behind only).
/// <paramref name="Seal"/>: hashing and numbering every tree's new version in memory. <paramref name="Stage"/>:
/// encoding every tree's new nodes, root, orphans and fast index and pruning the versions that fell out of the
/// window into the one batch (all cores). <paramref name="Write"/>: its synced write. With
/// <paramref name="WriteBehind"/> the last two ran on another thread and belong to the previous commit, the
/// write this commit waited for; otherwise all four are this commit's, on the caller's time. <paramref name="Records"/>:
/// the puts and deletes in that write (LevelDB's work per record is most of a large commit's cost).
/// </summary>
public readonly record struct CommitTimings(TimeSpan Waited, TimeSpan Seal, TimeSpan Stage, TimeSpan Write, bool WriteBehind, int Records = 0);
