using System.Runtime.CompilerServices;
using Visibility.Wire;

namespace Visibility.Cli.Capture;

/// <summary>One reader, N workers: the reader copies frames into pooled <see cref="PacketBatch"/>es, each worker runs
/// every batch (its own packets, and the clock of the others), and the reader merges the workers' outputs batch by
/// batch into <see cref="OrderedOutput"/>. Output is the same whatever the number of workers.</summary>
/// <remarks>
/// A ring of batches is the queue: publishing a batch or finishing one takes a lock once per batch, never per packet,
/// and nothing is allocated per packet. The reader merges the oldest batch when it needs its slot, so a slow worker
/// holds the reader back (replay) rather than letting memory grow. With one worker there are no threads and no copies:
/// the reader runs each frame through the worker as it comes (the batch then only collects the records to merge). Reusable by any reader (replay, live, inline): call <see cref="Add"/> per frame,
/// <see cref="Flush"/> when input pauses, <see cref="Complete"/> once at the end.
/// </remarks>
internal sealed class ShardedPipeline : IDisposable
{
    private const int RingSize = 8;

    private readonly ShardWorker[] _workers;
    private readonly ShardKey _shard;
    private readonly OrderedOutput _output;
    private readonly PacketBatch[] _ring;
    private readonly Thread[] _threads;
    private readonly object _lock = new();
    // The sole worker (run on the reader's thread), or null with worker threads.
    private readonly ShardWorker? _single;
    private long _published;
    private long _merged;
    private long _sequence;
    private PacketBatch _current;
    private int _singleCount;
    private Exception? _failure;
    private bool _completed;

