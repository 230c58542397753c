using DePinChain.Modules.Devices.Geo;

namespace DePinChain.Modules.Coverage.Poc;

/// <summary>One level of the density table: HIP-17's (resolution, N, target, max) on our grid.</summary>
public readonly record struct DensityLevel(int Level, int SiblingThreshold, long Target, long Max);

/// <summary>
/// HIP-17-style density scaling of crowded cells, integer-only, on the <see cref="GeoCell"/> quadtree.
/// Devices are counted in their finest cell (level 18). Then, from the finest table level up to the
/// coarsest, for each occupied cell c at level L:
///   unclipped(c) = Σ clipped(children of c)        (a level-18 child's clipped value is its device count)
///   occupied(c)  = number of children whose clipped value ≥ the child level's target (1 for level 18)
///   limit(c)     = min(max(L), target(L) · max(occupied(c) − N(L) + 1, 1))
///   clipped(c)   = min(unclipped(c), limit(c))
/// A device's scale is Π over its ancestors in the table of clipped/unclipped, floored after each factor;
/// every device in the same level-18 cell shares it. A sparse area keeps scale 1; a crowded cell scales
/// its beacons down so its devices together earn what the target number would.
///
/// Default table (the HIP-17 numbers; levels 11..17 stand in for H3 resolutions 4..10, whose cells
/// they roughly match in area at mid latitudes):
/// | level | cell at equator  | N | target | max |
/// |-------|------------------|---|--------|-----|
/// | 11    | 19.6 × 9.8 km    | 1 | 250    | 800 |
/// | 12    | 9.8 × 4.9 km     | 1 | 100    | 400 |
/// | 13    | 4.9 × 2.4 km     | 1 | 25     | 100 |
/// | 14    | 2.4 × 1.2 km     | 2 | 5      | 20  |
/// | 15    | 1.2 km × 611 m   | 2 | 1      | 4   |
/// | 16    | 611 × 305 m      | 2 | 1      | 2   |
/// | 17    | 306 × 153 m      | 2 | 1      | 1   |
/// Worked example: three devices in one level-18 cell, nobody else near. Level 17: unclipped 3,
/// occupied children 1, limit min(1, 1·max(1−2+1, 1)) = 1, clipped 1 → factor 1/3. Level 16: its only
/// occupied child has clipped 1 ≥ target 1, so occupied 1, limit min(2, 1) = 1, unclipped 1 → factor 1.
/// Same above. Each of the three devices gets scale 0.333333333.
/// </summary>
public static class DensityScaling
{
    public static readonly IReadOnlyList<DensityLevel> DefaultTable =
    [
        new(11, 1, 250, 800),
        new(12, 1, 100, 400),
        new(13, 1, 25, 100),
        new(14, 2, 5, 20),
        new(15, 2, 1, 4),
        new(16, 2, 1, 2),
        new(17, 2, 1, 1),
    ];

    /// <summary>Null when the table is usable: contiguous levels, coarsest first, ending just above <see cref="GeoCell.FinestLevel"/>, positive numbers.</summary>
    public static string? Validate(IReadOnlyList<DensityLevel> table)
    {
        if (table.Count == 0) return "density table is empty";
        for (var i = 0; i < table.Count; i++)
        {
            var level = table[i];
            if (level.Level != table[^1].Level - (table.Count - 1 - i)) return "density levels must be contiguous, coarsest first";
            if (level.SiblingThreshold < 1 || level.Target < 1 || level.Max < level.Target) return $"level {level.Level}: need N ≥ 1 and 1 ≤ target ≤ max";
        }
        return table[^1].Level == GeoCell.FinestLevel - 1 ? null : $"the finest density level must be {GeoCell.FinestLevel - 1}";
    }

    /// <summary>
    /// Scale per occupied finest cell (Morton index at <see cref="GeoCell.FinestLevel"/> → fixed-point scale),
    /// from device counts per finest cell. Deterministic: only sorted collections are iterated.
    /// </summary>
    public static SortedDictionary<ulong, long> Compute(IReadOnlyDictionary<ulong, long> devicesPerFinestCell, IReadOnlyList<DensityLevel> table)
    {
        var problem = Validate(table);
        if (problem is not null) throw new ArgumentException(problem, nameof(table));

        // clipped and unclipped per cell, one sorted map per level; the finest level holds raw counts.
        var clipped = new SortedDictionary<ulong, long>(devicesPerFinestCell.Where(kv => kv.Value > 0).ToDictionary(kv => kv.Key, kv => kv.Value));
        var childTarget = 1L;
        var factors = new List<SortedDictionary<ulong, (long Clipped, long Unclipped)>>(table.Count);
        for (var i = table.Count - 1; i >= 0; i--)
        {
            var level = table[i];
            var parents = new SortedDictionary<ulong, (long Unclipped, long Occupied)>();
            foreach (var (child, value) in clipped)
            {
                var parent = child >> 2;
                parents.TryGetValue(parent, out var acc);
                parents[parent] = (acc.Unclipped + value, acc.Occupied + (value >= childTarget ? 1 : 0));
            }
            var levelFactors = new SortedDictionary<ulong, (long, long)>();
            var next = new SortedDictionary<ulong, long>();
            foreach (var (parent, (unclipped, occupied)) in parents)
            {
                var limit = Math.Min(level.Max, level.Target * Math.Max(occupied - level.SiblingThreshold + 1, 1));
                var value = Math.Min(unclipped, limit);
                next[parent] = value;
                levelFactors[parent] = (value, unclipped);
            }
            factors.Add(levelFactors); // finest table level first
            clipped = next;
            childTarget = level.Target;
        }

        var result = new SortedDictionary<ulong, long>();
        foreach (var cell in devicesPerFinestCell.Keys.Order())
        {
            if (devicesPerFinestCell[cell] <= 0) continue;
            var scale = RewardUnits.Scale;
            var index = cell;
            foreach (var levelFactors in factors)
            {
                index >>= 2;
                var (c, u) = levelFactors[index];
                scale = scale * c / u;
            }
            result[cell] = scale;
        }
        return result;
    }
}
