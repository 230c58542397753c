using System.Text;
using DePinChain.Crypto;
using DePinChain.Crypto.Keyring;

namespace DePinChain.Cli.Tests.Keyring;

public sealed class KeyringTests : IDisposable
{
    // CosmJS's simapp faucet: this mnemonic at m/44'/118'/0'/0/0 is cosmos1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmmk8rs6
    // with public key A08EGB7ro1ORuFhjOnZcSgwYlpe0DSFjVNUIkNNQxwKQ (@cosmjs testutils, also simd's test accounts).
    internal const string CosmJsMnemonic =
        "economy stock theory fatal elder harbor betray wasp final emotion task crumble siren bottom lizard educate guess current outdoor pair theory focus wife stone";
    private const string CosmJsAddress = "cosmos1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmmk8rs6";
    private const string CosmJsPublicKey = "A08EGB7ro1ORuFhjOnZcSgwYlpe0DSFjVNUIkNNQxwKQ";

    private static readonly ScryptParameters Cheap = new(1024, 8, 1);
    private readonly string _home = Directory.CreateTempSubdirectory("depin-keyring-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public void The_CosmJS_faucet_mnemonic_gives_the_CosmJS_key_and_address_bytes()
    {
        var keyring = DirectoryKeyring.Open("test", _home);
        KeyInfo info = keyring.Add("faucet", CosmJsMnemonic).Info;

        Assert.Equal(CosmJsPublicKey, Convert.ToBase64String(info.PublicKey));
        byte[] expected = CosmosAddress.Parse(CosmJsAddress, "cosmos");
        Assert.Equal(expected, CosmosAddress.Parse(info.Address, "depin"));
        Assert.StartsWith("depin1", info.Address);
    }

    [Fact]
    public void A_new_key_has_a_24_word_mnemonic_that_recovers_the_same_address()
    {
        var keyring = DirectoryKeyring.Open("test", _home);
        NewKey created = keyring.Add("alice");
        Assert.Equal(24, created.Mnemonic.Split(' ').Length);

        keyring.Delete("alice");
        Assert.False(keyring.Exists("alice"));
        KeyInfo recovered = keyring.Add("alice2", "  " + created.Mnemonic.ToUpperInvariant().Replace(" ", "   ") + "\n").Info;
        Assert.Equal(created.Info.Address, recovered.Address);
    }

    [Fact]
    public void Keys_are_listed_by_name_found_by_address_and_deleted()
    {
        var keyring = DirectoryKeyring.Open("test", _home);
        var bob = keyring.Add("bob").Info;
        keyring.Add("alice");

        Assert.Equal(["alice", "bob"], keyring.List().Select(k => k.Name));
        Assert.Equal("bob", keyring.Get(bob.Address).Name);
        Assert.Equal(bob.PublicKey, Secp256k1.GetPublicKey(keyring.GetPrivateKey("bob")));

        keyring.Delete("bob");
        Assert.Equal(["alice"], keyring.List().Select(k => k.Name));
        var error = Assert.Throws<KeyringException>(() => keyring.Get("bob"));
        Assert.Contains("'bob' not found", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("../evil")]
    [InlineData(".hidden")]
    [InlineData("a b")]
    public void Bad_key_names_are_refused(string name)
    {
        var keyring = DirectoryKeyring.Open("test", _home);
        var error = Assert.Throws<KeyringException>(() => keyring.Add(name));
        Assert.Contains("invalid key name", error.Message);
    }

    [Fact]
    public void A_duplicate_name_and_a_bad_mnemonic_are_refused()
    {
        var keyring = DirectoryKeyring.Open("test", _home);
        keyring.Add("a", CosmJsMnemonic);
        Assert.Contains("already exists", Assert.Throws<KeyringException>(() => keyring.Add("a")).Message);
        string badChecksum = CosmJsMnemonic.Replace("stone", "zoo");
        Assert.Contains("invalid mnemonic", Assert.Throws<KeyringException>(() => keyring.Add("b", badChecksum)).Message);
    }

    [Fact]
    public void The_file_backend_opens_with_the_right_passphrase_and_refuses_a_wrong_one()
    {
        var keyring = DirectoryKeyring.Open("file", _home, () => "correct horse", Cheap);
        KeyInfo info = keyring.Add("val", CosmJsMnemonic).Info;
        Assert.Equal(info.PublicKey, Secp256k1.GetPublicKey(keyring.GetPrivateKey("val")));

        var wrong = DirectoryKeyring.Open("file", _home, () => "correct horse!", Cheap);
        Assert.Equal(["val"], wrong.List().Select(k => k.Name)); // public data needs no passphrase
        var error = Assert.Throws<KeyringException>(() => wrong.GetPrivateKey("val"));
        Assert.Contains("wrong passphrase", error.Message);
    }

    [Fact]
    public void The_file_backend_never_writes_the_private_key_or_mnemonic_in_clear()
    {
        var keyring = DirectoryKeyring.Open("file", _home, () => "pw", Cheap);
        keyring.Add("val", CosmJsMnemonic);
        byte[] privateKey = keyring.GetPrivateKey("val");

        string[] files = Directory.GetFiles(Path.Combine(_home, "keyring-file"));
        Assert.Single(files);
        byte[] bytes = File.ReadAllBytes(files[0]);
        string text = Encoding.UTF8.GetString(bytes);
        Assert.Equal(-1, bytes.AsSpan().IndexOf(privateKey));
        Assert.DoesNotContain(Convert.ToBase64String(privateKey), text);
        Assert.DoesNotContain(Convert.ToHexStringLower(privateKey), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("economy stock", text);
        Assert.DoesNotContain("priv_key", text);
    }

    [Fact]
    public void A_sealed_key_copied_under_another_name_does_not_open()
    {
        var keyring = DirectoryKeyring.Open("file", _home, () => "pw", Cheap);
        keyring.Add("val", CosmJsMnemonic);
        string directory = Path.Combine(_home, "keyring-file");
        string copied = File.ReadAllText(Path.Combine(directory, "val.info.json")).Replace("\"val\"", "\"other\"");
        File.WriteAllText(Path.Combine(directory, "other.info.json"), copied);

        Assert.Throws<KeyringException>(() => keyring.GetPrivateKey("other"));
    }

    [Fact]
    public void Export_then_import_gives_the_same_key_in_another_backend()
    {
        var source = DirectoryKeyring.Open("test", _home, cost: Cheap);
        KeyInfo original = source.Add("alice", CosmJsMnemonic).Info;
        string armored = source.Export("alice", "export-pw");
        Assert.DoesNotContain(Convert.ToBase64String(source.GetPrivateKey("alice")), armored);

        var target = DirectoryKeyring.Open("file", _home, () => "keyring-pw", Cheap);
        Assert.Contains("wrong passphrase", Assert.Throws<KeyringException>(() => target.Import("alice", armored, "nope")).Message);
        KeyInfo imported = target.Import("alice", armored, "export-pw");

        Assert.Equal(original.Address, imported.Address);
        Assert.Equal(source.GetPrivateKey("alice"), target.GetPrivateKey("alice"));
    }

    [Fact]
    public void The_default_scrypt_cost_seals_and_opens()
    {
        var keyring = DirectoryKeyring.Open("file", _home, () => "pw");
        KeyInfo info = keyring.Add("slow").Info;
        Assert.Equal(info.PublicKey, Secp256k1.GetPublicKey(keyring.GetPrivateKey("slow")));
    }
}
