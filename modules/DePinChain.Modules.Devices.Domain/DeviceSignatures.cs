using System.Buffers.Binary;
using DePinChain.Crypto;
using DePinChain.Protos.Depin.Devices.V1;

namespace DePinChain.Modules.Devices;

/// <summary>
/// Signatures by device and maker keys. secp256k1 signs SHA-256 of the message (low-S only, as Cosmos);
/// ed25519 signs the message itself. Keys are 33-byte compressed secp256k1 or 32-byte ed25519.
/// </summary>
public static class DeviceSignatures
{
    public const int SignatureLength = 64;

    public static bool IsWellFormedKey(KeyType type, ReadOnlySpan<byte> key) => type switch
    {
        KeyType.Secp256K1 => key.Length == Secp256k1.CompressedPublicKeyLength && key[0] is 0x02 or 0x03,
        KeyType.Ed25519 => key.Length == 32,
        _ => false,
    };

    /// <summary>The key type implied by an encoded key's length (33 → secp256k1, 32 → ed25519).</summary>
    public static KeyType TypeOf(ReadOnlySpan<byte> key) => key.Length switch
    {
        33 => KeyType.Secp256K1,
        32 => KeyType.Ed25519,
        _ => KeyType.Unspecified,
    };

    /// <summary>
    /// The stateless check of a signature by the device whose key this is (its type follows from its length), for
    /// <see cref="Sdk.Context.Signatures"/>; null for a key of no known type, which never verifies.
    /// </summary>
    public static Sdk.SignatureCheck? CheckOf(byte[] key, byte[] message, byte[] signature) => TypeOf(key) switch
    {
        KeyType.Secp256K1 => new Sdk.SignatureCheck(Sdk.SignatureAlgorithm.Secp256k1Sha256, key, message, signature),
        KeyType.Ed25519 => new Sdk.SignatureCheck(Sdk.SignatureAlgorithm.Ed25519, key, message, signature),
        _ => null,
    };

    public static bool Verify(KeyType type, ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        signature.Length == SignatureLength && type switch
        {
            KeyType.Secp256K1 => Secp256k1.VerifyMessage(key, message, signature),
            KeyType.Ed25519 => key.Length == 32 && Ed25519.Verify(key, message, signature),
            _ => false,
        };

    /// <summary>
    /// What the owner, the device and the maker each sign to onboard a device:
    /// "depin.devices.v1.onboard" ‖ len‖chain id ‖ key type ‖ len‖device key ‖ len‖owner address ‖ mode
    /// (lengths one byte each). Binding the chain id stops a signature from being replayed on another chain.
    /// </summary>
    public static byte[] OnboardingSignBytes(string chainId, KeyType keyType, ReadOnlySpan<byte> deviceKey, ReadOnlySpan<byte> owner, DeviceMode mode)
    {
        var writer = new SignBytesWriter("depin.devices.v1.onboard");
        writer.WriteString(chainId);
        writer.WriteByte((byte)keyType);
        writer.WriteBytes(deviceKey);
        writer.WriteBytes(owner);
        writer.WriteByte((byte)mode);
        return writer.ToArray();
    }
}

/// <summary>
/// Explicit, length-prefixed sign-bytes layout shared by the device and coverage modules. Written into one growing
/// array (a report's 11 signatures each build one: no per-byte list adds, no string encoding buffers).
/// </summary>
public sealed class SignBytesWriter
{
    private byte[] _bytes = new byte[160];
    private int _length;

    public SignBytesWriter(string domain) => WriteString(domain);

    public void WriteByte(byte value) => Reserve(1)[0] = value;

    /// <summary>One length byte then the bytes; 255 bytes at most.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        if (value.Length > 255)
            throw new ArgumentException($"sign-bytes field is {value.Length} bytes; at most 255", nameof(value));
        var into = Reserve(1 + value.Length);
        into[0] = (byte)value.Length;
        value.CopyTo(into[1..]);
    }

    public void WriteString(string value)
    {
        var length = System.Text.Encoding.UTF8.GetByteCount(value);
        if (length > 255)
            throw new ArgumentException($"sign-bytes field is {length} bytes; at most 255", nameof(value));
        var into = Reserve(1 + length);
        into[0] = (byte)length;
        System.Text.Encoding.UTF8.GetBytes(value, into[1..]);
    }

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64BigEndian(Reserve(8), value);

    public byte[] ToArray() => _bytes.AsSpan(0, _length).ToArray();

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + count));
        var span = _bytes.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
