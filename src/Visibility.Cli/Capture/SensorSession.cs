using Visibility.Cli.Eve;
using Visibility.Cli.Metrics;
using Visibility.Cli.Output;
using Visibility.Engine.Events;
using Visibility.Engine.Pipeline;

namespace Visibility.Cli.Capture;

/// <summary>One run of the sensor over live interfaces or files: the pipeline and its outputs (EVE, summary
/// collector, per-source totals, metrics endpoint). <see cref="Complete"/> ends it the way the contract says: open
/// flows are ended and written, the stats record follows, EVE is flushed.</summary>
internal sealed class SensorSession : IDisposable
{
    private readonly Stream? _eveStream;
    private bool _completed;

    /// <summary>Opens the EVE output and builds the pipeline; throws <see cref="IOException"/>,
    /// <see cref="UnauthorizedAccessException"/> or <see cref="ArgumentException"/> when the output cannot be
    /// created. The metrics endpoint is built, not started (<see cref="StartMetrics"/>).</summary>
    public SensorSession(SessionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        if (settings.EvePath == "-")
        {
            _eveStream = new BufferedStream(Console.OpenStandardOutput(), 1 << 16);
        }
        else if (settings.EvePath is not null)
        {
            _eveStream = settings.EveRotateBytes is long rotate
                ? new RotatingFileStream(settings.EvePath, rotate, settings.EveRotateKeep)
                : new FileStream(settings.EvePath, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
        }
        Eve = _eveStream is null ? null : new EveWriter(_eveStream, ownsStream: true);
        IEventSink sink = Eve is null ? Summary : new FanOutSink(Eve, Summary);
        Pipeline = new PacketPipeline(settings.Pipeline, sink) { Rules = settings.Rules };
        Sources = new PacketSourceTotals(Pipeline.Counters);
        if (settings.MetricsListen is not null)
        {
            Metrics = new MetricsExporter(settings.MetricsListen, Pipeline, Sources);
        }
    }

    public SessionSettings Settings { get; }

    public PacketPipeline Pipeline { get; }

    public EveWriter? Eve { get; }

    public SummaryCollector Summary { get; } = new();

    public PacketSourceTotals Sources { get; }

    public MetricsExporter? Metrics { get; }

    /// <summary>EVE records written (valid after <see cref="Complete"/> too).</summary>
    public long EveRecords { get; private set; }

    /// <summary>Starts the metrics endpoint, if any; throws <see cref="MetricsException"/> with a one-line reason.</summary>
    public void StartMetrics() => Metrics?.Start();

    /// <summary>Ends open flows, writes the stats record and flushes EVE. Call once processing has stopped.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }
        _completed = true;
        Pipeline.Finish();
        if (Eve is not null)
        {
            Eve.WriteStats(Pipeline.Now, Pipeline.Counters, Pipeline.Defrag);
            EveRecords = Eve.Records;
            Eve.Dispose();
        }
    }

    /// <summary>Flushes EVE so far (for a service that wants records on disk while it runs).</summary>
    public void FlushEve()
    {
        if (!_completed)
        {
            Eve?.Flush();
        }
    }

    public void Dispose()
    {
        Metrics?.Dispose();
        if (!_completed)
        {
            Eve?.Dispose();
        }
    }
}
