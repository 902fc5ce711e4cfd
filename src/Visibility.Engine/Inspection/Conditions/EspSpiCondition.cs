namespace Visibility.Engine.Inspection.Conditions;

/// <summary><c>esp.spi</c>: the SPI of the SA the packet travelled on.</summary>
internal sealed class EspSpiCondition(NumericComparison comparison) : PacketCondition
{
    public NumericComparison Comparison { get; } = comparison;

    public override bool IsMatch(in InspectionContext context) => context.HasEsp && Comparison.IsMatch(context.EspSpi);
}