    public ShardedPipeline(IReadOnlyList<ShardWorker> workers, OrderedOutput output)
    {
        ArgumentNullException.ThrowIfNull(workers);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers.Count, 1);
        _workers = [.. workers];
        _shard = new ShardKey(_workers.Length);
        _output = output;
        _ring = new PacketBatch[_workers.Length == 1 ? 1 : RingSize];
        for (int i = 0; i < _ring.Length; i++)
        {
            _ring[i] = new PacketBatch(_workers.Length);
        }
        _current = _ring[0];
        if (_workers.Length == 1)
        {
            _single = _workers[0];
            _single.Begin(_current);
        }
        _threads = new Thread[_workers.Length == 1 ? 0 : _workers.Length];
        for (int i = 0; i < _threads.Length; i++)
        {
            ShardWorker worker = _workers[i];
            _threads[i] = new Thread(() => RunWorker(worker)) { Name = $"visibility-worker-{i}", IsBackground = true };
            _threads[i].Start();
        }
    }

    public IReadOnlyList<ShardWorker> Workers => _workers;

    /// <summary>Frames handed in so far (the run-wide sequence number of the last one).</summary>
    public long Packets => _sequence;

    /// <summary>Batches the end of the run took before the final one, with worker threads (see
    /// <see cref="Complete"/>).</summary>
    public int FinalPieces { get; private set; }

    /// <summary>Reader thread: one frame (copied; the span may be reused after the call). Parameters as
    /// <see cref="IFrameSink.Process"/>.</summary>
    public void Add(ReadOnlySpan<byte> frame, int originalLength, long timestampNanoseconds, LinkType linkType, long frameNumber, int source)
    {
        if (_single is not null)
        {
            _single.Step(++_sequence, source, own: true, frame, originalLength, timestampNanoseconds, linkType, frameNumber);
            if (++_singleCount == PacketBatch.MaxPackets)
            {
                MergeSingle();
            }
            return;
        }
        int worker = _shard.WorkerOf(frame, linkType, originalLength);
        if (!_current.TryAdd(frame, originalLength, timestampNanoseconds, linkType, frameNumber, worker, source))
        {
            Publish(isFinal: false);
            _current.TryAdd(frame, originalLength, timestampNanoseconds, linkType, frameNumber, worker, source);
        }
        _sequence++;
    }

    /// <summary>Reader thread: hands the frames gathered so far to the workers now (live input that went quiet).</summary>
    public void Flush()
    {
        if (_single is not null)
        {
            MergeSingle();
            return;
        }
        if (_current.Count > 0)
        {
            Publish(isFinal: false);
        }
        MergeDone();
    }

    /// <summary>Reader thread: processes what is left, ends every flow and IKE SA on every worker, and merges all
    /// output. Rethrows a worker's failure.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }
        _completed = true;
        if (_single is not null)
        {
            _single.Finish(MergeSingle);
            MergeSingle();
            return;
        }
        if (Volatile.Read(ref _failure) is null)
        {
            // After a worker failed (rethrown below) the workers only need the final batch to stop.
            PublishFinalPieces();
        }
        Publish(isFinal: true);
        while (_merged < _published)
        {
            MergeOldest();
        }
        foreach (Thread thread in _threads)
        {
            thread.Join();
        }
        ThrowIfFailed();
    }

    public void Dispose()
    {
        if (!_completed && _threads.Length > 0)
        {
            // Abandoned (an error on the reader side): release the workers with an empty final batch.
            try
            {
                Complete();
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    /// <summary>Reader thread, at the end of the run: the flows still open end in pieces of
    /// <see cref="ShardWorker.FinalFlowsPerWrite"/>, each a batch without packets whose records are merged before the
    /// next, so the outputs hold one piece of a long run's final records rather than all of them. A piece is every
    /// flow whose last packet is at most a run-wide sequence number, on every worker, which keeps the records in the
    /// order of one final batch: flows end in the order of their last packet.</summary>
    private void PublishFinalPieces()
    {
        if (_current.Count > 0)
        {
            Publish(isFinal: false);
        }
        // Every worker is idle once every batch is merged: their flow tables can be read from here.
        while (_merged < _published)
        {
            MergeOldest();
        }
        var lastSeen = new List<long>();
        foreach (ShardWorker worker in _workers)
        {
            worker.Pipeline.CollectOpenFlowSequences(lastSeen);
        }
        lastSeen.Sort();
        FinalPieces = 0;
        for (int i = ShardWorker.FinalFlowsPerWrite - 1; i < lastSeen.Count - 1; i += ShardWorker.FinalFlowsPerWrite)
        {
            _current.EndFlowsSeenUpTo = lastSeen[i];
            Publish(isFinal: false);
            FinalPieces++;
        }
    }

    private void Publish(bool isFinal)
    {
        PacketBatch batch = _current;
        batch.IsFinal = isFinal;
        batch.FirstSequence = _sequence - batch.Count + 1;
        batch.Pending = _workers.Length;
        lock (_lock)
        {
            _published++;
            Monitor.PulseAll(_lock);
        }
        if (isFinal)
        {
            return;
        }
        // The next slot: its previous batch must be merged before it is filled again; merge whatever else is done
        // too, so output does not lag behind by a whole ring.
        while (_merged < _published + 1 - _ring.Length)
        {
            MergeOldest();
        }
        MergeDone();
        _current = _ring[_published % _ring.Length];
    }

    /// <summary>Merges, in order, the batches every worker has finished, without waiting.</summary>
    private void MergeDone()
    {
        while (_merged < _published && Volatile.Read(ref _ring[_merged % _ring.Length].Pending) == 0)
        {
            MergeOldest();
        }
    }

    /// <summary>Waits for the oldest unmerged batch to be done by every worker, merges it and clears it.</summary>
    private void MergeOldest()
    {
        PacketBatch batch = _ring[_merged % _ring.Length];
        lock (_lock)
        {
            while (Volatile.Read(ref batch.Pending) != 0)
            {
                Monitor.Wait(_lock);
            }
        }
        ThrowIfFailed();
        _output.Merge(batch);
        _merged++;
        batch.Clear();
    }

    /// <summary>Sole worker: writes the records of the frames run since the last merge.</summary>
    private void MergeSingle()
    {
        _output.Merge(_current);
        _current.Clear();
        _singleCount = 0;
    }

    // Runs for the whole capture: compiled fully optimised by the JIT (not precompiled, not left at a lower tier).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunWorker(ShardWorker worker)
    {
        long next = 0;
        while (true)
        {
            PacketBatch batch;
            lock (_lock)
            {
                while (_published <= next)
                {
                    Monitor.Wait(_lock);
                }
                batch = _ring[next % _ring.Length];
            }
            next++;
            bool final = batch.IsFinal;
            try
            {
                if (Volatile.Read(ref _failure) is null)
                {
                    worker.Process(batch);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
            if (Interlocked.Decrement(ref batch.Pending) == 0)
            {
                lock (_lock)
                {
                    Monitor.PulseAll(_lock);
                }
            }
            if (final)
            {
                return;
            }
        }
    }

    private void ThrowIfFailed()
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            throw new InvalidOperationException($"worker failed: {failure.Message}", failure);
        }
    }
}
