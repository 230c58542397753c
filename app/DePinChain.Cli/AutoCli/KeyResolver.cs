using System.CommandLine;
using DePinChain.Cli.Commands;
using DePinChain.Cli.Genesis;
using DePinChain.Crypto;
using DePinChain.Crypto.Keyring;
using DePinChain.Fleet;
using DePinChain.Fleet.Keys;

namespace DePinChain.Cli.AutoCli;

/// <summary>
/// Resolves what people type for accounts and devices: a bech32 address, a hex address or a key name in the account
/// keyring; a device public key in hex or a key name in the device keyring. The keyrings are opened only when a name
/// is given (and only their public parts are read).
/// </summary>
public sealed class KeyResolver(ParseResult result, GlobalOptions g, CliContext context)
{
    private IKeyring? _keyring;
    private DeviceKeyring? _devices;

    /// <summary>The device keyring (device and maker keys), opened when first needed.</summary>
    public DeviceKeyring Devices => _devices ??= DeviceCommands.OpenDeviceKeyring(result, g, context);

    /// <summary>The bech32 address for an address (bech32 or 20-byte hex) or a key name.</summary>
    public string Address(string text, string what)
    {
        if (text.StartsWith(GenesisDocument.AccountPrefix + "1", StringComparison.Ordinal))
        {
            try
            {
                CosmosAddress.Parse(text, GenesisDocument.AccountPrefix);
                return text;
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw new CliUsageException($"{what}: '{text}' is not a valid {GenesisDocument.AccountPrefix}1… address: {e.Message}");
            }
        }
        if (FieldInput.TryParseHex(text, out var raw) && raw.Length == CosmosAddress.Secp256k1AddressLength)
            return CosmosAddress.ToBech32(raw, GenesisDocument.AccountPrefix);
        if (!DirectoryKeyring.IsValidName(text))
            throw new CliUsageException($"{what}: '{text}' is not a valid {GenesisDocument.AccountPrefix}1… address, hex address or key name");
        _keyring ??= result.OpenKeyring(g, context);
        if (!_keyring.Exists(text))
            throw new CliUsageException($"{what}: '{text}' is not a valid {GenesisDocument.AccountPrefix}1… address, and no key of that name is in the {result.GetValue(g.KeyringBackend)} keyring");
        return _keyring.Get(text).Address;
    }

    /// <summary>The operator address (depinvaloper1…) for an operator address, or an account's address or key name.</summary>
    public string Operator(string text, string what)
    {
        if (text.StartsWith(DePinChain.Sdk.ValidatorAddress.OperatorPrefix + "1", StringComparison.Ordinal))
        {
            try
            {
                DePinChain.Sdk.ValidatorAddress.ParseOperator(text);
                return text;
            }
            catch (DePinChain.Sdk.SdkError e)
            {
                throw new CliUsageException($"{what}: {e.Message}");
            }
        }
        string account = Address(text, what);
        return DePinChain.Sdk.ValidatorAddress.ToOperatorBech32(CosmosAddress.Parse(account, GenesisDocument.AccountPrefix));
    }

    /// <summary>A device (or maker) public key from a device key name or hex (the device keyring's own rule).</summary>
    public byte[] DeviceKey(string text, string what)
    {
        try
        {
            return Devices.Resolve(text).PublicKey;
        }
        catch (FleetException)
        {
            throw new CliUsageException($"{what}: '{text}' is neither a public key in hex (33 bytes secp256k1 or 32 bytes ed25519) nor a device key name");
        }
    }
}
