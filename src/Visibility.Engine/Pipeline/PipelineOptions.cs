using Visibility.Engine.Esp;
using Visibility.Engine.Ike;

namespace Visibility.Engine.Pipeline;

/// <summary>Limits and timeouts of one pipeline. Defaults suit a sensor on a busy link.</summary>
public sealed record PipelineOptions
{
    /// <summary>Most flows held at once; beyond it the flow idle longest is ended early ("forced").</summary>
    public int FlowCapacity { get; init; } = 1 << 18;

    /// <summary>A flow idle this long (packet time) is ended ("timeout").</summary>
    public TimeSpan FlowTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Thresholds of the ESP-NULL classifier.</summary>
    public EspClassifierOptions Esp { get; init; } = new();

    /// <summary>Most IP datagrams under reassembly at once.</summary>
    public int FragmentCapacity { get; init; } = 1024;

    /// <summary>A datagram not reassembled within this time (packet time) is dropped.</summary>
    public TimeSpan FragmentTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Hand every cleartext packet taken out of ESP-NULL or WESP to the sink
    /// (<see cref="Events.IEventSink.OnInnerPacket"/>). Off when nothing writes them: a transport-mode packet then needs
    /// no IP header built and no copy of its payload.</summary>
    public bool InnerPackets { get; init; } = true;

    /// <summary>Limits, timeouts and keys of the IKE tracker.</summary>
    public IkeTrackerOptions Ike { get; init; } = new();
}
