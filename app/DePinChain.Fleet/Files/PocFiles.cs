using DePinChain.Protos.Depin.Devices.V1;
using System.Text.Json.Nodes;
using DePinChain.Fleet.Keys;
using DePinChain.Modules.Coverage.Poc;
using DePinChain.Modules.Devices;
using DePinChain.Protos.Depin.Coverage.V1;
using DePinChain.Sdk;
using BeaconProto = DePinChain.Protos.Depin.Coverage.V1.BeaconReport;
using WitnessProto = DePinChain.Protos.Depin.Coverage.V1.WitnessReport;

namespace DePinChain.Fleet.Files;

/// <summary>A signed beacon as a device writes it: the report, the chain it is for, and the entropy block's hash it used.</summary>
public sealed record BeaconFile(string ChainId, KeyType KeyType, byte[] EntropyHash, BeaconProto Beacon);

/// <summary>A signed witness report, naming the beacon it heard (beaconer key and entropy height; the signed payload hash).</summary>
public sealed record WitnessFile(string ChainId, KeyType KeyType, byte[] BeaconerKey, long EntropyHeight, WitnessProto Witness)
{
    /// <summary>Whether this witness heard <paramref name="beacon"/>: same chain, beaconer, entropy height and payload.</summary>
    public bool Heard(BeaconFile beacon) =>
        ChainId == beacon.ChainId && BeaconerKey.AsSpan().SequenceEqual(beacon.Beacon.BeaconerKey.Span) && EntropyHeight == beacon.Beacon.EntropyHeight
        && Witness.PayloadHash.Span.SequenceEqual(PocSignBytes.PayloadHash(beacon.Beacon.Payload.Span));
}

/// <summary>
/// Beacon and witness report files (JSON, format in the project README): `device beacon` writes one, `device witness`
/// reads it and writes the other, and the submitter turns one beacon file and its witness files into a
/// <see cref="MsgSubmitPoc"/> (<see cref="BuildMessage"/>). Every reader checks the signatures, so a corrupted or
/// edited file is refused before it costs a transaction.
/// </summary>
public static class PocFiles
{
    public const string BeaconFileType = "depinchain/beacon-report/v1";
    public const string WitnessFileType = "depinchain/witness-report/v1";

    public static BeaconFile SignBeacon(DeviceKey device, string chainId, long entropyHeight, byte[] entropyHash, long frequencyHz, int txPowerTenthsDbm, long timestampMs)
    {
        if (entropyHash.Length != 32)
            throw new FleetException($"entropy hash is {entropyHash.Length} bytes, expected 32");
        if (entropyHeight < 1)
            throw new FleetException($"entropy height {entropyHeight} is not a block height");
        var beacon = PocReports.SignBeacon(device, chainId, entropyHeight, entropyHash, frequencyHz, txPowerTenthsDbm, timestampMs);
        return new BeaconFile(chainId, device.Type, entropyHash, beacon);
    }

    public static WitnessFile SignWitness(DeviceKey witness, BeaconFile beacon, int rssiTenthsDbm, int snrTenthsDb, long frequencyHz, long timestampMs)
    {
        var report = PocReports.SignWitness(witness, beacon.ChainId, beacon.Beacon.Payload.Span, rssiTenthsDbm, snrTenthsDb, frequencyHz, timestampMs);
        return new WitnessFile(beacon.ChainId, witness.Type, beacon.Beacon.BeaconerKey.ToByteArray(), beacon.Beacon.EntropyHeight, report);
    }

