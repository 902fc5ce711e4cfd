using Visibility.Engine.Inspection.Parsing;

namespace Visibility.Engine.Inspection.Keywords;

/// <summary><c>priority:N;</c> 1 (highest) to 255; overrides the classtype's priority.</summary>
internal sealed class PriorityKeyword : IRuleKeyword
{
    public string Name => "priority";

    public KeywordValue Value => KeywordValue.Required;

    public void Setup(RuleBuilder rule, in KeywordArgument argument)
    {
        if (rule.Priority is not null)
        {
            throw new RuleSyntaxException(argument.KeywordOffset, "expected one 'priority' per rule");
        }
        rule.Priority = (int)KeywordNumbers.Parse(argument, 1, 255);
    }
}
