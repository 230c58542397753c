using System.Runtime.ExceptionServices;

namespace DePinChain.Sdk;

/// <summary>
/// Pure work items 0..n-1 computed ahead of an in-order consumer: worker threads take items in index order while the
/// consumer (the executing thread) takes them with <see cref="Take"/> in order; while the item it asks for is not
/// ready, the consumer computes the lowest item nobody has started (that one, once it has caught up). So every core is
/// busy until the consumer is done, and results do not depend on the scheduling: item i is <c>work(i)</c> whoever
/// computes it.
/// </summary>
/// <remarks>
/// The work must be a pure function of its index and of state nobody changes while the pipeline runs (committed
/// state, decoded bytes). Workers are joined in <see cref="Dispose"/>: nothing outlives the consumer's call.
/// </remarks>
public sealed class OrderedPipeline<T> : IDisposable
{
    private const int Pending = 0, Done = 1, Taken = 2;

    private readonly Func<int, T> _work;
    private readonly T[] _results;
    private readonly ExceptionDispatchInfo?[] _errors;
    private readonly int[] _state;
    private readonly Thread[] _workers;
    private int _next; // the lowest item nobody has claimed
    private volatile bool _stopping;

    /// <param name="workers">Worker threads beside the consumer; 0 computes everything in <see cref="Take"/>.</param>
    public OrderedPipeline(int count, Func<int, T> work, int workers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(workers);
        _work = work;
        _results = new T[count];
        _errors = new ExceptionDispatchInfo?[count];
        _state = new int[count];
        _workers = new Thread[Math.Min(workers, count)];
        for (int w = 0; w < _workers.Length; w++)
        {
            _workers[w] = new Thread(WorkerLoop) { IsBackground = true, Name = "depin-pipeline" };
            _workers[w].Start();
        }
    }

    /// <summary>The default number of workers: one per core beside the consumer's.</summary>
    public static int DefaultWorkers => Math.Max(0, Environment.ProcessorCount - 1);

    public int Count => _results.Length;

    /// <summary>
    /// Item <paramref name="index"/>, computing it here if no worker has started it. Each item is taken once: the
    /// pipeline then lets go of it, so a block's executed txs do not stay reachable (and get copied by every
    /// collection) until the block ends.
    /// </summary>
    /// <exception cref="InvalidOperationException">The item was taken already.</exception>
    /// <exception cref="Exception">Whatever the work threw for this item.</exception>
    public T Take(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _results.Length);
        var spin = new SpinWait();
        int state;
        while ((state = Volatile.Read(ref _state[index])) != Done)
        {
            if (state == Taken) throw new InvalidOperationException($"item {index} was taken already");
            // Rather than wait, compute the lowest unclaimed item: this one when the consumer has caught up, else one
            // it will need soon, while a worker finishes this one. Only when nothing is left to claim, wait (at most
            // one item's work).
            int next = Volatile.Read(ref _next);
            if (next < _results.Length)
            {
                if (Interlocked.CompareExchange(ref _next, next + 1, next) == next) Run(next);
                continue;
            }
            spin.SpinOnce(sleep1Threshold: -1);
        }
        _state[index] = Taken;
        var error = _errors[index];
        var result = _results[index];
        _errors[index] = null;
        _results[index] = default!;
        error?.Throw();
        return result;
    }

    private void WorkerLoop()
    {
        while (!_stopping)
        {
            int i = Interlocked.Increment(ref _next) - 1;
            if (i >= _results.Length) return;
            Run(i);
        }
    }

    private void Run(int i)
    {
        try
        {
            _results[i] = _work(i);
        }
        catch (Exception e)
        {
            _errors[i] = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            Volatile.Write(ref _state[i], Done);
        }
    }

    /// <summary>Stops the workers from taking more items and waits for them to finish the ones they hold.</summary>
    public void Dispose()
    {
        _stopping = true;
        foreach (var worker in _workers) worker.Join();
    }
}
