using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>detection_filter:track by_src|by_dst|by_rule|by_both, count N, seconds S;</c> alerts on every match
/// after the first N of a window.</summary>
internal sealed class DetectionFilterKeyword : IRuleKeyword
{
    public string Name => "detection_filter";

    public KeywordValue Value => KeywordValue.Required;

    public void Setup(RuleBuilder rule, in KeywordArgument argument)
    {
        if (rule.DetectionFilter is not null)
        {
            throw new RuleSyntaxException(argument.KeywordOffset, "expected one 'detection_filter' per rule");
        }
        rule.DetectionFilter = ThresholdParser.Parse(argument, withType: false);
    }
}
