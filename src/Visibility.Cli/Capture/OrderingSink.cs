using Visibility.Cli.Output;
using Visibility.Engine.Esp;
using Visibility.Engine.Events;
using Visibility.Engine.Flows;
using Visibility.Engine.Ike;
using Visibility.Wire;

namespace Visibility.Cli.Capture;

/// <summary>A worker's event sink: hands each event to the worker's writers and notes, for what they wrote, the
/// event's <see cref="OrderKey"/>, so the outputs of all workers can be merged into one order that does not depend
/// on the number of workers.</summary>
/// <remarks>Records caused by a packet take its run-wide sequence number. Moving time forward can end flows and IKE
/// SAs on every worker at the same packet: those records are ordered by their subject (a flow by its last packet,
/// which is the order the flow table expires them in; an IKE SA by its end, state, start and SPIs), ahead of the
/// packet's own records. The end of the run orders the remaining flows and IKE SAs the same way.</remarks>
internal sealed class OrderingSink : IEventSink
{
    private readonly IEventSink _writers;
    private readonly SummaryCollector _summary;
    private WorkerOutput _output = new();
    private long _sequence;
    private bool _processing;
    private bool _final;
    private long _emission;
    private int _eveStart;
    private int _innerStart;
    private OrderKey _key;

    public OrderingSink(IEventSink writers, SummaryCollector summary)
    {
        _writers = writers;
        _summary = summary;
    }

    /// <summary>Where the writers' bytes go now (the worker points its streams at the same output).</summary>
    public WorkerOutput Output
    {
        get => _output;
        set => _output = value;
    }

    /// <summary>Events from now on belong to packet <paramref name="sequence"/>: first its time step, then (when this
    /// worker owns it) its processing.</summary>
    public void BeginPacket(long sequence)
    {
        _sequence = sequence;
        _processing = false;
        _emission = 0;
    }

    /// <summary>The packet's own processing starts (after its time step).</summary>
    public void BeginProcessing() => _processing = true;

    /// <summary>The end of the run: remaining flows and IKE SAs.</summary>
    public void BeginFinal()
    {
        _sequence = long.MaxValue;
        _final = true;
        _processing = false;
    }

    public void OnAnomaly(in PacketContext packet, DecodeAnomaly anomaly)
    {
        Before(PacketKey());
        _writers.OnAnomaly(in packet, anomaly);
        After();
    }

    public void OnEspVerdict(in PacketContext packet, FlowState flow, in EspPacketVerdict verdict)
    {
        Before(PacketKey());
        _writers.OnEspVerdict(in packet, flow, in verdict);
        After();
    }

    public void OnInnerPacket(in PacketContext packet, ReadOnlySpan<byte> ipPacket)
    {
        Before(PacketKey());
        _writers.OnInnerPacket(in packet, ipPacket);
        After();
    }

    public void OnAlert(in PacketContext packet, in AlertEvent alert)
    {
        Before(PacketKey());
        _writers.OnAlert(in packet, in alert);
        After();
    }

    public void OnFlowEnd(FlowState flow, FlowEndReason reason)
    {
        Before(_processing ? PacketKey() : new OrderKey(_sequence, _final ? OrderPhase.FinalFlows : OrderPhase.ExpiredFlows, flow.LastSequence, flow.Id, 0, 0));
        _writers.OnFlowEnd(flow, reason);
        After();
    }

    public void OnIkeMessage(in PacketContext packet, IkeMessageRecord message)
    {
        Before(PacketKey());
        _writers.OnIkeMessage(in packet, message);
        After();
    }

    public void OnIkeSaEnd(IkeSa sa)
    {
        Before(_processing
            ? PacketKey()
            : new OrderKey(_sequence, _final ? OrderPhase.FinalIkeSas : OrderPhase.ExpiredIkeSas, ((long)sa.End << 8) | (long)sa.State,
                sa.StartNanoseconds, sa.InitiatorSpi, sa.ResponderSpi));
        _writers.OnIkeSaEnd(sa);
        After();
    }

    private OrderKey PacketKey() => new(_sequence, OrderPhase.Packet, _emission++, 0, 0, 0);

    private void Before(OrderKey key)
    {
        _key = key;
        _summary.CurrentKey = key;
        _eveStart = _output.Eve.Length;
        _innerStart = _output.Inner.Length;
    }

    private void After()
    {
        int eve = _output.Eve.Length - _eveStart;
        int inner = _output.Inner.Length - _innerStart;
        if (eve != 0 || inner != 0)
        {
            _output.Entries.Add(new OutputEntry(_key, _eveStart, eve, _innerStart, inner));
        }
    }
}
