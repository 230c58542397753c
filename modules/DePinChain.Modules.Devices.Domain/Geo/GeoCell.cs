namespace DePinChain.Modules.Devices.Geo;

/// <summary>
/// A cell of the deterministic hierarchical grid over micro-degree coordinates: a quadtree on the
/// equirectangular plane. At level L the world is 2^L columns (360°/2^L of longitude each) by 2^L rows
/// (180°/2^L of latitude each); column = ⌊(lon + 180°)·2^L / 360°⌋, row = ⌊(lat + 90°)·2^L / 180°⌋,
/// computed exactly in integers (+180° counts as −180°, +90° falls in the top row).
/// A cell's index is the Morton (Z-order) interleave of row and column, so the children of a cell are
/// its index·4 + {0..3}, its parent is index / 4, and all descendants of a cell at a finer level form
/// one contiguous index range (which makes "devices in a cell" a single prefix/range scan).
/// Packed as level·2^56 + Morton index. Sizes at the equator: level 10 ≈ 39 × 20 km,
/// level 13 ≈ 4.9 × 2.4 km, level 16 ≈ 611 × 305 m, level 18 ≈ 153 × 76 m.
/// </summary>
public readonly record struct GeoCell(int Level, ulong Index) : IComparable<GeoCell>
{
    public const int MaxLevel = 28;
    /// <summary>The level every device's location is indexed at.</summary>
    public const int FinestLevel = 18;

    public static GeoCell Containing(GeoPoint point, int level)
    {
        if (level is < 0 or > MaxLevel)
            throw new ArgumentOutOfRangeException(nameof(level), level, $"grid level must be within 0..{MaxLevel}");
        if (!point.IsValid)
            throw new ArgumentOutOfRangeException(nameof(point), point, "coordinates out of range");
        long lon = point.LongitudeMicro == GeoPoint.MaxLongitudeMicro ? -GeoPoint.MaxLongitudeMicro : point.LongitudeMicro;
        var size = 1L << level;
        var column = (lon + GeoPoint.MaxLongitudeMicro) * size / (2L * GeoPoint.MaxLongitudeMicro);
        var row = Math.Min((point.LatitudeMicro + (long)GeoPoint.MaxLatitudeMicro) * size / (2L * GeoPoint.MaxLatitudeMicro), size - 1);
        return new GeoCell(level, Interleave((ulong)column, (ulong)row));
    }

    public GeoCell Parent => Level == 0
        ? throw new InvalidOperationException("the level-0 cell has no parent")
        : new GeoCell(Level - 1, Index >> 2);

    /// <summary>The ancestor at a coarser (or the same) level.</summary>
    public GeoCell AncestorAt(int level)
    {
        if (level < 0 || level > Level)
            throw new ArgumentOutOfRangeException(nameof(level), level, $"ancestor level must be within 0..{Level}");
        return new GeoCell(level, Index >> (2 * (Level - level)));
    }

    public GeoCell Child(int quadrant) => Level >= MaxLevel || quadrant is < 0 or > 3
        ? throw new ArgumentOutOfRangeException(nameof(quadrant), "no such child")
        : new GeoCell(Level + 1, (Index << 2) | (uint)quadrant);

    /// <summary>The contiguous index range [first, last] of this cell's descendants at a finer level.</summary>
    public (ulong First, ulong Last) DescendantRange(int level)
    {
        if (level < Level || level > MaxLevel)
            throw new ArgumentOutOfRangeException(nameof(level), level, $"descendant level must be within {Level}..{MaxLevel}");
        var shift = 2 * (level - Level);
        return (Index << shift, ((Index + 1) << shift) - 1);
    }

    /// <summary>The cell's edges in micro-degrees (south and west inclusive; rounded down where a level's cell size is not
    /// a whole number of micro-degrees).</summary>
    public (int SouthMicro, int WestMicro, int NorthMicro, int EastMicro) BoundsMicro()
    {
        long size = 1L << Level;
        long column = (long)Compact(Index), row = (long)Compact(Index >> 1);
        long lonSpan = 2L * GeoPoint.MaxLongitudeMicro, latSpan = 2L * GeoPoint.MaxLatitudeMicro;
        return ((int)(row * latSpan / size - GeoPoint.MaxLatitudeMicro), (int)(column * lonSpan / size - GeoPoint.MaxLongitudeMicro),
            (int)((row + 1) * latSpan / size - GeoPoint.MaxLatitudeMicro), (int)((column + 1) * lonSpan / size - GeoPoint.MaxLongitudeMicro));
    }

    public ulong Packed => ((ulong)Level << 56) | Index;

    public static GeoCell FromPacked(ulong packed)
    {
        var level = (int)(packed >> 56);
        var index = packed & ((1UL << 56) - 1);
        if (level > MaxLevel || (level < MaxLevel && index >> (2 * level) != 0))
            throw new ArgumentException($"0x{packed:x16} is not a valid grid cell", nameof(packed));
        return new GeoCell(level, index);
    }

    public int CompareTo(GeoCell other) => Packed.CompareTo(other.Packed);

    public override string ToString() => $"L{Level}:{Index:x}";

    private static ulong Interleave(ulong column, ulong row) => Spread(column) | (Spread(row) << 1);

    /// <summary>The inverse of <see cref="Spread"/>: every other bit, packed.</summary>
    private static ulong Compact(ulong v)
    {
        v &= 0x5555555555555555;
        v = (v | (v >> 1)) & 0x3333333333333333;
        v = (v | (v >> 2)) & 0x0F0F0F0F0F0F0F0F;
        v = (v | (v >> 4)) & 0x00FF00FF00FF00FF;
        v = (v | (v >> 8)) & 0x0000FFFF0000FFFF;
        v = (v | (v >> 16)) & 0x00000000FFFFFFFF;
        return v;
    }

    private static ulong Spread(ulong v)
    {
        v &= 0xFFFFFFFF;
        v = (v | (v << 16)) & 0x0000FFFF0000FFFF;
        v = (v | (v << 8)) & 0x00FF00FF00FF00FF;
        v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0F;
        v = (v | (v << 2)) & 0x3333333333333333;
        v = (v | (v << 1)) & 0x5555555555555555;
        return v;
    }
}
