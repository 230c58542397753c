using System.Runtime.CompilerServices;

namespace DePinChain.Store.Tests;

internal static class TemporaryTree
{
    [ModuleInitializer]
    internal static void Install() => DePinChain.Store.CrashWriter.SnapshotTree.Install();
}
