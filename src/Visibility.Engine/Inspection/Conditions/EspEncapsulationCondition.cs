using Visibility.Wire;

namespace Visibility.Engine.Inspection.Conditions;

/// <summary><c>esp.encap</c>: esp, udp, wesp or wesp-udp.</summary>
internal sealed class EspEncapsulationCondition(EspEncapsulation encapsulation) : PacketCondition
{
    public EspEncapsulation Encapsulation { get; } = encapsulation;

    public override bool IsMatch(in InspectionContext context) =>
        context.HasEsp && context.EspEncapsulation == Encapsulation;
}
