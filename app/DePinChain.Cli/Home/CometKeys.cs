using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using DePinChain.Crypto;

namespace DePinChain.Cli.Home;

/// <summary>A home file that is missing or not in the format CometBFT writes.</summary>
public sealed class HomeException(string message) : Exception(message);

/// <summary>
/// An ed25519 key in CometBFT's JSON encoding (priv_validator_key.json, node_key.json):
/// the private value is base64(seed ‖ public key), the validator address the upper-case hex of
/// SHA-256(public key)[..20], the node ID the same bytes in lower-case hex.
/// </summary>
public sealed class CometEd25519Key
{
    public const string PublicKeyType = "tendermint/PubKeyEd25519";
    public const string PrivateKeyType = "tendermint/PrivKeyEd25519";

    private readonly byte[] _seed;

    private CometEd25519Key(byte[] seed)
    {
        _seed = seed;
        PublicKey = Ed25519.PublicKeyFromSeed(seed);
        AddressBytes = Ed25519.Address(PublicKey);
    }

    public byte[] PublicKey { get; }

    public byte[] AddressBytes { get; }

    /// <summary>Validator address as priv_validator_key.json and genesis.json show it.</summary>
    public string Address => Convert.ToHexString(AddressBytes);

    /// <summary>Node ID as `cometbft show-node-id` prints it and persistent_peers uses it.</summary>
    public string NodeId => Convert.ToHexStringLower(AddressBytes);

    public static CometEd25519Key Generate() => new(RandomNumberGenerator.GetBytes(Ed25519.SeedLength));

    public static CometEd25519Key FromSeed(ReadOnlySpan<byte> seed32)
    {
        if (seed32.Length != Ed25519.SeedLength)
            throw new ArgumentException($"ed25519 seed must be {Ed25519.SeedLength} bytes, got {seed32.Length}", nameof(seed32));
        return new CometEd25519Key(seed32.ToArray());
    }

    public byte[] Sign(ReadOnlySpan<byte> message) => Ed25519.Sign(_seed, message);

    /// <summary>The public key object genesis.json and `show-validator` use.</summary>
    public JsonObject PublicKeyJson() => new() { ["type"] = PublicKeyType, ["value"] = Convert.ToBase64String(PublicKey) };

    public string ShowValidator() => PublicKeyJson().ToJsonString(JsonText.Compact);

    public string ToPrivValidatorKeyJson() => new JsonObject
    {
        ["address"] = Address,
        ["pub_key"] = PublicKeyJson(),
        ["priv_key"] = new JsonObject { ["type"] = PrivateKeyType, ["value"] = PrivateValue() },
    }.ToJsonString(JsonText.Indented);

    public string ToNodeKeyJson() => new JsonObject
    {
        ["priv_key"] = new JsonObject { ["type"] = PrivateKeyType, ["value"] = PrivateValue() },
    }.ToJsonString(JsonText.Compact);

    /// <summary>Reads priv_validator_key.json or node_key.json and checks that its parts agree.</summary>
    public static CometEd25519Key ParseKeyFile(string json, string fileName)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new HomeException($"{fileName}: not a JSON object");
        }
        catch (JsonException e)
        {
            throw new HomeException($"{fileName}: not JSON ({e.Message})");
        }
        var privateKey = root["priv_key"] as JsonObject ?? throw new HomeException($"{fileName}: missing priv_key");
        if ((string?)privateKey["type"] != PrivateKeyType)
            throw new HomeException($"{fileName}: priv_key.type must be {PrivateKeyType}");
        byte[] value = DecodeBase64((string?)privateKey["value"], $"{fileName}: priv_key.value");
        if (value.Length != 64)
            throw new HomeException($"{fileName}: priv_key.value must be 64 bytes (seed ‖ public key), got {value.Length}");
        var key = new CometEd25519Key(value[..32]);
        if (!key.PublicKey.AsSpan().SequenceEqual(value.AsSpan(32)))
            throw new HomeException($"{fileName}: priv_key.value's public half does not match its seed");
        if (root["pub_key"] is JsonObject publicKey)
        {
            if ((string?)publicKey["type"] != PublicKeyType ||
                !DecodeBase64((string?)publicKey["value"], $"{fileName}: pub_key.value").AsSpan().SequenceEqual(key.PublicKey))
                throw new HomeException($"{fileName}: pub_key does not match priv_key");
        }
        if (root["address"] is JsonNode address && (string?)address != key.Address)
            throw new HomeException($"{fileName}: address {(string?)address} does not match the key (expected {key.Address})");
        return key;
    }

    public static CometEd25519Key ReadKeyFile(string path)
    {
        if (!File.Exists(path))
            throw new HomeException($"{path} not found (run init first)");
        return ParseKeyFile(File.ReadAllText(path), Path.GetFileName(path));
    }

    internal static byte[] DecodeBase64(string? text, string what)
    {
        if (text is null)
            throw new HomeException($"{what} missing");
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new HomeException($"{what} is not base64");
        }
    }

    private string PrivateValue()
    {
        var value = new byte[64];
        _seed.CopyTo(value, 0);
        PublicKey.CopyTo(value, 32);
        string text = Convert.ToBase64String(value);
        CryptographicOperations.ZeroMemory(value);
        return text;
    }
}
