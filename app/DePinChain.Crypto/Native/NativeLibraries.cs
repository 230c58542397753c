using System.Reflection;
using System.Runtime.InteropServices;

namespace DePinChain.Crypto.Native;

/// <summary>
/// Maps the logical library names used by the P/Invoke declarations to the sonames shipped by Debian,
/// so the process needs no -dev packages (which provide the unversioned .so symlink).
/// </summary>
internal static class NativeLibraries
{
    internal const string Secp256k1 = "secp256k1";
    internal const string Sodium = "sodium";

    private static readonly string[] Secp256k1Candidates = ["libsecp256k1.so.1", "libsecp256k1.so.0", "libsecp256k1.so", "secp256k1"];
    private static readonly string[] SodiumCandidates = ["libsodium.so.23", "libsodium.so.26", "libsodium.so", "sodium", "libsodium"];

    private static readonly Lock Gate = new();
    private static bool _registered;

    /// <summary>Installs the resolver once; must run before the first native call of this assembly.</summary>
    internal static void EnsureResolver()
    {
        if (Volatile.Read(ref _registered))
            return;
        lock (Gate)
        {
            if (_registered)
                return;
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);
            Volatile.Write(ref _registered, true);
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) => libraryName switch
    {
        Secp256k1 => Load(Secp256k1Candidates, "libsecp256k1 not found: run `make setup` (Debian package libsecp256k1-1)"),
        Sodium => Load(SodiumCandidates, "libsodium not found: run `make setup` (Debian package libsodium23)"),
        _ => 0,
    };

    private static nint Load(string[] candidates, string missingMessage)
    {
        foreach (var name in candidates)
        {
            if (NativeLibrary.TryLoad(name, out var handle))
                return handle;
        }
        throw new DllNotFoundException(missingMessage);
    }
}
