using Visibility.Engine.Esp;
using Visibility.Engine.Events;
using Visibility.Engine.Flows;
using Visibility.Engine.Ike;
using Visibility.Wire;

namespace Visibility.Engine.Tests.Ike.Support;

/// <summary>Keeps copies of every IKE message record, IKE SA record, anomaly, ESP verdict and ended ESP flow.</summary>
internal sealed class IkeRecordingSink : IEventSink
{
    public List<IkeMessageSnapshot> Messages { get; } = [];

    public List<IkeSaSnapshot> Sas { get; } = [];

    public List<(long Frame, DecodeAnomaly Anomaly)> Anomalies { get; } = [];

    public List<(uint Spi, EspSaVerdict Verdict, EspVerdictReason Reason)> EspVerdicts { get; } = [];

    public List<(uint Spi, EspSaVerdict Verdict, int IcvLength, IkeSaLink Link, long NullPackets)> EspFlows { get; } = [];

    public void OnAnomaly(in PacketContext packet, DecodeAnomaly anomaly) => Anomalies.Add((packet.FrameNumber, anomaly));

    public void OnEspVerdict(in PacketContext packet, FlowState flow, in EspPacketVerdict verdict) =>
        EspVerdicts.Add((flow.Spi, flow.Esp.Verdict, verdict.Reason));

    public void OnInnerPacket(in PacketContext packet, ReadOnlySpan<byte> ipPacket)
    {
    }

    public void OnAlert(in PacketContext packet, in AlertEvent alert)
    {
    }

    public void OnFlowEnd(FlowState flow, FlowEndReason reason)
    {
        if (flow.Key.IsEsp)
        {
            EspFlows.Add((flow.Spi, flow.Esp.Verdict, flow.Esp.IcvLength, flow.IkeSa, flow.Esp.NullPackets));
        }
    }

    public void OnIkeMessage(in PacketContext packet, IkeMessageRecord message) => Messages.Add(IkeMessageSnapshot.From(message));

    public void OnIkeSaEnd(IkeSa sa) => Sas.Add(IkeSaSnapshot.From(sa));
}
