using Visibility.Cli.Metrics;
using Visibility.Engine.Events;
using Visibility.Engine.Pipeline;
using Visibility.Wire;

namespace Visibility.Cli.Capture;

/// <summary>The inline bridge: two ports, two directions, one or more engine threads. Every frame captured on one
/// port is inspected and injected on the other unless a <c>drop</c> rule matched it; the verdict latency (capture time
/// to decision) goes to the histogram.</summary>
/// <remarks>
/// Threads: each port's capture thread decides and forwards its frames in arrival order (see
/// <see cref="InlineDirection"/>); each engine thread runs its own single-threaded pipeline (flow table, ESP
/// classifier, IKE tracker) over the frames of both directions whose unordered address pair shards to it, so one
/// flow's two directions, and a tunnel's IKE and ESP SAs, meet in one flow table. On stop the ports stop first
/// (their last frames still get verdicts), then the engines serve what is left and end.
/// </remarks>
internal sealed class InlineBridge : IMetricsSource, IDisposable
{
    private const int BatchPerDirection = 64;
    private const int RingBytes = 4 << 20;
    private static readonly string[] s_directionLabels = ["in_to_out", "out_to_in"];

    private readonly PacketPipeline[] _pipelines;
    private readonly PacketSourceTotals _totals;
    private readonly Lock? _totalsLock;
    private readonly InlinePort[] _ports;
    private readonly InlineDirection[] _directions;
    private readonly ManualResetEventSlim[] _work;
    private readonly InlineInspector[] _inspect;
    private readonly long[] _heartbeats;
    private readonly MetricsExporter? _metrics;
    private readonly TimeSpan _engineDelay;
    private readonly InlinePort.FrameHandler _fromIn;
    private readonly InlinePort.FrameHandler _fromOut;
    private volatile bool _finishing;
    private Exception? _engineFailure;
    private long _frames;

    /// <param name="engines">One per engine thread (the session's workers); their EVE writers are set to say
    /// <c>blocked</c>.</param>
    /// <param name="totals">Per-port frame totals.</param>
    /// <param name="inPort">The <c>--in</c> port.</param>
    /// <param name="outPort">The <c>--out</c> port.</param>
    /// <param name="options">Failure mode, verdict timeout, engine delay.</param>
    /// <param name="metrics">The endpoint whose verdict histogram is fed, or null.</param>
    public InlineBridge(IReadOnlyList<ShardWorker> engines, PacketSourceTotals totals, InlinePort inPort, InlinePort outPort, InlineOptions options,
        MetricsExporter? metrics)
    {
        ArgumentNullException.ThrowIfNull(engines);
        ArgumentOutOfRangeException.ThrowIfLessThan(engines.Count, 1);
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(inPort);
        ArgumentNullException.ThrowIfNull(outPort);
        ArgumentNullException.ThrowIfNull(options);
        _pipelines = new PacketPipeline[engines.Count];
        _work = new ManualResetEventSlim[engines.Count];
        _inspect = new InlineInspector[engines.Count];
        _heartbeats = new long[engines.Count];
        for (int i = 0; i < engines.Count; i++)
        {
            _pipelines[i] = engines[i].Pipeline;
            if (engines[i].Eve is { } eve)
            {
                eve.Blocking = true;
            }
            _work[i] = new ManualResetEventSlim(false, spinCount: 100);
            int engine = i;
            _inspect[i] = (frame, originalLength, timestamp, direction) => Inspect(engine, frame, originalLength, timestamp, direction);
        }
        // The per-port totals have one writer when there is one engine; several engines share them (and the frame
        // numbering of flow ids).
        _totalsLock = engines.Count > 1 ? new Lock() : null;
        _totals = totals;
        _ports = [inPort, outPort];
        _directions =
        [
            new InlineDirection(s_directionLabels[0], 0, RingBytes, options.VerdictTimeout, options.FailClosed, _work),
            new InlineDirection(s_directionLabels[1], 1, RingBytes, options.VerdictTimeout, options.FailClosed, _work),
        ];
        _metrics = metrics;
        _engineDelay = options.EngineDelay;
        _fromIn = OnFrameFromIn;
        _fromOut = OnFrameFromOut;
        totals.SetFixedSources([inPort.Name, outPort.Name]);
    }

