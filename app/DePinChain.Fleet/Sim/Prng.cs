namespace DePinChain.Fleet.Sim;

/// <summary>
/// SplitMix64: a small, fully specified generator, so a seed gives the same world on every platform and runtime
/// version (System.Random's seeded sequence is an implementation detail). Integer draws only; callers that need
/// doubles for geometry take <see cref="NextUnit"/>.
/// </summary>
public sealed class Prng(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, n) (n ≥ 1), without modulo bias worth speaking of for the ranges used here (n ≪ 2^32).</summary>
    public int Next(int n) => n <= 1 ? 0 : (int)((NextUInt64() >> 32) * (ulong)n >> 32);

    /// <summary>Uniform in [min, max).</summary>
    public int Next(int min, int max) => min + Next(max - min);

    /// <summary>Uniform in [0, 1) with 53 bits.</summary>
    public double NextUnit() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>True with probability permille / 1000.</summary>
    public bool Chance(int permille) => Next(1000) < permille;

    /// <summary>
    /// An approximately normal integer with mean 0 and standard deviation <paramref name="sigma"/>, integer-only and from
    /// one draw: the sum of its four 16-bit parts (Irwin–Hall with 4 uniforms: bell-shaped, bounded at ±3.46σ).
    /// </summary>
    public int Gaussian(int sigma)
    {
        var x = NextUInt64();
        long sum = (long)(x & 0xFFFF) + (long)((x >> 16) & 0xFFFF) + (long)((x >> 32) & 0xFFFF) + (long)(x >> 48);
        // Mean 4 · 32767.5, standard deviation √(4/12) · 65536 = 37837.
        return (int)((2 * sum - 262_140) * sigma / 75_674);
    }

    /// <summary>A generator for one purpose, independent of how many draws others made: seed ‖ label ‖ index hashed.</summary>
    public static Prng For(ulong seed, string label, long index = 0)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes($"{seed}/{label}/{index}");
        var hash = Crypto.Hashes.Sha256(bytes);
        return new Prng(BitConverter.ToUInt64(hash, 0));
    }
}
