using Visibility.Engine.Esp;
using Visibility.Engine.Flows;
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

    /// <summary>A flow ended (timeout, eviction, or end of input); its record is final.</summary>
    void OnFlowEnd(FlowState flow, FlowEndReason reason);
}