    /// <summary>Called on the first engine thread about once a second (flush EVE, and the like).</summary>
    public Action? Tick { get; init; }

    /// <summary>Frames from <c>--in</c> (index 0) and from <c>--out</c> (index 1).</summary>
    public IReadOnlyList<InlineDirection> Directions => _directions;

    public IReadOnlyList<InlinePort> Ports => _ports;

    /// <summary>Capture time to forwarding decision, every frame of both directions.</summary>
    public InlineLatency Latency { get; } = new();

    /// <summary>Engine threads (<c>--workers</c>).</summary>
    public int Engines => _pipelines.Length;

    /// <summary><see cref="Environment.TickCount64"/> of the last turn of the engine loop that turned least recently
    /// (for a watchdog: one stalled engine shows).</summary>
    public long Heartbeat
    {
        get
        {
            long oldest = long.MaxValue;
            for (int i = 0; i < _heartbeats.Length; i++)
            {
                oldest = Math.Min(oldest, Volatile.Read(ref _heartbeats[i]));
            }
            return oldest;
        }
    }

    /// <summary>What ended an engine thread early (the bridge then fails open or closed on every frame that shards to
    /// it), or null; the first one when several did.</summary>
    public Exception? EngineFailure => Volatile.Read(ref _engineFailure);

    /// <summary>Bridges until <paramref name="stop"/> is cancelled, then stops the ports and lets the engine finish.
    /// The caller then ends the flows (<see cref="SensorSession.Complete"/>).</summary>
    public void Run(CancellationToken stop)
    {
        var engines = new Thread[_pipelines.Length];
        for (int i = 0; i < engines.Length; i++)
        {
            int engine = i;
            engines[i] = new Thread(() => RunEngine(engine))
            {
                Name = engines.Length == 1 ? "visibility-inline-engine" : $"visibility-inline-engine-{i}",
                IsBackground = false,
            };
            engines[i].Start();
        }
        try
        {
            _ports[0].Start(_fromIn);
            _ports[1].Start(_fromOut);
            stop.WaitHandle.WaitOne();
        }
        finally
        {
            _ports[0].Stop();
            _ports[1].Stop();
            _finishing = true;
            foreach (ManualResetEventSlim work in _work)
            {
                work.Set();
            }
            foreach (Thread engine in engines)
            {
                engine.Join();
            }
        }
    }

    public void Collect(IMetricsWriter metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        long timeouts = 0, busy = 0, queueFull = 0, errors = 0;
        for (int i = 0; i < _directions.Length; i++)
        {
            InlineDirection d = _directions[i];
            metrics.InlineFrames(d.Label, "pass", d.Passed);
            metrics.InlineFrames(d.Label, "drop", d.Dropped);
            metrics.InlineFrames(d.Label, "fail_open", d.FailOpen);
            metrics.InlineFrames(d.Label, "fail_closed", d.FailClosed);
            // Frames from --in leave by --out, and the other way round.
            metrics.InlineSendErrors(_ports[1 - i].Name, d.SendErrors);
            timeouts += d.Timeouts;
            busy += d.Busy;
            queueFull += d.QueueFull;
            errors += d.EngineErrors;
        }
        metrics.InlineFailures("timeout", timeouts);
        metrics.InlineFailures("busy", busy);
        metrics.InlineFailures("queue_full", queueFull);
        metrics.InlineFailures("engine_error", errors);
        foreach (InlinePort port in _ports)
        {
            metrics.CaptureDrops(port.Name, port.ReadStatistics().TotalDropped, 0);
        }
    }

    public void Dispose()
    {
        foreach (ManualResetEventSlim work in _work)
        {
            work.Dispose();
        }
    }

