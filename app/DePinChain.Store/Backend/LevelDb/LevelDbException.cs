using System.Runtime.InteropServices;

namespace DePinChain.Store.Backend.LevelDb;

/// <summary>
/// LevelDB reported an error. <see cref="LevelDbMessage"/> is LevelDB's own status text, which starts with its
/// kind: "Corruption: ", "IO error: ", "Invalid argument: ", "NotFound: ", "Not implemented: ".
/// </summary>
public sealed class LevelDbException : Exception
{
    public LevelDbException(string message, string? levelDbMessage, Exception? inner = null)
        : base(levelDbMessage is null ? message : $"{message}: {levelDbMessage}", inner)
    {
        LevelDbMessage = levelDbMessage;
    }

    /// <summary>The status text LevelDB returned, or null when the error was detected before calling LevelDB.</summary>
    public string? LevelDbMessage { get; }

    /// <summary>The data on disk is damaged; the node must not continue on it.</summary>
    public bool IsCorruption => LevelDbMessage?.StartsWith("Corruption", StringComparison.Ordinal) == true;

    /// <summary>Throws when LevelDB set <paramref name="errptr"/>, freeing LevelDB's message first.</summary>
    internal static unsafe void ThrowIfError(nint errptr, string operation)
    {
        if (errptr != 0) Throw(errptr, operation);
    }

    private static unsafe void Throw(nint errptr, string operation)
    {
        string text;
        try { text = Marshal.PtrToStringUTF8(errptr) ?? "(no message)"; }
        finally { LevelDbNative.leveldb_free((void*)errptr); }
        throw new LevelDbException(operation, text);
    }
}
