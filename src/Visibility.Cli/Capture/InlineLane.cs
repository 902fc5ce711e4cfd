using System.Diagnostics;

namespace Visibility.Cli.Capture;

/// <summary>The hand-over between one direction's capture thread and one engine thread: a ring of frames, the
/// sequence numbers of what was written, served and given up on, and the last verdict.</summary>
/// <remarks>
/// One producer (the capture thread of the direction) and one consumer (the engine the frames shard to). The
/// producer writes one frame, wakes the engine and waits for that frame's verdict before it writes the next, so at
/// most one frame per lane is being judged; a frame given up on (timeout) stays owed until the engine serves or
/// skips it, and meanwhile the lane is busy. Lanes of other engines are unaffected: a stalled engine fails only the
/// frames that shard to it. Every counter has one writer thread; readers use <see cref="Volatile"/>.
/// </remarks>
internal sealed class InlineLane
{
    private const int SpinsBeforeBlocking = 20;

    private readonly ManualResetEventSlim _work;
    private readonly ManualResetEventSlim _verdictReady = new(false, spinCount: 1);
    private readonly long _timeoutTicks;
    private readonly int _directionIndex;

    // Producer (capture thread) side.
    private long _written;

    // Shared: published by one side, read by the other.
    private long _done;
    private long _abandoned;
    private int _verdict;

    // Consumer (engine thread) side.
    private long _served;
    private long _skipped;
    private long _engineErrors;

    /// <param name="directionIndex">0 for frames from <c>--in</c>, 1 for frames from <c>--out</c>.</param>
    /// <param name="ringBytes">Bytes of the hand-over ring.</param>
    /// <param name="timeout">How long a frame waits for its verdict.</param>
    /// <param name="work">The engine's wake-up: set whenever a frame is handed over.</param>
    public InlineLane(int directionIndex, int ringBytes, TimeSpan timeout, ManualResetEventSlim work)
    {
        _directionIndex = directionIndex;
        Ring = new FrameRing(ringBytes);
        _timeoutTicks = Math.Max(1, (long)(timeout.TotalSeconds * Stopwatch.Frequency));
        _work = work;
    }

    /// <summary>Frames handed over and not yet served.</summary>
    public FrameRing Ring { get; }

    /// <summary>Capture thread: the engine still owes the verdict of a frame given up on.</summary>
    public bool Busy => Volatile.Read(ref _done) < _written;

    /// <summary>Abandoned frames the engine skipped (never inspected).</summary>
    public long Skipped => Volatile.Read(ref _skipped);

    /// <summary>Frames the engine threw on.</summary>
    public long EngineErrors => Volatile.Read(ref _engineErrors);

    /// <summary>The first exception the engine threw (for the log), or null.</summary>
    public Exception? FirstEngineError { get; private set; }

    /// <summary>Engine thread, while inspecting: true when the capture thread has already given up on the frame being
    /// served, so inspecting it is moot.</summary>
    public bool ServingAbandoned => _served + 1 <= Volatile.Read(ref _abandoned);

    /// <summary>Capture thread: copies the frame into the ring and wakes the engine. False when the ring is full.</summary>
    public bool TryHandOver(ReadOnlySpan<byte> frame, int originalLength, long timestampNanoseconds)
    {
        _verdictReady.Reset();
        if (!Ring.TryWrite(frame, originalLength, timestampNanoseconds))
        {
            return false;
        }
        _written++;
        _work.Set();
        return true;
    }

    /// <summary>Capture thread: waits for the verdict of the frame just handed over. False on timeout: the frame is
    /// then abandoned (the engine will skip it).</summary>
    public bool TryWaitVerdict(out InlineVerdict verdict)
    {
        long sequence = _written;
        long deadline = Stopwatch.GetTimestamp() + _timeoutTicks;
        var spin = default(SpinWait);
        while (Volatile.Read(ref _done) < sequence)
        {
            long now = Stopwatch.GetTimestamp();
            if (now >= deadline)
            {
                Volatile.Write(ref _abandoned, sequence);
                verdict = InlineVerdict.Skipped;
                return false;
            }
            if (spin.Count < SpinsBeforeBlocking)
            {
                // The engine usually answers in microseconds.
                spin.SpinOnce(sleep1Threshold: -1);
            }
            else
            {
                long remaining = (deadline - now) * 1000 / Stopwatch.Frequency;
                _verdictReady.Wait((int)Math.Clamp(remaining, 1, int.MaxValue));
            }
        }
        verdict = (InlineVerdict)Volatile.Read(ref _verdict);
        return true;
    }

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
                verdict = inspect(frame, originalLength, timestamp, _directionIndex);
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
}
