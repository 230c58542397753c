using System.Runtime.ExceptionServices;

namespace DePinChain.Store;

/// <summary>Runs independent per-store work (each tree is its own object) on all cores.</summary>
internal static class ParallelStores
{
    /// <summary>
    /// Runs <paramref name="body"/> for 0..count-1 on all cores. If any fail, the failure of the lowest index is
    /// rethrown as itself, the one a loop in store order would have reported, instead of an AggregateException.
    /// </summary>
    public static void For(int count, Action<int> body)
    {
        var failures = new ExceptionDispatchInfo?[count];
        Parallel.For(0, count, i =>
        {
            try { body(i); }
            catch (Exception e) { failures[i] = ExceptionDispatchInfo.Capture(e); }
        });
        foreach (var failure in failures) failure?.Throw();
    }
}
