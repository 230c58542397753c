using DePinChain.Modules.Coverage.Poc;
using DePinChain.Modules.Devices.Geo;

namespace DePinChain.Modules.Coverage.Tests;

public class DensityScalingTests
{
    /// <summary>An independent, recursive, double-precision HIP-17 reference over the same quadtree.</summary>
    private sealed class Reference(IReadOnlyDictionary<ulong, long> counts, IReadOnlyList<DensityLevel> table)
    {
        private readonly Dictionary<(int, ulong), double> _clipped = [];
        private readonly Dictionary<(int, ulong), double> _unclipped = [];
        private readonly HashSet<(int, ulong)> _occupied = counts.Keys
            .SelectMany(cell => Enumerable.Range(0, GeoCell.FinestLevel + 1).Select(level => (level, cell >> (2 * (GeoCell.FinestLevel - level)))))
            .ToHashSet();

        private DensityLevel? LevelOf(int level) => table.Where(t => t.Level == level).Cast<DensityLevel?>().FirstOrDefault();

        private double Clipped(int level, ulong index)
        {
            if (!_occupied.Contains((level, index))) return 0;
            if (level == GeoCell.FinestLevel) return counts[index];
            if (_clipped.TryGetValue((level, index), out var cached)) return cached;
            var children = Enumerable.Range(0, 4).Select(q => Clipped(level + 1, (index << 2) | (uint)q)).ToArray();
            var childTarget = LevelOf(level + 1)?.Target ?? 1;
            var occupied = children.Count(c => c > 0 && c >= childTarget);
            var row = LevelOf(level)!.Value;
            var limit = Math.Min(row.Max, row.Target * Math.Max(occupied - row.SiblingThreshold + 1, 1));
            var unclipped = children.Sum();
            _unclipped[(level, index)] = unclipped;
            return _clipped[(level, index)] = Math.Min(unclipped, limit);
        }

        public double Scale(ulong finest)
        {
            var scale = 1.0;
            foreach (var row in table)
            {
                var index = finest >> (2 * (GeoCell.FinestLevel - row.Level));
                var clipped = Clipped(row.Level, index);
                scale *= clipped / _unclipped[(row.Level, index)];
            }
            return scale;
        }
    }

    private static ulong FinestCell(int lat, int lon) => GeoCell.Containing(new GeoPoint(lat, lon), GeoCell.FinestLevel).Index;

    [Fact]
    public void A_lone_device_keeps_full_scale()
    {
        var cell = FinestCell(52_520_008, 13_404_954);
        var scales = DensityScaling.Compute(new Dictionary<ulong, long> { [cell] = 1 }, DensityScaling.DefaultTable);
        Assert.Equal(RewardUnits.Scale, scales[cell]);
    }

    [Fact]
    public void Three_devices_in_one_finest_cell_share_one_device_worth()
    {
        var cell = FinestCell(52_520_008, 13_404_954);
        var scales = DensityScaling.Compute(new Dictionary<ulong, long> { [cell] = 3 }, DensityScaling.DefaultTable);
        Assert.Equal(RewardUnits.Scale / 3, scales[cell]);
    }

    [Fact]
    public void Random_clusters_match_the_double_reference()
    {
        var random = new Random(17);
        var counts = new Dictionary<ulong, long>();
        // A dense city, a suburb and scattered rural devices.
        for (var i = 0; i < 3_000; i++)
        {
            var spread = i % 3 == 0 ? 20_000 : i % 3 == 1 ? 200_000 : 2_000_000;
            var cell = FinestCell(48_000_000 + random.Next(-spread, spread), 11_000_000 + random.Next(-spread, spread));
            counts[cell] = counts.GetValueOrDefault(cell) + 1;
        }
        var scales = DensityScaling.Compute(counts, DensityScaling.DefaultTable);
        var reference = new Reference(counts, DensityScaling.DefaultTable);
        Assert.Equal(counts.Count, scales.Count);
        var belowOne = 0;
        foreach (var (cell, scale) in scales)
        {
            var expected = reference.Scale(cell);
            Assert.Equal(expected, scale / (double)RewardUnits.Scale, 1e-7);
            if (scale < RewardUnits.Scale) belowOne++;
        }
        Assert.True(belowOne > 0 && belowOne < scales.Count, "a mixed map has both crowded and sparse cells");
    }

    [Fact]
    public void A_table_that_does_not_end_above_the_finest_level_is_refused()
    {
        Assert.Throws<ArgumentException>(() => DensityScaling.Compute(new Dictionary<ulong, long>(), [new DensityLevel(10, 1, 1, 1)]));
        Assert.NotNull(DensityScaling.Validate([new DensityLevel(16, 1, 1, 1), new DensityLevel(17, 1, 5, 1)]));
        Assert.Null(DensityScaling.Validate(DensityScaling.DefaultTable));
    }
}
