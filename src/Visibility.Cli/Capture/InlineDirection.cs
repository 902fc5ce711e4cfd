using System.Diagnostics;

namespace Visibility.Cli.Capture;

/// <summary>One direction of the bridge: the hand-over of each frame from its capture thread to the engine thread
/// and back, and the counters of what was decided. The capture thread is the forwarder: it decides frame by frame
/// in arrival order, so nothing in a direction (and so nothing within a flow) is ever reordered.</summary>
/// <remarks>
/// Capture thread (<see cref="Decide"/>): copy the frame into the ring, wake the engine, wait for the verdict up to the
/// timeout. When the verdict does not come in time, when the engine is still busy with an earlier frame of this
/// direction that timed out, when the ring is full, or when the engine threw, the failure mode decides: forward
/// uninspected (fail-open, the default) or drop (fail-closed). A frame given up on is marked abandoned and the
/// engine skips it, so a stalled engine catches up instead of falling further behind.
/// Engine thread (<see cref="TryServe"/>): take the oldest frame, inspect it unless abandoned, publish the verdict.
/// Every counter has one writer thread; readers use <see cref="Volatile"/>.
/// </remarks>
internal sealed class InlineDirection
{
    private const int SpinsBeforeBlocking = 20;

    private readonly ManualResetEventSlim _work;
    private readonly ManualResetEventSlim _verdictReady = new(false, spinCount: 1);
    private readonly long _timeoutTicks;
    private readonly bool _failClosed;

    // Producer (capture thread) side.
    private long _written;
    private long _passed;
    private long _dropped;
    private long _failOpen;
    private long _failClosedFrames;
    private long _timeouts;
    private long _busy;
    private long _queueFull;
    private long _sendErrors;

    // Shared: published by one side, read by the other.
    private long _done;
    private long _abandoned;
    private int _verdict;

    // Consumer (engine thread) side.
    private long _served;
    private long _skipped;
    private long _engineErrors;

    /// <param name="label">Metrics label (<c>in_to_out</c>, <c>out_to_in</c>).</param>
    /// <param name="index">0 for frames from <c>--in</c>, 1 for frames from <c>--out</c>.</param>
    /// <param name="ringBytes">Bytes of the hand-over ring.</param>
    /// <param name="timeout">How long a frame waits for its verdict.</param>
    /// <param name="failClosed">Drop, rather than forward, a frame without a verdict.</param>
    /// <param name="work">Set whenever a frame is handed over (the engine thread waits on it when idle).</param>
    public InlineDirection(string label, int index, int ringBytes, TimeSpan timeout, bool failClosed, ManualResetEventSlim work)
    {
        Label = label;
        Index = index;
        Ring = new FrameRing(ringBytes);
        _timeoutTicks = Math.Max(1, (long)(timeout.TotalSeconds * Stopwatch.Frequency));
        _failClosed = failClosed;
        _work = work;
    }

    public string Label { get; }

    public int Index { get; }

    /// <summary>Frames handed over and not yet served.</summary>
    public FrameRing Ring { get; }

    /// <summary>Frames inspected and forwarded.</summary>
    public long Passed => Volatile.Read(ref _passed);

    /// <summary>Frames inspected and held back by a <c>drop</c> rule.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Frames forwarded without a verdict (fail-open).</summary>
    public long FailOpen => Volatile.Read(ref _failOpen);

    /// <summary>Frames dropped without a verdict (fail-closed).</summary>
    public long FailClosed => Volatile.Read(ref _failClosedFrames);

    /// <summary>Frames whose verdict did not come within the timeout.</summary>
    public long Timeouts => Volatile.Read(ref _timeouts);

    /// <summary>Frames not handed over because the engine was still on an earlier frame that timed out.</summary>
    public long Busy => Volatile.Read(ref _busy);

    /// <summary>Frames not handed over because the ring was full.</summary>
    public long QueueFull => Volatile.Read(ref _queueFull);

    /// <summary>Frames the engine threw on.</summary>
    public long EngineErrors => Volatile.Read(ref _engineErrors);

    /// <summary>Abandoned frames the engine skipped (never inspected).</summary>
    public long Skipped => Volatile.Read(ref _skipped);

