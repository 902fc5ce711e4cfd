namespace Visibility.Engine.Inspection.Conditions;

/// <summary><c>esp.icv_len</c>: the ICV length in bytes the SA was found to use.</summary>
internal sealed class EspIcvLengthCondition(NumericComparison comparison) : PacketCondition
{
    public NumericComparison Comparison { get; } = comparison;

    public override bool IsMatch(in InspectionContext context) =>
        context.HasEsp && Comparison.IsMatch((ulong)Math.Max(context.EspIcvLength, 0));
}
