namespace DePinChain.Modules.Devices.Geo;

/// <summary>
/// Integer-only transcendental functions for consensus code. Numbers are signed Q60 fixed point
/// (value = raw / 2^60), so |x| ≤ 8 fits a long and a product fits Int128. Every operation floors;
/// the results are bit-identical on every machine.
/// </summary>
public static class FixedPoint
{
    public const int FractionBits = 60;
    public const long One = 1L << FractionBits;
    public const long Half = One / 2;

    /// <summary>π in Q60 (floor of π·2^60).</summary>
    public const long Pi = 3622009729038561421;
    /// <summary>π/2 in Q60.</summary>
    public const long HalfPi = 1811004864519280710;

    /// <summary>Radians per micro-degree scaled by 2^80 (Q60 result after a further 2^20 shift).</summary>
    private const long RadiansPerMicroDegreeQ80 = 21099735964646325;

    private const long MicroDegreesPerTurn = 360_000_000;
    private const long MicroDegreesPerQuadrant = 90_000_000;
    private const long MicroDegreesPerOctant = 45_000_000;

    public static long Multiply(long a, long b) => (long)(((Int128)a * b) >> FractionBits);

    /// <summary>
    /// sin and cos of an angle given in micro-degrees (any value, reduced modulo 360°). The reduction
    /// to [−45°, 45°] is exact in integers, so 0°, ±90° and 180° give exact 0 and ±1; the Taylor series
    /// on the reduced radian angle (|x| ≤ π/4) converges to below 2^-58.
    /// </summary>
    public static (long Sin, long Cos) SinCosMicroDegrees(long microDegrees)
    {
        var turn = microDegrees % MicroDegreesPerTurn;
        if (turn < 0) turn += MicroDegreesPerTurn;
        var quadrant = (turn + MicroDegreesPerOctant) / MicroDegreesPerQuadrant; // 0..4; 4 is the first again
        var reduced = turn - quadrant * MicroDegreesPerQuadrant;                  // [−45°, 45°)
        var radians = (long)(((Int128)reduced * RadiansPerMicroDegreeQ80) >> 20);
        var (sin, cos) = SinCosReduced(radians);
        return (quadrant & 3) switch
        {
            0 => (sin, cos),
            1 => (cos, -sin),
            2 => (-sin, -cos),
            _ => (-cos, sin),
        };
    }

    private static (long Sin, long Cos) SinCosReduced(long x)
    {
        var x2 = Multiply(x, x);
        long sin = x, sinTerm = x;
        long cos = One, cosTerm = One;
        for (var n = 1; n < 40; n++)
        {
            sinTerm = -Multiply(sinTerm, x2) / ((2 * n) * (2 * n + 1));
            cosTerm = -Multiply(cosTerm, x2) / ((2 * n - 1) * (2 * n));
            sin += sinTerm;
            cos += cosTerm;
            if (sinTerm == 0 && cosTerm == 0) break;
        }
        return (sin, cos);
    }

    /// <summary>floor(√value) for a non-negative 128-bit integer (Newton's method from above).</summary>
    public static UInt128 SquareRoot(UInt128 value)
    {
        if (value < 2) return value;
        var bits = 128 - (int)UInt128.LeadingZeroCount(value);
        var x = UInt128.One << ((bits + 1) / 2); // ≥ √value
        while (true)
        {
            var y = (x + value / x) >> 1;
            if (y >= x) return x;
            x = y;
        }
    }

    /// <summary>
    /// asin of a Q60 value in [0, 1], in Q60 radians. For x ≤ ½ the Maclaurin series (terms shrink by
    /// at least 4 each step); above, asin x = π/2 − 2·asin √((1−x)/2) brings the argument below ½.
    /// Absolute error below 2^-54.
    /// </summary>
    public static long ArcSin(long x)
    {
        if (x < 0 || x > One)
            throw new ArgumentOutOfRangeException(nameof(x), x, "asin argument must be within [0, 1] in Q60");
        if (x > Half)
        {
            var inner = (long)SquareRoot((UInt128)((One - x) / 2) << FractionBits);
            return HalfPi - 2 * ArcSinSeries(inner);
        }
        return ArcSinSeries(x);
    }

    private static long ArcSinSeries(long x)
    {
        var x2 = Multiply(x, x);
        long sum = x, term = x;
        for (long n = 0; n < 80 && term != 0; n++)
        {
            // c(n+1)/c(n) = (2n+1)² / ((2n+2)(2n+3)) for asin x = Σ c(n)·x^(2n+1)
            term = (long)((Int128)Multiply(term, x2) * ((2 * n + 1) * (2 * n + 1)) / ((2 * n + 2) * (2 * n + 3)));
            sum += term;
        }
        return sum;
    }

    /// <summary>Fraction bits of <see cref="Log2"/>.</summary>
    public const int Log2FractionBits = 40;

    /// <summary>
    /// log2 of a positive integer in Q40: integer part from the bit length, then one fraction bit per
    /// squaring of the Q62 mantissa. Truncation error below 2^-39.
    /// </summary>
    public static long Log2(UInt128 value)
    {
        if (value == 0)
            throw new ArgumentOutOfRangeException(nameof(value), "log2 of zero is undefined");
        var exponent = 127 - (int)UInt128.LeadingZeroCount(value);
        const int mantissaBits = 62;
        var mantissa = exponent >= mantissaBits ? value >> (exponent - mantissaBits) : value << (mantissaBits - exponent);
        long result = (long)exponent << Log2FractionBits;
        var two = UInt128.One << (mantissaBits + 1);
        for (var bit = Log2FractionBits - 1; bit >= 0; bit--)
        {
            mantissa = (mantissa * mantissa) >> mantissaBits;
            if (mantissa >= two)
            {
                mantissa >>= 1;
                result |= 1L << bit;
            }
        }
        return result;
    }
}
