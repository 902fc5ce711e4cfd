using Visibility.Wire;

namespace Visibility.Engine.Inspection.Conditions;

/// <summary><c>decode-event</c>: the packet raised this decode anomaly.</summary>
internal sealed class DecodeEventCondition(DecodeAnomaly anomaly) : PacketCondition
{
    public DecodeAnomaly Anomaly { get; } = anomaly;

    public override bool IsMatch(in InspectionContext context) => context.Anomaly == Anomaly;
}
