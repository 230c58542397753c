using System.Buffers.Binary;
using System.Security.Cryptography;

namespace DePinChain.Crypto;

/// <summary>
/// BIP-32 private-key derivation on secp256k1 (the part a keyring needs): master key from a seed, then
/// hardened and normal child steps along a path such as the Cosmos default "m/44'/118'/0'/0/0".
/// </summary>
public static class Bip32
{
    public const string CosmosDefaultPath = "m/44'/118'/0'/0/0";
    public const uint HardenedOffset = 0x80000000;
    public const int MinSeedLength = 16;
    public const int MaxSeedLength = 64;

    private static ReadOnlySpan<byte> MasterKeyHmacKey => "Bitcoin seed"u8;

    /// <summary>The Cosmos path for account <paramref name="account"/> and address index <paramref name="index"/> (coin type 118).</summary>
    public static string CosmosPath(uint account = 0, uint index = 0) => $"m/44'/118'/{account}'/0/{index}";

    /// <summary>The 32-byte secp256k1 private key at <paramref name="path"/>; FormatException for a malformed path.</summary>
    public static byte[] DerivePrivateKey(ReadOnlySpan<byte> seed, string path) => DeriveExtendedKey(seed, path).PrivateKey;

    /// <summary>Private key and chain code at <paramref name="path"/>.</summary>
    public static (byte[] PrivateKey, byte[] ChainCode) DeriveExtendedKey(ReadOnlySpan<byte> seed, string path)
    {
        var indexes = ParsePath(path);
        if (seed.Length < MinSeedLength || seed.Length > MaxSeedLength)
            throw new ArgumentException($"BIP-32 seed must be {MinSeedLength}..{MaxSeedLength} bytes, got {seed.Length}", nameof(seed));

        Span<byte> digest = stackalloc byte[64];
        HMACSHA512.HashData(MasterKeyHmacKey, seed, digest);
        var key = digest[..32].ToArray();
        var chainCode = digest[32..].ToArray();
        if (!Secp256k1.IsValidPrivateKey(key))
            throw new CryptographicException("this seed gives an invalid BIP-32 master key (probability below 2^-127); use another seed");

        // Hardened: 0x00 ‖ key ‖ index. Normal: compressed public key ‖ index.
        Span<byte> data = stackalloc byte[37];
        foreach (var index in indexes)
        {
            if (index >= HardenedOffset)
            {
                data[0] = 0;
                key.CopyTo(data[1..33]);
            }
            else
            {
                Secp256k1.GetPublicKey(key).CopyTo(data);
            }
            BinaryPrimitives.WriteUInt32BigEndian(data[33..], index);
            HMACSHA512.HashData(chainCode, data, digest);

            // Child key = IL + parent key (mod n); invalid when IL >= n or the sum is zero.
            if (!Secp256k1.TryAddToPrivateKey(key, digest[..32]))
                throw new CryptographicException($"BIP-32 child {FormatIndex(index)} of path '{path}' is invalid (probability below 2^-127); use another index");
            digest[32..].CopyTo(chainCode);
        }
        CryptographicOperations.ZeroMemory(digest);
        CryptographicOperations.ZeroMemory(data);
        return (key, chainCode);
    }

    /// <summary>"m" followed by "/index" steps; an index ending in ', h or H is hardened. Indexes are below 2^31.</summary>
    public static uint[] ParsePath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var parts = path.Split('/');
        if (parts[0] != "m")
            throw new FormatException($"BIP-32 path '{path}' must start with 'm'");
        var indexes = new uint[parts.Length - 1];
        for (var i = 1; i < parts.Length; i++)
        {
            var part = parts[i];
            var hardened = part.Length > 0 && part[^1] is '\'' or 'h' or 'H';
            var digits = hardened ? part[..^1] : part;
            if (digits.Length == 0 || digits.Length > 10 || !digits.All(char.IsAsciiDigit))
                throw new FormatException($"BIP-32 path '{path}' has an invalid step '{part}' (expected digits, optionally followed by ')");
            var value = ulong.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
            if (value >= HardenedOffset)
                throw new FormatException($"BIP-32 path '{path}' has step '{part}' out of range (indexes are below 2^31; mark hardened steps with ')");
            indexes[i - 1] = hardened ? (uint)value + HardenedOffset : (uint)value;
        }
        return indexes;
    }

    private static string FormatIndex(uint index) => index >= HardenedOffset ? $"{index - HardenedOffset}'" : index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
