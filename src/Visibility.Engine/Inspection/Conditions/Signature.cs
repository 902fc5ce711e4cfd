using System.Runtime.CompilerServices;
using Visibility.Engine.Inspection.Thresholds;

namespace Visibility.Engine.Inspection.Conditions;

/// <summary>The compiled matching part of a rule: header sets, typed conditions and buffer programs, all parsed
/// once at load (Suricata's Setup). Immutable, so one signature serves every <see cref="RuleSet"/> and thread.</summary>
internal sealed class Signature
{
    public required RuleProtocol Protocol { get; init; }

    public required AddressSet Source { get; init; }

    public required PortSet SourcePorts { get; init; }

    public required AddressSet Destination { get; init; }

    public required PortSet DestinationPorts { get; init; }

    /// <summary>True for <c>&lt;&gt;</c>: the header also matches with source and destination swapped.</summary>
    public required bool Bidirectional { get; init; }

    public required PacketCondition[] Conditions { get; init; }

    public required BufferProgram? Payload { get; init; }

    public required BufferProgram? RedirectGateway { get; init; }

    /// <summary>The payload content the prefilter looks for; null when the rule has no positive payload content.</summary>
    public required ContentItem? FastPattern { get; init; }

    public required ThresholdSpec? Threshold { get; init; }

    public required ThresholdSpec? DetectionFilter { get; init; }

    public static bool ProtocolMatches(RuleProtocol protocol, in InspectionContext context) =>
        (!context.CleartextInspected || protocol == RuleProtocol.Esp) && protocol switch
        {
            RuleProtocol.Ip => true,
            RuleProtocol.Tcp => context.Protocol == InspectionProtocol.Tcp,
            RuleProtocol.Udp => context.Protocol is InspectionProtocol.Udp or InspectionProtocol.Ike
                || (context.Protocol == InspectionProtocol.Esp && context.HasPorts),
            RuleProtocol.Icmp => context.Protocol == InspectionProtocol.Icmp,
            RuleProtocol.Esp => context.Protocol == InspectionProtocol.Esp,
            RuleProtocol.Ike => context.Protocol == InspectionProtocol.Ike,
            _ => false,
        };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool IsMatch(in InspectionContext context, in AddressKey source, in AddressKey destination,
        ref ScanBuffer payload, ref ScanBuffer redirectGateway)
    {
        if (!ProtocolMatches(Protocol, context) || !HeaderMatches(context, source, destination))
        {
            return false;
        }
        foreach (PacketCondition condition in Conditions)
        {
            if (!condition.IsMatch(context))
            {
                return false;
            }
        }
        if (Payload is not null && !Payload.IsMatch(ref payload))
        {
            return false;
        }
        return RedirectGateway is null || RedirectGateway.IsMatch(ref redirectGateway);
    }

    private bool HeaderMatches(in InspectionContext context, in AddressKey source, in AddressKey destination)
    {
        bool hasPorts = context.HasPorts;
        if (Source.Contains(source) && Destination.Contains(destination)
            && SourcePorts.Contains(hasPorts, context.SourcePort) && DestinationPorts.Contains(hasPorts, context.DestinationPort))
        {
            return true;
        }
        return Bidirectional
            && Source.Contains(destination) && Destination.Contains(source)
            && SourcePorts.Contains(hasPorts, context.DestinationPort) && DestinationPorts.Contains(hasPorts, context.SourcePort);
    }
}
