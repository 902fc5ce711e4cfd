using Visibility.Cli.Eve;
using Visibility.Cli.Metrics;
using Visibility.Cli.Output;
using Visibility.Engine.Events;
using Visibility.Engine.Inspection;
using Visibility.Engine.Pipeline;
using Visibility.Wire;
using Visibility.Wire.Pcap;

namespace Visibility.Cli.Capture;

/// <summary>One run of the sensor over capture files or live interfaces: its outputs (EVE, inner packets, summary,
/// per-source totals, metrics endpoint) and its pipelines, shared by <c>replay</c>, <c>live</c> and the service.
/// <see cref="Complete"/> ends it the way the contract says: open flows are ended and written, the stats record
/// follows, EVE is flushed.</summary>
/// <remarks>Two ways to run. Direct (one worker, not ordered): frames go through one pipeline on the reader's
/// thread and records are written as they happen (<see cref="Pipeline"/> is that pipeline). Sharded (several
/// workers, or ordered output): a <see cref="ShardedPipeline"/> spreads frames over the workers by address pair and
/// merges their records into the canonical order, the same for any number of workers. Concurrent (several workers,
/// <see cref="SessionSettings.Concurrent"/>; inline): the caller runs each worker's pipeline on a thread of its own
/// and records are written as they happen, each whole (<see cref="SharedRecordStream"/>).</remarks>
internal sealed class SensorSession : IFrameSink, IDisposable
{
    private readonly Stream? _eveStream;
    private readonly Stream? _innerStream;
    private readonly InnerPacketWriter? _innerWriter;
    private readonly ShardWorker[] _workers;
    private readonly ShardedPipeline? _sharded;
    private readonly bool _concurrent;
    private readonly EngineCounters _readerCounters = new();
    private readonly EngineCounters _totals = new();
    private SummaryCollector? _summary;
    private bool _completed;

    /// <summary>Opens the outputs and builds the pipelines; throws <see cref="OutputException"/> with a one-line
    /// reason when an output cannot be created. The metrics endpoint is built, not started
    /// (<see cref="StartMetrics"/>).</summary>
    public SensorSession(SessionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Workers, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(settings.Workers, 64);
        // The pipelines hand out cleartext packets only for --write-inner.
        settings = settings with { Pipeline = settings.Pipeline with { InnerPackets = settings.WriteInnerPath is not null } };
        Settings = settings;
        _eveStream = OpenEve(settings);
        try
        {
            if (settings.WriteInnerPath is not null)
            {
                _innerStream = OpenInner(settings.WriteInnerPath);
            }
        }
        catch
        {
            _eveStream?.Dispose();
            throw;
        }
        _concurrent = settings.Concurrent && settings.Workers > 1 && !settings.Ordered;
        var eveGate = new Lock();
        Eve = _eveStream is null ? null : new EveWriter(_concurrent ? new SharedRecordStream(_eveStream, eveGate, recordPerFlush: false) : _eveStream, ownsStream: false);
        bool direct = settings.Workers == 1 && !settings.Ordered;
        if (_concurrent)
        {
            _workers = CreateConcurrentWorkers(settings, _eveStream, eveGate, _innerStream);
            Sources = new PacketSourceTotals(_workers[0].Pipeline.Counters);
        }
        else if (direct)
        {
            if (_innerStream is not null)
            {
                _innerWriter = new InnerPacketWriter(_innerStream);
            }
            var worker = new ShardWorker(settings.Pipeline, settings.Rules, Eve, _innerWriter);
            _workers = [worker];
            Sources = new PacketSourceTotals(worker.Pipeline.Counters);
        }
        else
        {
            _workers = new ShardWorker[settings.Workers];
            for (int i = 0; i < _workers.Length; i++)
            {
                _workers[i] = new ShardWorker(i, settings.Pipeline, settings.Rules, Eve is not null, _innerStream is not null, settings.SourceNames);
            }
            if (_innerStream is not null)
            {
                // The file header; the workers' records follow it in merge order.
                using var header = new PcapFileWriter(_innerStream, LinkType.Raw, leaveOpen: true);
            }
            _sharded = new ShardedPipeline(_workers, new OrderedOutput(_eveStream, _innerStream));
            Sources = new PacketSourceTotals(_readerCounters);
        }
        if (settings.MetricsListen is not null)
        {
            Metrics = new MetricsExporter(settings.MetricsListen, [.. _workers.Select(w => w.Pipeline)], Sources);
            Metrics.AddSource(new PipelineMetricsSource([.. _workers.Select(w => w.Metrics)]));
        }
    }

    public SessionSettings Settings { get; }

    /// <summary>Batches the end of the run took before the final one (ordered sessions with worker threads).</summary>
    internal int FinalPieces => _sharded?.FinalPieces ?? 0;

    /// <summary>The pipeline, when the session runs direct (one worker, not ordered).</summary>
    public PacketPipeline Pipeline => _sharded is null && !_concurrent
        ? _workers[0].Pipeline
        : throw new InvalidOperationException("a sharded session has one pipeline per worker");

    /// <summary>The workers (one when direct).</summary>
    public IReadOnlyList<ShardWorker> Workers => _workers;

    /// <summary>The final EVE writer (direct: every record; sharded: the stats record after the merged ones).</summary>
    public EveWriter? Eve { get; }

    /// <summary>What the end-of-run summary shows, over every worker (merged at <see cref="Complete"/>).</summary>
    public SummaryCollector Summary => _summary ?? (_workers.Length == 1 && _sharded is null ? _workers[0].Summary : SummaryCollector.Merge([.. _workers.Select(w => w.Summary)]));

