namespace DePinChain.Modules.Devices.Geo;

/// <summary>LoRaWAN frequency plans. Values are stored on chain: never renumber.</summary>
public enum Region
{
    Unknown = 0,
    US915 = 1,
    EU868 = 2,
    AS923 = 3,
    AU915 = 4,
    IN865 = 5,
    KR920 = 6,
    CN470 = 7,
    RU864 = 8,
}

/// <summary>
/// The region of a location, from a fixed table of latitude/longitude boxes checked in order (first
/// match wins; boxes are half-open [min, max) in micro-degrees). Deliberately coarse and public: it
/// decides which frequency plan a device must beacon in and that beacon and witness share a plan.
///
/// | #  | region | latitude        | longitude         | covers (roughly)                                   |
/// |----|--------|-----------------|-------------------|----------------------------------------------------|
/// | 1  | KR920  | 33° .. 39°      | 124° .. 130°      | South Korea                                        |
/// | 2  | AS923  | 21° .. 25.5°    | 119.2° .. 122.5°  | Taiwan, Penghu (before China)                      |
/// | 3  | AS923  | 22.15° .. 22.5° | 113.82° .. 114.45°| Hong Kong (before China)                           |
/// | 4  | AS923  | 9° .. 21.5°     | 94° .. 108.5°     | Myanmar, Laos, Vietnam south of China (not Hainan) |
/// | 5  | IN865  | 6° .. 36°       | 68° .. 90°        | India                                              |
/// | 6  | CN470  | 18° .. 54°      | 73° .. 124°       | China (after India, Korea and the boxes above)     |
/// | 7  | AU915  | −48° .. −10°    | 110° .. 180°      | Australia, New Zealand                             |
/// | 8  | AS923  | −11° .. 46°     | 90° .. 155°       | South-East Asia, Japan                             |
/// | 9  | RU864  | 51° .. 82°      | 32° .. 180°       | Russia (north-east of Europe)                      |
/// | 10 | EU868  | 34° .. 72°      | −25° .. 45°       | Europe                                             |
/// | 11 | EU868  | −35° .. 34°     | −20° .. 55°       | Africa, Middle East                                |
/// | 12 | AU915  | −56° .. 13°     | −82° .. −34°      | South America (AU915 as Brazil)                    |
/// | 13 | US915  | 13° .. 72°      | −170° .. −50°     | North and Central America                          |
/// Anything else (open ocean, Antarctica) is <see cref="Region.Unknown"/>: such a device may be
/// located but cannot take part in proof of coverage.
///
/// Known coarse spots (boxes, not borders; a device keeps the region derived when it asserted its location):
/// Pakistan and Nepal fall in IN865 and Bangladesh, Bhutan, northern Myanmar and Mongolia in CN470 (their
/// plans are AS923 or others); eastern Kazakhstan and Kyrgyzstan fall in CN470 and western Kazakhstan,
/// Central Asia and the Caucasus east of 45° are Unknown; Belarus, Ukraine and the Baltics follow EU868
/// below 51° or west of 32°, RU864 above; Greenland east of −50° is Unknown, west of it US915; Alaska west of
/// −170° and Pacific islands outside the boxes are Unknown; Mexico, Central America and the Caribbean are US915,
/// South America north of 13° N is US915. Borders inside the boxes above are approximate to ~0.1°.
/// Changing the table only affects locations asserted afterwards.
/// </summary>
public static class Regions
{
    private readonly record struct Box(Region Region, int MinLatMicro, int MaxLatMicro, int MinLonMicro, int MaxLonMicro);

    private const int Degree = 1_000_000;

    private static readonly Box[] Table =
    [
        new(Region.KR920, 33 * Degree, 39 * Degree, 124 * Degree, 130 * Degree),
        new(Region.AS923, 21 * Degree, 25_500_000, 119_200_000, 122_500_000),
        new(Region.AS923, 22_150_000, 22_500_000, 113_820_000, 114_450_000),
        new(Region.AS923, 9 * Degree, 21_500_000, 94 * Degree, 108_500_000),
        new(Region.IN865, 6 * Degree, 36 * Degree, 68 * Degree, 90 * Degree),
        new(Region.CN470, 18 * Degree, 54 * Degree, 73 * Degree, 124 * Degree),
        new(Region.AU915, -48 * Degree, -10 * Degree, 110 * Degree, 180 * Degree),
        new(Region.AS923, -11 * Degree, 46 * Degree, 90 * Degree, 155 * Degree),
        new(Region.RU864, 51 * Degree, 82 * Degree, 32 * Degree, 180 * Degree),
        new(Region.EU868, 34 * Degree, 72 * Degree, -25 * Degree, 45 * Degree),
        new(Region.EU868, -35 * Degree, 34 * Degree, -20 * Degree, 55 * Degree),
        new(Region.AU915, -56 * Degree, 13 * Degree, -82 * Degree, -34 * Degree),
        new(Region.US915, 13 * Degree, 72 * Degree, -170 * Degree, -50 * Degree),
    ];

    public static Region Of(GeoPoint point)
    {
        foreach (var box in Table)
        {
            if (point.LatitudeMicro >= box.MinLatMicro && point.LatitudeMicro < box.MaxLatMicro &&
                point.LongitudeMicro >= box.MinLonMicro && point.LongitudeMicro < box.MaxLonMicro)
                return box.Region;
        }
        return Region.Unknown;
    }

    /// <summary>
    /// The band a beacon's frequency must fall in, in Hz (inclusive): the LoRaWAN regional parameters'
    /// overall band per plan. Unknown has no band.
    /// </summary>
    public static (long MinHz, long MaxHz) Band(Region region) => region switch
    {
        Region.US915 => (902_000_000, 928_000_000),
        Region.EU868 => (863_000_000, 870_000_000),
        Region.AS923 => (915_000_000, 928_000_000),
        Region.AU915 => (915_000_000, 928_000_000),
        Region.IN865 => (865_000_000, 867_000_000),
        Region.KR920 => (920_000_000, 923_000_000),
        Region.CN470 => (470_000_000, 510_000_000),
        Region.RU864 => (864_000_000, 870_000_000),
        _ => (0, -1),
    };

    public static bool InBand(Region region, long frequencyHz)
    {
        var (min, max) = Band(region);
        return frequencyHz >= min && frequencyHz <= max;
    }
}
