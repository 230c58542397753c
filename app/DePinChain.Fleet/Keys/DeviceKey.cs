using DePinChain.Protos.Depin.Devices.V1;
using System.Security.Cryptography;
using DePinChain.Crypto;
using DePinChain.Modules.Devices;

namespace DePinChain.Fleet.Keys;

/// <summary>
/// A device's (or a maker's) signing key: secp256k1 (33-byte compressed public key; signs SHA-256 of the message,
/// always low-S) or ed25519 (32-byte public key; signs the message), as <see cref="DeviceSignatures"/> verifies them.
/// </summary>
public sealed class DeviceKey
{
    private readonly byte[] _secret;
    /// <summary>ed25519: libsodium's seed ‖ public key, so a signature does not derive the key again.</summary>
    private readonly byte[]? _expanded;

    private DeviceKey(KeyType type, byte[] secret, byte[] publicKey)
    {
        Type = type;
        _secret = secret;
        PublicKey = publicKey;
        if (type == KeyType.Ed25519) _expanded = [.. secret, .. publicKey];
    }

    public KeyType Type { get; }

    public byte[] PublicKey { get; }

    /// <summary>The 32-byte secret: the secp256k1 private key or the ed25519 seed.</summary>
    public ReadOnlySpan<byte> Secret => _secret;

    /// <exception cref="FleetException">The secret is not a valid key of that type.</exception>
    public static DeviceKey FromSecret(KeyType type, ReadOnlySpan<byte> secret)
    {
        if (secret.Length != 32)
            throw new FleetException($"a {KeyTypes.Name(type)} secret is 32 bytes, got {secret.Length}");
        return type switch
        {
            KeyType.Secp256K1 when Secp256k1.IsValidPrivateKey(secret) => new DeviceKey(type, secret.ToArray(), Secp256k1.GetPublicKey(secret)),
            KeyType.Secp256K1 => throw new FleetException("not a valid secp256k1 private key"),
            KeyType.Ed25519 => new DeviceKey(type, secret.ToArray(), Ed25519.PublicKeyFromSeed(secret)),
            _ => throw new FleetException($"unknown key type {type}"),
        };
    }

    /// <summary>A fresh key from the system's random number generator.</summary>
    public static DeviceKey Generate(KeyType type)
    {
        while (true)
        {
            var secret = RandomNumberGenerator.GetBytes(32);
            if (type != KeyType.Secp256K1 || Secp256k1.IsValidPrivateKey(secret))
                return FromSecret(type, secret);
        }
    }

    /// <summary>A key derived from text (SHA-256, re-hashed until valid): deterministic keys for simulations and tests, never for real devices.</summary>
    public static DeviceKey Derive(KeyType type, string seedText)
    {
        var secret = Hashes.Sha256(System.Text.Encoding.UTF8.GetBytes(seedText));
        while (type == KeyType.Secp256K1 && !Secp256k1.IsValidPrivateKey(secret))
            secret = Hashes.Sha256(secret);
        return FromSecret(type, secret);
    }

    /// <summary>A 64-byte signature over <paramref name="message"/> that <see cref="DeviceSignatures.Verify"/> accepts.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message) => Type == KeyType.Secp256K1
        ? Secp256k1.SignMessage(_secret, message)
        : Ed25519.SignExpanded(_expanded!, message);
}

/// <summary>Key type names as users type them and files carry them: "secp256k1", "ed25519".</summary>
public static class KeyTypes
{
    public static string Name(KeyType type) => type switch
    {
        KeyType.Secp256K1 => "secp256k1",
        KeyType.Ed25519 => "ed25519",
        _ => "unspecified",
    };

    /// <exception cref="FleetException">Neither secp256k1 nor ed25519.</exception>
    public static KeyType Parse(string? text, string what = "key type") => text switch
    {
        "secp256k1" => KeyType.Secp256K1,
        "ed25519" => KeyType.Ed25519,
        _ => throw new FleetException($"{what}: '{text}' is neither secp256k1 nor ed25519"),
    };

    public static Protos.Depin.Devices.V1.KeyType ToProto(KeyType type) => (Protos.Depin.Devices.V1.KeyType)(int)type;
}
