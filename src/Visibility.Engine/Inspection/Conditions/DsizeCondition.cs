namespace Visibility.Engine.Inspection.Conditions;

/// <summary><c>dsize</c>: the payload length.</summary>
internal sealed class DsizeCondition(NumericComparison comparison) : PacketCondition
{
    public NumericComparison Comparison { get; } = comparison;

    public override bool IsMatch(in InspectionContext context) => Comparison.IsMatch((ulong)context.Payload.Length);
}
