using System.Globalization;
using DePinChain.Modules.Devices.Geo;

namespace DePinChain.Fleet;

/// <summary>
/// Decimal text as users type it, converted exactly to the chain's integers: degrees → micro-degrees (6 decimals),
/// dBm / dB → tenths (1 decimal), MHz → Hz (6 decimals). More decimals than the unit holds is an error, never a rounding.
/// </summary>
public static class FixedDecimal
{
    /// <summary>"-95.5" with 1 decimal → -955. Accepts an optional sign, digits, an optional point and at most <paramref name="decimals"/> digits after it.</summary>
    /// <exception cref="FleetException">Not such a number, too many decimals, or out of the long range.</exception>
    public static long Parse(string text, int decimals, string what)
    {
        var s = text.Trim();
        var negative = s.StartsWith('-');
        if (negative || s.StartsWith('+')) s = s[1..];
        var point = s.IndexOf('.');
        var whole = point < 0 ? s : s[..point];
        var fraction = point < 0 ? "" : s[(point + 1)..];
        if ((whole.Length == 0 && fraction.Length == 0) || !whole.All(char.IsAsciiDigit) || !fraction.All(char.IsAsciiDigit) || (point >= 0 && fraction.Length == 0))
            throw new FleetException($"{what}: '{text}' is not a decimal number");
        if (fraction.Length > decimals)
            throw new FleetException($"{what}: '{text}' has {fraction.Length} decimals; at most {decimals}");
        var digits = (whole.Length == 0 ? "0" : whole) + fraction.PadRight(decimals, '0');
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            throw new FleetException($"{what}: '{text}' is out of range");
        return negative ? -value : value;
    }

    /// <summary>Integer units back to decimal text with the given number of decimals ("-955", 1 → "-95.5").</summary>
    public static string Format(long value, int decimals)
    {
        if (decimals == 0) return value.ToString(CultureInfo.InvariantCulture);
        var scale = (long)Math.Pow(10, decimals);
        var magnitude = Math.Abs(value);
        return $"{(value < 0 ? "-" : "")}{magnitude / scale}.{(magnitude % scale).ToString(CultureInfo.InvariantCulture).PadLeft(decimals, '0')}";
    }

    /// <summary>Decimal degrees with at most 6 decimals → micro-degrees; latitude within ±90°.</summary>
    public static int LatitudeMicro(string text, string what = "latitude")
    {
        var micro = Parse(text, 6, what);
        return micro is >= -GeoPoint.MaxLatitudeMicro and <= GeoPoint.MaxLatitudeMicro
            ? (int)micro
            : throw new FleetException($"{what}: {text} is outside -90..90 degrees");
    }

    /// <summary>Decimal degrees with at most 6 decimals → micro-degrees; longitude within ±180°.</summary>
    public static int LongitudeMicro(string text, string what = "longitude")
    {
        var micro = Parse(text, 6, what);
        return micro is >= -GeoPoint.MaxLongitudeMicro and <= GeoPoint.MaxLongitudeMicro
            ? (int)micro
            : throw new FleetException($"{what}: {text} is outside -180..180 degrees");
    }

    /// <summary>"LAT,LON" in decimal degrees (6 decimals at most) → a point.</summary>
    public static GeoPoint Point(string text, string what)
    {
        var parts = text.Split(',');
        if (parts.Length != 2)
            throw new FleetException($"{what}: '{text}' is not LAT,LON in decimal degrees");
        return new GeoPoint(LatitudeMicro(parts[0], $"{what} latitude"), LongitudeMicro(parts[1], $"{what} longitude"));
    }

    /// <summary>Tenths (dBm, dB) from text with at most one decimal, within the int range the reports carry.</summary>
    public static int Tenths(string text, string what)
    {
        var tenths = Parse(text, 1, what);
        return tenths is >= -10_000 and <= 10_000 ? (int)tenths : throw new FleetException($"{what}: {text} is outside ±1000.0");
    }

    /// <summary>MHz with at most 6 decimals → Hz, positive.</summary>
    public static long MegahertzToHz(string text, string what)
    {
        var hz = Parse(text, 6, what);
        return hz > 0 ? hz : throw new FleetException($"{what}: {text} MHz is not a positive frequency");
    }
}

/// <summary>One usual LoRaWAN uplink channel per frequency plan, inside the band the chain checks (<see cref="Regions.Band"/>).</summary>
public static class Channels
{
    public static long Default(Region region) => region switch
    {
        Region.US915 => 903_900_000,
        Region.EU868 => 868_100_000,
        Region.AS923 => 923_200_000,
        Region.AU915 => 916_800_000,
        Region.IN865 => 865_062_500,
        Region.KR920 => 922_100_000,
        Region.CN470 => 486_300_000,
        Region.RU864 => 868_900_000,
        _ => throw new FleetException("the location has no frequency plan (region unknown); pass a frequency"),
    };

    /// <summary>Channel <paramref name="index"/> (0..7) of the plan: the default channel plus 200 kHz steps, folded back into the band.</summary>
    public static long Channel(Region region, int index)
    {
        var (min, max) = Regions.Band(region);
        var hz = Default(region) + 200_000L * index;
        return hz <= max ? hz : Math.Max(min, Default(region) - 200_000L * index);
    }
}
