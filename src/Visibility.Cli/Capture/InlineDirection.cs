using Visibility.Wire;

namespace Visibility.Cli.Capture;

/// <summary>One direction of the bridge: the hand-over of each frame from its capture thread to the engine its
/// address pair shards to, and back, and the counters of what was decided. The capture thread is the forwarder: it
/// decides frame by frame in arrival order, so nothing in a direction (and so nothing within a flow) is ever
/// reordered.</summary>
/// <remarks>
/// Capture thread (<see cref="Decide"/>): pick the engine by <see cref="ShardKey"/> (the unordered outer address
/// pair, so both directions of a flow, and the IKE and ESP SAs of a tunnel, meet on one engine), copy the frame into
/// that engine's <see cref="InlineLane"/>, wake it, wait for the verdict up to the timeout. When the verdict does not
/// come in time, when that engine is still busy with an earlier frame of this direction that timed out, when the
/// lane's ring is full, or when the engine threw, the failure mode decides: forward uninspected (fail-open, the
/// default) or drop (fail-closed). A frame given up on is marked abandoned and the engine skips it, so a stalled
/// engine catches up instead of falling further behind; frames of the other engines are not held up by it.
/// Engine thread k (<see cref="TryServe"/>): take the oldest frame of lane k, inspect it unless abandoned, publish
/// the verdict. Every counter has one writer thread; readers use <see cref="Volatile"/>.
/// </remarks>
internal sealed class InlineDirection
{
    private readonly InlineLane[] _lanes;
    private readonly ShardKey _shard;
    private readonly bool _failClosed;

    // Producer (capture thread) side.
    private long _passed;
    private long _dropped;
    private long _failOpen;
    private long _failClosedFrames;
    private long _timeouts;
    private long _busy;
    private long _queueFull;
    private long _sendErrors;

    /// <summary>A direction served by one engine.</summary>
    public InlineDirection(string label, int index, int ringBytes, TimeSpan timeout, bool failClosed, ManualResetEventSlim work)
        : this(label, index, ringBytes, timeout, failClosed, [work])
    {
    }

    /// <param name="label">Metrics label (<c>in_to_out</c>, <c>out_to_in</c>).</param>
    /// <param name="index">0 for frames from <c>--in</c>, 1 for frames from <c>--out</c>.</param>
    /// <param name="ringBytes">Bytes of each engine's hand-over ring.</param>
    /// <param name="timeout">How long a frame waits for its verdict.</param>
    /// <param name="failClosed">Drop, rather than forward, a frame without a verdict.</param>
    /// <param name="engineWork">One per engine: set whenever a frame is handed to that engine (it waits on it when
    /// idle).</param>
    public InlineDirection(string label, int index, int ringBytes, TimeSpan timeout, bool failClosed, IReadOnlyList<ManualResetEventSlim> engineWork)
    {
        ArgumentNullException.ThrowIfNull(engineWork);
        ArgumentOutOfRangeException.ThrowIfLessThan(engineWork.Count, 1);
        Label = label;
        Index = index;
        _lanes = new InlineLane[engineWork.Count];
        for (int i = 0; i < _lanes.Length; i++)
        {
            _lanes[i] = new InlineLane(index, ringBytes, timeout, engineWork[i]);
        }
        _shard = new ShardKey(_lanes.Length);
        _failClosed = failClosed;
    }

    public string Label { get; }

    public int Index { get; }

    /// <summary>Engines the frames are spread over.</summary>
    public int Engines => _lanes.Length;

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

    /// <summary>Frames not handed over because their engine was still on an earlier frame that timed out.</summary>
    public long Busy => Volatile.Read(ref _busy);

    /// <summary>Frames not handed over because their engine's ring was full.</summary>
    public long QueueFull => Volatile.Read(ref _queueFull);

    /// <summary>Frames the engines threw on.</summary>
    public long EngineErrors
    {
        get
        {
            long sum = 0;
            foreach (InlineLane lane in _lanes)
            {
                sum += lane.EngineErrors;
            }
            return sum;
        }
    }

    /// <summary>Abandoned frames the engines skipped (never inspected).</summary>
    public long Skipped
    {
        get
        {
            long sum = 0;
            foreach (InlineLane lane in _lanes)
            {
                sum += lane.Skipped;
            }
            return sum;
        }
    }

    /// <summary>Frames to be forwarded that the egress port refused.</summary>
    public long SendErrors => Volatile.Read(ref _sendErrors);

    /// <summary>The first exception an engine threw (for the log; the lowest engine's first), or null.</summary>
    public Exception? FirstEngineError
    {
        get
        {
            foreach (InlineLane lane in _lanes)
            {
                if (lane.FirstEngineError is { } error)
                {
                    return error;
                }
            }
            return null;
        }
    }

    /// <summary>The engine (0 .. <see cref="Engines"/>-1) an Ethernet frame shards to (capture thread).</summary>
    public int EngineOf(ReadOnlySpan<byte> frame, int originalLength) => _shard.WorkerOf(frame, LinkType.Ethernet, originalLength);

    /// <summary>Engine thread <paramref name="engine"/>, while inspecting: true when the capture thread has already
    /// given up on the frame being served (it went by the failure mode), so inspecting it is moot.</summary>
    public bool ServingAbandoned(int engine) => _lanes[engine].ServingAbandoned;

    /// <summary>True when nothing handed to <paramref name="engine"/> waits to be served.</summary>
    public bool IsEmpty(int engine) => _lanes[engine].Ring.IsEmpty;

    /// <summary>Capture thread: the forwarding decision for one Ethernet frame (true: forward it).</summary>
    public bool Decide(ReadOnlySpan<byte> frame, int originalLength, long timestampNanoseconds)
    {
        InlineLane lane = _lanes[_lanes.Length == 1 ? 0 : EngineOf(frame, originalLength)];
        if (lane.Busy)
        {
            Volatile.Write(ref _busy, _busy + 1);
            return Fail();
        }
        if (!lane.TryHandOver(frame, originalLength, timestampNanoseconds))
        {
            Volatile.Write(ref _queueFull, _queueFull + 1);
            return Fail();
        }
        if (!lane.TryWaitVerdict(out InlineVerdict verdict))
        {
            Volatile.Write(ref _timeouts, _timeouts + 1);
            return Fail();
        }
        switch (verdict)
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

    /// <summary>Engine thread <paramref name="engine"/>: serves the oldest frame handed to it, if any. False when its
    /// ring is empty.</summary>
    public bool TryServe(int engine, InlineInspector inspect) => _lanes[engine].TryServe(inspect);

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
}
