namespace DePinChain.Modules.Devices.Geo;

/// <summary>A position in integer micro-degrees (WGS-84 latitude/longitude × 10^6).</summary>
public readonly record struct GeoPoint(int LatitudeMicro, int LongitudeMicro)
{
    public const int MaxLatitudeMicro = 90_000_000;
    public const int MaxLongitudeMicro = 180_000_000;

    /// <summary>Latitude within ±90°, longitude within ±180° (both ends allowed; +180° is the same meridian as −180°).</summary>
    public bool IsValid =>
        LatitudeMicro is >= -MaxLatitudeMicro and <= MaxLatitudeMicro &&
        LongitudeMicro is >= -MaxLongitudeMicro and <= MaxLongitudeMicro;

    public static GeoPoint Create(long latitudeMicro, long longitudeMicro)
    {
        if (latitudeMicro is < -MaxLatitudeMicro or > MaxLatitudeMicro)
            throw new ArgumentOutOfRangeException(nameof(latitudeMicro), latitudeMicro, "latitude must be within ±90,000,000 micro-degrees");
        if (longitudeMicro is < -MaxLongitudeMicro or > MaxLongitudeMicro)
            throw new ArgumentOutOfRangeException(nameof(longitudeMicro), longitudeMicro, "longitude must be within ±180,000,000 micro-degrees");
        return new GeoPoint((int)latitudeMicro, (int)longitudeMicro);
    }

    public override string ToString() => $"({LatitudeMicro / 1e6:0.000000}, {LongitudeMicro / 1e6:0.000000})";
}

/// <summary>A point on the unit sphere as a Q60 vector; precompute once per device, reuse for every distance.</summary>
public readonly record struct UnitVector(long X, long Y, long Z)
{
    public static UnitVector From(GeoPoint point)
    {
        var (sinLat, cosLat) = FixedPoint.SinCosMicroDegrees(point.LatitudeMicro);
        var (sinLon, cosLon) = FixedPoint.SinCosMicroDegrees(point.LongitudeMicro);
        return new UnitVector(FixedPoint.Multiply(cosLat, cosLon), FixedPoint.Multiply(cosLat, sinLon), sinLat);
    }
}
