using Visibility.Engine.Flows;
using Visibility.Wire;

namespace Visibility.Engine.Events;

/// <summary>Receives what the engine finds. Called on the processing thread, in packet order.</summary>
/// <remarks>Implementations must not keep the spans or the <see cref="FlowState"/> beyond the call.</remarks>
public interface IEventSink
{
    /// <summary>A packet (or one layer of it) was malformed or truncated.</summary>
    void OnAnomaly(in PacketContext packet, DecodeAnomaly anomaly);

    /// <summary>A flow ended (timeout, eviction, or end of input); its record is final.</summary>
    void OnFlowEnd(FlowState flow, FlowEndReason reason);
}
