using System.Buffers.Binary;
using System.Numerics;

namespace DePinChain.Crypto;

/// <summary>
/// RIPEMD-160 (Dobbertin, Bosselaers, Preneel 1996). .NET has no implementation on Linux; Cosmos needs it
/// for secp256k1 addresses. One-shot only: inputs are public keys and other short byte strings.
/// </summary>
internal static class Ripemd160Digest
{
    private const int BlockLength = 64;

    // Message word selection for the left (R) and right (RPrime) lines, five rounds of sixteen steps.
    private static ReadOnlySpan<byte> R =>
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        7, 4, 13, 1, 10, 6, 15, 3, 12, 0, 9, 5, 2, 14, 11, 8,
        3, 10, 14, 4, 9, 15, 8, 1, 2, 7, 0, 6, 13, 11, 5, 12,
        1, 9, 11, 10, 0, 8, 12, 4, 13, 3, 7, 15, 14, 5, 6, 2,
        4, 0, 5, 9, 7, 12, 2, 10, 14, 1, 3, 8, 11, 6, 15, 13,
    ];

    private static ReadOnlySpan<byte> RPrime =>
    [
        5, 14, 7, 0, 9, 2, 11, 4, 13, 6, 15, 8, 1, 10, 3, 12,
        6, 11, 3, 7, 0, 13, 5, 10, 14, 15, 8, 12, 4, 9, 1, 2,
        15, 5, 1, 3, 7, 14, 6, 9, 11, 8, 12, 2, 10, 0, 4, 13,
        8, 6, 4, 1, 3, 11, 15, 0, 5, 12, 2, 13, 9, 7, 10, 14,
        12, 15, 10, 4, 1, 5, 8, 7, 6, 2, 13, 14, 0, 3, 9, 11,
    ];

    // Left rotation amounts.
    private static ReadOnlySpan<byte> S =>
    [
        11, 14, 15, 12, 5, 8, 7, 9, 11, 13, 14, 15, 6, 7, 9, 8,
        7, 6, 8, 13, 11, 9, 7, 15, 7, 12, 15, 9, 11, 7, 13, 12,
        11, 13, 6, 7, 14, 9, 13, 15, 14, 8, 13, 6, 5, 12, 7, 5,
        11, 12, 14, 15, 14, 15, 9, 8, 9, 14, 5, 6, 8, 6, 5, 12,
        9, 15, 5, 11, 6, 8, 13, 12, 5, 12, 13, 14, 11, 8, 5, 6,
    ];

    private static ReadOnlySpan<byte> SPrime =>
    [
        8, 9, 9, 11, 13, 15, 15, 5, 7, 7, 8, 11, 14, 14, 12, 6,
        9, 13, 15, 7, 12, 8, 9, 11, 7, 7, 12, 7, 6, 15, 13, 11,
        9, 7, 15, 11, 8, 6, 6, 14, 12, 13, 5, 14, 13, 13, 7, 5,
        15, 5, 8, 11, 14, 14, 6, 14, 6, 9, 12, 9, 12, 5, 15, 8,
        8, 5, 12, 9, 12, 5, 14, 6, 8, 13, 6, 5, 15, 13, 11, 11,
    ];

    private static ReadOnlySpan<uint> K => [0x00000000, 0x5A827999, 0x6ED9EBA1, 0x8F1BBCDC, 0xA953FD4E];
    private static ReadOnlySpan<uint> KPrime => [0x50A28BE6, 0x5C4DD124, 0x6D703EF3, 0x7A6D76E9, 0x00000000];

    internal static void Hash(ReadOnlySpan<byte> data, Span<byte> destination20)
    {
        if (destination20.Length < Hashes.Ripemd160Length)
            throw new ArgumentException($"destination must hold {Hashes.Ripemd160Length} bytes", nameof(destination20));

        Span<uint> state = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
        Span<uint> words = stackalloc uint[16];

        var fullBlocks = data.Length / BlockLength;
        for (var i = 0; i < fullBlocks; i++)
            Compress(state, data.Slice(i * BlockLength, BlockLength), words);

        // Padding as in MD4: 0x80, zeros, then the bit length as a little-endian 64-bit integer.
        Span<byte> tail = stackalloc byte[2 * BlockLength];
        tail.Clear();
        var remaining = data[(fullBlocks * BlockLength)..];
        remaining.CopyTo(tail);
        tail[remaining.Length] = 0x80;
        var tailLength = remaining.Length + 1 + 8 <= BlockLength ? BlockLength : 2 * BlockLength;
        BinaryPrimitives.WriteUInt64LittleEndian(tail.Slice(tailLength - 8, 8), (ulong)data.Length << 3);
        for (var offset = 0; offset < tailLength; offset += BlockLength)
            Compress(state, tail.Slice(offset, BlockLength), words);

        for (var i = 0; i < 5; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(destination20.Slice(i * 4, 4), state[i]);
    }

    private static void Compress(Span<uint> state, ReadOnlySpan<byte> block, Span<uint> x)
    {
        for (var i = 0; i < 16; i++)
            x[i] = BinaryPrimitives.ReadUInt32LittleEndian(block.Slice(i * 4, 4));

        uint al = state[0], bl = state[1], cl = state[2], dl = state[3], el = state[4];
        uint ar = al, br = bl, cr = cl, dr = dl, er = el;

        for (var j = 0; j < 80; j++)
        {
            var round = j >> 4;
            var t = BitOperations.RotateLeft(al + F(round, bl, cl, dl) + x[R[j]] + K[round], S[j]) + el;
            al = el; el = dl; dl = BitOperations.RotateLeft(cl, 10); cl = bl; bl = t;

            // The right line runs the boolean functions in reverse order.
            t = BitOperations.RotateLeft(ar + F(4 - round, br, cr, dr) + x[RPrime[j]] + KPrime[round], SPrime[j]) + er;
            ar = er; er = dr; dr = BitOperations.RotateLeft(cr, 10); cr = br; br = t;
        }

        var combined = state[1] + cl + dr;
        state[1] = state[2] + dl + er;
        state[2] = state[3] + el + ar;
        state[3] = state[4] + al + br;
        state[4] = state[0] + bl + cr;
        state[0] = combined;
    }

    private static uint F(int round, uint x, uint y, uint z) => round switch
    {
        0 => x ^ y ^ z,
        1 => (x & y) | (~x & z),
        2 => (x | ~y) ^ z,
        3 => (x & z) | (y & ~z),
        _ => x ^ (y | ~z),
    };
}
