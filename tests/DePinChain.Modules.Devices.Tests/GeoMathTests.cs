using DePinChain.Modules.Devices.Geo;

namespace DePinChain.Modules.Devices.Tests;

/// <summary>Integer geo math against double-precision formulas computed here, independently.</summary>
public class GeoMathTests
{
    private const double EarthRadius = 6_371_008.8;

    private static double ReferenceDistance(GeoPoint a, GeoPoint b)
    {
        double lat1 = a.LatitudeMicro * Math.PI / 180e6, lat2 = b.LatitudeMicro * Math.PI / 180e6;
        double dLat = lat2 - lat1, dLon = (b.LongitudeMicro - a.LongitudeMicro) * Math.PI / 180e6;
        var h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(lat1) * Math.Cos(lat2) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadius * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    private static double ReferenceFsplDb(double metres, double hz) => 20 * Math.Log10(4 * Math.PI * metres * hz / 299_792_458.0);

    private static void AssertDistanceClose(GeoPoint a, GeoPoint b)
    {
        var expected = ReferenceDistance(a, b);
        var actual = GreatCircle.DistanceMetres(a, b);
        var tolerance = 1 + expected * 1e-4;
        Assert.True(Math.Abs(actual - expected) <= tolerance, $"{a} → {b}: {actual} m, reference {expected:0.000} m");
    }

    [Fact]
    public void Distances_between_random_points_match_the_double_haversine_within_a_metre_and_a_hundredth_of_a_percent()
    {
        var random = new Random(20261122);
        for (var i = 0; i < 2_000; i++)
        {
            var a = new GeoPoint(random.Next(-90_000_000, 90_000_001), random.Next(-180_000_000, 180_000_001));
            // Half the pairs are near each other: the range proof of coverage cares about.
            var b = i % 2 == 0
                ? new GeoPoint(random.Next(-90_000_000, 90_000_001), random.Next(-180_000_000, 180_000_001))
                : new GeoPoint(Math.Clamp(a.LatitudeMicro + random.Next(-1_000_000, 1_000_001), -90_000_000, 90_000_000),
                               Math.Clamp(a.LongitudeMicro + random.Next(-1_000_000, 1_000_001), -180_000_000, 180_000_000));
            AssertDistanceClose(a, b);
        }
    }

    [Fact]
    public void Short_distances_are_exact_to_the_metre()
    {
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var a = new GeoPoint(random.Next(-80_000_000, 80_000_000), random.Next(-179_000_000, 179_000_000));
            var b = new GeoPoint(a.LatitudeMicro + random.Next(-5_000, 5_000), a.LongitudeMicro + random.Next(-5_000, 5_000));
            var expected = ReferenceDistance(a, b);
            Assert.True(Math.Abs(GreatCircle.DistanceMetres(a, b) - expected) <= 0.5 + 1e-6, $"{a} → {b}: reference {expected}");
        }
    }

    [Fact]
    public void Every_meridian_meets_at_the_poles()
    {
        Assert.Equal(0, GreatCircle.DistanceMetres(new GeoPoint(90_000_000, 0), new GeoPoint(90_000_000, 123_456_789)));
        Assert.Equal(0, GreatCircle.DistanceMetres(new GeoPoint(-90_000_000, -180_000_000), new GeoPoint(-90_000_000, 180_000_000)));
    }

    [Fact]
    public void Pole_to_pole_is_half_the_circumference()
    {
        var actual = GreatCircle.DistanceMetres(new GeoPoint(90_000_000, 0), new GeoPoint(-90_000_000, 17_000_000));
        Assert.Equal(Math.PI * EarthRadius, actual, 0.5);
    }

    [Fact]
    public void Antipodes_are_half_the_circumference()
    {
        var actual = GreatCircle.DistanceMetres(new GeoPoint(10_000_000, 20_000_000), new GeoPoint(-10_000_000, -160_000_000));
        Assert.Equal(Math.PI * EarthRadius, actual, 0.5);
    }

