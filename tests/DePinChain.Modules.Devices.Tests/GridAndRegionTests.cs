using DePinChain.Modules.Devices.Geo;

namespace DePinChain.Modules.Devices.Tests;

public class GridAndRegionTests
{
    [Fact]
    public void A_cell_contains_exactly_its_four_children_and_they_name_it_as_parent()
    {
        var cell = GeoCell.Containing(new GeoPoint(52_520_008, 13_404_954), 12);
        var (first, last) = cell.DescendantRange(13);
        Assert.Equal(3UL, last - first);
        for (var q = 0; q < 4; q++)
        {
            var child = cell.Child(q);
            Assert.Equal(cell, child.Parent);
            Assert.InRange(child.Index, first, last);
        }
    }

    [Fact]
    public void A_point_falls_in_the_ancestors_of_its_finest_cell_at_every_level()
    {
        var random = new Random(1);
        for (var i = 0; i < 1_000; i++)
        {
            var point = new GeoPoint(random.Next(-90_000_000, 90_000_001), random.Next(-180_000_000, 180_000_001));
            var finest = GeoCell.Containing(point, GeoCell.FinestLevel);
            for (var level = 0; level <= GeoCell.FinestLevel; level++)
            {
                var cell = GeoCell.Containing(point, level);
                Assert.Equal(cell, finest.AncestorAt(level));
                var (first, last) = cell.DescendantRange(GeoCell.FinestLevel);
                Assert.InRange(finest.Index, first, last);
            }
        }
    }

    [Fact]
    public void Cell_bounds_follow_the_equirectangular_division()
    {
        // Level 1: columns split at lon 0, rows at lat 0; Morton index = column bit | row bit << 1.
        Assert.Equal(0UL, GeoCell.Containing(new GeoPoint(-1, -1), 1).Index);
        Assert.Equal(1UL, GeoCell.Containing(new GeoPoint(-1, 0), 1).Index);
        Assert.Equal(2UL, GeoCell.Containing(new GeoPoint(0, -1), 1).Index);
        Assert.Equal(3UL, GeoCell.Containing(new GeoPoint(0, 0), 1).Index);
    }

    [Fact]
    public void Poles_and_the_antimeridian_land_in_valid_cells()
    {
        var north = GeoCell.Containing(new GeoPoint(90_000_000, 0), GeoCell.FinestLevel);
        var south = GeoCell.Containing(new GeoPoint(-90_000_000, 0), GeoCell.FinestLevel);
        Assert.Equal(north, GeoCell.FromPacked(north.Packed));
        Assert.Equal(south, GeoCell.FromPacked(south.Packed));
        // +180° is the same meridian as −180°.
        Assert.Equal(GeoCell.Containing(new GeoPoint(10_000_000, -180_000_000), 10), GeoCell.Containing(new GeoPoint(10_000_000, 180_000_000), 10));
    }

    [Fact]
    public void Packed_cells_round_trip_and_invalid_ones_are_refused()
    {
        var cell = GeoCell.Containing(new GeoPoint(-33_868_820, 151_209_296), 15);
        Assert.Equal(cell, GeoCell.FromPacked(cell.Packed));
        Assert.Throws<ArgumentException>(() => GeoCell.FromPacked((2UL << 56) | 16)); // index too large for level 2
        Assert.Throws<ArgumentException>(() => GeoCell.FromPacked(29UL << 56));
        Assert.Throws<ArgumentOutOfRangeException>(() => GeoCell.Containing(new GeoPoint(90_000_001, 0), 3));
    }

    [Theory]
    [InlineData(40_712_776, -74_005_974, Region.US915)]   // New York
    [InlineData(19_432_608, -99_133_208, Region.US915)]   // Mexico City
    [InlineData(52_520_008, 13_404_954, Region.EU868)]    // Berlin
    [InlineData(-1_292_066, 36_821_946, Region.EU868)]    // Nairobi
    [InlineData(37_566_535, 126_977_969, Region.KR920)]   // Seoul
    [InlineData(19_075_984, 72_877_656, Region.IN865)]    // Mumbai
    [InlineData(-33_868_820, 151_209_296, Region.AU915)]  // Sydney
    [InlineData(-23_550_520, -46_633_308, Region.AU915)]  // São Paulo
    [InlineData(35_689_487, 139_691_706, Region.AS923)]   // Tokyo
    [InlineData(1_352_083, 103_819_836, Region.AS923)]    // Singapore
    [InlineData(39_904_200, 116_407_396, Region.CN470)]   // Beijing
    [InlineData(22_543_096, 114_057_865, Region.CN470)]   // Shenzhen
    [InlineData(25_033_964, 121_564_468, Region.AS923)]   // Taipei
    [InlineData(22_319_304, 114_169_361, Region.AS923)]   // Hong Kong
    [InlineData(21_027_764, 105_834_160, Region.AS923)]   // Hanoi
    [InlineData(16_840_939, 96_173_526, Region.AS923)]    // Yangon
    [InlineData(20_044_412, 110_198_286, Region.CN470)]   // Haikou, Hainan
    [InlineData(24_479_833, 118_089_425, Region.CN470)]   // Xiamen
    [InlineData(55_755_826, 37_617_300, Region.RU864)]    // Moscow
    [InlineData(0, -30_000_000, Region.Unknown)]          // mid Atlantic
    [InlineData(-90_000_000, 0, Region.Unknown)]          // South Pole
    public void Regions_follow_the_documented_table(int lat, int lon, Region expected) =>
        Assert.Equal(expected, Regions.Of(new GeoPoint(lat, lon)));

    [Fact]
    public void Each_known_region_has_a_band_and_unknown_has_none()
    {
        foreach (var region in Enum.GetValues<Region>())
        {
            var (min, max) = Regions.Band(region);
            Assert.Equal(region != Region.Unknown, min <= max);
        }
        Assert.True(Regions.InBand(Region.EU868, 868_100_000));
        Assert.False(Regions.InBand(Region.EU868, 915_000_000));
        Assert.False(Regions.InBand(Region.Unknown, 915_000_000));
    }
}
