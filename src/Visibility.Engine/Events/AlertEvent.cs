using Visibility.Engine.Inspection;
using Visibility.Wire;

namespace Visibility.Engine.Events;

/// <summary>A rule matched a packet: the rule and the packet it inspected (the inner packet when it came out of
/// ESP-NULL/WESP, whose addresses then differ from the outer frame's).</summary>
public readonly struct AlertEvent
{
    public AlertEvent(Rule rule, NetworkAddress source, NetworkAddress destination, ushort sourcePort, ushort destinationPort,
        IPProtocol protocol, bool hasPorts, bool decapsulated)
    {
        Rule = rule;
        Source = source;
        Destination = destination;
        SourcePort = sourcePort;
        DestinationPort = destinationPort;
        Protocol = protocol;
        HasPorts = hasPorts;
        Decapsulated = decapsulated;
    }

    public Rule Rule { get; }

    public NetworkAddress Source { get; }

    public NetworkAddress Destination { get; }

    public ushort SourcePort { get; }

    public ushort DestinationPort { get; }

    public IPProtocol Protocol { get; }

    public bool HasPorts { get; }

    /// <summary>The inspected packet was taken out of ESP-NULL or WESP.</summary>
    public bool Decapsulated { get; }
}