    /// <summary>Wall-clock time in nanoseconds since the Unix epoch, the capture timestamps' clock.</summary>
    private static long RealtimeNanoseconds() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    private void OnFrameFromIn(ReadOnlySpan<byte> frame, int originalLength, long timestampNanoseconds) =>
        Bridge(_directions[0], _ports[0], _ports[1], frame, originalLength, timestampNanoseconds);

    private void OnFrameFromOut(ReadOnlySpan<byte> frame, int originalLength, long timestampNanoseconds) =>
        Bridge(_directions[1], _ports[1], _ports[0], frame, originalLength, timestampNanoseconds);

    /// <summary>Capture thread: decide, record the latency, forward.</summary>
    private void Bridge(InlineDirection direction, InlinePort ingress, InlinePort egress, ReadOnlySpan<byte> frame, int originalLength, long timestampNanoseconds)
    {
        bool forward = direction.Decide(frame, originalLength, timestampNanoseconds);
        long latency = RealtimeNanoseconds() - timestampNanoseconds;
        // A frame cut by the snap length cannot be forwarded faithfully.
        if (forward && (frame.Length < originalLength || !egress.Send(ingress.FrameBuffer, frame.Length)))
        {
            direction.CountSendError();
        }
        Latency.Record(latency);
        _metrics?.ObserveInlineVerdict(Math.Max(0, latency) / 1e9);
    }

    /// <summary>Engine thread <paramref name="engine"/>: one frame through its pipeline; a <c>drop</c> rule that
    /// matched it (one drop verdict counted while it was processed) holds it back.</summary>
    private InlineVerdict Inspect(int engine, ReadOnlySpan<byte> frame, int originalLength, long timestampNanoseconds, int directionIndex)
    {
        if (_engineDelay > TimeSpan.Zero)
        {
            Thread.Sleep(_engineDelay);
            if (_directions[directionIndex].ServingAbandoned(engine))
            {
                return InlineVerdict.Skipped;
            }
        }
        PacketPipeline pipeline = _pipelines[engine];
        if (_totalsLock is not null)
        {
            // Several flow tables: a flow takes the run-wide number of its first frame as its id, so flow_id stays
            // unique across engines. One engine keeps its table's own numbering.
            pipeline.Sequence = Interlocked.Increment(ref _frames);
        }
        EngineCounters counters = pipeline.Counters;
        long drops = counters.DropVerdicts;
        pipeline.Process(frame, originalLength, timestampNanoseconds, LinkType.Ethernet, 0);
        if (_totalsLock is null)
        {
            _totals.Count(directionIndex, originalLength);
        }
        else
        {
            lock (_totalsLock)
            {
                _totals.Count(directionIndex, originalLength);
            }
        }
        return counters.DropVerdicts != drops ? InlineVerdict.Drop : InlineVerdict.Pass;
    }

    private void RunEngine(int engine)
    {
        ManualResetEventSlim work = _work[engine];
        InlineInspector inspect = _inspect[engine];
        try
        {
            long nextTick = 0;
            while (true)
            {
                bool finishing = _finishing;
                long now = Environment.TickCount64;
                Volatile.Write(ref _heartbeats[engine], now);
                if (engine == 0 && now >= nextTick)
                {
                    nextTick = now + 1000;
                    Tick?.Invoke();
                }
                int served = 0;
                foreach (InlineDirection direction in _directions)
                {
                    for (int n = 0; n < BatchPerDirection && direction.TryServe(engine, inspect); n++)
                    {
                        served++;
                    }
                }
                if (served > 0)
                {
                    continue;
                }
                if (finishing)
                {
                    break;
                }
                // Reset before the last look at the rings: a frame handed over after it sets the event again.
                work.Reset();
                if (_directions[0].IsEmpty(engine) && _directions[1].IsEmpty(engine) && !_finishing)
                {
                    work.Wait(100);
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Without this engine every frame that shards to it times out and goes by the failure mode; the run
            // reports this at its end.
            Interlocked.CompareExchange(ref _engineFailure, e, null);
        }
    }
}
