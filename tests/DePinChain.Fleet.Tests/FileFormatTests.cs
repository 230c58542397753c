using DePinChain.Protos.Depin.Devices.V1;
using DePinChain.Fleet.Files;
using DePinChain.Fleet.Keys;
using DePinChain.Modules.Devices;
using DePinChain.Sdk;

namespace DePinChain.Fleet.Tests;

/// <summary>The report and onboarding file formats byte for byte (the README documents these same files), and every reader's refusals.</summary>
public sealed class FileFormatTests : IDisposable
{
    private const string ChainId = "depin-golden-1";
    private static readonly DeviceKey Device = DeviceKey.Derive(KeyType.Secp256K1, "golden-device");
    private static readonly DeviceKey Witness = DeviceKey.Derive(KeyType.Ed25519, "golden-witness");
    private static readonly DeviceKey Maker = DeviceKey.Derive(KeyType.Secp256K1, "golden-maker");
    private static readonly string Owner = Bech32Address.ToBech32(Enumerable.Range(1, 20).Select(i => (byte)i).ToArray());
    private static readonly byte[] EntropyHash = Crypto.Hashes.Sha256("block 41"u8);
    private readonly string _dir = Directory.CreateTempSubdirectory("depin-fleet-files-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Save(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static BeaconFile Beacon() => PocFiles.SignBeacon(Device, ChainId, 41, EntropyHash, 868_100_000, 270, 1_767_225_600_000);

    [Fact]
    public void Onboarding_signature_files_have_the_documented_format()
    {
        var device = OnboardingFiles.SignAsDevice(Device, ChainId, Owner, DeviceMode.Full, "acme");
        var maker = OnboardingFiles.SignAsMaker(Maker, device);
        Assert.Equal($$"""
            {
              "type": "depinchain/onboarding-signature/v1",
              "signer": "device",
              "chain_id": "depin-golden-1",
              "device_key": "{{Device.PublicKey.Hex()}}",
              "key_type": "secp256k1",
              "owner": "{{Owner}}",
              "mode": "full",
              "maker": "acme",
              "signer_key": "{{Device.PublicKey.Hex()}}",
              "signer_key_type": "secp256k1",
              "signature": "{{device.Signature.Hex()}}"
            }

            """, OnboardingFiles.Format(device));
        Assert.Contains("\"signer\": \"maker\"", OnboardingFiles.Format(maker));
        Assert.Contains($"\"signer_key\": \"{Maker.PublicKey.Hex()}\"", OnboardingFiles.Format(maker));
        // secp256k1 signatures are deterministic (RFC 6979): the golden signature is fixed.
        Assert.Equal(device.Signature, OnboardingFiles.SignAsDevice(Device, ChainId, Owner, DeviceMode.Full, "acme").Signature);
    }

    [Fact]
    public void Two_onboarding_files_make_the_message_the_chain_verifies()
    {
        var device = OnboardingFiles.SignAsDevice(Device, ChainId, Owner, DeviceMode.DataOnly, "acme");
        var devicePath = Save("device.json", OnboardingFiles.Format(device));
        var makerPath = Save("maker.json", OnboardingFiles.Format(OnboardingFiles.SignAsMaker(Maker, OnboardingFiles.Read(devicePath))));

        var msg = OnboardingFiles.BuildMessage(Owner, devicePath, makerPath);

        var signBytes = DeviceSignatures.OnboardingSignBytes(ChainId, KeyType.Secp256K1, Device.PublicKey, Bech32Address.Parse(Owner), DeviceMode.DataOnly);
        Assert.True(DeviceSignatures.Verify(KeyType.Secp256K1, Device.PublicKey, signBytes, msg.DeviceSignature.Span));
        Assert.True(DeviceSignatures.Verify(KeyType.Secp256K1, Maker.PublicKey, signBytes, msg.MakerSignature.Span));
        Assert.Equal((Owner, "acme", Protos.Depin.Devices.V1.DeviceMode.DataOnly, Protos.Depin.Devices.V1.KeyType.Secp256K1),
            (msg.Owner, msg.Maker, msg.Mode, msg.KeyType));
        Assert.Equal(Device.PublicKey, msg.DeviceKey.ToByteArray());
        Assert.Equal(msg, OnboardingFiles.BuildMessage(Owner, Device, Maker, ChainId, DeviceMode.DataOnly, "acme"));
    }

    [Fact]
    public void Onboarding_files_that_disagree_or_do_not_verify_are_refused_in_one_line()
    {
        var device = OnboardingFiles.SignAsDevice(Device, ChainId, Owner, DeviceMode.Full, "acme");
        var devicePath = Save("device.json", OnboardingFiles.Format(device));
        var makerPath = Save("maker.json", OnboardingFiles.Format(OnboardingFiles.SignAsMaker(Maker, device)));
        var otherOwner = Bech32Address.ToBech32(new byte[20]);
        var otherModePath = Save("other.json", OnboardingFiles.Format(OnboardingFiles.SignAsMaker(Maker, OnboardingFiles.SignAsDevice(Device, ChainId, Owner, DeviceMode.DataOnly, "acme"))));
        var forged = Save("forged.json", OnboardingFiles.Format(device with { Mode = DeviceMode.DataOnly }).Replace("data-only", "full", StringComparison.Ordinal)
            .Replace(device.Signature.Hex(), new string('0', 128), StringComparison.Ordinal));

        AssertRefused($"{devicePath}: signed for owner {Owner}, not {otherOwner}", () => OnboardingFiles.BuildMessage(otherOwner, devicePath, makerPath));
        AssertRefused($"{devicePath} and {otherModePath} disagree on mode", () => OnboardingFiles.BuildMessage(Owner, devicePath, otherModePath));
        AssertRefused($"{makerPath}: is the maker's signature file, expected the device's", () => OnboardingFiles.BuildMessage(Owner, makerPath, makerPath));
        AssertRefused($"{forged}: the device signature does not verify under the device key", () => OnboardingFiles.BuildMessage(Owner, forged, makerPath));
        AssertRefused($"{Path.Combine(_dir, "nope.json")}: no such file", () => OnboardingFiles.BuildMessage(Owner, Path.Combine(_dir, "nope.json"), makerPath));
        AssertRefused($"{Save("bad.json", "{")}: not JSON", () => OnboardingFiles.Read(Path.Combine(_dir, "bad.json")));
        AssertRefused($"{Save("typo.json", OnboardingFiles.Format(device).Replace("\"maker\":", "\"makr\":", StringComparison.Ordinal))}: missing maker",
            () => OnboardingFiles.Read(Path.Combine(_dir, "typo.json")));
        var wrongType = Save("wrongtype.json", OnboardingFiles.Format(device).Replace("\"key_type\": \"secp256k1\"", "\"key_type\": \"ed25519\"", StringComparison.Ordinal));
        AssertRefused($"{wrongType}: device_key of 33 bytes is not a ed25519 public key", () => OnboardingFiles.Read(wrongType));
        var beaconPath = Save("beacon.json", PocFiles.Format(Beacon()));
        AssertRefused($"{beaconPath}: is a 'depinchain/beacon-report/v1' file, expected 'depinchain/onboarding-signature/v1'", () => OnboardingFiles.Read(beaconPath));
    }

    [Fact]
    public void Beacon_and_witness_files_have_the_documented_format()
    {
        var beacon = Beacon();
        var witness = PocFiles.SignWitness(Witness, beacon, -955, 72, 868_100_000, 1_767_225_600_500);
        Assert.Equal($$"""
            {
              "type": "depinchain/beacon-report/v1",
              "chain_id": "depin-golden-1",
              "beaconer_key": "{{Device.PublicKey.Hex()}}",
              "key_type": "secp256k1",
              "entropy_height": 41,
              "entropy_hash": "{{EntropyHash.Hex()}}",
              "payload": "{{beacon.Beacon.Payload.ToByteArray().Hex()}}",
              "frequency_hz": 868100000,
              "tx_power_tenths_dbm": 270,
              "timestamp_ms": 1767225600000,
              "signature": "{{beacon.Beacon.Signature.ToByteArray().Hex()}}"
            }

            """, PocFiles.Format(beacon));
        Assert.Equal($$"""
            {
              "type": "depinchain/witness-report/v1",
              "chain_id": "depin-golden-1",
              "beacon": {
                "beaconer_key": "{{Device.PublicKey.Hex()}}",
                "entropy_height": 41
              },
              "witness_key": "{{Witness.PublicKey.Hex()}}",
              "key_type": "ed25519",
              "payload_hash": "{{Crypto.Hashes.Sha256(beacon.Beacon.Payload.Span).Hex()}}",
              "rssi_tenths_dbm": -955,
              "snr_tenths_db": 72,
              "frequency_hz": 868100000,
              "timestamp_ms": 1767225600500,
              "signature": "{{witness.Witness.Signature.ToByteArray().Hex()}}"
            }

            """, PocFiles.Format(witness));
    }

    [Fact]
    public void A_beacon_file_and_its_witness_files_make_the_submit_message()
    {
        var beacon = Beacon();
        var beaconPath = Save("beacon.json", PocFiles.Format(beacon));
        var w1 = Save("w1.json", PocFiles.Format(PocFiles.SignWitness(Witness, PocFiles.ReadBeacon(beaconPath), -955, 72, 868_100_000, 1_767_225_600_500)));
        var w2 = Save("w2.json", PocFiles.Format(PocFiles.SignWitness(Maker, beacon, -1020, -35, 868_110_000, 1_767_225_601_000)));
        var submitter = Bech32Address.ToBech32(new byte[20]);

        var msg = PocFiles.BuildMessage(submitter, beaconPath, [w1, w2]);

        Assert.Equal(submitter, msg.Submitter);
        Assert.Equal(beacon.Beacon, msg.Beacon);
        Assert.Equal([Witness.PublicKey, Maker.PublicKey], msg.Witnesses.Select(w => w.WitnessKey.ToByteArray()));
        Assert.Equal([-955, -1020], msg.Witnesses.Select(w => w.RssiTenthsDbm));
    }

    [Fact]
    public void Malformed_report_files_and_a_witness_of_another_beacon_are_refused_in_one_line()
    {
        var beacon = Beacon();
        var beaconPath = Save("beacon.json", PocFiles.Format(beacon));
        var other = PocFiles.SignBeacon(Device, ChainId, 42, Crypto.Hashes.Sha256("block 42"u8), 868_100_000, 270, 1_767_225_605_000);
        var otherWitness = Save("other-witness.json", PocFiles.Format(PocFiles.SignWitness(Witness, other, -955, 72, 868_100_000, 1_767_225_605_100)));
        var submitter = Bech32Address.ToBech32(new byte[20]);

        AssertRefused($"{otherWitness}: is a witness of another beacon (beaconer {Device.PublicKey.Hex()} at entropy height 42), not of the one in {beaconPath}",
            () => PocFiles.BuildMessage(submitter, beaconPath, [otherWitness]));
        var edited = Save("edited.json", PocFiles.Format(beacon).Replace("\"tx_power_tenths_dbm\": 270", "\"tx_power_tenths_dbm\": 300", StringComparison.Ordinal));
        AssertRefused($"{edited}: the signature does not verify under beaconer_key", () => PocFiles.ReadBeacon(edited));
        var payload = beacon.Beacon.Payload.ToByteArray().Hex();
        var forgedPayload = Save("payload.json", PocFiles.Format(beacon).Replace(payload, new string('a', 64), StringComparison.Ordinal));
        AssertRefused($"{forgedPayload}: payload is not SHA-256(domain ‖ entropy_hash ‖ beaconer_key)", () => PocFiles.ReadBeacon(forgedPayload));
        var shortSig = Save("short.json", PocFiles.Format(beacon).Replace(beacon.Beacon.Signature.ToByteArray().Hex(), "abcd", StringComparison.Ordinal));
        AssertRefused($"{shortSig}: signature is 2 bytes, expected 64", () => PocFiles.ReadBeacon(shortSig));
        var stringHeight = Save("height.json", PocFiles.Format(beacon).Replace("\"entropy_height\": 41", "\"entropy_height\": \"41\"", StringComparison.Ordinal));
        AssertRefused($"{stringHeight}: entropy_height must be an integer", () => PocFiles.ReadBeacon(stringHeight));
        var extra = Save("extra.json", PocFiles.Format(beacon).Replace("{", "{\"rssi\": 1,", StringComparison.Ordinal));
        AssertRefused($"{extra}: unknown field 'rssi'", () => PocFiles.ReadBeacon(extra));
        AssertRefused($"{beaconPath}: is a 'depinchain/beacon-report/v1' file, expected 'depinchain/witness-report/v1'", () => PocFiles.BuildMessage(submitter, beaconPath, [beaconPath]));
        Assert.StartsWith("submitter: invalid address nobody: ", Assert.Throws<FleetException>(() => PocFiles.BuildMessage("nobody", beaconPath, [])).Message);
    }

    private static void AssertRefused(string message, Action action)
    {
        var e = Assert.Throws<FleetException>(action);
        Assert.Equal(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}

internal static class HexExtensions
{
    public static string Hex(this byte[] bytes) => Convert.ToHexStringLower(bytes);
}
