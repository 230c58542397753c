using DePinChain.Protos.Depin.Devices.V1;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using DePinChain.Crypto.Keyring;
using DePinChain.Modules.Devices;

namespace DePinChain.Fleet.Keys;

/// <summary>What the device keyring shows about a key without unlocking it.</summary>
public sealed record DeviceKeyInfo(string Name, KeyType Type, byte[] PublicKey)
{
    public string TypeName => KeyTypes.Name(Type);

    /// <summary>The public key as lowercase hex, the way report files and commands write device keys.</summary>
    public string PublicKeyHex => Convert.ToHexStringLower(PublicKey);
}

/// <summary>
/// Device and maker keys: a keyring of its own, separate from the account keyring (a hotspot's key signs radio
/// reports and onboarding, never transactions). One JSON file per key under HOME/device-keyring-{backend}:
/// backend <c>test</c> keeps the secret in clear (localnets and simulations only); backend <c>file</c> seals it with
/// the keyring passphrase exactly as the account keyring does (<see cref="KeyEnvelope"/>: scrypt + AES-256-GCM),
/// and writes only name, type and public key in clear.
/// </summary>
public sealed class DeviceKeyring
{
    private const string FileSuffix = ".device.json";
    private const string RecordType = "depinchain-device-key";
    private const string ArmoredType = "depinchain-armored-device-key";
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private readonly string _directory;
    private readonly Func<string>? _passphrase;
    private readonly ScryptParameters _cost;

    private DeviceKeyring(string backend, string directory, Func<string>? passphrase, ScryptParameters cost)
    {
        Backend = backend;
        _directory = directory;
        _passphrase = passphrase;
        _cost = cost;
    }

    public string Backend { get; }

    public string Directory => _directory;

    /// <summary>Opens (creating on first write) the device keyring of <paramref name="home"/>.</summary>
    /// <param name="passphrase">Asked only when the <c>file</c> backend seals or opens a secret.</param>
    /// <param name="cost">scrypt cost for newly sealed keys; tests pass a cheap one.</param>
    public static DeviceKeyring Open(string backend, string home, Func<string>? passphrase = null, ScryptParameters? cost = null)
    {
        if (backend is not ("test" or "file"))
            throw new FleetException($"unknown keyring backend '{backend}' (use test or file)");
        return new DeviceKeyring(backend, Path.Combine(home, "device-keyring-" + backend), passphrase, cost ?? Scrypt.Default);
    }

    /// <summary>
    /// The key type and public key a command line names: a key name in this keyring, or a public key written out
    /// (hex: 66 digits for secp256k1, 64 for ed25519; an optional 0x). The returned name is empty for a written-out key.
    /// </summary>
    /// <exception cref="FleetException">Neither a key in this keyring nor a well-formed public key.</exception>
    public DeviceKeyInfo Resolve(string nameOrPublicKey)
    {
        if (Exists(nameOrPublicKey))
            return Get(nameOrPublicKey);
        if (TryParsePublicKey(nameOrPublicKey, out var info))
            return info;
        throw new FleetException($"device key '{nameOrPublicKey}' is neither a key in the {Backend} device keyring ({_directory}) nor a hex public key (66 digits secp256k1, 64 ed25519)");
    }

    /// <summary>A hex public key (optional 0x): 33 bytes with a 02/03 prefix is secp256k1, 32 bytes is ed25519.</summary>
    public static bool TryParsePublicKey(string text, out DeviceKeyInfo info)
    {
        info = null!;
        var hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (hex.Length is not (64 or 66) || !hex.All(char.IsAsciiHexDigit))
            return false;
        var key = Convert.FromHexString(hex);
        var type = DeviceSignatures.TypeOf(key);
        if (!DeviceSignatures.IsWellFormedKey(type, key))
            return false;
        info = new DeviceKeyInfo("", type, key);
        return true;
    }