    /// <summary>The engine counters summed over every worker (read after <see cref="Complete"/>, or for a glance).</summary>
    public EngineCounters Counters
    {
        get
        {
            if (_sharded is null && !_concurrent)
            {
                return _workers[0].Pipeline.Counters;
            }
            _totals.Reset();
            foreach (ShardWorker worker in _workers)
            {
                _totals.Add(worker.Pipeline.Counters);
            }
            return _totals;
        }
    }

    /// <summary>Packet time of the newest packet (every worker's clock sees every packet).</summary>
    public long Now => _workers.Max(w => w.Pipeline.Now);

    public PacketSourceTotals Sources { get; }

    public MetricsExporter? Metrics { get; }

    /// <summary>EVE records written (valid after <see cref="Complete"/> too).</summary>
    public long EveRecords { get; private set; }

    /// <summary>Starts the metrics endpoint, if any; throws <see cref="MetricsException"/> with a one-line reason.</summary>
    public void StartMetrics() => Metrics?.Start();

    /// <summary>Direct sessions: the input now being read (a file name for replay), for <c>pcap_filename</c>.</summary>
    public void BeginSource(string? name)
    {
        if (_sharded is null)
        {
            _workers[0].Pipeline.SourceName = name;
            if (Eve is not null)
            {
                Eve.SourceName = name;
            }
        }
    }

    /// <summary>Any thread (a reload): puts <paramref name="rules"/> in force on every worker's pipeline, each swapped
    /// whole between two of its packets.</summary>
    public void SwapRules(RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        foreach (ShardWorker worker in _workers)
        {
            worker.Pipeline.Rules = rules;
        }
    }

    /// <summary>Reader thread: one frame.</summary>
    public void Process(ReadOnlySpan<byte> frame, int originalLength, long timestampNanoseconds, LinkType linkType, long frameNumber, int source)
    {
        if (_concurrent)
        {
            throw new InvalidOperationException("a concurrent session's workers are run by the caller's threads");
        }
        if (_sharded is null)
        {
            _workers[0].Pipeline.Process(frame, originalLength, timestampNanoseconds, linkType, frameNumber);
            return;
        }
        _readerCounters.Packets++;
        _readerCounters.Bytes += originalLength;
        _sharded.Add(frame, originalLength, timestampNanoseconds, linkType, frameNumber, source);
    }

    /// <summary>Reader thread: input went quiet; held-back frames are processed and their records written.</summary>
    public void Idle() => _sharded?.Flush();

    /// <summary>Ends open flows, writes the stats record and flushes EVE. Call once, when reading has stopped.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }
        _completed = true;
        if (_sharded is null)
        {
            // Direct or concurrent: the threads that ran the workers have stopped.
            foreach (ShardWorker worker in _workers)
            {
                worker.Pipeline.Finish();
            }
        }
        else
        {
            _sharded.Complete();
        }
        _summary = Summary;
        if (Eve is not null)
        {
            Eve.WriteStats(Now, Counters, DefragTotals.Sum(_workers.Select(w => w.Pipeline.Defrag)),
                EveRunTotals.Collect([.. _workers.Select(w => w.Metrics)], _summary));
            EveRecords = Eve.Records + (_sharded is null && !_concurrent ? 0 : _workers.Sum(w => w.EveRecords));
        }
        CloseOutputs();
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
            _sharded?.Dispose();
            CloseOutputs();
        }
    }

    private void CloseOutputs()
    {
        Eve?.Dispose();
        _eveStream?.Dispose();
        _innerWriter?.Dispose();
        _innerStream?.Dispose();
    }

    /// <summary>Concurrent workers: each has its own EVE writer and inner-packet writer, handing whole records to the
    /// shared outputs; the inner file's header is written once, here.</summary>
    private static ShardWorker[] CreateConcurrentWorkers(SessionSettings settings, Stream? eveStream, Lock eveGate, Stream? innerStream)
    {
        var workers = new ShardWorker[settings.Workers];
        var innerGate = new Lock();
        if (innerStream is not null)
        {
            using var header = new PcapFileWriter(innerStream, LinkType.Raw, leaveOpen: true);
        }
        for (int i = 0; i < workers.Length; i++)
        {
            EveWriter? eve = eveStream is null ? null : new EveWriter(new SharedRecordStream(eveStream, eveGate, recordPerFlush: false), ownsStream: false);
            InnerPacketWriter? inner = null;
            if (innerStream is not null)
            {
                var shared = new SharedRecordStream(innerStream, innerGate, recordPerFlush: true) { Muted = true };
                inner = new InnerPacketWriter(shared) { FlushEachPacket = true };
                inner.Flush();
                shared.Muted = false;
            }
            workers[i] = new ShardWorker(settings.Pipeline, settings.Rules, eve, inner);
        }
        return workers;
    }

    private static Stream? OpenEve(SessionSettings settings)
    {
        try
        {
            if (settings.EvePath == "-")
            {
                return new BufferedStream(Console.OpenStandardOutput(), 1 << 16);
            }
            if (settings.EvePath is null)
            {
                return null;
            }
            return settings.EveRotateBytes is long rotate
                ? new RotatingFileStream(settings.EvePath, rotate, settings.EveRotateKeep)
                : new FileStream(settings.EvePath, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new OutputException($"cannot write EVE output '{settings.EvePath}': {e.Message}", e);
        }
    }

    private static FileStream OpenInner(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new OutputException($"cannot write inner packets to '{path}': {e.Message}", e);
        }
    }
}
