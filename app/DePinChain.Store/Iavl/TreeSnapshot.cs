using System.Buffers.Binary;
using System.Security.Cryptography;

namespace DePinChain.Store.Iavl;

/// <summary>
/// One saved tree version in a file (changeset format), written and read sequentially:
/// <code>
/// "DPCSNAP1" ‖ BE64(tree version) ‖ BE64(leaves)
/// nodes in post-order: leaf  0x00 ‖ uvarint(version) ‖ bytes(key) ‖ bytes(value) ‖ hash(32)
///                      inner height(1..255) ‖ uvarint(version) ‖ hash(32)
/// SHA-256 of everything above (32)
/// </code>
/// An inner node's key (the smallest key of its right subtree), its size and its height follow from its children,
/// so only the height is stored, as a check; hashes are stored so loading hashes nothing but the file checksum. A
/// file whose checksum, structure or counts disagree is refused with <see cref="StoreCorruptedException"/>.
/// </summary>
internal static class TreeSnapshot
{
    private static ReadOnlySpan<byte> Magic => "DPCSNAP1"u8;
    private const int HeaderSize = 24;
    private const int BufferSize = 1 << 20;
    private const byte LeafTag = 0;

    /// <summary>Writes the tree under <paramref name="root"/> (saved nodes only) to a new file and syncs it to disk.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> fired; the file is incomplete.</exception>
    public static void Write(string path, Node? root, long version, CancellationToken cancel)
    {
        using var writer = new Writer(path, cancel);
        Span<byte> header = stackalloc byte[HeaderSize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt64BigEndian(header[8..], version);
        BinaryPrimitives.WriteInt64BigEndian(header[16..], root?.Size ?? 0);
        writer.Append(header);
        if (root is not null) WriteSubtree(writer, root);
        writer.Finish();
    }

    private static void WriteSubtree(Writer writer, Node node)
    {
        if (!node.IsSaved || !node.IsLoaded) throw new InvalidOperationException($"a snapshot covers saved nodes in memory only (node of version {node.Version})");
        if (node.IsLeaf)
        {
            var key = node.Key;
            var value = node.Value!;
            var span = writer.Reserve(1 + 10 + 5 + key.Length + 5 + value.Length + NodeHasher.HashSize);
            var at = 0;
            span[at++] = LeafTag;
            at += NodeHasher.PutUvarint(span[at..], (ulong)node.Version);
            at += NodeHasher.PutUvarint(span[at..], (ulong)key.Length);
            key.CopyTo(span[at..]);
            at += key.Length;
            at += NodeHasher.PutUvarint(span[at..], (ulong)value.Length);
            value.CopyTo(span[at..]);
            at += value.Length;
            node.Hash.CopyTo(span[at..]);
            writer.Advance(at + NodeHasher.HashSize);
            return;
        }
        WriteSubtree(writer, node.Left!);
        WriteSubtree(writer, node.Right!);
        var inner = writer.Reserve(1 + 10 + NodeHasher.HashSize);
        inner[0] = (byte)node.Height;
        var length = 1 + NodeHasher.PutUvarint(inner[1..], (ulong)node.Version);
        node.Hash.CopyTo(inner[length..]);
        writer.Advance(length + NodeHasher.HashSize);
    }

    /// <summary>Reads a snapshot file of tree version <paramref name="version"/>: its root (null for an empty tree), every node loaded.</summary>
    /// <exception cref="StoreCorruptedException">The file is missing, torn, or damaged.</exception>
    public static Node? Read(string path, long version)
    {
        Reader reader;
        try
        {
            reader = new Reader(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreCorruptedException($"snapshot file {path} cannot be read: {e.Message}", e);
        }
        using (reader)
        {
            var header = reader.Take(HeaderSize);
            if (!header[..8].SequenceEqual(Magic)) throw reader.Corrupt("not a snapshot file (bad magic)");
            var fileVersion = BinaryPrimitives.ReadInt64BigEndian(header[8..]);
            var leaves = BinaryPrimitives.ReadInt64BigEndian(header[16..]);
            if (fileVersion != version) throw reader.Corrupt($"it holds tree version {fileVersion}, expected {version}");
            if (leaves < 0) throw reader.Corrupt("negative leaf count");

            var stack = new List<(Node Node, byte[] Smallest)>(64);
            uint nonce = 0;
            long leavesRead = 0;
            while (!reader.BodyDone)
            {
                var tag = reader.Take(1)[0];
                var nodeVersion = reader.Uvarint();
                if (nodeVersion == 0 || nodeVersion > (ulong)version) throw reader.Corrupt($"node version {nodeVersion} outside 1..{version}");
                if (tag == LeafTag)
                {
                    var key = reader.Bytes();
                    var value = reader.Bytes();
                    if (key.Length == 0) throw reader.Corrupt("empty key");
                    var leaf = Node.Loaded(new NodeKey((long)nodeVersion, checked(++nonce)), reader.Take(NodeHasher.HashSize), key, value, 0, 1);
                    stack.Add((leaf, key));
                    leavesRead++;
                    continue;
                }
                if (stack.Count < 2) throw reader.Corrupt("an inner node without two children");
                var (right, rightSmallest) = stack[^1];
                var (left, leftSmallest) = stack[^2];
                stack.RemoveRange(stack.Count - 2, 2);
                if (Math.Max(left.Height, right.Height) + 1 != tag) throw reader.Corrupt("an inner node's height disagrees with its children");
                if ((long)nodeVersion < Math.Max(left.Version, right.Version)) throw reader.Corrupt("an inner node is older than a child");
                var inner = Node.Loaded(new NodeKey((long)nodeVersion, checked(++nonce)), reader.Take(NodeHasher.HashSize), rightSmallest, null, tag, left.Size + right.Size);
                inner.Left = left;
                inner.Right = right;
                stack.Add((inner, leftSmallest));
            }
            reader.CheckTrailer();
            if (leavesRead != leaves || stack.Count != (leaves == 0 ? 0 : 1))
                throw reader.Corrupt($"it holds {leavesRead} leaves in {stack.Count} subtrees; the header says {leaves} leaves in one tree");
            return stack.Count == 0 ? null : stack[0].Node;
        }
    }

    /// <summary>Buffers records, hashes and writes them in 1 MiB chunks, and ends the file with the checksum.</summary>
    private sealed class Writer(string path, CancellationToken cancel) : IDisposable
    {
        private readonly FileStream _file = new(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private byte[] _buffer = new byte[BufferSize];
        private int _length;

        public Span<byte> Reserve(int bytes)
        {
            if (_length + bytes > _buffer.Length) FlushBuffer();
            if (bytes > _buffer.Length) _buffer = new byte[bytes];
            return _buffer.AsSpan(_length, bytes);
        }

        public void Advance(int bytes) => _length += bytes;

        public void Append(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(Reserve(bytes.Length));
            Advance(bytes.Length);
        }

        private void FlushBuffer()
        {
            cancel.ThrowIfCancellationRequested();
            _sha.AppendData(_buffer, 0, _length);
            _file.Write(_buffer, 0, _length);
            _length = 0;
        }

        public void Finish()
        {
            FlushBuffer();
            _file.Write(_sha.GetHashAndReset());
            _file.Flush(flushToDisk: true);
        }

        public void Dispose()
        {
            _file.Dispose();
            _sha.Dispose();
        }
    }

    /// <summary>Reads the body in 1 MiB chunks, hashing each as it arrives; the last 32 bytes are the checksum.</summary>
    private sealed class Reader : IDisposable
    {
        private readonly string _path;
        private readonly FileStream _file;
        private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private byte[] _buffer = new byte[BufferSize];
        private int _position;
        private int _length;
        private long _bodyLeft; // body bytes not read into the buffer yet

        public Reader(string path)
        {
            _path = path;
            _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            _bodyLeft = _file.Length - NodeHasher.HashSize;
            if (_bodyLeft < HeaderSize)
            {
                _file.Dispose();
                throw Corrupt($"{_file.Length} bytes is too short");
            }
        }

        public bool BodyDone => _position == _length && _bodyLeft == 0;

        public ReadOnlySpan<byte> Take(int bytes)
        {
            if (_length - _position < bytes) Fill(bytes);
            var span = _buffer.AsSpan(_position, bytes);
            _position += bytes;
            return span;
        }

        public ulong Uvarint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Take(1)[0];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80) return value;
            }
            throw Corrupt("varint too long");
        }

        public byte[] Bytes()
        {
            var length = Uvarint();
            if (length > (ulong)(_length - _position) + (ulong)_bodyLeft) throw Corrupt("length past the end");
            return Take((int)length).ToArray();
        }

        private void Fill(int bytes)
        {
            var kept = _length - _position;
            if (bytes > kept + _bodyLeft) throw Corrupt("truncated");
            if (bytes > _buffer.Length)
            {
                var larger = new byte[Math.Max(bytes, _buffer.Length * 2)];
                _buffer.AsSpan(_position, kept).CopyTo(larger);
                _buffer = larger;
            }
            else _buffer.AsSpan(_position, kept).CopyTo(_buffer);
            _position = 0;
            _length = kept;
            while (_length < bytes || (_length < _buffer.Length && _bodyLeft > 0 && _length < BufferSize))
            {
                var want = (int)Math.Min(_buffer.Length - _length, _bodyLeft);
                if (want == 0) break;
                var read = _file.Read(_buffer, _length, want);
                if (read <= 0) throw Corrupt("truncated");
                _sha.AppendData(_buffer, _length, read);
                _length += read;
                _bodyLeft -= read;
            }
        }

        public void CheckTrailer()
        {
            Span<byte> stored = stackalloc byte[NodeHasher.HashSize];
            _file.ReadExactly(stored);
            if (!stored.SequenceEqual(_sha.GetHashAndReset())) throw Corrupt("checksum mismatch");
        }

        public StoreCorruptedException Corrupt(string why) => new($"snapshot file {_path} is damaged: {why}");

        public void Dispose()
        {
            _file.Dispose();
            _sha.Dispose();
        }
    }
}