    public DeviceKeyInfo Add(string name, KeyType type)
    {
        ValidateName(name);
        if (Exists(name))
            throw new FleetException($"device key '{name}' already exists");
        var key = DeviceKey.Generate(type);
        Write(name, key);
        return new DeviceKeyInfo(name, type, key.PublicKey);
    }

    /// <summary>Stores a given key (a simulation's derived keys, an import).</summary>
    public DeviceKeyInfo Add(string name, DeviceKey key)
    {
        ValidateName(name);
        if (Exists(name))
            throw new FleetException($"device key '{name}' already exists");
        Write(name, key);
        return new DeviceKeyInfo(name, key.Type, key.PublicKey);
    }

    public IReadOnlyList<DeviceKeyInfo> List()
    {
        if (!System.IO.Directory.Exists(_directory))
            return [];
        return System.IO.Directory.EnumerateFiles(_directory, "*" + FileSuffix)
            .Select(path => ReadInfo(ReadFile(path), path))
            .OrderBy(k => k.Name, StringComparer.Ordinal)
            .ToList();
    }

    public bool Exists(string name) => DirectoryKeyring.IsValidName(name) && File.Exists(PathOf(name));

    /// <exception cref="FleetException">No key of that name.</exception>
    public DeviceKeyInfo Get(string name)
    {
        var path = Find(name);
        return ReadInfo(ReadFile(path), path);
    }

