using Visibility.Engine.Inspection.Conditions;
using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>esp.spi:N;</c> (also <c>&gt;N</c>, <c>a-b</c>, <c>0x..</c>): the SPI of the SA.</summary>
internal sealed class EspSpiKeyword : IRuleKeyword
{
    public string Name => "esp.spi";

    public KeywordValue Value => KeywordValue.Required;

    public void Setup(RuleBuilder rule, in KeywordArgument argument) =>
        rule.AddCondition(new EspSpiCondition(NumericComparison.Parse(argument.Text, argument.Offset, uint.MaxValue)));
}
