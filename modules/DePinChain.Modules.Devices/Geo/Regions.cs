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
/// | # | region | latitude        | longitude         | covers (roughly)                 |
/// |---|--------|-----------------|-------------------|----------------------------------|
/// | 1 | KR920  | 33° .. 39°      | 124° .. 130°      | South Korea                      |
/// | 2 | IN865  | 6° .. 36°       | 68° .. 90°        | India                            |
/// | 3 | CN470  | 18° .. 54°      | 73° .. 124°       | China (after India, Korea)       |
/// | 4 | AU915  | −48° .. −10°    | 110° .. 180°      | Australia, New Zealand           |
/// | 5 | AS923  | −11° .. 46°     | 90° .. 155°       | South-East Asia, Japan, Taiwan   |
/// | 6 | RU864  | 51° .. 82°      | 32° .. 180°       | Russia (north-east of Europe)    |
/// | 7 | EU868  | 34° .. 72°      | −25° .. 45°       | Europe                           |
/// | 8 | EU868  | −35° .. 34°     | −20° .. 55°       | Africa, Middle East              |
/// | 9 | AU915  | −56° .. 13°     | −82° .. −34°      | South America (AU915 as Brazil)  |
/// |10 | US915  | 13° .. 72°      | −170° .. −50°     | North and Central America        |
/// Anything else (open ocean, Antarctica) is <see cref="Region.Unknown"/>: such a device may be
/// located but cannot take part in proof of coverage.
/// </summary>
public static class Regions
{
    private readonly record struct Box(Region Region, int MinLatDeg, int MaxLatDeg, int MinLonDeg, int MaxLonDeg);

    private static readonly Box[] Table =
    [
        new(Region.KR920, 33, 39, 124, 130),
        new(Region.IN865, 6, 36, 68, 90),
        new(Region.CN470, 18, 54, 73, 124),
        new(Region.AU915, -48, -10, 110, 180),
        new(Region.AS923, -11, 46, 90, 155),
        new(Region.RU864, 51, 82, 32, 180),
        new(Region.EU868, 34, 72, -25, 45),
        new(Region.EU868, -35, 34, -20, 55),
        new(Region.AU915, -56, 13, -82, -34),
        new(Region.US915, 13, 72, -170, -50),
    ];

    public static Region Of(GeoPoint point)
    {
        foreach (var box in Table)
        {
            if (point.LatitudeMicro >= box.MinLatDeg * 1_000_000L && point.LatitudeMicro < box.MaxLatDeg * 1_000_000L &&
                point.LongitudeMicro >= box.MinLonDeg * 1_000_000L && point.LongitudeMicro < box.MaxLonDeg * 1_000_000L)
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
