using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>threshold:type limit|threshold|both, track by_src|by_dst|by_rule|by_both, count N, seconds S;</c></summary>
internal sealed class ThresholdKeyword : IRuleKeyword
{
    public string Name => "threshold";

    public KeywordValue Value => KeywordValue.Required;

    public void Setup(RuleBuilder rule, in KeywordArgument argument)
    {
        if (rule.Threshold is not null)
        {
            throw new RuleSyntaxException(argument.KeywordOffset, "expected one 'threshold' per rule");
        }
        rule.Threshold = ThresholdParser.Parse(argument, withType: true);
    }
}
