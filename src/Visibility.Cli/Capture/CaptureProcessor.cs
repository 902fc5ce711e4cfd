using System.Runtime.CompilerServices;
using Visibility.Cli.Metrics;
using Visibility.Engine.Pipeline;

namespace Visibility.Cli.Capture;

/// <summary>The processing thread of a live capture: takes frames out of every source's ring, in turn, and runs
/// them through the (single-threaded) pipeline. On stop it stops the sources, then drains what they captured.</summary>
/// <remarks>Idle, it spins briefly and then sleeps a millisecond at a time, so a quiet link costs no CPU and a
/// burst is absorbed by the rings. Live frames have frame number 0 and the capture header's time.</remarks>
internal sealed class CaptureProcessor : IMetricsSource
{
    private const int BatchPerSource = 256;
    private const int SpinsBeforeSleep = 64;

    /// <summary>How long sources keep delivering after a stop request: longer than the capture read timeout, so
    /// frames the kernel still holds in a partly filled block reach the ring.</summary>
    private static readonly TimeSpan s_stopGrace = TimeSpan.FromMilliseconds(250);

    private readonly IFrameSink _sink;
    private readonly ICaptureSource[] _sources;
    private readonly PacketSourceTotals _totals;
    private long _heartbeat;
    private long _nextTick;

    public CaptureProcessor(PacketPipeline pipeline, IReadOnlyList<ICaptureSource> sources, PacketSourceTotals totals)
        : this(new PipelineFrameSink(pipeline), sources, totals)
    {
    }

    /// <summary>A processor that hands frames to <paramref name="sink"/> (a session spreading them over workers).</summary>
    public CaptureProcessor(IFrameSink sink, IReadOnlyList<ICaptureSource> sources, PacketSourceTotals totals)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(totals);
        _sink = sink;
        _sources = [.. sources];
        _totals = totals;
        totals.SetFixedSources(_sources.Select(s => s.Name).ToArray());
    }

    /// <summary>Called on the processing thread about once a second (flush EVE, and the like).</summary>
    public Action? Tick { get; init; }

    /// <summary><see cref="Environment.TickCount64"/> of the processing loop's last turn (for a watchdog).</summary>
    public long Heartbeat => Volatile.Read(ref _heartbeat);

    /// <summary>Runs on the calling thread until <paramref name="stop"/> is cancelled and every captured frame is
    /// processed. The caller then ends the flows (<see cref="SensorSession.Complete"/>).</summary>
    // Runs for the whole capture: compiled fully optimised by the JIT (not precompiled, not left at a lower tier).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(CancellationToken stop)
    {
        foreach (ICaptureSource source in _sources)
        {
            source.Start();
        }
        int idle = 0;
        long stopAt = long.MaxValue;
        while (true)
        {
            long now = Environment.TickCount64;
            Volatile.Write(ref _heartbeat, now);
            if (stopAt == long.MaxValue && stop.IsCancellationRequested)
            {
                stopAt = now + (long)s_stopGrace.TotalMilliseconds;
            }
            if (now >= stopAt)
            {
                break;
            }
            if (now >= _nextTick)
            {
                _nextTick = now + 1000;
                Tick?.Invoke();
            }
            if (DrainOnce(BatchPerSource) > 0)
            {
                idle = 0;
                continue;
            }
            // Nothing new: frames held back for the workers go now, and their records as soon as they are done.
            _sink.Idle();
            if (++idle < SpinsBeforeSleep)
            {
                Thread.SpinWait(32);
            }
            else
            {
                Thread.Sleep(1);
            }
        }
        foreach (ICaptureSource source in _sources)
        {
            source.Stop();
        }
        while (DrainOnce(int.MaxValue) > 0)
        {
        }
        _sink.Idle();
    }

    /// <summary>Statistics of every source, in source order.</summary>
    public IReadOnlyList<(string Name, CaptureStatistics Statistics)> ReadStatistics()
    {
        var result = new List<(string, CaptureStatistics)>(_sources.Length);
        foreach (ICaptureSource source in _sources)
        {
            result.Add((source.Name, source.ReadStatistics()));
        }
        return result;
    }

    public void Collect(IMetricsWriter metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        foreach (ICaptureSource source in _sources)
        {
            CaptureStatistics s = source.ReadStatistics();
            metrics.CaptureDrops(source.Name, s.TotalDropped, s.RingOverflows);
        }
    }

    private int DrainOnce(int batch)
    {
        int processed = 0;
        for (int i = 0; i < _sources.Length; i++)
        {
            ICaptureSource source = _sources[i];
            FrameRing ring = source.Ring;
            int n = 0;
            while (n < batch && ring.TryPeek(out ReadOnlySpan<byte> frame, out int originalLength, out long timestamp))
            {
                _sink.Process(frame, originalLength, timestamp, source.LinkType, 0, i);
                _totals.Count(i, originalLength);
                ring.Release();
                n++;
            }
            processed += n;
        }
        return processed;
    }
}
