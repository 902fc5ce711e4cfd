using System.Runtime.CompilerServices;
using Visibility.Cli.Eve;
using Visibility.Cli.Metrics;
using Visibility.Cli.Output;
using Visibility.Engine.Events;
using Visibility.Engine.Inspection;
using Visibility.Engine.Pipeline;
using Visibility.Wire;

namespace Visibility.Cli.Capture;

/// <summary>One worker of a <see cref="ShardedPipeline"/>: its own <see cref="PacketPipeline"/> (flow table, ESP
/// classifier, IKE tracker, rule evaluator) and writers, fed the packets whose address pair hashes to it.</summary>
/// <remarks>Every worker sees every batch: it processes its own packets and only moves its clock on the others, so
/// flows and IKE SAs time out at the same packet as with one worker. Its EVE lines and inner packets go to the
/// batch's <see cref="WorkerOutput"/>, tagged for the merge.</remarks>
internal sealed class ShardWorker
{
    /// <summary>Flows ended between two writes at the end of the run (see <see cref="Finish"/>).</summary>
    public const int FinalFlowsPerWrite = 1024;

    private readonly RecordBufferStream _eveStream = new();
    private readonly RecordBufferStream _innerStream = new();
    private readonly EveWriter? _eve;
    private readonly InnerPacketWriter? _inner;
    private readonly OrderingSink? _ordering;
    private readonly IReadOnlyList<string> _sourceNames;
    private int _source = -1;

    /// <summary>A worker of a sharded session: it writes into the batch outputs, tagged for the merge.</summary>
    public ShardWorker(int index, PipelineOptions options, RuleSet rules, bool eve, bool inner, IReadOnlyList<string> sourceNames)
    {
        Index = index;
        _sourceNames = sourceNames;
        var sinks = new List<IEventSink>();
        if (eve)
        {
            _eve = new EveWriter(_eveStream, ownsStream: false);
            sinks.Add(_eve);
        }
        sinks.Add(Summary);
        if (inner)
        {
            // The file header goes nowhere: the session writes it once.
            _inner = new InnerPacketWriter(_innerStream) { FlushEachPacket = true };
            _inner.Flush();
            sinks.Add(_inner);
        }
        sinks.Add(EspMetrics);
        sinks.Add(RuleMetrics);
        _ordering = new OrderingSink(new FanOutSink([.. sinks]), Summary);
        Pipeline = new PacketPipeline(options, _ordering) { Rules = rules };
    }

    /// <summary>A worker of a direct session (the one worker, or one of the concurrent ones): its pipeline writes
    /// straight to <paramref name="eve"/> and <paramref name="inner"/> as records happen.</summary>
    public ShardWorker(PipelineOptions options, RuleSet rules, EveWriter? eve, InnerPacketWriter? inner)
    {
        _sourceNames = [];
        _eve = eve;
        var sinks = new List<IEventSink>();
        if (eve is not null)
        {
            sinks.Add(eve);
        }
        sinks.Add(Summary);
        if (inner is not null)
        {
            sinks.Add(inner);
        }
        sinks.Add(EspMetrics);
        sinks.Add(RuleMetrics);
        Pipeline = new PacketPipeline(options, new FanOutSink([.. sinks])) { Rules = rules };
    }

    public int Index { get; }

    public PacketPipeline Pipeline { get; }

    public SummaryCollector Summary { get; } = new();

    public EspMetricsSink EspMetrics { get; } = new();

    public RuleMatchSink RuleMetrics { get; } = new();

    /// <summary>This worker's EVE writer, or null.</summary>
    public EveWriter? Eve => _eve;

    /// <summary>EVE records this worker wrote.</summary>
    public long EveRecords => _eve?.Records ?? 0;

    /// <summary>What metrics read from this worker.</summary>
    public PipelineMetrics Metrics => new(Pipeline, EspMetrics, RuleMetrics);

    /// <summary>Runs one batch: the time step of every packet, the processing of this worker's own; on the final
    /// batch, the end of every flow and IKE SA.</summary>
    // Loops over a batch: compiled fully optimised by the JIT rather than run as precompiled code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Process(PacketBatch batch)
    {
        Begin(batch);
        int count = batch.Count;
        for (int i = 0; i < count; i++)
        {
            Step(batch.FirstSequence + i, batch.Source(i), batch.Worker(i) == Index, batch.Frame(i), batch.OriginalLength(i), batch.Timestamp(i), batch.LinkType(i), batch.FrameNumber(i));
        }
        if (batch.EndFlowsSeenUpTo > 0)
        {
            _ordering!.BeginFinal();
            Pipeline.EndFlowsSeenUpTo(batch.EndFlowsSeenUpTo);
        }
        if (batch.IsFinal)
        {
            Finish();
        }
    }

    /// <summary>Points this worker's records at <paramref name="batch"/>'s output for it (before <see cref="Step"/>).</summary>
    public void Begin(PacketBatch batch)
    {
        OrderingSink ordering = _ordering ?? throw new InvalidOperationException("a direct worker takes no batches");
        WorkerOutput output = batch.Outputs[Index];
        ordering.Output = output;
        _eveStream.Target = output.Eve;
        _innerStream.Target = output.Inner;
    }

    /// <summary>One packet of the run: its time step, and its processing when <paramref name="own"/>. The sole worker
    /// of a session calls this with the reader's frame, which needs no copy into the batch.</summary>
    public void Step(long sequence, int source, bool own, ReadOnlySpan<byte> frame, int originalLength, long timestamp, LinkType linkType, long frameNumber)
    {
        OrderingSink ordering = _ordering!;
        if (source != _source)
        {
            SetSource(source);
        }
        ordering.BeginPacket(sequence);
        PacketPipeline pipeline = Pipeline;
        pipeline.Sequence = sequence;
        pipeline.AdvanceTime(timestamp);
        if (own)
        {
            ordering.BeginProcessing();
            pipeline.Process(frame, originalLength, timestamp, linkType, frameNumber);
        }
    }

    /// <summary>The end of the run: every flow and IKE SA ends (into the output of the current batch).</summary>
    /// <param name="writeSoFar">When given (the sole worker, whose output is written as it comes), called after every
    /// <see cref="FinalFlowsPerWrite"/> flows to write their records, so the output buffer holds one piece of a long
    /// run's final records rather than all of them. The pieces keep the canonical order: flows end oldest first,
    /// which is their order (<see cref="OrderPhase.FinalFlows"/>), and nothing else is written until they all have.</param>
    public void Finish(Action? writeSoFar = null)
    {
        _ordering!.BeginFinal();
        if (writeSoFar is not null)
        {
            while (Pipeline.EndOldestFlows(FinalFlowsPerWrite))
            {
                writeSoFar();
            }
        }
        Pipeline.Finish();
    }

    private void SetSource(int source)
    {
        _source = source;
        string? name = source >= 0 ? _sourceNames[source] : null;
        Pipeline.SourceName = name;
        if (_eve is not null)
        {
            _eve.SourceName = name;
        }
    }
}
