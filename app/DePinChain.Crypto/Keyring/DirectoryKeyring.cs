using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DePinChain.Crypto.Keyring;

/// <summary>
/// A keyring stored as one JSON file per key under HOME/keyring-{backend}.
/// Backend <c>test</c> keeps private keys in plain files (throw-away localnet keys only);
/// backend <c>file</c> seals every private key with the keyring passphrase (<see cref="KeyEnvelope"/>)
/// and writes only the name, address and public key in clear.
/// </summary>
public sealed class DirectoryKeyring : IKeyring
{
    public const string AddressPrefix = "depin";
    public const string HdPath = "m/44'/118'/0'/0/0";
    private const string FileSuffix = ".info.json";
    private const int MnemonicEntropyBytes = 32; // 24 words
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly string _directory;
    private readonly Func<string>? _passphrase;
    private readonly ScryptParameters _cost;

    private DirectoryKeyring(string backend, string directory, Func<string>? passphrase, ScryptParameters cost)
    {
        Backend = backend;
        _directory = directory;
        _passphrase = passphrase;
        _cost = cost;
    }

    public string Backend { get; }

    /// <summary>Opens (creating on first write) the keyring of <paramref name="home"/>.</summary>
    /// <param name="passphrase">Asked only when the <c>file</c> backend needs to seal or open a key.</param>
    /// <param name="cost">scrypt cost for newly sealed keys; tests pass a cheap one.</param>
    public static DirectoryKeyring Open(string backend, string home, Func<string>? passphrase = null, ScryptParameters? cost = null)
    {
        if (backend is not ("test" or "file"))
            throw new KeyringException($"unknown keyring backend '{backend}' (use test or file)");
        return new DirectoryKeyring(backend, Path.Combine(home, "keyring-" + backend), passphrase, cost ?? Scrypt.Default);
    }

    /// <summary>The private key, public key and address a mnemonic gives at m/44'/118'/0'/0/0.</summary>
    public static (byte[] PrivateKey, byte[] PublicKey, string Address) DeriveFromMnemonic(string mnemonic)
    {
        string normalized = NormalizeMnemonic(mnemonic);
        if (!Bip39.IsValid(normalized))
            throw new KeyringException("invalid mnemonic: unknown word or bad checksum");
        byte[] seed = Bip39.ToSeed(normalized);
        byte[] privateKey = Bip32.DerivePrivateKey(seed, HdPath);
        CryptographicOperations.ZeroMemory(seed);
        byte[] publicKey = Secp256k1.GetPublicKey(privateKey, compressed: true);
        return (privateKey, publicKey, CosmosAddress.ToBech32(CosmosAddress.FromSecp256k1PublicKey(publicKey), AddressPrefix));
    }

    public NewKey Add(string name, string? mnemonic = null)
    {
        ValidateName(name);
        if (Exists(name))
            throw new KeyringException($"key '{name}' already exists");
        if (mnemonic is null)
        {
            byte[] entropy = RandomNumberGenerator.GetBytes(MnemonicEntropyBytes);
            mnemonic = Bip39.GenerateMnemonic(entropy);
            CryptographicOperations.ZeroMemory(entropy);
        }
        mnemonic = NormalizeMnemonic(mnemonic);
        var (privateKey, publicKey, address) = DeriveFromMnemonic(mnemonic);
        try
        {
            var info = new KeyInfo(name, address, publicKey);
            Write(info, privateKey);
            return new NewKey(info, mnemonic);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(privateKey);
        }
    }

    public IReadOnlyList<KeyInfo> List()
    {
        if (!Directory.Exists(_directory))
            return [];
        return Directory.EnumerateFiles(_directory, "*" + FileSuffix)
            .Select(path => ReadInfo(ReadFile(path)))
            .OrderBy(k => k.Name, StringComparer.Ordinal)
            .ToList();
    }

    public bool Exists(string name) => IsValidName(name) && File.Exists(PathOf(name));

    public KeyInfo Get(string nameOrAddress) => ReadInfo(Find(nameOrAddress));

    public void Delete(string name)
    {
        ValidateName(name);
        if (!Exists(name))
            throw new KeyringException($"key '{name}' not found in the {Backend} keyring");
        File.Delete(PathOf(name));
    }

    public byte[] GetPrivateKey(string nameOrAddress)
    {
        JsonObject record = Find(nameOrAddress);
        KeyInfo info = ReadInfo(record);
        byte[] privateKey = Backend == "test"
            ? Convert.FromBase64String((string?)record["priv_key"] ?? throw new KeyringException($"key '{info.Name}': missing priv_key"))
            : KeyEnvelope.Open(record["crypto"], AskPassphrase(), StorageLabel(info));
        CheckPair(info, privateKey);
        return privateKey;
    }

