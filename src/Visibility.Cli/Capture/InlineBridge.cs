using Visibility.Cli.Metrics;
using Visibility.Engine.Events;
using Visibility.Engine.Pipeline;
using Visibility.Wire;

namespace Visibility.Cli.Capture;

/// <summary>The inline bridge: two ports, two directions, one engine thread. Every frame captured on one port is
/// inspected and injected on the other unless a <c>drop</c> rule matched it; the verdict latency (capture time to
/// decision) goes to the histogram.</summary>
/// <remarks>
/// Threads: each port's capture thread decides and forwards its frames in arrival order (see
/// <see cref="InlineDirection"/>); the engine thread runs the single-threaded pipeline over the frames of both
/// directions, so one flow's two directions meet in one flow table. On stop the ports stop first (their last frames
/// still get verdicts), then the engine serves what is left and ends.
/// </remarks>
internal sealed class InlineBridge : IMetricsSource, IDisposable
{
    private const int BatchPerDirection = 64;
    private const int RingBytes = 4 << 20;
    private static readonly string[] s_directionLabels = ["in_to_out", "out_to_in"];

    private readonly PacketPipeline _pipeline;
    private readonly PacketSourceTotals _totals;
    private readonly InlinePort[] _ports;
    private readonly InlineDirection[] _directions;
    private readonly ManualResetEventSlim _work = new(false, spinCount: 100);
    private readonly InlineInspector _inspect;
    private readonly MetricsExporter? _metrics;
    private readonly TimeSpan _engineDelay;
    private readonly InlinePort.FrameHandler _fromIn;
    private readonly InlinePort.FrameHandler _fromOut;
    private volatile bool _finishing;
    private long _heartbeat;

    public InlineBridge(PacketPipeline pipeline, PacketSourceTotals totals, InlinePort inPort, InlinePort outPort, InlineOptions options,
        MetricsExporter? metrics)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(inPort);
        ArgumentNullException.ThrowIfNull(outPort);
        ArgumentNullException.ThrowIfNull(options);
        _pipeline = pipeline;
        _totals = totals;
        _ports = [inPort, outPort];
        _directions =
        [
            new InlineDirection(s_directionLabels[0], 0, RingBytes, options.VerdictTimeout, options.FailClosed, _work),
            new InlineDirection(s_directionLabels[1], 1, RingBytes, options.VerdictTimeout, options.FailClosed, _work),
        ];
        _metrics = metrics;
        _engineDelay = options.EngineDelay;
        _inspect = Inspect;
        _fromIn = OnFrameFromIn;
        _fromOut = OnFrameFromOut;
        totals.SetFixedSources([inPort.Name, outPort.Name]);
    }

    /// <summary>Called on the engine thread about once a second (flush EVE, and the like).</summary>
    public Action? Tick { get; init; }

    /// <summary>Frames from <c>--in</c> (index 0) and from <c>--out</c> (index 1).</summary>
    public IReadOnlyList<InlineDirection> Directions => _directions;

    public IReadOnlyList<InlinePort> Ports => _ports;

    /// <summary>Capture time to forwarding decision, every frame of both directions.</summary>
    public InlineLatency Latency { get; } = new();

    /// <summary><see cref="Environment.TickCount64"/> of the engine loop's last turn (for a watchdog).</summary>
    public long Heartbeat => Volatile.Read(ref _heartbeat);

    /// <summary>What ended the engine thread early (the bridge then fails open or closed on every frame), or null.</summary>
    public Exception? EngineFailure { get; private set; }

    /// <summary>Bridges until <paramref name="stop"/> is cancelled, then stops the ports and lets the engine finish.
    /// The caller then ends the flows (<see cref="SensorSession.Complete"/>).</summary>
    public void Run(CancellationToken stop)
    {
        var engine = new Thread(RunEngine) { Name = "visibility-inline-engine", IsBackground = false };
        engine.Start();
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
            _work.Set();
            engine.Join();
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

    public void Dispose() => _work.Dispose();

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

    /// <summary>Engine thread: one frame through the pipeline; a <c>drop</c> rule that matched it (one drop verdict
    /// counted while it was processed) holds it back.</summary>
    private InlineVerdict Inspect(ReadOnlySpan<byte> frame, int originalLength, long timestampNanoseconds, int directionIndex)
    {
        if (_engineDelay > TimeSpan.Zero)
        {
            Thread.Sleep(_engineDelay);
            if (_directions[directionIndex].ServingAbandoned)
            {
                return InlineVerdict.Skipped;
            }
        }
        EngineCounters counters = _pipeline.Counters;
        long drops = counters.DropVerdicts;
        _pipeline.Process(frame, originalLength, timestampNanoseconds, LinkType.Ethernet, 0);
        _totals.Count(directionIndex, originalLength);
        return counters.DropVerdicts != drops ? InlineVerdict.Drop : InlineVerdict.Pass;
    }

    private void RunEngine()
    {
        try
        {
            long nextTick = 0;
            while (true)
            {
                bool finishing = _finishing;
                long now = Environment.TickCount64;
                Volatile.Write(ref _heartbeat, now);
                if (now >= nextTick)
                {
                    nextTick = now + 1000;
                    Tick?.Invoke();
                }
                int served = 0;
                foreach (InlineDirection direction in _directions)
                {
                    for (int n = 0; n < BatchPerDirection && direction.TryServe(_inspect); n++)
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
                _work.Reset();
                if (_directions[0].Ring.IsEmpty && _directions[1].Ring.IsEmpty && !_finishing)
                {
                    _work.Wait(100);
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Without an engine every frame times out and goes by the failure mode; the run reports this at its end.
            EngineFailure = e;
        }
    }
}
