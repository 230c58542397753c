using DePinChain.Fleet.Keys;
using DePinChain.Modules.Coverage.Poc;
using Google.Protobuf;
using BeaconProto = DePinChain.Protos.Depin.Coverage.V1.BeaconReport;
using WitnessProto = DePinChain.Protos.Depin.Coverage.V1.WitnessReport;

namespace DePinChain.Fleet;

/// <summary>
/// Builds and signs proof-of-coverage reports as devices do, over the chain's own sign bytes
/// (<see cref="PocSignBytes.Beacon"/>, <see cref="PocSignBytes.Witness"/>) and payload rule
/// (<see cref="PocSignBytes.ExpectedPayload"/>). The files and the simulator both build reports here.
/// </summary>
public static class PocReports
{
    /// <summary>A beacon over the entropy of block <paramref name="entropyHeight"/> (whose hash is <paramref name="entropyHash"/>), signed by the device.</summary>
    public static BeaconProto SignBeacon(DeviceKey device, string chainId, long entropyHeight, ReadOnlySpan<byte> entropyHash,
        long frequencyHz, int txPowerTenthsDbm, long timestampMs) =>
        SignBeaconWithPayload(device, chainId, entropyHeight, PocSignBytes.ExpectedPayload(entropyHash, device.PublicKey), frequencyHz, txPowerTenthsDbm, timestampMs);

    /// <summary>A beacon with the given payload (a cheat may pass one that is not the rule's), signed by the device.</summary>
    public static BeaconProto SignBeaconWithPayload(DeviceKey device, string chainId, long entropyHeight, byte[] payload,
        long frequencyHz, int txPowerTenthsDbm, long timestampMs)
    {
        var record = new BeaconReport(device.PublicKey, entropyHeight, payload, frequencyHz, txPowerTenthsDbm, timestampMs, []);
        return new BeaconProto
        {
            BeaconerKey = ByteString.CopyFrom(device.PublicKey),
            EntropyHeight = entropyHeight,
            Payload = ByteString.CopyFrom(payload),
            FrequencyHz = frequencyHz,
            TxPowerTenthsDbm = txPowerTenthsDbm,
            TimestampMs = timestampMs,
            Signature = ByteString.CopyFrom(device.Sign(PocSignBytes.Beacon(chainId, record))),
        };
    }

    /// <summary>What the witnessing device heard of a beacon whose payload it received, signed by the witness.</summary>
    public static WitnessProto SignWitness(DeviceKey witness, string chainId, ReadOnlySpan<byte> beaconPayload,
        int rssiTenthsDbm, int snrTenthsDb, long frequencyHz, long timestampMs)
    {
        var payloadHash = PocSignBytes.PayloadHash(beaconPayload);
        var record = new WitnessReport(witness.PublicKey, payloadHash, rssiTenthsDbm, snrTenthsDb, frequencyHz, timestampMs, []);
        return new WitnessProto
        {
            WitnessKey = ByteString.CopyFrom(witness.PublicKey),
            PayloadHash = ByteString.CopyFrom(payloadHash),
            RssiTenthsDbm = rssiTenthsDbm,
            SnrTenthsDb = snrTenthsDb,
            FrequencyHz = frequencyHz,
            TimestampMs = timestampMs,
            Signature = ByteString.CopyFrom(witness.Sign(PocSignBytes.Witness(chainId, record))),
        };
    }

    public static BeaconReport ToRecord(BeaconProto b) =>
        new(b.BeaconerKey.ToByteArray(), b.EntropyHeight, b.Payload.ToByteArray(), b.FrequencyHz, b.TxPowerTenthsDbm, b.TimestampMs, b.Signature.ToByteArray());

    public static WitnessReport ToRecord(WitnessProto w) =>
        new(w.WitnessKey.ToByteArray(), w.PayloadHash.ToByteArray(), w.RssiTenthsDbm, w.SnrTenthsDb, w.FrequencyHz, w.TimestampMs, w.Signature.ToByteArray());
}
