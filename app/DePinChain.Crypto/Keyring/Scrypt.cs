using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace DePinChain.Crypto.Keyring;

/// <summary>
/// scrypt (RFC 7914): PBKDF2-HMAC-SHA256 around ROMix, whose BlockMix uses the Salsa20/8 core.
/// The BCL has PBKDF2 but no scrypt; the keyring uses it so that guessing a passphrase costs memory.
/// </summary>
public static class Scrypt
{
    /// <summary>Cost used for new keyring files: N = 2^15, r = 8, p = 1 (32 MiB, about 0.1 s).</summary>
    public static readonly ScryptParameters Default = new(1 << 15, 8, 1);

    /// <summary>Upper bound accepted when reading parameters back from a file (1 GiB of memory).</summary>
    public const long MaxMemoryBytes = 1L << 30;

    public static byte[] DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, ScryptParameters parameters, int length)
    {
        parameters.Validate();
        if (length <= 0)
            throw new ArgumentOutOfRangeException(nameof(length), length, "derived key length must be positive");

        int r = parameters.R;
        int blockBytes = 128 * r;
        byte[] b = Rfc2898DeriveBytes.Pbkdf2(password, salt, 1, HashAlgorithmName.SHA256, checked(parameters.P * blockBytes));

        int words = 32 * r;
        var x = new uint[words];
        var v = new uint[checked(parameters.N * words)];
        var scratch = new uint[words];
        for (int i = 0; i < parameters.P; i++)
        {
            Span<byte> chunk = b.AsSpan(i * blockBytes, blockBytes);
            for (int w = 0; w < words; w++)
                x[w] = BinaryPrimitives.ReadUInt32LittleEndian(chunk[(4 * w)..]);
            RoMix(x, v, scratch, r, parameters.N);
            for (int w = 0; w < words; w++)
                BinaryPrimitives.WriteUInt32LittleEndian(chunk[(4 * w)..], x[w]);
        }

        byte[] key = Rfc2898DeriveBytes.Pbkdf2(password, b, 1, HashAlgorithmName.SHA256, length);
        CryptographicOperations.ZeroMemory(b);
        Array.Clear(v);
        Array.Clear(x);
        return key;
    }

    private static void RoMix(uint[] x, uint[] v, uint[] scratch, int r, int n)
    {
        int words = 32 * r;
        for (int i = 0; i < n; i++)
        {
            Array.Copy(x, 0, v, i * words, words);
            BlockMix(x, scratch, r);
        }
        for (int i = 0; i < n; i++)
        {
            // Integerify: the first word of the last 64-byte block; N is a power of two.
            int j = (int)(x[(2 * r - 1) * 16] & (uint)(n - 1));
            int offset = j * words;
            for (int w = 0; w < words; w++)
                x[w] ^= v[offset + w];
            BlockMix(x, scratch, r);
        }
    }

    /// <summary>BlockMix: chain Salsa20/8 over the 2r 64-byte blocks, even outputs first, then odd.</summary>
    private static void BlockMix(uint[] b, uint[] y, int r)
    {
        Span<uint> t = stackalloc uint[16];
        b.AsSpan((2 * r - 1) * 16, 16).CopyTo(t);
        for (int i = 0; i < 2 * r; i++)
        {
            ReadOnlySpan<uint> block = b.AsSpan(i * 16, 16);
            for (int w = 0; w < 16; w++)
                t[w] ^= block[w];
            Salsa208(t);
            int destination = (i % 2 == 0 ? i / 2 : r + i / 2) * 16;
            t.CopyTo(y.AsSpan(destination, 16));
        }
        y.AsSpan(0, 32 * r).CopyTo(b);
    }

    /// <summary>The Salsa20/8 core on 16 little-endian words, in place.</summary>
    public static void Salsa208(Span<uint> block)
    {
        if (block.Length != 16)
            throw new ArgumentException("Salsa20/8 works on 16 words", nameof(block));
        Span<uint> x = stackalloc uint[16];
        block.CopyTo(x);
        for (int round = 0; round < 8; round += 2)
        {
            x[4] ^= BitOperations.RotateLeft(x[0] + x[12], 7); x[8] ^= BitOperations.RotateLeft(x[4] + x[0], 9);
            x[12] ^= BitOperations.RotateLeft(x[8] + x[4], 13); x[0] ^= BitOperations.RotateLeft(x[12] + x[8], 18);
            x[9] ^= BitOperations.RotateLeft(x[5] + x[1], 7); x[13] ^= BitOperations.RotateLeft(x[9] + x[5], 9);
            x[1] ^= BitOperations.RotateLeft(x[13] + x[9], 13); x[5] ^= BitOperations.RotateLeft(x[1] + x[13], 18);
            x[14] ^= BitOperations.RotateLeft(x[10] + x[6], 7); x[2] ^= BitOperations.RotateLeft(x[14] + x[10], 9);
            x[6] ^= BitOperations.RotateLeft(x[2] + x[14], 13); x[10] ^= BitOperations.RotateLeft(x[6] + x[2], 18);
            x[3] ^= BitOperations.RotateLeft(x[15] + x[11], 7); x[7] ^= BitOperations.RotateLeft(x[3] + x[15], 9);
            x[11] ^= BitOperations.RotateLeft(x[7] + x[3], 13); x[15] ^= BitOperations.RotateLeft(x[11] + x[7], 18);
            x[1] ^= BitOperations.RotateLeft(x[0] + x[3], 7); x[2] ^= BitOperations.RotateLeft(x[1] + x[0], 9);
            x[3] ^= BitOperations.RotateLeft(x[2] + x[1], 13); x[0] ^= BitOperations.RotateLeft(x[3] + x[2], 18);
            x[6] ^= BitOperations.RotateLeft(x[5] + x[4], 7); x[7] ^= BitOperations.RotateLeft(x[6] + x[5], 9);
            x[4] ^= BitOperations.RotateLeft(x[7] + x[6], 13); x[5] ^= BitOperations.RotateLeft(x[4] + x[7], 18);
            x[11] ^= BitOperations.RotateLeft(x[10] + x[9], 7); x[8] ^= BitOperations.RotateLeft(x[11] + x[10], 9);
            x[9] ^= BitOperations.RotateLeft(x[8] + x[11], 13); x[10] ^= BitOperations.RotateLeft(x[9] + x[8], 18);
            x[12] ^= BitOperations.RotateLeft(x[15] + x[14], 7); x[13] ^= BitOperations.RotateLeft(x[12] + x[15], 9);
            x[14] ^= BitOperations.RotateLeft(x[13] + x[12], 13); x[15] ^= BitOperations.RotateLeft(x[14] + x[13], 18);
        }
        for (int i = 0; i < 16; i++)
            block[i] += x[i];
    }
}

/// <summary>scrypt cost: N (CPU/memory, a power of two), r (block size), p (parallelism).</summary>
public readonly record struct ScryptParameters(int N, int R, int P)
{
    public void Validate()
    {
        if (N < 2 || (N & (N - 1)) != 0)
            throw new ArgumentException($"scrypt N must be a power of two greater than 1, got {N}");
        if (R < 1 || P < 1)
            throw new ArgumentException($"scrypt r and p must be positive, got r={R} p={P}");
        if ((long)128 * R * N > Scrypt.MaxMemoryBytes || (long)R * P >= 1 << 30)
            throw new ArgumentException($"scrypt parameters N={N} r={R} p={P} exceed the memory limit");
    }
}