    public string Export(string name, string exportPassphrase)
    {
        if (string.IsNullOrEmpty(exportPassphrase))
            throw new KeyringException("an export passphrase is required");
        KeyInfo info = Get(name);
        byte[] privateKey = GetPrivateKey(name);
        try
        {
            var armored = new JsonObject
            {
                ["type"] = "depinchain-armored-key",
                ["algo"] = info.Algorithm,
                ["address"] = info.Address,
                ["pub_key"] = Convert.ToBase64String(info.PublicKey),
                ["crypto"] = KeyEnvelope.Seal(privateKey, exportPassphrase, ExportLabel(info.Address), _cost),
            };
            return armored.ToJsonString(JsonOptions);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(privateKey);
        }
    }

    public KeyInfo Import(string name, string armored, string exportPassphrase)
    {
        ValidateName(name);
        if (Exists(name))
            throw new KeyringException($"key '{name}' already exists");
        JsonObject o;
        try
        {
            o = JsonNode.Parse(armored) as JsonObject ?? throw new KeyringException("armored key: not a JSON object");
        }
        catch (JsonException e)
        {
            throw new KeyringException($"armored key: not JSON ({e.Message})");
        }
        if ((string?)o["type"] != "depinchain-armored-key")
            throw new KeyringException("armored key: unknown type (expected depinchain-armored-key)");
        string address = (string?)o["address"] ?? throw new KeyringException("armored key: missing address");
        byte[] privateKey = KeyEnvelope.Open(o["crypto"], exportPassphrase, ExportLabel(address));
        try
        {
            if (!Secp256k1.IsValidPrivateKey(privateKey))
                throw new KeyringException("armored key: not a valid secp256k1 private key");
            byte[] publicKey = Secp256k1.GetPublicKey(privateKey, compressed: true);
            var info = new KeyInfo(name, CosmosAddress.ToBech32(CosmosAddress.FromSecp256k1PublicKey(publicKey), AddressPrefix), publicKey);
            if (info.Address != address)
                throw new KeyringException("armored key: the address does not match the key");
            Write(info, privateKey);
            return info;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(privateKey);
        }
    }

    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && name[0] != '.' && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static void ValidateName(string name)
    {
        if (!IsValidName(name))
            throw new KeyringException($"invalid key name '{name}': use 1-64 letters, digits, '-', '_' or '.'");
    }

    private static string NormalizeMnemonic(string mnemonic) =>
        string.Join(' ', mnemonic.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();

    private string PathOf(string name) => Path.Combine(_directory, name + FileSuffix);

    private static string StorageLabel(KeyInfo info) => $"depinchain-keyring:{info.Name}:{info.Address}";

    private static string ExportLabel(string address) => $"depinchain-export:{address}";

    private string AskPassphrase()
    {
        string passphrase = _passphrase?.Invoke() ?? throw new KeyringException("the file keyring needs a passphrase");
        if (passphrase.Length == 0)
            throw new KeyringException("the file keyring needs a non-empty passphrase");
        return passphrase;
    }

    private void Write(KeyInfo info, byte[] privateKey)
    {
        var record = new JsonObject
        {
            ["name"] = info.Name,
            ["algo"] = info.Algorithm,
            ["address"] = info.Address,
            ["pub_key"] = Convert.ToBase64String(info.PublicKey),
        };
        if (Backend == "test")
            record["priv_key"] = Convert.ToBase64String(privateKey);
        else
            record["crypto"] = KeyEnvelope.Seal(privateKey, AskPassphrase(), StorageLabel(info), _cost);

        Directory.CreateDirectory(_directory);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string path = PathOf(info.Name);
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, record.ToJsonString(JsonOptions));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, path, overwrite: false);
    }

    private JsonObject Find(string nameOrAddress)
    {
        if (IsValidName(nameOrAddress) && File.Exists(PathOf(nameOrAddress)))
            return ReadFile(PathOf(nameOrAddress));
        if (Directory.Exists(_directory))
        {
            foreach (string path in Directory.EnumerateFiles(_directory, "*" + FileSuffix))
            {
                JsonObject record = ReadFile(path);
                if ((string?)record["address"] == nameOrAddress)
                    return record;
            }
        }
        throw new KeyringException($"key '{nameOrAddress}' not found in the {Backend} keyring");
    }

    private static JsonObject ReadFile(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new KeyringException($"keyring file {path}: not a JSON object");
        }
        catch (JsonException e)
        {
            throw new KeyringException($"keyring file {path}: not JSON ({e.Message})");
        }
    }

    private static KeyInfo ReadInfo(JsonObject record)
    {
        string? name = (string?)record["name"];
        string? address = (string?)record["address"];
        string? publicKey = (string?)record["pub_key"];
        if (name is null || address is null || publicKey is null)
            throw new KeyringException("keyring file: missing name, address or pub_key");
        return new KeyInfo(name, address, Convert.FromBase64String(publicKey));
    }

    private static void CheckPair(KeyInfo info, byte[] privateKey)
    {
        if (!Secp256k1.IsValidPrivateKey(privateKey) ||
            !Secp256k1.GetPublicKey(privateKey, compressed: true).AsSpan().SequenceEqual(info.PublicKey))
            throw new KeyringException($"key '{info.Name}': the private key does not match its public key");
    }
}