    /// <summary>The signing key (asks for the passphrase with the <c>file</c> backend).</summary>
    public DeviceKey GetSigningKey(string name)
    {
        var path = Find(name);
        var record = ReadFile(path);
        var info = ReadInfo(record, path);
        byte[] secret;
        try
        {
            secret = Backend == "test"
                ? Convert.FromHexString((string?)record["secret"] ?? throw new FleetException($"device key '{name}': no secret in {path}"))
                : KeyEnvelope.Open(record["crypto"], AskPassphrase(), StorageLabel(info));
        }
        catch (KeyringException e)
        {
            throw new FleetException($"device key '{name}': {e.Message}");
        }
        catch (FormatException)
        {
            throw new FleetException($"device key '{name}': the secret in {path} is not hex");
        }
        try
        {
            var key = DeviceKey.FromSecret(info.Type, secret);
            if (!key.PublicKey.AsSpan().SequenceEqual(info.PublicKey))
                throw new FleetException($"device key '{name}': the secret does not match its public key");
            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>The key as armored JSON, its secret sealed with <paramref name="exportPassphrase"/> (scrypt + AES-256-GCM).</summary>
    public string Export(string name, string exportPassphrase)
    {
        if (string.IsNullOrEmpty(exportPassphrase))
            throw new FleetException("an export passphrase is required");
        var key = GetSigningKey(name);
        var armored = new JsonObject
        {
            ["type"] = ArmoredType,
            ["key_type"] = KeyTypes.Name(key.Type),
            ["pub_key"] = Convert.ToHexStringLower(key.PublicKey),
            ["crypto"] = KeyEnvelope.Seal(key.Secret, exportPassphrase, ExportLabel(key.Type, key.PublicKey), _cost),
        };
        return armored.ToJsonString(JsonOptions);
    }

    /// <summary>Stores a key written by <see cref="Export"/> under <paramref name="name"/>.</summary>
    public DeviceKeyInfo Import(string name, string armored, string exportPassphrase)
    {
        ValidateName(name);
        if (Exists(name))
            throw new FleetException($"device key '{name}' already exists");
        JsonObject o;
        try
        {
            o = JsonNode.Parse(armored) as JsonObject ?? throw new FleetException("armored device key: not a JSON object");
        }
        catch (JsonException e)
        {
            throw new FleetException($"armored device key: not JSON ({e.Message.ReplaceLineEndings(" ")})");
        }
        if ((string?)o["type"] != ArmoredType)
            throw new FleetException($"armored device key: unknown type (expected {ArmoredType})");
        var type = KeyTypes.Parse((string?)o["key_type"], "armored device key: key_type");
        var publicKey = HexField(o, "pub_key", "armored device key");
        byte[] secret;
        try
        {
            secret = KeyEnvelope.Open(o["crypto"], exportPassphrase, ExportLabel(type, publicKey));
        }
        catch (KeyringException e)
        {
            throw new FleetException($"armored device key: {e.Message}");
        }
        try
        {
            var key = DeviceKey.FromSecret(type, secret);
            if (!key.PublicKey.AsSpan().SequenceEqual(publicKey))
                throw new FleetException("armored device key: the public key does not match the secret");
            return Add(name, key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    public void Delete(string name)
    {
        File.Delete(Find(name));
    }

    private static void ValidateName(string name)
    {
        if (!DirectoryKeyring.IsValidName(name))
            throw new FleetException($"invalid device key name '{name}': use 1-64 letters, digits, '-', '_' or '.'");
    }

    private string PathOf(string name) => Path.Combine(_directory, name + FileSuffix);

    private string Find(string name)
    {
        if (!Exists(name))
            throw new FleetException($"device key '{name}' not found in the {Backend} device keyring ({_directory})");
        return PathOf(name);
    }

    private static string StorageLabel(DeviceKeyInfo info) => $"depinchain-device-keyring:{info.Name}:{info.TypeName}:{info.PublicKeyHex}";

    private static string ExportLabel(KeyType type, byte[] publicKey) => $"depinchain-device-export:{KeyTypes.Name(type)}:{Convert.ToHexStringLower(publicKey)}";

    private string AskPassphrase()
    {
        var passphrase = _passphrase?.Invoke() ?? throw new FleetException("the file device keyring needs a passphrase");
        if (passphrase.Length == 0)
            throw new FleetException("the file device keyring needs a non-empty passphrase");
        return passphrase;
    }

    private void Write(string name, DeviceKey key)
    {
        var info = new DeviceKeyInfo(name, key.Type, key.PublicKey);
        var record = new JsonObject
        {
            ["type"] = RecordType,
            ["name"] = name,
            ["key_type"] = info.TypeName,
            ["pub_key"] = info.PublicKeyHex,
        };
        if (Backend == "test")
            record["secret"] = Convert.ToHexStringLower(key.Secret);
        else
        {
            try
            {
                record["crypto"] = KeyEnvelope.Seal(key.Secret, AskPassphrase(), StorageLabel(info), _cost);
            }
            catch (KeyringException e)
            {
                throw new FleetException($"device key '{name}': {e.Message}");
            }
        }

        System.IO.Directory.CreateDirectory(_directory);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = PathOf(name);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, record.ToJsonString(JsonOptions));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, path, overwrite: false);
    }

    private static JsonObject ReadFile(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new FleetException($"device keyring file {path}: not a JSON object");
        }
        catch (JsonException e)
        {
            throw new FleetException($"device keyring file {path}: not JSON ({e.Message.ReplaceLineEndings(" ")})");
        }
    }

    private static DeviceKeyInfo ReadInfo(JsonObject record, string path)
    {
        var name = (string?)record["name"] ?? throw new FleetException($"device keyring file {path}: no name");
        var type = KeyTypes.Parse((string?)record["key_type"], $"device keyring file {path}: key_type");
        var publicKey = HexField(record, "pub_key", $"device keyring file {path}");
        if (!DeviceSignatures.IsWellFormedKey(type, publicKey))
            throw new FleetException($"device keyring file {path}: pub_key is not a {KeyTypes.Name(type)} public key");
        return new DeviceKeyInfo(name, type, publicKey);
    }

    private static byte[] HexField(JsonObject o, string field, string where)
    {
        try
        {
            return Convert.FromHexString((string?)o[field] ?? throw new FleetException($"{where}: no {field}"));
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw new FleetException($"{where}: {field} is not hex");
        }
    }
}