    /// <summary>
    /// The submitter's step: one beacon file and its witness files as a <see cref="MsgSubmitPoc"/> from
    /// <paramref name="submitterBech32"/>. Each witness file must name this beacon (else: "… is a witness of another beacon").
    /// </summary>
    /// <exception cref="FleetException">A file is missing or malformed, a signature does not verify, or a witness heard another beacon (one line).</exception>
    public static MsgSubmitPoc BuildMessage(string submitterBech32, string beaconPath, IReadOnlyList<string> witnessPaths)
    {
        try
        {
            Bech32Address.Parse(submitterBech32);
        }
        catch (SdkError e)
        {
            throw new FleetException($"submitter: {e.Message}");
        }
        var beacon = ReadBeacon(beaconPath);
        var message = new MsgSubmitPoc { Submitter = submitterBech32, Beacon = beacon.Beacon };
        foreach (var path in witnessPaths)
        {
            var witness = ReadWitness(path);
            if (witness.ChainId != beacon.ChainId)
                throw new FleetException($"{path}: is for chain {witness.ChainId}, the beacon in {beaconPath} for {beacon.ChainId}");
            if (!witness.Heard(beacon))
                throw new FleetException($"{path}: is a witness of another beacon (beaconer {Convert.ToHexStringLower(witness.BeaconerKey)} at entropy height {witness.EntropyHeight}), not of the one in {beaconPath}");
            message.Witnesses.Add(witness.Witness);
        }
        return message;
    }

    public static string Format(BeaconFile f) => JsonFile.Write(new JsonObject
    {
        ["type"] = BeaconFileType,
        ["chain_id"] = f.ChainId,
        ["beaconer_key"] = Convert.ToHexStringLower(f.Beacon.BeaconerKey.Span),
        ["key_type"] = KeyTypes.Name(f.KeyType),
        ["entropy_height"] = f.Beacon.EntropyHeight,
        ["entropy_hash"] = Convert.ToHexStringLower(f.EntropyHash),
        ["payload"] = Convert.ToHexStringLower(f.Beacon.Payload.Span),
        ["frequency_hz"] = f.Beacon.FrequencyHz,
        ["tx_power_tenths_dbm"] = f.Beacon.TxPowerTenthsDbm,
        ["timestamp_ms"] = f.Beacon.TimestampMs,
        ["signature"] = Convert.ToHexStringLower(f.Beacon.Signature.Span),
    });

    public static string Format(WitnessFile f) => JsonFile.Write(new JsonObject
    {
        ["type"] = WitnessFileType,
        ["chain_id"] = f.ChainId,
        ["beacon"] = new JsonObject
        {
            ["beaconer_key"] = Convert.ToHexStringLower(f.BeaconerKey),
            ["entropy_height"] = f.EntropyHeight,
        },
        ["witness_key"] = Convert.ToHexStringLower(f.Witness.WitnessKey.Span),
        ["key_type"] = KeyTypes.Name(f.KeyType),
        ["payload_hash"] = Convert.ToHexStringLower(f.Witness.PayloadHash.Span),
        ["rssi_tenths_dbm"] = f.Witness.RssiTenthsDbm,
        ["snr_tenths_db"] = f.Witness.SnrTenthsDb,
        ["frequency_hz"] = f.Witness.FrequencyHz,
        ["timestamp_ms"] = f.Witness.TimestampMs,
        ["signature"] = Convert.ToHexStringLower(f.Witness.Signature.Span),
    });

    /// <exception cref="FleetException">Missing, not JSON, not a beacon file, a malformed field, a payload that is not the rule's, or a bad signature.</exception>
    public static BeaconFile ReadBeacon(string path) => ParseBeacon(JsonFile.Load(path, BeaconFileType));

    public static BeaconFile ParseBeacon(string json, string source) => ParseBeacon(JsonFile.Parse(json, source, BeaconFileType));

    /// <exception cref="FleetException">Missing, not JSON, not a witness file, a malformed field, or a bad signature.</exception>
    public static WitnessFile ReadWitness(string path) => ParseWitness(JsonFile.Load(path, WitnessFileType));

    public static WitnessFile ParseWitness(string json, string source) => ParseWitness(JsonFile.Parse(json, source, WitnessFileType));