    [Fact]
    public void Crossing_the_antimeridian_is_short()
    {
        var west = new GeoPoint(0, 179_999_000);
        var east = new GeoPoint(0, -179_999_000);
        AssertDistanceClose(west, east);
        Assert.InRange(GreatCircle.DistanceMetres(west, east), 222, 223);
        Assert.Equal(0, GreatCircle.DistanceMetres(new GeoPoint(45_000_000, 180_000_000), new GeoPoint(45_000_000, -180_000_000)));
    }

    [Fact]
    public void Sine_and_cosine_match_double_precision()
    {
        var random = new Random(11);
        for (var i = 0; i < 5_000; i++)
        {
            long micro = random.NextInt64(-720_000_000, 720_000_000);
            var (sin, cos) = FixedPoint.SinCosMicroDegrees(micro);
            var radians = micro * Math.PI / 180e6;
            Assert.Equal(Math.Sin(radians), sin / (double)FixedPoint.One, 1e-14);
            Assert.Equal(Math.Cos(radians), cos / (double)FixedPoint.One, 1e-14);
        }
        Assert.Equal((0L, FixedPoint.One), FixedPoint.SinCosMicroDegrees(0));
        Assert.Equal((FixedPoint.One, 0L), FixedPoint.SinCosMicroDegrees(90_000_000));
        Assert.Equal((0L, -FixedPoint.One), FixedPoint.SinCosMicroDegrees(-180_000_000));
    }

    [Fact]
    public void Arcsine_matches_double_precision_over_its_whole_domain()
    {
        for (var i = 0; i <= 1_000; i++)
        {
            var x = FixedPoint.One / 1_000 * i;
            // Near 1 asin is ill-conditioned and x itself does not fit a double: take 1 − x exactly
            // and use asin x = π/2 − 2·asin √((1−x)/2) in double there.
            var oneMinusX = (FixedPoint.One - x) / (double)FixedPoint.One;
            var reference = i <= 500 ? Math.Asin(x / (double)FixedPoint.One) : Math.PI / 2 - 2 * Math.Asin(Math.Sqrt(oneMinusX / 2));
            Assert.Equal(reference, FixedPoint.ArcSin(x) / (double)FixedPoint.One, 1e-14);
        }
        Assert.InRange(FixedPoint.ArcSin(FixedPoint.One), FixedPoint.HalfPi - 4, FixedPoint.HalfPi + 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.ArcSin(FixedPoint.One + 1));
    }

