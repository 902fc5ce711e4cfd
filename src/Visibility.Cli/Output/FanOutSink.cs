using Visibility.Engine.Esp;
using Visibility.Engine.Events;
using Visibility.Engine.Flows;
using Visibility.Engine.Ike;
using Visibility.Wire;

namespace Visibility.Cli.Output;

/// <summary>Hands every event to several sinks in order (EVE writer, summary collector, ...).</summary>
internal sealed class FanOutSink : IEventSink
{
    private readonly IEventSink[] _sinks;

    public FanOutSink(params IEventSink[] sinks) => _sinks = sinks;

    public void OnAnomaly(in PacketContext packet, DecodeAnomaly anomaly)
    {
        foreach (IEventSink sink in _sinks)
        {
            sink.OnAnomaly(in packet, anomaly);
        }
    }

    public void OnEspVerdict(in PacketContext packet, FlowState flow, in EspPacketVerdict verdict)
    {
        foreach (IEventSink sink in _sinks)
        {
            sink.OnEspVerdict(in packet, flow, in verdict);
        }
    }

    public void OnInnerPacket(in PacketContext packet, ReadOnlySpan<byte> ipPacket)
    {
        foreach (IEventSink sink in _sinks)
        {
            sink.OnInnerPacket(in packet, ipPacket);
        }
    }

    public void OnAlert(in PacketContext packet, in AlertEvent alert)
    {
        foreach (IEventSink sink in _sinks)
        {
            sink.OnAlert(in packet, in alert);
        }
    }

    public void OnFlowEnd(FlowState flow, FlowEndReason reason)
    {
        foreach (IEventSink sink in _sinks)
        {
            sink.OnFlowEnd(flow, reason);
        }
    }

    public void OnIkeMessage(in PacketContext packet, IkeMessageRecord message)
    {
        foreach (IEventSink sink in _sinks)
        {
            sink.OnIkeMessage(in packet, message);
        }
    }

    public void OnIkeSaEnd(IkeSa sa)
    {
        foreach (IEventSink sink in _sinks)
        {
            sink.OnIkeSaEnd(sa);
        }
    }
}
