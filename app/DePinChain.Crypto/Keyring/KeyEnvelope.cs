using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DePinChain.Crypto.Keyring;

/// <summary>
/// A secret sealed with a passphrase: scrypt derives a 256-bit key, AES-256-GCM encrypts and authenticates.
/// The associated data binds the ciphertext to its label (the key's name and address), so a sealed
/// key copied under another name does not open.
/// </summary>
public static class KeyEnvelope
{
    private const int SaltLength = 32;
    private const int NonceLength = 12;
    private const int TagLength = 16;

    public static JsonObject Seal(ReadOnlySpan<byte> secret, string passphrase, string label, ScryptParameters? parameters = null)
    {
        var cost = parameters ?? Scrypt.Default;
        byte[] salt = RandomNumberGenerator.GetBytes(SaltLength);
        byte[] nonce = RandomNumberGenerator.GetBytes(NonceLength);
        byte[] key = Scrypt.DeriveKey(System.Text.Encoding.UTF8.GetBytes(passphrase), salt, cost, 32);
        var ciphertext = new byte[secret.Length];
        var tag = new byte[TagLength];
        try
        {
            using var aes = new AesGcm(key, TagLength);
            aes.Encrypt(nonce, secret, ciphertext, tag, System.Text.Encoding.UTF8.GetBytes(label));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
        return new JsonObject
        {
            ["kdf"] = "scrypt",
            ["kdfparams"] = new JsonObject { ["n"] = cost.N, ["r"] = cost.R, ["p"] = cost.P, ["salt"] = Convert.ToBase64String(salt) },
            ["cipher"] = "aes-256-gcm",
            ["nonce"] = Convert.ToBase64String(nonce),
            ["ciphertext"] = Convert.ToBase64String(ciphertext),
            ["tag"] = Convert.ToBase64String(tag),
        };
    }

    /// <exception cref="KeyringException">The passphrase is wrong, the label differs, or the envelope is malformed.</exception>
    public static byte[] Open(JsonNode? envelope, string passphrase, string label)
    {
        try
        {
            if (envelope is not JsonObject o)
                throw new KeyringException("encrypted key: missing crypto section");
            if ((string?)o["kdf"] != "scrypt" || (string?)o["cipher"] != "aes-256-gcm")
                throw new KeyringException($"encrypted key: unsupported kdf/cipher {(string?)o["kdf"]}/{(string?)o["cipher"]}");
            var kdf = o["kdfparams"] as JsonObject ?? throw new KeyringException("encrypted key: missing kdfparams");
            var cost = new ScryptParameters((int)kdf["n"]!, (int)kdf["r"]!, (int)kdf["p"]!);
            cost.Validate();
            byte[] salt = Convert.FromBase64String((string)kdf["salt"]!);
            byte[] nonce = Convert.FromBase64String((string)o["nonce"]!);
            byte[] ciphertext = Convert.FromBase64String((string)o["ciphertext"]!);
            byte[] tag = Convert.FromBase64String((string)o["tag"]!);
            if (nonce.Length != NonceLength || tag.Length != TagLength)
                throw new KeyringException("encrypted key: bad nonce or tag length");
            byte[] key = Scrypt.DeriveKey(System.Text.Encoding.UTF8.GetBytes(passphrase), salt, cost, 32);
            var plain = new byte[ciphertext.Length];
            try
            {
                using var aes = new AesGcm(key, TagLength);
                aes.Decrypt(nonce, ciphertext, tag, plain, System.Text.Encoding.UTF8.GetBytes(label));
            }
            catch (AuthenticationTagMismatchException)
            {
                throw new KeyringException("wrong passphrase (or the key file was altered)");
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }
            return plain;
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or NullReferenceException or ArgumentException or JsonException)
        {
            throw new KeyringException($"encrypted key: malformed ({e.Message})");
        }
    }
}
