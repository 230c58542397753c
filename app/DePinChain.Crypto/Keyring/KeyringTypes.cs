namespace DePinChain.Crypto.Keyring;

/// <summary>What the keyring shows about a key without unlocking it.</summary>
public sealed record KeyInfo(string Name, string Address, byte[] PublicKey)
{
    /// <summary>Key algorithm; the keyring only holds secp256k1 account keys.</summary>
    public string Algorithm => "secp256k1";
}

/// <summary>A key created by <see cref="IKeyring.Add"/>; the mnemonic is returned once and never stored.</summary>
public sealed record NewKey(KeyInfo Info, string Mnemonic);

/// <summary>A keyring operation failed for a reason the user can fix (unknown name, wrong passphrase, ...).</summary>
public sealed class KeyringException(string message) : Exception(message);

/// <summary>Named secp256k1 account keys, the operator's wallet.</summary>
public interface IKeyring
{
    string Backend { get; }

    /// <summary>Creates a key from <paramref name="mnemonic"/>, or from a fresh 24-word mnemonic when null.</summary>
    NewKey Add(string name, string? mnemonic = null);

    IReadOnlyList<KeyInfo> List();

    /// <summary>The key named <paramref name="nameOrAddress"/>, or the key with that bech32 address.</summary>
    KeyInfo Get(string nameOrAddress);

    bool Exists(string name);

    void Delete(string name);

    /// <summary>The 32-byte secp256k1 private key, for signing.</summary>
    byte[] GetPrivateKey(string nameOrAddress);

    /// <summary>The key as armored JSON, encrypted with <paramref name="exportPassphrase"/>.</summary>
    string Export(string name, string exportPassphrase);

    /// <summary>Stores a key exported by <see cref="Export"/> under <paramref name="name"/>.</summary>
    KeyInfo Import(string name, string armored, string exportPassphrase);
}
