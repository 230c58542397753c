using System.Buffers.Binary;
using System.Text;
using DePinChain.Sdk;
using DePinChain.Store;
using Google.Protobuf;

namespace DePinChain.Modules.Ibc.Host;

/// <summary>The <c>ibc</c> store of a context, addressed by ICS-24 paths (UTF-8 keys, as ibc-go writes them).</summary>
public readonly struct IbcStore(IKVStore store)
{
    public const string StoreName = "ibc";

    public static IbcStore Of(Context ctx) => new(ctx.KVStore(StoreName));

    public IKVStore Raw => store;

    public byte[]? Get(string path) => store.Get(Encoding.UTF8.GetBytes(path));

    public bool Has(string path) => store.Has(Encoding.UTF8.GetBytes(path));

    public void Set(string path, ReadOnlySpan<byte> value) => store.Set(Encoding.UTF8.GetBytes(path), value);

    public void Set(string path, IMessage value) => Set(path, value.ToByteArray());

    public void Delete(string path) => store.Delete(Encoding.UTF8.GetBytes(path));

    public T? GetMessage<T>(string path, MessageParser<T> parser) where T : class, IMessage<T>
        => Get(path) is { } bytes ? parser.ParseFrom(bytes) : null;

    /// <summary>A big-endian uint64 value (sequences, processed times); null when absent.</summary>
    public ulong? GetUInt64(string path) => Get(path) is { Length: 8 } bytes ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : null;

    public void SetUInt64(string path, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        Set(path, bytes);
    }

    /// <summary>Every entry whose key starts with <paramref name="prefix"/>, in key order.</summary>
    public IEnumerable<KeyValuePair<byte[], byte[]>> Prefixed(byte[] prefix) => store.Iterate(prefix, PrefixEnd(prefix));

    public IEnumerable<KeyValuePair<byte[], byte[]>> Prefixed(string prefix) => Prefixed(Encoding.UTF8.GetBytes(prefix));

    /// <summary>The first key after every key with this prefix (null: no bound).</summary>
    public static byte[]? PrefixEnd(byte[] prefix)
    {
        var end = (byte[])prefix.Clone();
        for (var i = end.Length - 1; i >= 0; i--)
        {
            if (end[i] < 0xFF)
            {
                end[i]++;
                return end[..(i + 1)];
            }
        }
        return null;
    }
}