    /// <summary>Frames to be forwarded that the egress port refused.</summary>
    public long SendErrors => Volatile.Read(ref _sendErrors);

    /// <summary>Engine thread, while inspecting: true when the capture thread has already given up on the frame being
    /// served (it went by the failure mode), so inspecting it is moot.</summary>
    public bool ServingAbandoned => _served + 1 <= Volatile.Read(ref _abandoned);

    /// <summary>The first exception the engine threw (for the log), or null.</summary>
    public Exception? FirstEngineError { get; private set; }

    /// <summary>Capture thread: the forwarding decision for one frame (true: forward it).</summary>
    public bool Decide(ReadOnlySpan<byte> frame, int originalLength, long timestampNanoseconds)
    {
        long written = _written;
        if (Volatile.Read(ref _done) < written)
        {
            Volatile.Write(ref _busy, _busy + 1);
            return Fail();
        }
        _verdictReady.Reset();
        if (!Ring.TryWrite(frame, originalLength, timestampNanoseconds))
        {
            Volatile.Write(ref _queueFull, _queueFull + 1);
            return Fail();
        }
        _written = ++written;
        _work.Set();
        if (!WaitFor(written))
        {
            Volatile.Write(ref _abandoned, written);
            Volatile.Write(ref _timeouts, _timeouts + 1);
            return Fail();
        }
        switch ((InlineVerdict)Volatile.Read(ref _verdict))
        {
            case InlineVerdict.Pass:
                Volatile.Write(ref _passed, _passed + 1);
                return true;
            case InlineVerdict.Drop:
                Volatile.Write(ref _dropped, _dropped + 1);
                return false;
            default:
                return Fail();
        }
    }

    /// <summary>Capture thread: the egress port refused a frame this direction decided to forward.</summary>
    public void CountSendError() => Volatile.Write(ref _sendErrors, _sendErrors + 1);

    /// <summary>Engine thread: serves the oldest handed-over frame, if any. False when the ring is empty.</summary>
    public bool TryServe(InlineInspector inspect)
    {
        ArgumentNullException.ThrowIfNull(inspect);
        if (!Ring.TryPeek(out ReadOnlySpan<byte> frame, out int originalLength, out long timestamp))
        {
            return false;
        }
        long sequence = _served + 1;
        InlineVerdict verdict;
        if (sequence <= Volatile.Read(ref _abandoned))
        {
            verdict = InlineVerdict.Skipped;
            Volatile.Write(ref _skipped, _skipped + 1);
        }
        else
        {
            try
            {
                verdict = inspect(frame, originalLength, timestamp, Index);
                if (verdict == InlineVerdict.Skipped)
                {
                    Volatile.Write(ref _skipped, _skipped + 1);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A fault in the engine must not stop the traffic: this frame goes by the failure mode.
                verdict = InlineVerdict.Error;
                FirstEngineError ??= e;
                Volatile.Write(ref _engineErrors, _engineErrors + 1);
            }
        }
        Ring.Release();
        _served = sequence;
        Volatile.Write(ref _verdict, (int)verdict);
        Volatile.Write(ref _done, sequence);
        _verdictReady.Set();
        return true;
    }

    private bool Fail()
    {
        if (_failClosed)
        {
            Volatile.Write(ref _failClosedFrames, _failClosedFrames + 1);
            return false;
        }
        Volatile.Write(ref _failOpen, _failOpen + 1);
        return true;
    }

    /// <summary>Spins briefly (the engine usually answers in microseconds), then blocks until the engine publishes
    /// <paramref name="sequence"/> or the timeout passes.</summary>
    private bool WaitFor(long sequence)
    {
        long deadline = Stopwatch.GetTimestamp() + _timeoutTicks;
        var spin = default(SpinWait);
        while (Volatile.Read(ref _done) < sequence)
        {
            long now = Stopwatch.GetTimestamp();
            if (now >= deadline)
            {
                return false;
            }
            if (spin.Count < SpinsBeforeBlocking)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }
            else
            {
                long remaining = (deadline - now) * 1000 / Stopwatch.Frequency;
                _verdictReady.Wait((int)Math.Clamp(remaining, 1, int.MaxValue));
            }
        }
        return true;
    }
}
