namespace DePinChain.Modules.Devices.Geo;

/// <summary>
/// Great-circle distance on a sphere of the IUGG mean Earth radius (6,371,008.8 m), integer-only.
/// Method: both points become Q60 unit vectors; the chord c between them gives the central angle
/// θ = 2·asin(c/2), which is well conditioned at every distance (unlike acos of a dot product for
/// short distances) and needs no special case at the poles or across the antimeridian.
/// Error bound: the Q60 arithmetic contributes far below a millimetre; the result is rounded to the
/// nearest metre, so it is within 0.5 m (+ 1e-9 relative) of the exact spherical distance.
/// A sphere is not the ellipsoid: versus WGS-84 geodesics the model differs by up to ~0.5%, the same
/// for every node, which is what consensus needs.
/// </summary>
public static class GreatCircle
{
    /// <summary>Mean Earth radius in decimetres (6,371,008.8 m).</summary>
    public const long EarthRadiusDecimetres = 63_710_088;

    public static long DistanceMetres(GeoPoint a, GeoPoint b) => DistanceMetres(UnitVector.From(a), UnitVector.From(b));

    public static long DistanceMetres(in UnitVector a, in UnitVector b)
    {
        Int128 dx = a.X - b.X, dy = a.Y - b.Y, dz = a.Z - b.Z;
        var chordSquared = (UInt128)(dx * dx + dy * dy + dz * dz); // Q120, at most 4·2^120 plus rounding
        var chord = (long)FixedPoint.SquareRoot(chordSquared);      // Q60, in [0, 2]
        var halfChord = Math.Min(chord / 2, FixedPoint.One);
        var halfAngle = FixedPoint.ArcSin(halfChord);               // θ/2 in Q60 radians
        // d = 2·R·(θ/2); R in decimetres, so divide by 10·2^60 with rounding to the nearest metre.
        var numerator = (Int128)halfAngle * (2 * EarthRadiusDecimetres);
        var denominator = (Int128)10 << FixedPoint.FractionBits;
        return (long)((numerator + denominator / 2) / denominator);
    }
}
