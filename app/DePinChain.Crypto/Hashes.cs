using System.Security.Cryptography;

namespace DePinChain.Crypto;

public static class Hashes
{
    public const int Sha256Length = 32;
    public const int Ripemd160Length = 20;

    public static byte[] Sha256(ReadOnlySpan<byte> data) => SHA256.HashData(data);

    public static void Sha256(ReadOnlySpan<byte> data, Span<byte> destination32)
    {
        if (destination32.Length < Sha256Length)
            throw new ArgumentException($"destination must hold {Sha256Length} bytes", nameof(destination32));
        SHA256.HashData(data, destination32);
    }

    public static byte[] Ripemd160(ReadOnlySpan<byte> data)
    {
        var output = new byte[Ripemd160Length];
        Ripemd160Digest.Hash(data, output);
        return output;
    }

    public static void Ripemd160(ReadOnlySpan<byte> data, Span<byte> destination20) => Ripemd160Digest.Hash(data, destination20);
}