    [Fact]
    public void Binary_logarithm_matches_double_precision()
    {
        var random = new Random(3);
        for (var i = 0; i < 2_000; i++)
        {
            var value = (ulong)random.NextInt64(1, long.MaxValue) >> random.Next(0, 62);
            if (value == 0) value = 1;
            Assert.Equal(Math.Log2(value), FixedPoint.Log2(value) / (double)(1L << FixedPoint.Log2FractionBits), 1e-9);
        }
        Assert.Equal(10L << FixedPoint.Log2FractionBits, FixedPoint.Log2(1024));
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.Log2(0));
    }

    [Fact]
    public void Square_root_is_the_floor_root()
    {
        var random = new Random(5);
        for (var i = 0; i < 1_000; i++)
        {
            var value = ((UInt128)(ulong)random.NextInt64() << random.Next(0, 64)) + (ulong)random.Next();
            var root = FixedPoint.SquareRoot(value);
            Assert.True(root * root <= value && (root + 1) * (root + 1) > value);
        }
    }

    [Theory]
    [InlineData(1L, 915_000_000L)]
    [InlineData(400L, 868_100_000L)]
    [InlineData(1_000L, 915_000_000L)]
    [InlineData(12_345L, 433_920_000L)]
    [InlineData(100_000L, 923_300_000L)]
    [InlineData(20_015_115L, 2_400_000_000L)]
    [InlineData(3L, 1L)]
    public void Path_loss_matches_the_double_formula_within_a_tenth_of_a_decibel(long metres, long hz)
    {
        var expectedDb = ReferenceFsplDb(metres, hz);
        var actualDb = RadioMath.FreeSpacePathLossTenthsDb(metres, hz) / 10.0;
        Assert.True(Math.Abs(actualDb - expectedDb) <= 0.05 + 1e-9, $"{metres} m, {hz} Hz: {actualDb} dB, reference {expectedDb} dB");
    }

    [Fact]
    public void Path_loss_over_random_links_matches_the_double_formula()
    {
        var random = new Random(9);
        for (var i = 0; i < 2_000; i++)
        {
            long metres = random.NextInt64(1, 200_000), hz = random.NextInt64(100_000_000, 6_000_000_000);
            Assert.True(Math.Abs(RadioMath.FreeSpacePathLossTenthsDb(metres, hz) / 10.0 - ReferenceFsplDb(metres, hz)) <= 0.05 + 1e-9);
        }
    }

    [Fact]
    public void Path_loss_rejects_zero_distance_and_zero_frequency()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RadioMath.FreeSpacePathLossTenthsDb(0, 915_000_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => RadioMath.FreeSpacePathLossTenthsDb(1_000, 0));
    }

    [Fact]
    public void The_strongest_plausible_signal_is_power_plus_gains_minus_path_loss()
    {
        // 27 dBm, 3 dBi and 5 dBi, 2 km at 915 MHz.
        var expected = 27 + 3 + 5 - ReferenceFsplDb(2_000, 915_000_000);
        var actual = RadioMath.MaxPlausibleRssiTenthsDbm(270, 30, 50, 2_000, 915_000_000) / 10.0;
        Assert.Equal(expected, actual, 0.051);
    }

    [Theory]
    [InlineData(0L, 0L)]
    [InlineData(3L, 4L)]
    [InlineData(500L, 2_000L)]
    [InlineData(2_000L, -1_990L)]
    [InlineData(99_999L, 9_500L)]
    [InlineData(1L, 1L)]
    public void Slant_distance_is_the_rounded_hypotenuse(long horizontal, long elevation)
    {
        var expected = Math.Round(Math.Sqrt((double)horizontal * horizontal + (double)elevation * elevation), MidpointRounding.AwayFromZero);
        Assert.Equal((long)expected, RadioMath.SlantDistanceMetres(horizontal, elevation));
    }

    [Fact]
    public void Slant_distance_rounds_like_double_over_random_links()
    {
        var random = new Random(11);
        for (var i = 0; i < 2_000; i++)
        {
            long h = random.NextInt64(0, 200_000), z = random.NextInt64(-10_000, 10_000);
            var exact = Math.Sqrt((double)h * h + (double)z * z);
            var actual = RadioMath.SlantDistanceMetres(h, z);
            Assert.True(Math.Abs(actual - exact) <= 0.5 + 1e-9, $"{h} m, {z} m: {actual}, exact {exact}");
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => RadioMath.SlantDistanceMetres(-1, 0));
    }

    [Fact]
    public void The_signal_bound_over_a_mast_uses_the_straight_line_between_the_antennas()
    {
        // 500 m on the ground, 2,000 m up the mountain: free space over √(500² + 2000²) ≈ 2,061.6 m, 868.1 MHz.
        var slant = RadioMath.SlantDistanceMetres(500, 2_000);
        var expected = 27 + 3 + 5 - ReferenceFsplDb(Math.Sqrt(500.0 * 500 + 2_000.0 * 2_000), 868_100_000);
        var actual = RadioMath.MaxPlausibleRssiTenthsDbm(270, 30, 50, slant, 868_100_000) / 10.0;
        Assert.Equal(expected, actual, 0.051);
        // The horizontal distance alone would allow about 12 dB more.
        Assert.True(RadioMath.MaxPlausibleRssiTenthsDbm(270, 30, 50, 500, 868_100_000) - RadioMath.MaxPlausibleRssiTenthsDbm(270, 30, 50, slant, 868_100_000) >= 120);
    }
}
