using System.Globalization;
using System.Numerics;

namespace DePinChain.Sdk;

/// <summary>
/// The Cosmos SDK's <c>math.LegacyDec</c>: a signed decimal with exactly 18 fractional digits, held as an integer scaled
/// by 10^18. Staking's shares and rates, slashing's fractions and distribution's reward ratios are LegacyDecs, and the
/// results must agree with the SDK's to the last digit, so every operation rounds as the SDK's does: <see cref="Mul"/> and
/// <see cref="Quo"/> round half to even, the <c>...Truncate</c> forms cut toward zero, <see cref="QuoRoundUp"/> rounds
/// away from zero. Integer arithmetic only (consensus code).
/// </summary>
/// <remarks>
/// On the wire (gogoproto <c>customtype</c>) a LegacyDec is the scaled integer's decimal digits ("100000000000000000"
/// for 0.1, "0" for zero); in JSON and text it is <see cref="ToString"/> ("0.100000000000000000").
/// </remarks>
public readonly struct LegacyDec : IEquatable<LegacyDec>, IComparable<LegacyDec>
{
    public const int Precision = 18;

    // The SDK's bound: 256 bits of integer part plus the 60 bits 10^18 needs.
    private const int MaxBitLength = 256 + 60;

    private static readonly BigInteger One18 = BigInteger.Pow(10, Precision);
    private static readonly BigInteger One36 = One18 * One18;
    private static readonly BigInteger Half18 = One18 / 2;

    private readonly BigInteger _scaled;

    private LegacyDec(BigInteger scaled)
    {
        if (scaled.GetBitLength() > MaxBitLength) throw new OverflowException("decimal out of range");
        _scaled = scaled;
    }

    public static LegacyDec Zero => default;

    public static LegacyDec One { get; } = new(One18);

    /// <summary>The integer times 10^18, as the wire carries it.</summary>
    public BigInteger Scaled => _scaled;

    public static LegacyDec FromScaled(BigInteger scaled) => new(scaled);

    public static LegacyDec FromInt(BigInteger value) => new(value * One18);

    /// <summary><paramref name="value"/> × 10^-<paramref name="precision"/> (the SDK's <c>LegacyNewDecWithPrec</c>).</summary>
    public static LegacyDec WithPrecision(long value, int precision)
    {
        if (precision is < 0 or > Precision) throw new ArgumentOutOfRangeException(nameof(precision));
        return new(value * BigInteger.Pow(10, Precision - precision));
    }

    public bool IsZero => _scaled.IsZero;

    public bool IsNegative => _scaled.Sign < 0;

    public bool IsPositive => _scaled.Sign > 0;

    public int Sign => _scaled.Sign;

    public LegacyDec Add(LegacyDec other) => new(_scaled + other._scaled);

    public LegacyDec Sub(LegacyDec other) => new(_scaled - other._scaled);

    public LegacyDec Neg() => new(-_scaled);

    public LegacyDec Abs() => new(BigInteger.Abs(_scaled));

    /// <summary>Product, rounded half to even at the 18th digit.</summary>
    public LegacyDec Mul(LegacyDec other) => new(ChopRound(_scaled * other._scaled));

    /// <summary>Product, cut toward zero at the 18th digit.</summary>
    public LegacyDec MulTruncate(LegacyDec other) => new(BigInteger.Divide(_scaled * other._scaled, One18));

    /// <summary>Product, rounded away from zero at the 18th digit.</summary>
    public LegacyDec MulRoundUp(LegacyDec other) => new(ChopRoundUp(_scaled * other._scaled));

    public LegacyDec MulInt(BigInteger value) => new(_scaled * value);

    /// <summary>Quotient, rounded half to even at the 18th digit.</summary>
    /// <exception cref="DivideByZeroException"><paramref name="other"/> is zero.</exception>
    public LegacyDec Quo(LegacyDec other) => new(ChopRound(BigInteger.Divide(_scaled * One36, other._scaled)));

    /// <summary>Quotient, cut toward zero at the 18th digit.</summary>
    public LegacyDec QuoTruncate(LegacyDec other) => new(BigInteger.Divide(_scaled * One18, other._scaled));

    /// <summary>Quotient, rounded away from zero at the 18th digit.</summary>
    public LegacyDec QuoRoundUp(LegacyDec other)
    {
        var quotient = BigInteger.DivRem(_scaled * One18, other._scaled, out var remainder);
        if (!remainder.IsZero) quotient += _scaled.Sign * other._scaled.Sign >= 0 ? 1 : -1;
        return new(quotient);
    }

    /// <summary>Quotient by an integer, cut toward zero.</summary>
    public LegacyDec QuoInt(BigInteger value) => new(BigInteger.Divide(_scaled, value));

    /// <summary>The integer part, cut toward zero.</summary>
    public BigInteger TruncateInt() => BigInteger.Divide(_scaled, One18);

    /// <summary>This cut toward zero to an integer, as a decimal.</summary>
    public LegacyDec TruncateDec() => new(TruncateInt() * One18);

    /// <summary>The nearest integer, half to even.</summary>
    public BigInteger RoundInt() => ChopRound(_scaled);

    /// <summary>The smallest integer not below this, as a decimal.</summary>
    public LegacyDec Ceil()
    {
        var quotient = BigInteger.DivRem(_scaled, One18, out var remainder);
        if (remainder.IsZero) return this;
        return new((remainder.Sign > 0 ? quotient + 1 : quotient) * One18);
    }

    public static LegacyDec Min(LegacyDec a, LegacyDec b) => a.CompareTo(b) <= 0 ? a : b;

    public static LegacyDec Max(LegacyDec a, LegacyDec b) => a.CompareTo(b) >= 0 ? a : b;

    // Half to even at the 18th digit, symmetric around zero (the SDK's chopPrecisionAndRound).
    private static BigInteger ChopRound(BigInteger value)
    {
        if (value.Sign < 0) return -ChopRound(-value);
        var quotient = BigInteger.DivRem(value, One18, out var remainder);
        if (remainder.IsZero) return quotient;
        int half = remainder.CompareTo(Half18);
        if (half < 0) return quotient;
        if (half > 0) return quotient + 1;
        return quotient.IsEven ? quotient : quotient + 1;
    }

    private static BigInteger ChopRoundUp(BigInteger value)
    {
        if (value.Sign < 0) return -ChopRoundUp(-value);
        var quotient = BigInteger.DivRem(value, One18, out var remainder);
        return remainder.IsZero ? quotient : quotient + 1;
    }

    /// <summary>"-1.500000000000000000": sign, integer part, a point and exactly 18 digits (the SDK's <c>String()</c>).</summary>
    public override string ToString()
    {
        var abs = BigInteger.Abs(_scaled);
        var integer = BigInteger.DivRem(abs, One18, out var fraction);
        return (_scaled.Sign < 0 ? "-" : "") + integer.ToString(CultureInfo.InvariantCulture) + "." +
               fraction.ToString(CultureInfo.InvariantCulture).PadLeft(Precision, '0');
    }

    /// <summary>The wire form: the scaled integer's digits ("0" for zero).</summary>
    public string ToWire() => _scaled.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads the wire form; empty reads as zero (an unset gogoproto customtype field).</summary>
    /// <exception cref="FormatException">Not an integer, or out of range.</exception>
    public static LegacyDec FromWire(string? wire)
    {
        if (string.IsNullOrEmpty(wire)) return Zero;
        int start = wire[0] == '-' ? 1 : 0;
        if (start == wire.Length) throw new FormatException($"decimal \"{wire}\" is not an integer");
        for (int i = start; i < wire.Length; i++)
            if (wire[i] is < '0' or > '9') throw new FormatException($"decimal \"{wire}\" is not an integer");
        try { return new(BigInteger.Parse(wire, CultureInfo.InvariantCulture)); }
        catch (OverflowException) { throw new FormatException($"decimal \"{wire}\" is out of range"); }
    }

    /// <summary>
    /// Reads "1", "0.05", "-2.500000000000000000" (the SDK's <c>LegacyNewDecFromStr</c>): an optional minus, digits, and
    /// at most 18 decimals after a point.
    /// </summary>
    /// <exception cref="FormatException">Anything else.</exception>
    public static LegacyDec Parse(string? text)
    {
        if (!TryParse(text, out var value)) throw new FormatException($"\"{text}\" is not a decimal with at most {Precision} decimals");
        return value;
    }

    public static bool TryParse(string? text, out LegacyDec value)
    {
        value = Zero;
        if (string.IsNullOrEmpty(text)) return false;
        int start = text[0] == '-' ? 1 : 0;
        int point = text.IndexOf('.', start);
        string integer = point < 0 ? text[start..] : text[start..point];
        string fraction = point < 0 ? "" : text[(point + 1)..];
        if (integer.Length == 0 || (point >= 0 && fraction.Length == 0) || fraction.Length > Precision) return false;
        foreach (char c in integer) if (c is < '0' or > '9') return false;
        foreach (char c in fraction) if (c is < '0' or > '9') return false;
        var scaled = BigInteger.Parse(integer + fraction.PadRight(Precision, '0'), CultureInfo.InvariantCulture);
        if (scaled.GetBitLength() > MaxBitLength) return false;
        value = new(start == 1 ? -scaled : scaled);
        return true;
    }

    public bool Equals(LegacyDec other) => _scaled.Equals(other._scaled);

    public override bool Equals(object? obj) => obj is LegacyDec other && Equals(other);

    public override int GetHashCode() => _scaled.GetHashCode();

    public int CompareTo(LegacyDec other) => _scaled.CompareTo(other._scaled);

    public static bool operator ==(LegacyDec a, LegacyDec b) => a.Equals(b);

    public static bool operator !=(LegacyDec a, LegacyDec b) => !a.Equals(b);

    public static bool operator <(LegacyDec a, LegacyDec b) => a.CompareTo(b) < 0;

    public static bool operator >(LegacyDec a, LegacyDec b) => a.CompareTo(b) > 0;

    public static bool operator <=(LegacyDec a, LegacyDec b) => a.CompareTo(b) <= 0;

    public static bool operator >=(LegacyDec a, LegacyDec b) => a.CompareTo(b) >= 0;

    public static LegacyDec operator +(LegacyDec a, LegacyDec b) => a.Add(b);

    public static LegacyDec operator -(LegacyDec a, LegacyDec b) => a.Sub(b);
}
