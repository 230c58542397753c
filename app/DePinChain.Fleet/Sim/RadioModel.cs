using DePinChain.Modules.Devices.Geo;

namespace DePinChain.Fleet.Sim;

/// <summary>
/// What a witness hears, integer-only (tenths of dBm) and built on the chain's own radio math: the chain's bound
/// (tx power + both gains − free-space path loss over the 3-D distance, <see cref="RadioMath"/>) minus an urban excess
/// loss (path-loss exponent 2.8 instead of free space's 2, beyond 100 m) minus seeded shadowing of at least 1 dB. An
/// honest RSSI is therefore always weaker than what the chain accepts; a cheater adds 5–20 dB on top of the bound.
/// </summary>
public static class RadioModel
{
    /// <summary>LoRa at SF10/125 kHz hears down to about −132 dBm; the fleet takes −130.</summary>
    public const int SensitivityTenthsDbm = -1_300;
    /// <summary>Thermal noise in 125 kHz plus a 6 dB noise figure.</summary>
    public const int NoiseFloorTenthsDbm = -1_170;
    private const long ReferenceMetres = 100;

    /// <summary>The strongest RSSI the chain accepts for this pair, from the locations it has on record (asserted ones).</summary>
    public static long ChainBound(FleetDevice beaconer, FleetDevice witness, long frequencyHz)
    {
        var ground = GreatCircle.DistanceMetres(beaconer.AssertedVector, witness.AssertedVector);
        return Bound(beaconer, witness, ground, frequencyHz);
    }

    /// <summary>Ground distance between the asserted locations (what the chain's too-close / too-far rules use).</summary>
    public static long AssertedDistance(FleetDevice a, FleetDevice b) => GreatCircle.DistanceMetres(a.AssertedVector, b.AssertedVector);

    /// <summary>The median RSSI at the witness's real position (no shadowing): whether it can hear at all, before fading.</summary>
    public static long MedianRssi(FleetDevice beaconer, FleetDevice witness, long frequencyHz)
    {
        var ground = GreatCircle.DistanceMetres(beaconer.TrueVector, witness.TrueVector);
        var bound = Bound(beaconer, witness, ground, frequencyHz);
        var slant = Math.Max(1, RadioMath.SlantDistanceMetres(ground, (long)witness.ElevationMetres - beaconer.ElevationMetres));
        var excess = slant <= ReferenceMetres
            ? 0
            : (RadioMath.FreeSpacePathLossTenthsDb(slant, frequencyHz) - RadioMath.FreeSpacePathLossTenthsDb(ReferenceMetres, frequencyHz)) * 4 / 10;
        return bound - excess;
    }

    /// <summary>One reception: the median minus shadowing of 1 dB plus |N(0, 6 dB)|.</summary>
    public static int Received(long medianTenthsDbm, Prng random) => (int)(medianTenthsDbm - 10 - Math.Abs(random.Gaussian(60)));

    /// <summary>SNR from the RSSI over the noise floor, with ±2 dB of spread, within LoRa's −20..+15 dB.</summary>
    public static int Snr(int rssiTenthsDbm, Prng random) => Math.Clamp(rssiTenthsDbm - NoiseFloorTenthsDbm + random.Gaussian(20), -200, 150);

    private static long Bound(FleetDevice beaconer, FleetDevice witness, long groundMetres, long frequencyHz)
    {
        var slant = Math.Max(1, RadioMath.SlantDistanceMetres(groundMetres, (long)witness.ElevationMetres - beaconer.ElevationMetres));
        return RadioMath.MaxPlausibleRssiTenthsDbm(beaconer.TxPowerTenthsDbm, beaconer.AntennaGainTenthsDbi, witness.AntennaGainTenthsDbi, slant, frequencyHz);
    }
}
