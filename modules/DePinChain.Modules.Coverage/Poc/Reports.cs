using DePinChain.Crypto;
using DePinChain.Modules.Devices;

namespace DePinChain.Modules.Coverage.Poc;

/// <summary>What a beaconing device transmitted, signed by that device.</summary>
public sealed record BeaconReport(
    byte[] BeaconerKey,
    long EntropyHeight,
    byte[] Payload,
    long FrequencyHz,
    int TxPowerTenthsDbm,
    long TimestampMs,
    byte[] Signature);

/// <summary>What a witnessing device heard, signed by that device.</summary>
public sealed record WitnessReport(
    byte[] WitnessKey,
    byte[] PayloadHash,
    int RssiTenthsDbm,
    int SnrTenthsDb,
    long FrequencyHz,
    long TimestampMs,
    byte[] Signature);

/// <summary>The byte layouts devices sign, and the beacon payload. Every layout starts with its own domain string.</summary>
public static class PocSignBytes
{
    public const int PayloadLength = 32;

    /// <summary>payload = SHA-256("depin.coverage.v1.payload" ‖ entropy block hash ‖ beaconer key): unknowable before the block, unique per device.</summary>
    public static byte[] ExpectedPayload(ReadOnlySpan<byte> entropyHash, ReadOnlySpan<byte> beaconerKey)
    {
        var writer = new SignBytesWriter("depin.coverage.v1.payload");
        writer.WriteBytes(entropyHash);
        writer.WriteBytes(beaconerKey);
        return Hashes.Sha256(writer.ToArray());
    }

    /// <summary>What a witness quotes: SHA-256 of the payload it received over the air.</summary>
    public static byte[] PayloadHash(ReadOnlySpan<byte> payload) => Hashes.Sha256(payload);

    public static byte[] Beacon(string chainId, BeaconReport beacon)
    {
        var writer = new SignBytesWriter("depin.coverage.v1.beacon");
        writer.WriteString(chainId);
        writer.WriteBytes(beacon.BeaconerKey);
        writer.WriteInt64(beacon.EntropyHeight);
        writer.WriteBytes(beacon.Payload);
        writer.WriteInt64(beacon.FrequencyHz);
        writer.WriteInt64(beacon.TxPowerTenthsDbm);
        writer.WriteInt64(beacon.TimestampMs);
        return writer.ToArray();
    }

    public static byte[] Witness(string chainId, WitnessReport witness)
    {
        var writer = new SignBytesWriter("depin.coverage.v1.witness");
        writer.WriteString(chainId);
        writer.WriteBytes(witness.WitnessKey);
        writer.WriteBytes(witness.PayloadHash);
        writer.WriteInt64(witness.RssiTenthsDbm);
        writer.WriteInt64(witness.SnrTenthsDb);
        writer.WriteInt64(witness.FrequencyHz);
        writer.WriteInt64(witness.TimestampMs);
        return writer.ToArray();
    }
}