    private static BeaconFile ParseBeacon(JsonFile f)
    {
        var chainId = f.String("chain_id");
        var keyType = KeyTypes.Parse(f.String("key_type"), $"{f.Source}: key_type");
        var key = Key(f, "beaconer_key", keyType);
        var entropyHeight = f.Int64("entropy_height");
        var entropyHash = f.Hex("entropy_hash", 32);
        var payload = f.Hex("payload", PocSignBytes.PayloadLength);
        var beacon = new BeaconProto
        {
            BeaconerKey = Google.Protobuf.ByteString.CopyFrom(key),
            EntropyHeight = entropyHeight,
            Payload = Google.Protobuf.ByteString.CopyFrom(payload),
            FrequencyHz = f.Int64("frequency_hz"),
            TxPowerTenthsDbm = f.Int32("tx_power_tenths_dbm"),
            TimestampMs = f.Int64("timestamp_ms"),
            Signature = Google.Protobuf.ByteString.CopyFrom(f.Hex("signature", DeviceSignatures.SignatureLength)),
        };
        f.RejectUnknownFields();
        if (entropyHeight < 1)
            throw new FleetException($"{f.Source}: entropy_height {entropyHeight} is not a block height");
        if (beacon.FrequencyHz <= 0)
            throw new FleetException($"{f.Source}: frequency_hz {beacon.FrequencyHz} is not positive");
        if (beacon.TimestampMs < 0)
            throw new FleetException($"{f.Source}: timestamp_ms {beacon.TimestampMs} is negative");
        if (!PocSignBytes.ExpectedPayload(entropyHash, key).AsSpan().SequenceEqual(payload))
            throw new FleetException($"{f.Source}: payload is not SHA-256(domain ‖ entropy_hash ‖ beaconer_key)");
        if (!DeviceSignatures.Verify(keyType, key, PocSignBytes.Beacon(chainId, PocReports.ToRecord(beacon)), beacon.Signature.Span))
            throw new FleetException($"{f.Source}: the signature does not verify under beaconer_key");
        return new BeaconFile(chainId, keyType, entropyHash, beacon);
    }

    private static WitnessFile ParseWitness(JsonFile f)
    {
        var chainId = f.String("chain_id");
        var heard = f.Object("beacon");
        var beaconerKey = heard.Hex("beaconer_key");
        if (DeviceSignatures.TypeOf(beaconerKey) == KeyType.Unspecified)
            throw new FleetException($"{heard.Source}: beaconer_key of {beaconerKey.Length} bytes is not a device key");
        var entropyHeight = heard.Int64("entropy_height");
        heard.RejectUnknownFields();
        var keyType = KeyTypes.Parse(f.String("key_type"), $"{f.Source}: key_type");
        var key = Key(f, "witness_key", keyType);
        var witness = new WitnessProto
        {
            WitnessKey = Google.Protobuf.ByteString.CopyFrom(key),
            PayloadHash = Google.Protobuf.ByteString.CopyFrom(f.Hex("payload_hash", 32)),
            RssiTenthsDbm = f.Int32("rssi_tenths_dbm"),
            SnrTenthsDb = f.Int32("snr_tenths_db"),
            FrequencyHz = f.Int64("frequency_hz"),
            TimestampMs = f.Int64("timestamp_ms"),
            Signature = Google.Protobuf.ByteString.CopyFrom(f.Hex("signature", DeviceSignatures.SignatureLength)),
        };
        f.RejectUnknownFields();
        if (witness.FrequencyHz <= 0)
            throw new FleetException($"{f.Source}: frequency_hz {witness.FrequencyHz} is not positive");
        if (witness.TimestampMs < 0)
            throw new FleetException($"{f.Source}: timestamp_ms {witness.TimestampMs} is negative");
        if (!DeviceSignatures.Verify(keyType, key, PocSignBytes.Witness(chainId, PocReports.ToRecord(witness)), witness.Signature.Span))
            throw new FleetException($"{f.Source}: the signature does not verify under witness_key");
        return new WitnessFile(chainId, keyType, beaconerKey, entropyHeight, witness);
    }

    private static byte[] Key(JsonFile f, string field, KeyType type)
    {
        var key = f.Hex(field);
        if (!DeviceSignatures.IsWellFormedKey(type, key))
            throw new FleetException($"{f.Source}: {field} of {key.Length} bytes is not a {KeyTypes.Name(type)} public key");
        return key;
    }
}
