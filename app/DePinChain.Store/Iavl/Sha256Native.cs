using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace DePinChain.Store.Iavl;

/// <summary>
/// SHA-256 of short inputs for the tree's node hashes, through libcrypto's low-level <c>SHA256_Init/Update/Final</c>
/// on a stack context. .NET's <see cref="IncrementalHash"/> goes through EVP with error-queue clearing around every
/// call, which costs several times the hashing itself for the ~100-byte messages a node hashes (a save hashes every
/// new node). Same function, same bytes: when libcrypto or its symbols are missing, or a self-check against
/// <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/> fails, <see cref="NodeHasher"/> keeps using .NET's
/// implementation.
/// </summary>
internal static unsafe class Sha256Native
{
    /// <summary>Longer inputs take .NET's path: a call that skips the GC transition must stay short.</summary>
    public const int MaxLength = 16 * 1024;

    // OpenSSL's SHA256_CTX is 112 bytes (h[8], Nl, Nh, data[16], num, md_len); room to spare.
    private const int ContextSize = 256;

    private static readonly delegate* unmanaged[SuppressGCTransition]<byte*, int> s_init;
    private static readonly delegate* unmanaged[SuppressGCTransition]<byte*, byte*, nuint, int> s_update;
    private static readonly delegate* unmanaged[SuppressGCTransition]<byte*, byte*, int> s_final;

    /// <summary>True when the native functions are loaded and agree with .NET's SHA-256.</summary>
    public static bool IsAvailable { get; }

    static Sha256Native()
    {
        if (!OperatingSystem.IsLinux()) return;
        if (!NativeLibrary.TryLoad("libcrypto.so.3", typeof(Sha256Native).Assembly, null, out var library)) return;
        if (!NativeLibrary.TryGetExport(library, "SHA256_Init", out var init)
            || !NativeLibrary.TryGetExport(library, "SHA256_Update", out var update)
            || !NativeLibrary.TryGetExport(library, "SHA256_Final", out var final))
            return;
        s_init = (delegate* unmanaged[SuppressGCTransition]<byte*, int>)init;
        s_update = (delegate* unmanaged[SuppressGCTransition]<byte*, byte*, nuint, int>)update;
        s_final = (delegate* unmanaged[SuppressGCTransition]<byte*, byte*, int>)final;
        IsAvailable = SelfCheck();
    }

    private static bool SelfCheck()
    {
        Span<byte> data = stackalloc byte[200];
        for (var i = 0; i < data.Length; i++) data[i] = (byte)(i * 7 + 3);
        Span<byte> ours = stackalloc byte[32];
        Span<byte> reference = stackalloc byte[32];
        foreach (var length in (int[])[0, 1, 55, 56, 63, 64, 65, 119, 200])
        {
            if (!TryHash(data[..length], ours)) return false;
            SHA256.HashData(data[..length], reference);
            if (!ours.SequenceEqual(reference)) return false;
        }
        return true;
    }

    /// <summary>Call only when <see cref="IsAvailable"/> and the input is at most <see cref="MaxLength"/> bytes.</summary>
    public static bool TryHash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (destination.Length < 32) throw new ArgumentException("destination must hold 32 bytes", nameof(destination));
        var context = stackalloc byte[ContextSize];
        fixed (byte* input = data)
        fixed (byte* output = destination)
        {
            // A null pointer with length 0 is fine for SHA256_Update (it returns at once).
            return s_init(context) == 1
                && s_update(context, input, (nuint)data.Length) == 1
                && s_final(output, context) == 1;
        }
    }
}
