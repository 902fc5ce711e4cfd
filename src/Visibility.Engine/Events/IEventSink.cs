using Visibility.Engine.Esp;
using Visibility.Engine.Flows;
using Visibility.Engine.Ike;
using Visibility.Wire;

namespace Visibility.Engine.Events;

/// <summary>Receives what the engine finds. Called on the processing thread, in packet order.</summary>
/// <remarks>Implementations must not keep the spans or the <see cref="FlowState"/> beyond the call.</remarks>
public interface IEventSink
{
    /// <summary>A packet (or one layer of it) was malformed or truncated.</summary>
    void OnAnomaly(in PacketContext packet, DecodeAnomaly anomaly);

    /// <summary>An ESP SA's verdict was decided or changed on this packet (EVE <c>esp</c> record).</summary>
    void OnEspVerdict(in PacketContext packet, FlowState flow, in EspPacketVerdict verdict);

    /// <summary>A cleartext packet came out of ESP-NULL or WESP: <paramref name="ipPacket"/> is a whole IP packet (the
    /// inner packet in tunnel mode; in transport mode an IP header built from the outer one and the payload).</summary>
    void OnInnerPacket(in PacketContext packet, ReadOnlySpan<byte> ipPacket);

    /// <summary>A rule matched the packet (once per packet and signature; pass rules are not reported).</summary>
    void OnAlert(in PacketContext packet, in AlertEvent alert);

    /// <summary>A flow ended (timeout, eviction, or end of input); its record is final.</summary>
    void OnFlowEnd(FlowState flow, FlowEndReason reason);

    /// <summary>One IKE datagram was read (EVE <c>ike</c>): exactly one call per IKE packet (UDP 500, or UDP 4500 after
    /// the non-ESP marker; every IKE fragment on its own), IKEv1 included. Not called for datagrams too short for an
    /// IKE header (those are anomalies only). <paramref name="message"/> is reused for the next packet.</summary>
    void OnIkeMessage(in PacketContext packet, IkeMessageRecord message)
    {
    }

    /// <summary>An IKE SA's record is final (EVE <c>ike_sa</c>): it reached a terminal state, timed out, was evicted, or
    /// the input ended (<see cref="IkeSa.End"/>). The object is reused afterwards.</summary>
    void OnIkeSaEnd(IkeSa sa)
    {
    }
}
