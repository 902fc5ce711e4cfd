using Visibility.Engine.Inspection.Conditions;
using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>esp.icv_len:N;</c> (also comparisons): the ICV length in bytes the SA was found to use.</summary>
internal sealed class EspIcvLenKeyword : IRuleKeyword
{
    public string Name => "esp.icv_len";

    public KeywordValue Value => KeywordValue.Required;

    public void Setup(RuleBuilder rule, in KeywordArgument argument) =>
        rule.AddCondition(new EspIcvLengthCondition(NumericComparison.Parse(argument.Text, argument.Offset, 255)));
}
