namespace DePinChain.Modules.Devices.Geo;

/// <summary>
/// Free-space path loss and the strongest signal physics allows, in tenths of a decibel, integer-only.
/// FSPL(d, f) = 20·log10(4π·d·f / c) dB = 200·log10(2)·(log2 d + log2 f + log2 4π − log2 c) tenths,
/// with every log2 from <see cref="FixedPoint.Log2"/> (Q40) and log10(2) in Q62; the sum is rounded to
/// the nearest tenth. Precision: the logarithms err by less than 1e-10 dB; the result is within
/// 0.05 dB (the final rounding) of the exact value for the integer distance and frequency given.
/// The distance is the 3-D (slant) one: a witness on a mast or a hill is farther from the transmitter than
/// the ground distance says, and free space loses over the straight line between the antennas
/// (<see cref="SlantDistanceMetres"/>).
/// </summary>
public static class RadioMath
{
    /// <summary>Speed of light in m/s (exact by definition of the metre).</summary>
    public const long SpeedOfLight = 299_792_458;

    /// <summary>log10(2) in Q62.</summary>
    private const long Log10Of2Q62 = 1388255822130839283;

    /// <summary>log2(4π) − log2(c) in Q40, from the same integer log2 as every input (π taken as its Q60 integer).</summary>
    private static readonly long Log2FourPiOverC =
        (2L << FixedPoint.Log2FractionBits)
        + FixedPoint.Log2((UInt128)FixedPoint.Pi) - ((long)FixedPoint.FractionBits << FixedPoint.Log2FractionBits)
        - FixedPoint.Log2(SpeedOfLight);

    /// <summary>FSPL in tenths of a dB for a distance in metres (≥ 1) and a frequency in Hz (≥ 1).</summary>
    public static long FreeSpacePathLossTenthsDb(long distanceMetres, long frequencyHz)
    {
        if (distanceMetres < 1)
            throw new ArgumentOutOfRangeException(nameof(distanceMetres), distanceMetres, "path loss needs a distance of at least 1 m");
        if (frequencyHz < 1)
            throw new ArgumentOutOfRangeException(nameof(frequencyHz), frequencyHz, "path loss needs a positive frequency");
        var log2Q40 = FixedPoint.Log2((UInt128)distanceMetres) + FixedPoint.Log2((UInt128)frequencyHz) + Log2FourPiOverC;
        // tenths = 200 · log10(2) · log2(x): Q40 · Q62 = Q102.
        var scaled = (Int128)log2Q40 * Log10Of2Q62 * 200;
        const int shift = FixedPoint.Log2FractionBits + 62;
        return (long)((scaled + (Int128.One << (shift - 1))) >> shift);
    }

    /// <summary>
    /// The straight-line distance between two antennas from their horizontal (great-circle) distance and their
    /// elevation difference, both in whole metres: √(h² + Δz²) rounded to the nearest metre, integer-only (the
    /// flat-earth triangle is exact to far below a metre at the ≤ 100 km and ≤ 10 km heights coverage allows).
    /// </summary>
    public static long SlantDistanceMetres(long horizontalMetres, long elevationDifferenceMetres)
    {
        if (horizontalMetres < 0)
            throw new ArgumentOutOfRangeException(nameof(horizontalMetres), horizontalMetres, "a distance cannot be negative");
        var h = (Int128)horizontalMetres;
        var z = (Int128)elevationDifferenceMetres;
        // round(√x) = ⌊(⌊√(4x)⌋ + 1) / 2⌋: √(4x) = 2√x, and the floor of 2√x + 1 halves to the nearest integer.
        var twiceRoot = FixedPoint.SquareRoot((UInt128)(4 * (h * h + z * z)));
        return (long)((twiceRoot + 1) / 2);
    }

    /// <summary>
    /// The strongest RSSI (tenths of dBm) a receiver can honestly report: tx power + both antenna gains − FSPL.
    /// Any real path loses at least the free-space amount, so a stronger report is physically impossible.
    /// </summary>
    public static long MaxPlausibleRssiTenthsDbm(long txPowerTenthsDbm, long transmitterGainTenthsDbi, long receiverGainTenthsDbi, long distanceMetres, long frequencyHz)
        => txPowerTenthsDbm + transmitterGainTenthsDbi + receiverGainTenthsDbi - FreeSpacePathLossTenthsDb(distanceMetres, frequencyHz);
}
