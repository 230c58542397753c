using DePinChain.Protos.Depin.Devices.V1;
using DePinChain.Crypto.Keyring;
using DePinChain.Fleet.Keys;
using DePinChain.Modules.Devices;

namespace DePinChain.Fleet.Tests;

public sealed class DeviceKeyringTests : IDisposable
{
    private static readonly ScryptParameters Cheap = new(1024, 8, 1);
    private readonly string _home = Directory.CreateTempSubdirectory("depin-device-keyring-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Theory]
    [InlineData("test")]
    [InlineData("file")]
    public void Keys_of_both_types_are_added_listed_and_sign_what_the_chain_verifies(string backend)
    {
        var keyring = DeviceKeyring.Open(backend, _home, () => "hunter2", Cheap);
        var hotspot = keyring.Add("hotspot-1", KeyType.Secp256K1);
        var maker = keyring.Add("maker", KeyType.Ed25519);

        Assert.Equal(["hotspot-1", "maker"], keyring.List().Select(k => k.Name));
        Assert.Equal((KeyType.Secp256K1, 33), (keyring.Get("hotspot-1").Type, keyring.Get("hotspot-1").PublicKey.Length));
        Assert.Equal((KeyType.Ed25519, 32), (keyring.Get("maker").Type, keyring.Get("maker").PublicKey.Length));
        Assert.True(Directory.Exists(Path.Combine(_home, "device-keyring-" + backend)));
        foreach (var info in new[] { hotspot, maker })
        {
            var signature = keyring.GetSigningKey(info.Name).Sign("message"u8);
            Assert.True(DeviceSignatures.Verify(info.Type, info.PublicKey, "message"u8, signature));
        }
        var stored = File.ReadAllText(Path.Combine(_home, "device-keyring-" + backend, "hotspot-1.device.json"));
        Assert.Equal(backend == "test", stored.Contains("\"secret\"", StringComparison.Ordinal));
        Assert.Equal(backend == "file", stored.Contains("\"crypto\"", StringComparison.Ordinal));
    }

    [Fact]
    public void A_key_is_resolved_by_name_or_by_its_hex_public_key()
    {
        var keyring = DeviceKeyring.Open("test", _home);
        var added = keyring.Add("hotspot", KeyType.Ed25519);
        var other = DeviceKey.Derive(KeyType.Secp256K1, "elsewhere");

        Assert.Equal(added.PublicKey, keyring.Resolve("hotspot").PublicKey);
        var byHex = keyring.Resolve("0x" + Convert.ToHexString(other.PublicKey));
        Assert.Equal((KeyType.Secp256K1, ""), (byHex.Type, byHex.Name));
        Assert.Equal(other.PublicKey, byHex.PublicKey);
        var e = Assert.Throws<FleetException>(() => keyring.Resolve("nope"));
        Assert.StartsWith("device key 'nope' is neither a key in the test device keyring", e.Message);
    }

    [Fact]
    public void Export_then_import_keeps_the_key_and_a_wrong_passphrase_is_one_line()
    {
        var source = DeviceKeyring.Open("file", _home, () => "keyring-pass", Cheap);
        var added = source.Add("hotspot", KeyType.Secp256K1);
        var armored = source.Export("hotspot", "export-pass");
        Assert.DoesNotContain(Convert.ToHexStringLower(source.GetSigningKey("hotspot").Secret), armored);

        var target = DeviceKeyring.Open("test", Path.Combine(_home, "other"));
        Assert.Equal(added.PublicKey, target.Import("copy", armored, "export-pass").PublicKey);
        Assert.Equal("armored device key: wrong passphrase (or the key file was altered)",
            Assert.Throws<FleetException>(() => target.Import("copy2", armored, "nope")).Message);
        Assert.Equal("device key 'hotspot': wrong passphrase (or the key file was altered)",
            Assert.Throws<FleetException>(() => DeviceKeyring.Open("file", _home, () => "bad", Cheap).GetSigningKey("hotspot")).Message);
        Assert.Equal("device key 'hotspot' already exists", Assert.Throws<FleetException>(() => source.Add("hotspot", KeyType.Ed25519)).Message);
    }
}

public class DeviceKeyTests
{
    [Fact]
    public void An_ed25519_key_signs_from_its_expanded_key_exactly_as_from_its_seed()
    {
        var seed = Crypto.Hashes.Sha256("seed"u8);
        var message = "a witness report"u8.ToArray();
        Assert.Equal(Crypto.Ed25519.Sign(seed, message), Crypto.Ed25519.SignExpanded(Crypto.Ed25519.ExpandSeed(seed), message));
        Assert.Equal(Crypto.Ed25519.Sign(seed, message), DeviceKey.FromSecret(KeyType.Ed25519, seed).Sign(message));
        var secp = DeviceKey.FromSecret(KeyType.Secp256K1, seed);
        Assert.True(DeviceSignatures.Verify(KeyType.Secp256K1, secp.PublicKey, message, secp.Sign(message)));
    }
}
